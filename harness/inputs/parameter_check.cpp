#include "harness/inputs/parameter_check.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace plugfest::harness {
namespace {

using T = ParameterType;

bool is_integer(const YAML::Node& n) {
  if (!n.IsScalar()) return false;
  const std::string& s = n.Scalar();
  long long v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

bool is_number(const YAML::Node& n) {
  if (!n.IsScalar()) return false;
  const std::string& s = n.Scalar();
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

bool is_bool(const YAML::Node& n) {
  if (!n.IsScalar()) return false;
  static const std::vector<std::string> words = {"true", "yes", "on", "false", "no", "off"};
  return std::find(words.begin(), words.end(), n.Scalar()) != words.end();
}

bool is_list(const YAML::Node& n) {
  if (n.IsScalar()) return true;
  if (!n.IsSequence()) return false;
  for (const auto& item : n) {
    if (!item.IsScalar()) return false;
  }
  return true;
}

// Whether `node` has `type`, and the words for it in a message.
bool has_type(const YAML::Node& node, T type, std::string& expected) {
  switch (type) {
    case T::kInteger:
      expected = "an integer";
      return is_integer(node);
    case T::kNumber:
      expected = "a number";
      return is_number(node);
    case T::kString:
      expected = "a string";
      return node.IsScalar();
    case T::kBool:
      expected = "true or false";
      return is_bool(node);
    case T::kList:
      expected = "a list of scalars";
      return is_list(node);
    case T::kGroup:
      expected = "a mapping of its members";
      return false;  // a group's own name carries a value only when it is no mapping
    case T::kAny:
      return true;
  }
  return true;
}

bool allowed(const std::string& name, const std::vector<ParameterDeclaration>& declared) {
  for (const auto& d : declared) {
    if (name == d.name || name.rfind(d.name + ".", 0) == 0) return true;
  }
  return false;
}

const ParameterDeclaration* declaration_of(const std::string& name,
                                           const std::vector<ParameterDeclaration>& declared) {
  for (const auto& d : declared) {
    if (d.name == name && d.type != T::kAny) return &d;
  }
  return nullptr;
}

// Ranges and words of the built-in parameters, beyond their type.
void check_builtin_values(const Parameters& params, const std::set<std::string>& skip,
                          Diagnostics& diagnostics) {
  const auto check = [&](const std::string& name, auto&& valid, const std::string& expected) {
    const auto it = params.values().find(name);
    if (it == params.values().end() || skip.count(name) != 0) return;
    if (!valid(it->second.node)) {
      diagnostics.add(it->second.where, "parameter '" + name + "': expected " + expected +
                                            ", got " + describe_node(it->second.node));
    }
  };
  const auto int_in = [](long long lo, long long hi) {
    return [lo, hi](const YAML::Node& n) {
      if (!is_integer(n)) return false;
      const long long v = std::stoll(n.Scalar());
      return v >= lo && v <= hi;
    };
  };
  const auto one_of = [](std::vector<std::string> words) {
    return [words](const YAML::Node& n) {
      return n.IsScalar() && std::find(words.begin(), words.end(), n.Scalar()) != words.end();
    };
  };
  check("numerology", int_in(0, 6), "an integer 0-6");
  check("bandwidth_mhz", int_in(1, 400), "an integer 1-400 (MHz)");
  check("antennas", int_in(1, 64), "an integer 1-64");
  check("slots", int_in(1, 100000), "an integer 1-100000");
  check("duplex", one_of({"tdd", "fdd"}), "tdd or fdd");
  check("compression.method",
        one_of({"none", "bfp", "block-scaling", "mu-law", "modulation", "bfp-selective-re",
                "modulation-selective-re"}),
        "none, bfp, block-scaling, mu-law, modulation, bfp-selective-re or "
        "modulation-selective-re");
  check("compression.width", int_in(1, 16), "an integer 1-16");
  check("compression.header", one_of({"static", "dynamic"}), "static or dynamic");
  for (const char* part : {"du_port_bits", "band_sector_bits", "cc_id_bits", "ru_port_bits"}) {
    check(std::string("eaxc.") + part, int_in(0, 16), "an integer 0-16");
  }
}

}  // namespace

const std::vector<ParameterDeclaration>& builtin_parameters() {
  static const std::vector<ParameterDeclaration> declared = [] {
    std::vector<ParameterDeclaration> d = {
        {"numerology", T::kInteger},     {"bandwidth_mhz", T::kInteger},
        {"scs_khz", T::kInteger},        {"duplex", T::kString},
        {"antennas", T::kInteger},       {"slots", T::kInteger},
        {"time_dilation", T::kNumber},   {"eaxc", T::kGroup},
        {"eaxc.du_port_bits", T::kInteger}, {"eaxc.band_sector_bits", T::kInteger},
        {"eaxc.cc_id_bits", T::kInteger}, {"eaxc.ru_port_bits", T::kInteger},
        {"compression", T::kGroup},      {"compression.method", T::kString},
        {"compression.width", T::kInteger}, {"compression.header", T::kString},
        {"timing", T::kGroup},           {"prach", T::kGroup},
        {"prach.expected", T::kBool}};
    for (const char* window : {"t1a_cp_dl", "t1a_cp_ul", "t1a_up", "t2a_cp_dl", "t2a_cp_ul",
                               "t2a_up", "ta3", "ta4"}) {
      for (const char* bound : {"_min_us", "_max_us"}) {
        d.emplace_back(std::string("timing.") + window + bound, T::kInteger);
      }
    }
    return d;
  }();
  return declared;
}

std::vector<ParameterDeclaration> all_declared_parameters(const CaseCatalog& catalog) {
  std::vector<ParameterDeclaration> out = builtin_parameters();
  for (const std::string& id : catalog.ids()) {
    const auto* declared = catalog.parameters_of(id);
    if (declared != nullptr) out.insert(out.end(), declared->begin(), declared->end());
  }
  return out;
}

void check_parameters(const Parameters& params, const std::vector<ParameterDeclaration>& declared,
                      const std::string& context, Diagnostics& diagnostics) {
  std::vector<std::string> names;
  for (const auto& d : declared) names.push_back(d.name);
  std::set<std::string> reported;
  for (const auto& [name, value] : params.values()) {
    if (!allowed(name, declared)) {
      std::string message = "unknown parameter '" + name + "' in " + context;
      if (const auto near = nearest(name, names); !near.empty()) {
        message += "; did you mean '" + near + "'?";
      }
      diagnostics.add(value.where, message);
      reported.insert(name);
      continue;
    }
    const ParameterDeclaration* d = declaration_of(name, declared);
    std::string expected;
    if (d != nullptr && !has_type(value.node, d->type, expected)) {
      diagnostics.add(value.where, "parameter '" + name + "': expected " + expected + ", got " +
                                       describe_node(value.node));
      reported.insert(name);
    }
  }
  check_builtin_values(params, reported, diagnostics);  // one error per value
}

}  // namespace plugfest::harness
