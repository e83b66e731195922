#include "harness/analyze/analysis_config.h"

#include <array>
#include <charconv>
#include <map>
#include <utility>

#include "harness/inputs/diagnostics.h"
#include "harness/inputs/visible_text.h"
#include "harness/tester/compression_names.h"

namespace plugfest::analyze {
namespace {

using harness::Diagnostics;
using harness::MappingReader;
using harness::where;

bool read_bool(const std::string& file, const YAML::Node& node, const std::string& key,
               Diagnostics& diagnostics, bool& out) {
  if (!node.IsDefined()) return false;  // a missing key: MappingReader said so
  if (node.IsScalar()) {
    const std::string& s = node.Scalar();
    if (s == "true" || s == "yes") return out = true, true;
    if (s == "false" || s == "no") return out = false, true;
  }
  diagnostics.add(where(file, node),
                  "key '" + key + "': expected true or false, got " + harness::describe_node(node));
  return false;
}

bool read_ranged(const std::string& file, const YAML::Node& node, const std::string& key,
                 long long low, long long high, Diagnostics& diagnostics, long long& out) {
  if (!harness::read_int(file, node, key, diagnostics, out)) return false;
  if (out >= low && out <= high) return true;
  diagnostics.add(where(file, node), "key '" + key + "': expected " + std::to_string(low) + ".." +
                                         std::to_string(high) + ", got " + node.Scalar());
  return false;
}

// A duration with microsecond resolution: 295us, 0.5ms, 20ms, 1s (a bare number is us).
bool read_duration_ns(const std::string& file, const YAML::Node& node, const std::string& key,
                      Diagnostics& diagnostics, std::chrono::nanoseconds& out) {
  if (!node.IsDefined()) return false;  // a missing key: MappingReader said so
  if (node.IsScalar()) {
    const std::string& s = node.Scalar();
    // Whole nanoseconds exactly (an epoch offset does not fit a double's precision).
    if (s.size() > 2 && s.ends_with("ns")) {
      std::int64_t ns = 0;
      const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size() - 2, ns);
      if (ec == std::errc() && end == s.data() + s.size() - 2) {
        out = std::chrono::nanoseconds(ns);
        return true;
      }
    }
    double value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    const std::string unit(end, s.data() + s.size());
    double scale = -1;
    if (unit.empty() || unit == "us") scale = 1e3;
    if (unit == "ns") scale = 1;
    if (unit == "ms") scale = 1e6;
    if (unit == "s") scale = 1e9;
    if (ec == std::errc() && scale > 0 && value * scale < 1e15 && value * scale > -1e15) {
      out = std::chrono::nanoseconds(static_cast<std::int64_t>(value * scale));
      return true;
    }
  }
  diagnostics.add(where(file, node), "key '" + key +
                                         "': expected a duration (295us, 0.5ms, 20ms), got " +
                                         harness::describe_node(node));
  return false;
}

template <typename T>
bool read_choice(const std::string& file, const YAML::Node& node, const std::string& key,
                 const std::vector<std::pair<std::string, T>>& choices, Diagnostics& diagnostics,
                 T& out) {
  if (!node.IsDefined()) return false;  // a missing key: MappingReader said so
  std::vector<std::string> names;
  for (const auto& [name, value] : choices) names.push_back(name);
  if (node.IsScalar()) {
    for (const auto& [name, value] : choices) {
      if (node.Scalar() == name) return out = value, true;
    }
  }
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  std::string message =
      "key '" + key + "': expected one of " + list + ", got " + harness::describe_node(node);
  if (node.IsScalar()) {
    if (const std::string near = harness::nearest(node.Scalar(), names); !near.empty()) {
      message += "; did you mean '" + near + "'?";
    }
  }
  diagnostics.add(where(file, node), message);
  return false;
}

// Keys named otherwise before they took the profile parameters' names: refused, naming
// the new key, so one name holds per setting.
bool refuse_renamed(const std::string& file, MappingReader& m,
                    const std::vector<std::pair<std::string, std::string>>& renamed,
                    Diagnostics& d) {
  bool any = false;
  for (const auto& [old_key, new_key] : renamed) {
    if (!m.get(old_key).IsDefined()) continue;
    d.add(m.key_where(old_key), "key '" + old_key + "' is now '" + new_key +
                                    "' (named like the profile parameter)");
    any = true;
  }
  (void)file;
  return any;
}

void read_eaxc(const std::string& file, const YAML::Node& node, Diagnostics& d,
               AnalysisConfig& config) {
  MappingReader m(file, node, "eaxc",
                  {"du_port_bits", "band_sector_bits", "cc_id_bits", "ru_port_bits", "cc_bits"},
                  d);
  if (!m.ok() || refuse_renamed(file, m, {{"cc_bits", "cc_id_bits"}}, d)) return;
  fronthaul::EaxcSplit split;
  const std::array<std::pair<const char*, std::uint8_t*>, 4> parts = {{
      {"du_port_bits", &split.du_port_bits},
      {"band_sector_bits", &split.band_sector_bits},
      {"cc_id_bits", &split.cc_bits},
      {"ru_port_bits", &split.ru_port_bits},
  }};
  bool ok = true;
  for (const auto& [key, field] : parts) {
    long long v = 0;
    if (!read_ranged(file, m.get(key, true), key, 0, 16, d, v)) {
      ok = false;
      continue;
    }
    *field = static_cast<std::uint8_t>(v);
  }
  if (!ok) return;
  if (!split.valid()) {
    d.add(where(file, node), "eaxc: the four bit widths must add up to 16");
    return;
  }
  config.eaxc_split = split;
}

void read_compression(const std::string& file, const YAML::Node& node, Diagnostics& d,
                      AnalysisConfig& config) {
  MappingReader m(file, node, "compression", {"header", "method", "width", "mode", "iq_width"},
                  d);
  if (!m.ok() || refuse_renamed(file, m, {{"mode", "header"}, {"iq_width", "width"}}, d)) return;
  using fronthaul::CompressionMethod;
  fronthaul::UplaneCompression c;
  bool ok = read_choice<bool>(file, m.get("header", true), "header",
                              {{"static", false}, {"dynamic", true}}, d, c.dynamic);
  // With a dynamic header the method and width travel in every section; they are
  // required only for a static one.
  const bool need_params = !c.dynamic;
  if (YAML::Node method = m.get("method", need_params); method.IsDefined()) {
    ok &= read_choice<CompressionMethod>(file, method, "method",
                                         {{"none", CompressionMethod::kNone},
                                          {"bfp", CompressionMethod::kBlockFloatingPoint},
                                          {"block-scaling", CompressionMethod::kBlockScaling},
                                          {"mu-law", CompressionMethod::kMuLaw},
                                          {"modulation", CompressionMethod::kModulation}},
                                         d, c.static_params.method);
  }
  if (YAML::Node width = m.get("width", need_params); width.IsDefined()) {
    long long v = 0;
    ok &= read_ranged(file, width, "width", 1, 16, d, v);
    c.static_params.iq_width = static_cast<std::uint8_t>(v);
  }
  if (ok) config.compression = c;
}

void read_windows(const std::string& file, const YAML::Node& node, Diagnostics& d,
                  AnalysisConfig& config) {
  if (node.IsScalar() && node.Scalar() == "typical") {
    config.windows = transport::TimingWindows::typical();
    return;
  }
  using transport::TimingWindow;
  transport::TimingWindows w;
  const std::vector<std::pair<std::string, TimingWindow*>> all = {{"t1a_cp_dl", &w.t1a_cp_dl},
                                                                  {"t1a_cp_ul", &w.t1a_cp_ul},
                                                                  {"t1a_up", &w.t1a_up},
                                                                  {"t2a_cp_dl", &w.t2a_cp_dl},
                                                                  {"t2a_cp_ul", &w.t2a_cp_ul},
                                                                  {"t2a_up", &w.t2a_up},
                                                                  {"ta3", &w.ta3},
                                                                  {"ta4", &w.ta4}};
  std::vector<std::string> keys;
  for (const auto& [key, window] : all) keys.push_back(key);
  MappingReader m(file, node, "timing.windows (or the word 'typical')", keys, d);
  if (!m.ok()) return;
  bool ok = true;
  for (const auto& [key, window] : all) {
    const YAML::Node entry = m.get(key, true);
    if (!entry.IsDefined()) {
      ok = false;
      continue;
    }
    MappingReader bounds(file, entry, "timing.windows." + key, {"min", "max"}, d);
    if (!bounds.ok()) {
      ok = false;
      continue;
    }
    const bool before = key[1] == '1' || key[1] == '2';  // T1a, T2a lead the symbol
    window->anchor =
        before ? transport::WindowAnchor::kBeforeSymbol : transport::WindowAnchor::kAfterSymbol;
    ok &= read_duration_ns(file, bounds.get("min", true), key + ".min", d, window->min);
    ok &= read_duration_ns(file, bounds.get("max", true), key + ".max", d, window->max);
  }
  if (!ok) return;
  if (auto checked = w.check(); !checked) {
    d.add(where(file, node), "timing.windows: " + checked.error().to_string());
    return;
  }
  config.windows = w;
}

void read_timing(const std::string& file, const YAML::Node& node, Diagnostics& d,
                 AnalysisConfig& config) {
  std::vector<std::string> keys = {"ptp_aligned", "capture_point", "clock_offset", "windows"};
  const std::vector<std::pair<std::string, transport::TimingWindow transport::TimingWindows::*>>
      flat = {{"t1a_cp_dl", &transport::TimingWindows::t1a_cp_dl},
              {"t1a_cp_ul", &transport::TimingWindows::t1a_cp_ul},
              {"t1a_up", &transport::TimingWindows::t1a_up},
              {"t2a_cp_dl", &transport::TimingWindows::t2a_cp_dl},
              {"t2a_cp_ul", &transport::TimingWindows::t2a_cp_ul},
              {"t2a_up", &transport::TimingWindows::t2a_up},
              {"ta3", &transport::TimingWindows::ta3},
              {"ta4", &transport::TimingWindows::ta4}};
  for (const auto& [name, member] : flat) {
    keys.push_back(name + "_min_us");
    keys.push_back(name + "_max_us");
  }
  MappingReader m(file, node, "timing", keys, d);
  if (!m.ok()) return;
  // The profile's form: <window>_min_us / _max_us over the typical windows.
  auto windows = transport::TimingWindows::typical();
  bool any_flat = false;
  for (const auto& [name, member] : flat) {
    for (auto [suffix, is_min] : {std::pair{"_min_us", true}, {"_max_us", false}}) {
      const std::string key = name + suffix;
      YAML::Node v = m.get(key);
      if (!v.IsDefined()) continue;
      long long us = 0;
      if (!harness::read_int(file, v, key, d, us)) continue;
      any_flat = true;
      auto& window = windows.*member;
      (is_min ? window.min : window.max) = std::chrono::microseconds(us);
    }
  }
  if (any_flat) {
    if (m.get("windows").IsDefined()) {
      d.add(m.key_where("windows"),
            "timing: give either 'windows' or the <window>_min_us / _max_us keys, not both");
    } else if (auto checked = windows.check(); !checked) {
      d.add(where(file, node), "timing: " + checked.error().to_string());
    } else {
      config.windows = windows;
    }
  }
  if (YAML::Node v = m.get("ptp_aligned"); v.IsDefined()) {
    read_bool(file, v, "ptp_aligned", d, config.ptp_aligned);
  }
  if (YAML::Node v = m.get("capture_point"); v.IsDefined()) {
    read_choice<CapturePoint>(file, v, "capture_point",
                              {{"o-du", CapturePoint::kOdu}, {"o-ru", CapturePoint::kOru}}, d,
                              config.capture_point);
  }
  if (YAML::Node v = m.get("clock_offset"); v.IsDefined()) {
    read_duration_ns(file, v, "clock_offset", d, config.clock_offset);
  }
  if (YAML::Node v = m.get("windows"); v.IsDefined()) read_windows(file, v, d, config);
}

void read_side(const std::string& file, const YAML::Node& node, const std::string& name,
               Diagnostics& d, SideAddress& side) {
  MappingReader m(file, node, "sides." + name, {"mac", "ip", "udp_port"}, d);
  if (!m.ok()) return;
  if (YAML::Node v = m.get("mac"); v.IsDefined()) {
    side.mac = v.IsScalar() ? fronthaul::parse_mac(v.Scalar()) : std::nullopt;
    if (!side.mac) {
      d.add(where(file, v), "key 'mac': expected a MAC address like 02:00:00:00:00:01, got " +
                                harness::describe_node(v));
    }
  }
  if (YAML::Node v = m.get("ip"); v.IsDefined()) {
    side.ip = v.IsScalar() ? fronthaul::parse_ip(v.Scalar()) : std::nullopt;
    if (!side.ip) {
      d.add(where(file, v),
            "key 'ip': expected an IPv4 or IPv6 address, got " + harness::describe_node(v));
    }
  }
  if (YAML::Node v = m.get("udp_port"); v.IsDefined()) {
    long long port = 0;
    if (!side.ip) {
      d.add(where(file, v), "key 'udp_port': goes with 'ip' (the side's address)");
    } else if (read_ranged(file, v, "udp_port", 1, 65535, d, port)) {
      side.udp_port = static_cast<std::uint16_t>(port);
    }
  }
}

}  // namespace

Result<void> apply_profile_parameters(const harness::Parameters& p, AnalysisConfig& config) {
  try {
    if (!config.numerology && p.has("numerology")) {
      auto n = transport::numerology_from_mu(static_cast<int>(p.get_int("numerology")));
      if (!n) return Error{n.error().message, p.values().at("numerology").where};
      config.numerology = *n;
    }
    if (!config.carrier_prbs) {
      if (p.has("carrier_prbs")) {
        const auto prbs = p.get_int("carrier_prbs");
        if (prbs < 1 || prbs > 275) {
          return Error{"parameter 'carrier_prbs': expected 1..275, got " + std::to_string(prbs),
                       p.values().at("carrier_prbs").where};
        }
        config.carrier_prbs = static_cast<std::uint16_t>(prbs);
      } else if (p.has("bandwidth_mhz") && config.numerology) {
        const auto mhz = p.get_int("bandwidth_mhz");
        config.carrier_prbs = transport::nr_carrier_prbs(static_cast<int>(mhz), *config.numerology);
        if (!config.carrier_prbs) {
          return Error{"parameter 'bandwidth_mhz': " + std::to_string(mhz) +
                           " MHz is no NR channel bandwidth at this numerology",
                       p.values().at("bandwidth_mhz").where};
        }
      }
    }
    if (!config.eaxc_split && (p.has("eaxc.du_port_bits") || p.has("eaxc.ru_port_bits"))) {
      // The live cases' defaults for the bits a profile leaves out.
      fronthaul::EaxcSplit split{2, 6, 4, 4};
      split.du_port_bits = static_cast<std::uint8_t>(p.get_int("eaxc.du_port_bits", 2));
      split.band_sector_bits = static_cast<std::uint8_t>(p.get_int("eaxc.band_sector_bits", 6));
      split.cc_bits = static_cast<std::uint8_t>(p.get_int("eaxc.cc_id_bits", 4));
      split.ru_port_bits = static_cast<std::uint8_t>(p.get_int("eaxc.ru_port_bits", 4));
      if (split.du_port_bits + split.band_sector_bits + split.cc_bits + split.ru_port_bits != 16) {
        return Error{"parameters 'eaxc.*': the four bit counts must add up to 16",
                     p.values().begin()->second.where};
      }
      config.eaxc_split = split;
    }
    if (!config.compression && p.has("compression.method")) {
      auto method = harness::tester::parse_method(p.get_string("compression.method"));
      if (!method) {
        return Error{"parameter 'compression.method': " + method.error().message,
                     p.values().at("compression.method").where};
      }
      fronthaul::UplaneCompression c;
      c.static_params.method = *method;
      c.static_params.iq_width = static_cast<std::uint8_t>(p.get_int("compression.width", 16));
      c.dynamic = p.get_string("compression.header", "static") == "dynamic";
      config.compression = c;
    }
    if (!config.max_sections_per_uplane && p.has("uplane.max_sections_per_message")) {
      config.max_sections_per_uplane =
          static_cast<unsigned>(p.get_int("uplane.max_sections_per_message"));
    }
    if (!config.windows) {
      const std::vector<std::pair<const char*, transport::TimingWindow transport::TimingWindows::*>>
          names = {{"t1a_cp_dl", &transport::TimingWindows::t1a_cp_dl},
                   {"t1a_cp_ul", &transport::TimingWindows::t1a_cp_ul},
                   {"t1a_up", &transport::TimingWindows::t1a_up},
                   {"t2a_cp_dl", &transport::TimingWindows::t2a_cp_dl},
                   {"t2a_cp_ul", &transport::TimingWindows::t2a_cp_ul},
                   {"t2a_up", &transport::TimingWindows::t2a_up},
                   {"ta3", &transport::TimingWindows::ta3},
                   {"ta4", &transport::TimingWindows::ta4}};
      auto windows = transport::TimingWindows::typical();
      bool any = false;
      for (const auto& [name, member] : names) {
        auto& window = windows.*member;
        for (auto [suffix, bound] : {std::pair{"_min_us", &window.min}, {"_max_us", &window.max}}) {
          const std::string key = std::string("timing.") + name + suffix;
          if (!p.has(key)) continue;
          any = true;
          *bound = std::chrono::microseconds(p.get_int(key));
        }
      }
      if (any) config.windows = windows;
    }
  } catch (const harness::ParameterError& e) {
    return Error{e.what(), ""};
  }
  return {};
}

Result<AnalysisConfig> load_analysis_config(const std::string& path) {
  Diagnostics d;
  YAML::Node root;
  if (!harness::parse_yaml_file(path, root, d)) return Error{d.to_string(), ""};
  return analysis_config_from_yaml(path, root);
}

namespace {

Result<AnalysisConfig> read_analysis_config(const std::string& path, const YAML::Node& root) {
  Diagnostics d;
  AnalysisConfig config;
  config.source = path;
  MappingReader top(path, root, "the analysis config",
                    {"eaxc", "compression", "numerology", "scs_khz", "bandwidth_mhz",
                     "carrier_prbs", "time_dilation", "timing", "udp_ports", "sides", "uplane",
                     "response_window", "subcarrier_spacing_khz", "carrier"},
                    d);
  if (!top.ok()) return Error{d.to_string(), ""};
  refuse_renamed(path, top,
                 {{"subcarrier_spacing_khz", "scs_khz"},
                  {"carrier", "carrier_prbs (or bandwidth_mhz)"}},
                 d);
  if (YAML::Node v = top.get("eaxc"); v.IsDefined()) read_eaxc(path, v, d, config);
  if (YAML::Node v = top.get("compression"); v.IsDefined()) read_compression(path, v, d, config);
  if (YAML::Node v = top.get("numerology"); v.IsDefined()) {
    long long mu = 0;
    if (read_ranged(path, v, "numerology", 0, 3, d, mu)) {
      config.numerology = transport::numerology_from_mu(static_cast<int>(mu)).value();
    }
  }
  if (YAML::Node v = top.get("scs_khz"); v.IsDefined()) {
    long long scs = 0;
    if (harness::read_int(path, v, "scs_khz", d, scs)) {
      auto n = transport::numerology_from_scs_khz(static_cast<int>(scs));
      if (n) {
        config.numerology = *n;
      } else {
        d.add(where(path, v), "key 'scs_khz': expected 15, 30, 60 or 120, got " + v.Scalar());
      }
    }
  }
  if (YAML::Node p = top.get("carrier_prbs"); p.IsDefined()) {
    long long prbs = 0;
    if (read_ranged(path, p, "carrier_prbs", 1, 275, d, prbs)) {
      config.carrier_prbs = static_cast<std::uint16_t>(prbs);
    }
  } else if (YAML::Node b = top.get("bandwidth_mhz"); b.IsDefined()) {
    long long mhz = 0;
    if (harness::read_int(path, b, "bandwidth_mhz", d, mhz)) {
      if (!config.numerology) {
        d.add(where(path, b),
              "key 'bandwidth_mhz': needs numerology (or scs_khz) to give the PRB count; or "
              "set carrier_prbs");
      } else if (auto prbs =
                     transport::nr_carrier_prbs(static_cast<int>(mhz), *config.numerology)) {
        config.carrier_prbs = *prbs;
      } else {
        d.add(where(path, b),
              "key 'bandwidth_mhz': " + std::to_string(mhz) +
                  " MHz is not an NR channel bandwidth at " +
                  std::to_string(transport::subcarrier_spacing_khz(*config.numerology)) +
                  " kHz; set carrier_prbs");
      }
    }
  }
  if (YAML::Node v = top.get("time_dilation"); v.IsDefined()) {
    double dilation = 0;
    if (v.IsScalar() && YAML::convert<double>::decode(v, dilation) && dilation >= 1 &&
        dilation <= 10000) {
      config.time_dilation = dilation;
    } else {
      d.add(where(path, v), "key 'time_dilation': expected a number 1..10000 (how many times "
                            "the slot clock was stretched), got " + harness::describe_node(v));
    }
  }
  if (YAML::Node v = top.get("timing"); v.IsDefined()) read_timing(path, v, d, config);
  if (YAML::Node v = top.get("udp_ports"); v.IsDefined()) {
    if (v.IsScalar() && v.Scalar() == "auto") {
      config.detect_udp = true;
    } else if (!v.IsSequence()) {
      d.add(where(path, v), "key 'udp_ports': expected a list of port numbers or 'auto', got " +
                                harness::describe_node(v));
    } else {
      config.detect_udp = false;
      for (const auto& port : v) {
        long long p = 0;
        if (read_ranged(path, port, "udp_ports", 1, 65535, d, p)) {
          config.udp_ports.push_back(static_cast<std::uint16_t>(p));
        }
      }
    }
  }
  if (YAML::Node v = top.get("sides"); v.IsDefined()) {
    MappingReader m(path, v, "sides", {"o_du", "o_ru"}, d);
    if (YAML::Node s = m.get("o_du"); s.IsDefined()) read_side(path, s, "o_du", d, config.odu);
    if (YAML::Node s = m.get("o_ru"); s.IsDefined()) read_side(path, s, "o_ru", d, config.oru);
  }
  if (YAML::Node v = top.get("uplane"); v.IsDefined()) {
    MappingReader m(path, v, "uplane", {"max_sections_per_message"}, d);
    if (YAML::Node s = m.get("max_sections_per_message"); s.IsDefined()) {
      long long n = 0;
      if (read_ranged(path, s, "max_sections_per_message", 1, 4095, d, n)) {
        config.max_sections_per_uplane = static_cast<unsigned>(n);
      }
    }
  }
  if (YAML::Node v = top.get("response_window"); v.IsDefined()) {
    read_duration_ns(path, v, "response_window", d, config.response_window);
  }
  if (!d.ok()) return Error{d.to_string(), ""};
  return config;
}

}  // namespace

Result<AnalysisConfig> analysis_config_from_yaml(const std::string& path, const YAML::Node& root) {
  try {
    return read_analysis_config(path, root);
  } catch (const YAML::Exception& e) {
    // A reader above asked a node for something it is not: still a located error.
    const std::string at = e.mark.is_null() ? where(path, root)
                                            : path + ":" + std::to_string(e.mark.line + 1) + ":" +
                                                  std::to_string(e.mark.column + 1);
    return Error{"error: " + harness::escape_terminal(at + ": unexpected YAML structure: " + e.msg) +
                     "\n",
                 ""};
  }
}

}  // namespace plugfest::analyze
