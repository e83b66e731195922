#include "harness/inputs/parameters.h"

#include <charconv>

#include "harness/inputs/diagnostics.h"

namespace plugfest::harness {
namespace {

void flatten(const std::string& file, const YAML::Node& node, const std::string& prefix,
             std::map<std::string, ParameterValue>& out) {
  if (node.IsMap()) {
    for (const auto& entry : node) {
      const std::string key = entry.first.Scalar();
      flatten(file, entry.second, prefix.empty() ? key : prefix + "." + key, out);
    }
    return;
  }
  out[prefix] = ParameterValue{node, where(file, node)};
}

[[noreturn]] void wrong_type(const std::string& name, const ParameterValue& value,
                             const std::string& expected) {
  throw ParameterError(value.where + ": parameter '" + name + "': expected " + expected + ", got " +
                       describe_node(value.node));
}

}  // namespace

Parameters Parameters::from_yaml(const std::string& file, const YAML::Node& mapping,
                                 const std::string& prefix) {
  Parameters p;
  if (mapping.IsMap()) flatten(file, mapping, prefix, p.values_);
  return p;
}

void Parameters::merge_from(const Parameters& other) {
  for (const auto& [name, value] : other.values_) {
    // An override of a group ("compression: {...}") replaces that group's members only.
    // Erase first: assigning a YAML::Node would write through to the shared node.
    values_.erase(name);
    values_.emplace(name, value);
  }
}

std::vector<std::string> Parameters::names() const {
  std::vector<std::string> out;
  for (const auto& [name, value] : values_) out.push_back(name);
  return out;
}

const ParameterValue& Parameters::find(const std::string& name) const {
  const auto it = values_.find(name);
  if (it != values_.end()) return it->second;
  std::string message = "parameter '" + name + "' is not set by the profile";
  if (const std::string near = nearest(name, names()); !near.empty()) {
    message += "; did you mean '" + near + "'?";
  }
  throw ParameterError(message);
}

std::int64_t Parameters::get_int(const std::string& name) const {
  const ParameterValue& v = find(name);
  if (v.node.IsScalar()) {
    const std::string& s = v.node.Scalar();
    std::int64_t out = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc() && end == s.data() + s.size()) return out;
  }
  wrong_type(name, v, "an integer");
}

std::int64_t Parameters::get_int(const std::string& name, std::int64_t fallback) const {
  return has(name) ? get_int(name) : fallback;
}

double Parameters::get_double(const std::string& name) const {
  const ParameterValue& v = find(name);
  if (v.node.IsScalar()) {
    const std::string& s = v.node.Scalar();
    double out = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc() && end == s.data() + s.size()) return out;
  }
  wrong_type(name, v, "a number");
}

double Parameters::get_double(const std::string& name, double fallback) const {
  return has(name) ? get_double(name) : fallback;
}

std::string Parameters::get_string(const std::string& name) const {
  const ParameterValue& v = find(name);
  if (!v.node.IsScalar()) wrong_type(name, v, "a string");
  return v.node.Scalar();
}

std::string Parameters::get_string(const std::string& name, const std::string& fallback) const {
  return has(name) ? get_string(name) : fallback;
}

bool Parameters::get_bool(const std::string& name) const {
  const ParameterValue& v = find(name);
  if (v.node.IsScalar()) {
    const std::string& s = v.node.Scalar();
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
  }
  wrong_type(name, v, "true or false");
}

bool Parameters::get_bool(const std::string& name, bool fallback) const {
  return has(name) ? get_bool(name) : fallback;
}

std::vector<std::string> Parameters::get_list(const std::string& name) const {
  const ParameterValue& v = find(name);
  std::vector<std::string> out;
  if (v.node.IsScalar()) return {v.node.Scalar()};
  if (!v.node.IsSequence()) wrong_type(name, v, "a list of scalars");
  for (const auto& item : v.node) {
    if (!item.IsScalar()) wrong_type(name, v, "a list of scalars");
    out.push_back(item.Scalar());
  }
  return out;
}

}  // namespace plugfest::harness
