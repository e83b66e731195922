#include "harness/inputs/diagnostics.h"

#include <algorithm>
#include <charconv>

#include "interfaces/common/yaml_file.h"

namespace plugfest::harness {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    // The distance is at least the difference in length: skip the quadratic work for
    // words that cannot be near (a megabyte-long key is no misspelling).
    const std::size_t longer = std::max(word.size(), candidate.size());
    if (longer - std::min(word.size(), candidate.size()) > limit) continue;
    const std::size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

std::string where(const std::string& file, const YAML::Node& node) {
  if (!node.IsDefined() || node.Mark().is_null()) return file;
  return file + ":" + std::to_string(node.Mark().line + 1) + ":" +
         std::to_string(node.Mark().column + 1);
}

std::string Diagnostics::to_string() const {
  std::string out;
  for (const auto& e : errors_) out += "error: " + e.to_string() + "\n";
  return out;
}

std::string describe_node(const YAML::Node& node) {
  if (!node.IsDefined()) return "nothing";
  switch (node.Type()) {
    case YAML::NodeType::Null:
      return "an empty value";
    case YAML::NodeType::Scalar:
      return "'" + node.Scalar() + "'";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    default:
      return "nothing";
  }
}

namespace {

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

}  // namespace

MappingReader::MappingReader(const std::string& file, const YAML::Node& node, std::string context,
                             std::vector<std::string> allowed, Diagnostics& diagnostics)
    : file_(file), node_(node), context_(std::move(context)), diagnostics_(diagnostics) {
  if (!node.IsMap()) {
    diagnostics_.add(where(file, node),
                     context_ + ": expected a mapping, got " + describe_node(node));
    return;
  }
  ok_ = true;
  for (const auto& entry : node) {
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "?";
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string message =
        "unknown key '" + key + "' in " + context_ + "; expected one of " + join(allowed);
    if (const std::string near = nearest(key, allowed); !near.empty()) {
      message += "; did you mean '" + near + "'?";
    }
    diagnostics_.add(where(file, entry.first), message);
  }
}

YAML::Node MappingReader::get(const std::string& key, bool required) {
  if (!ok_) return YAML::Node(YAML::NodeType::Undefined);
  // Look up without inserting (operator[] on a non-const node would add the key).
  const YAML::Node& const_node = node_;
  YAML::Node value = const_node[key];
  if (value.IsDefined()) return value;
  if (required) diagnostics_.add(where(file_, node_), "missing key '" + key + "' in " + context_);
  // A missing key's lookup gives an invalid node that throws when asked its type; hand
  // back a valid undefined one, which the typed reads report as "got nothing".
  return YAML::Node(YAML::NodeType::Undefined);
}

std::string MappingReader::key_where(const std::string& key) const {
  if (ok_) {
    for (const auto& entry : node_) {
      if (entry.first.IsScalar() && entry.first.Scalar() == key) return where(file_, entry.first);
    }
  }
  return where(file_, node_);
}

bool read_string(const std::string& file, const YAML::Node& node, const std::string& key,
                 Diagnostics& diagnostics, std::string& out) {
  if (!node.IsDefined()) return false;  // a missing key: MappingReader said so
  if (!node.IsScalar() || node.Scalar().empty()) {
    diagnostics.add(where(file, node),
                    "key '" + key + "': expected a non-empty string, got " + describe_node(node));
    return false;
  }
  out = node.Scalar();
  return true;
}

bool read_int(const std::string& file, const YAML::Node& node, const std::string& key,
              Diagnostics& diagnostics, long long& out) {
  if (!node.IsDefined()) return false;  // a missing key: MappingReader said so
  if (node.IsScalar()) {
    const std::string& s = node.Scalar();
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc() && end == s.data() + s.size()) return true;
  }
  diagnostics.add(where(file, node),
                  "key '" + key + "': expected an integer, got " + describe_node(node));
  return false;
}

bool read_duration_ms(const std::string& file, const YAML::Node& node, const std::string& key,
                      Diagnostics& diagnostics, long long& out_ms) {
  if (!node.IsDefined()) return false;  // a missing key: MappingReader said so
  if (node.IsScalar()) {
    const std::string& s = node.Scalar();
    double value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    const std::string unit(end, s.data() + s.size());
    double scale = -1;
    if (unit.empty() || unit == "s") scale = 1000;
    if (unit == "ms") scale = 1;
    if (unit == "m" || unit == "min") scale = 60000;
    if (ec == std::errc() && scale > 0 && value > 0 && value * scale < 1e12) {
      out_ms = std::max(1LL, static_cast<long long>(value * scale));
      return true;
    }
  }
  diagnostics.add(where(file, node), "key '" + key +
                                         "': expected a positive duration (30, 30s, 500ms, 2m), "
                                         "got " +
                                         describe_node(node));
  return false;
}

bool parse_yaml_file(const std::string& file, YAML::Node& out, Diagnostics& diagnostics) {
  auto loaded = load_yaml_file(file);
  if (!loaded) {
    diagnostics.add(loaded.error());
    return false;
  }
  out = std::move(*loaded);
  if (!out.IsMap()) {
    // Not quoted: the file may be anything a user named, not YAML of ours.
    const char* got = out.IsScalar()     ? "text"
                      : out.IsSequence() ? "a list"
                                         : "an empty file";
    diagnostics.add(where(file, out), std::string("expected a mapping at the top of the file, got ") + got);
    return false;
  }
  return true;
}

}  // namespace plugfest::harness
