#pragma once
// Diagnostics: the errors found in input files, each naming file:line:col, the key, what
// was expected and, for a misspelling, the nearest valid word.

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

#include "harness/inputs/visible_text.h"
#include "interfaces/common/result.h"

namespace plugfest::harness {

// Levenshtein distance between two words.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a likely misspelling
// (at most a third of the word's length, at least 2 edits allowed), else "".
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

// "file:line:col" of a YAML node (1-based), or "file" when the node has no position.
std::string where(const std::string& file, const YAML::Node& node);

// Errors collected while reading inputs; loading goes on after an error so one pass
// reports everything wrong with a file.
// Messages quote what the file said ("\e" in a quoted YAML scalar is an ESC): every error
// is stored with its control characters made visible, so none reaches a terminal raw.
class Diagnostics {
 public:
  void add(Error error) {
    errors_.push_back(Error{escape_terminal(error.message), escape_terminal(error.where)});
  }
  void add(std::string where, std::string message) {
    add(Error{std::move(message), std::move(where)});
  }
  void append(const Diagnostics& other) {
    errors_.insert(errors_.end(), other.errors_.begin(), other.errors_.end());
  }
  bool ok() const { return errors_.empty(); }
  const std::vector<Error>& errors() const { return errors_; }
  std::string to_string() const;

 private:
  std::vector<Error> errors_;
};

// A YAML mapping being read: reports keys that are not in `allowed` (with the nearest
// allowed key) and required keys that are missing.
class MappingReader {
 public:
  MappingReader(const std::string& file, const YAML::Node& node, std::string context,
                std::vector<std::string> allowed, Diagnostics& diagnostics);

  // False when the node is not a mapping (already reported).
  bool ok() const { return ok_; }
  // The value of `key`, or an undefined node (reported when `required`) that is safe to
  // pass to every reader below.
  YAML::Node get(const std::string& key, bool required = false);
  // Position of `key` itself (an empty value has no useful position of its own).
  std::string key_where(const std::string& key) const;

 private:
  const std::string& file_;
  YAML::Node node_;
  std::string context_;
  Diagnostics& diagnostics_;
  bool ok_ = false;
};

// Typed scalar reads that report "key: expected X, got Y" at the value's position.
// An undefined node (a missing key, reported by MappingReader::get) fails silently.
bool read_string(const std::string& file, const YAML::Node& node, const std::string& key,
                 Diagnostics& diagnostics, std::string& out);
bool read_int(const std::string& file, const YAML::Node& node, const std::string& key,
              Diagnostics& diagnostics, long long& out);
// A duration: a number of seconds or a string with a unit (500ms, 30s, 2m).
bool read_duration_ms(const std::string& file, const YAML::Node& node, const std::string& key,
                      Diagnostics& diagnostics, long long& out_ms);

// Human-readable name of a YAML node's kind, for "expected ..., got a mapping".
std::string describe_node(const YAML::Node& node);

// Reads a YAML file through load_yaml_file (regular files only, bounded, one UTF-8
// document, no recursive aliases or repeated keys), reporting every refusal with its
// position; the top of the file must be a mapping.
bool parse_yaml_file(const std::string& file, YAML::Node& out, Diagnostics& diagnostics);

}  // namespace plugfest::harness
