#pragma once
// Parameters: a case's settings (profile defaults merged with the case's overrides) and a
// DUT's lab parameters, as dotted names ("compression.width") with typed getters whose
// errors say which file and line the value came from.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace plugfest::harness {

// Thrown by the typed getters; the executor turns it into verdict `error`.
class ParameterError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ParameterValue {
  YAML::Node node;    // a scalar or a list
  std::string where;  // file:line:col it came from
};

class Parameters {
 public:
  // Flattens a YAML mapping into dotted names; lists stay whole values.
  static Parameters from_yaml(const std::string& file, const YAML::Node& mapping,
                              const std::string& prefix = "");

  // Later values win: used to lay case overrides over profile defaults.
  void merge_from(const Parameters& other);
  void set(const std::string& name, ParameterValue value) {
    values_.erase(name);  // not operator=: YAML::Node assignment writes through
    values_.emplace(name, std::move(value));
  }

  bool has(const std::string& name) const { return values_.count(name) != 0; }
  const std::map<std::string, ParameterValue>& values() const { return values_; }
  std::vector<std::string> names() const;

  std::int64_t get_int(const std::string& name) const;
  std::int64_t get_int(const std::string& name, std::int64_t fallback) const;
  double get_double(const std::string& name) const;
  double get_double(const std::string& name, double fallback) const;
  std::string get_string(const std::string& name) const;
  std::string get_string(const std::string& name, const std::string& fallback) const;
  bool get_bool(const std::string& name) const;
  bool get_bool(const std::string& name, bool fallback) const;
  std::vector<std::string> get_list(const std::string& name) const;

 private:
  const ParameterValue& find(const std::string& name) const;
  std::map<std::string, ParameterValue> values_;
};

}  // namespace plugfest::harness
