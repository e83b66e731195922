#include "interfaces/common/yaml_file.h"

#include "interfaces/common/utf8.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/eventhandler.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <sstream>
#include <vector>

namespace plugfest {
namespace {

std::string at(const std::string& name, std::size_t line, std::size_t column) {
  return name + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string at(const std::string& name, const YAML::Mark& mark) {
  if (mark.is_null()) return name;
  return at(name, static_cast<std::size_t>(mark.line) + 1,
            static_cast<std::size_t>(mark.column) + 1);
}

std::string line_col(const YAML::Mark& mark) {
  return "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1);
}

std::string size_text(std::size_t bytes) {
  if (bytes % (1 << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes % (1 << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

// The first byte that is not UTF-8 text YAML allows (well-formed UTF-8, no control
// characters but tab, line feed and carriage return), as an Error at its line and column.
std::optional<Error> check_text(std::string_view text, const std::string& name) {
  std::size_t line = 1;
  std::size_t column = 1;
  std::size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // a byte order mark
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
        char code[8];
        std::snprintf(code, sizeof code, "%02X", c);
        return Error{std::string("control character U+00") + code + " is not allowed in YAML text",
                     at(name, line, column)};
      }
      ++i;
      if (c == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
      continue;
    }
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      return Error{"the text is not UTF-8 (an invalid byte sequence)", at(name, line, column)};
    }
    i += length;
    ++column;
  }
  return std::nullopt;
}

struct Refusal {
  Error error;
};

// Walks the parser's events once before any tree is built, refusing what the readers
// must never see: recursive aliases, expansions past the limits, repeated keys, a second
// document, nesting past the depth limit.
class BoundingHandler : public YAML::EventHandler {
 public:
  BoundingHandler(const std::string& name, const YamlLimits& limits)
      : name_(name), limits_(limits) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) {
      refuse(mark, "a second YAML document starts here; a file holds one document");
    }
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    leaf(mark, anchor, nullptr);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string& value) override {
    leaf(mark, anchor, &value);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    for (const Open& open : stack_) {
      if (open.anchor == anchor) {
        refuse(mark, "this alias refers to the list or mapping that contains it (anchored at " +
                         line_col(open.mark) + "); aliases must not recurse");
      }
    }
    const auto it = anchors_.find(anchor);
    if (it == anchors_.end()) refuse(mark, "this alias refers to no anchor");
    const Anchored& target = it->second;
    if (target.scalar) {
      enter_key(mark, &*target.scalar);
    } else {
      enter_key(mark, nullptr);
    }
    count(mark, target.nodes, target.relative_bytes + target.nodes * path_bytes_);
    completed(target.scalar ? target.scalar->size() : 1);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor, false);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor, true);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    YAML::Mark mark;
    YAML::anchor_t anchor = 0;
    bool is_map = false;
    std::size_t nodes_before = 0;
    std::size_t bytes_before = 0;
    std::size_t path_at_start = 0;
    bool next_is_key = true;
    std::size_t key_bytes = 0;  // of the key whose value is being read, with its dot
    std::map<std::string, YAML::Mark> keys;
  };
  struct Anchored {
    std::size_t nodes = 0;
    std::size_t relative_bytes = 0;  // expanded bytes less what its position added
    std::optional<std::string> scalar;
  };

  [[noreturn]] void refuse(const YAML::Mark& mark, std::string message) {
    throw Refusal{Error{std::move(message), at(name_, mark)}};
  }

  // A node starts: when it is a key of a mapping, its text must not repeat.
  void enter_key(const YAML::Mark& mark, const std::string* scalar) {
    if (stack_.empty() || !stack_.back().is_map || !stack_.back().next_is_key) return;
    if (scalar == nullptr) return;
    const auto [it, fresh] = stack_.back().keys.emplace(*scalar, mark);
    if (!fresh) refuse(mark, "this key repeats the key at " + line_col(it->second));
  }

  void count(const YAML::Mark& mark, std::size_t nodes, std::size_t bytes) {
    nodes_ += nodes;
    bytes_ += bytes;
    if (nodes_ > limits_.max_nodes) {
      refuse(mark, "the document has more than " + std::to_string(limits_.max_nodes) +
                       " nodes once its aliases are expanded (the bound for an input file)");
    }
    if (bytes_ > limits_.max_expanded_bytes) {
      refuse(mark, "the document expands to more than " + size_text(limits_.max_expanded_bytes) +
                       " of names and values through its aliases (the bound for an input file)");
    }
  }

  // A node of the parent ended; `key_size` is its length when it was a key.
  void completed(std::size_t key_size) {
    if (stack_.empty() || !stack_.back().is_map) return;
    Open& parent = stack_.back();
    if (parent.next_is_key) {
      parent.key_bytes = key_size + 1;
      path_bytes_ += parent.key_bytes;
      parent.next_is_key = false;
    } else {
      path_bytes_ -= parent.key_bytes;
      parent.key_bytes = 0;
      parent.next_is_key = true;
    }
  }

  // An escape in a quoted scalar ("\e", "\x07", "\u009b") puts a control character in
  // the value that the text check cannot see: refused here, so none reaches a terminal.
  void check_value(const YAML::Mark& mark, const std::string& value) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      const auto c = static_cast<unsigned char>(value[i]);
      const bool c1 = c == 0xC2 && i + 1 < value.size() &&
                      static_cast<unsigned char>(value[i + 1]) >= 0x80 &&
                      static_cast<unsigned char>(value[i + 1]) <= 0x9F;
      if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f || c1) {
        refuse(mark, "this value holds a control character (from an escape sequence); values "
                     "may hold tabs and line breaks only");
      }
    }
  }

  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor, const std::string* value) {
    if (value != nullptr) check_value(mark, *value);
    enter_key(mark, value != nullptr ? value : &empty_);
    const std::size_t size = value != nullptr ? value->size() : 0;
    count(mark, 1, path_bytes_ + size);
    if (anchor != 0) {
      anchors_[anchor] = Anchored{1, size, value != nullptr ? *value : std::string()};
    }
    completed(size);
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor, bool is_map) {
    enter_key(mark, nullptr);
    if (stack_.size() >= limits_.max_depth) {
      refuse(mark, "lists and mappings nest deeper than " + std::to_string(limits_.max_depth) +
                       " levels (the bound for an input file)");
    }
    Open entry;
    entry.mark = mark;
    entry.anchor = anchor;
    entry.is_map = is_map;
    entry.nodes_before = nodes_;
    entry.bytes_before = bytes_;
    entry.path_at_start = path_bytes_;
    count(mark, 1, path_bytes_);
    stack_.push_back(std::move(entry));
  }

  void close() {
    if (stack_.empty()) return;
    const Open entry = std::move(stack_.back());
    stack_.pop_back();
    path_bytes_ -= entry.is_map ? entry.key_bytes : 0;  // a key without its value
    if (entry.anchor != 0) {
      const std::size_t nodes = nodes_ - entry.nodes_before;
      const std::size_t bytes = bytes_ - entry.bytes_before;
      anchors_[entry.anchor] = Anchored{nodes, bytes - nodes * entry.path_at_start, std::nullopt};
    }
    completed(1);
  }

  const std::string& name_;
  const YamlLimits& limits_;
  const std::string empty_;
  int documents_ = 0;
  std::vector<Open> stack_;
  std::map<YAML::anchor_t, Anchored> anchors_;
  std::size_t nodes_ = 0;
  std::size_t bytes_ = 0;
  std::size_t path_bytes_ = 0;
};

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "something other than a regular file";
}

}  // namespace

Result<YAML::Node> load_yaml_text(std::string_view text, const std::string& name,
                                  const YamlLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Error{"larger than " + size_text(limits.max_bytes) + ", the bound for an input file",
                 name};
  }
  if (auto bad = check_text(text, name)) return *bad;
  const std::string owned(text);
  try {
    std::istringstream in(owned);
    YAML::Parser parser(in);
    BoundingHandler handler(name, limits);
    while (parser.HandleNextDocument(handler)) {
    }
    return YAML::Load(owned);
  } catch (const Refusal& refusal) {
    return refusal.error;
  } catch (const YAML::Exception& e) {
    return Error{"YAML syntax error: " + e.msg, at(name, e.mark)};
  }
}

Result<YAML::Node> load_yaml_file(const std::string& path, const YamlLimits& limits) {
  // Non-blocking, so that opening a FIFO does not wait for a writer; only regular files
  // are read at all.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return Error{std::string("cannot open: ") + std::strerror(errno), path};
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    const std::string kind = kind_of(info.st_mode);
    ::close(fd);
    return Error{"is " + kind + "; only regular files are read", path};
  }
  const std::string too_big =
      "larger than " + size_text(limits.max_bytes) + ", the bound for an input file";
  if (static_cast<std::size_t>(info.st_size) > limits.max_bytes) {
    ::close(fd);
    return Error{too_big, path};
  }
  std::string text;
  char buffer[65536];
  while (true) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      const int saved = errno;
      ::close(fd);
      return Error{std::string("cannot read: ") + std::strerror(saved), path};
    }
    if (got == 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
    if (text.size() > limits.max_bytes) {  // grew since fstat
      ::close(fd);
      return Error{too_big, path};
    }
  }
  ::close(fd);
  return load_yaml_text(text, path, limits);
}

}  // namespace plugfest
