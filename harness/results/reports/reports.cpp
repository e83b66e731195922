#include "harness/results/reports/reports.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

#include "harness/results/journal.h"

namespace plugfest::harness {

using nlohmann::json;

// ---------------------------------------------------------------- ordering and counting

std::vector<ItemResult> canonical_order(const Manifest& manifest, std::vector<ItemResult> results) {
  std::map<std::string, std::size_t> profile_index, dut_index;
  std::map<std::pair<std::string, std::string>, std::size_t> case_index;
  for (std::size_t p = 0; p < manifest.profiles.size(); ++p) {
    profile_index[manifest.profiles[p].id] = p;
    for (std::size_t c = 0; c < manifest.profiles[p].cases.size(); ++c) {
      case_index[{manifest.profiles[p].id, manifest.profiles[p].cases[c]}] = c;
    }
  }
  for (std::size_t d = 0; d < manifest.duts.size(); ++d) dut_index[manifest.duts[d].name] = d;
  const auto key = [&](const ItemResult& r) {
    const auto lookup = [](const auto& map, const auto& k) {
      const auto it = map.find(k);
      return it == map.end() ? map.size() : it->second;
    };
    std::vector<std::size_t> duts;
    for (const auto& d : r.duts) duts.push_back(lookup(dut_index, d));
    return std::tuple(lookup(profile_index, r.profile_id),
                      lookup(case_index, std::pair(r.profile_id, r.case_id)), duts, r.item_id);
  };
  std::stable_sort(results.begin(), results.end(),
                   [&](const ItemResult& a, const ItemResult& b) { return key(a) < key(b); });
  return results;
}

VerdictCounts count_verdicts(const std::vector<ItemResult>& results) {
  VerdictCounts c;
  for (const auto& r : results) {
    switch (r.verdict) {
      case Verdict::kPass:
        ++c.pass;
        break;
      case Verdict::kFail:
        ++c.fail;
        break;
      case Verdict::kInconclusive:
        ++c.inconclusive;
        break;
      case Verdict::kNotApplicable:
        ++c.not_applicable;
        break;
      default:
        ++c.error;
    }
  }
  return c;
}

int exit_status(const std::vector<ItemResult>& results) {
  bool failed = false;
  bool errors = false;
  for (const auto& r : results) {
    const bool required = r.status != CaseStatus::kOptional;
    if (required && (r.verdict == Verdict::kFail || r.verdict == Verdict::kInconclusive)) {
      failed = true;
    }
    if (r.verdict == Verdict::kError || r.verdict == Verdict::kNone) errors = true;
  }
  return failed ? 1 : errors ? 3 : 0;
}

// ---------------------------------------------------------------- escaping

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string escape_xml(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;  // not allowed in XML 1.0
    out += c;
  }
  return escape_html(out);
}

std::string escape_markdown(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '\n':
      case '\r':
        out += ' ';
        break;
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '|':
      case '#':
      case '!':
        out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

// ---------------------------------------------------------------- matrices

namespace {

struct ConformanceRow {
  std::string profile;
  std::string case_id;
  std::string title;
  CaseStatus status = CaseStatus::kMandatory;
  std::vector<const ItemResult*> cells;  // per column, nullptr when not planned
};

struct ConformanceMatrix {
  std::vector<std::string> duts;
  std::vector<ConformanceRow> rows;
};

struct InteropCell {
  std::size_t passed = 0, applicable = 0, failed = 0, errors = 0;
};

struct InteropMatrix {
  std::vector<std::string> odus, orus;
  std::vector<std::vector<InteropCell>> cells;  // [odu][oru]
};

ConformanceMatrix conformance_matrix(const Manifest& manifest,
                                     const std::vector<ItemResult>& results) {
  ConformanceMatrix m;
  for (const auto& d : manifest.duts) {
    const bool used = std::any_of(results.begin(), results.end(), [&](const ItemResult& r) {
      return r.kind == CaseKind::kConformance && r.duts.size() == 1 && r.duts[0] == d.name;
    });
    if (used) m.duts.push_back(d.name);
  }
  std::map<std::pair<std::string, std::string>, std::size_t> row_of;
  for (const auto& r : results) {
    if (r.kind != CaseKind::kConformance || r.duts.size() != 1) continue;
    auto [it, fresh] = row_of.emplace(std::pair(r.profile_id, r.case_id), m.rows.size());
    if (fresh) {
      m.rows.push_back({r.profile_id, r.case_id, r.title, r.status,
                        std::vector<const ItemResult*>(m.duts.size(), nullptr)});
    }
    const auto col = std::find(m.duts.begin(), m.duts.end(), r.duts[0]);
    if (col != m.duts.end()) m.rows[it->second].cells[col - m.duts.begin()] = &r;
  }
  return m;
}

InteropMatrix interop_matrix(const Manifest& manifest, const std::vector<ItemResult>& results) {
  InteropMatrix m;
  for (const auto& d : manifest.duts) {
    const auto in_pairs = [&](std::size_t side) {
      return std::any_of(results.begin(), results.end(), [&](const ItemResult& r) {
        return r.kind == CaseKind::kInteroperability && r.duts.size() == 2 &&
               r.duts[side] == d.name;
      });
    };
    if (in_pairs(0)) m.odus.push_back(d.name);
    if (in_pairs(1)) m.orus.push_back(d.name);
  }
  m.cells.assign(m.odus.size(), std::vector<InteropCell>(m.orus.size()));
  for (const auto& r : results) {
    if (r.kind != CaseKind::kInteroperability || r.duts.size() != 2) continue;
    const auto du = std::find(m.odus.begin(), m.odus.end(), r.duts[0]) - m.odus.begin();
    const auto ru = std::find(m.orus.begin(), m.orus.end(), r.duts[1]) - m.orus.begin();
    if (du >= static_cast<long>(m.odus.size()) || ru >= static_cast<long>(m.orus.size())) continue;
    InteropCell& cell = m.cells[du][ru];
    if (r.verdict == Verdict::kNotApplicable) continue;
    ++cell.applicable;
    if (r.verdict == Verdict::kPass) ++cell.passed;
    if (r.verdict == Verdict::kFail || r.verdict == Verdict::kInconclusive) ++cell.failed;
    if (r.verdict == Verdict::kError || r.verdict == Verdict::kNone) ++cell.errors;
  }
  return m;
}

std::string short_verdict(const ItemResult* r) {
  if (r == nullptr) return "-";
  switch (r->verdict) {
    case Verdict::kPass:
      return r->has_warnings() ? "PASS*" : "PASS";
    case Verdict::kFail:
      return "FAIL";
    case Verdict::kInconclusive:
      return "INCONC";
    case Verdict::kNotApplicable:
      return "n/a";
    default:
      return "ERROR";
  }
}

std::string interop_text(const InteropCell& c) {
  if (c.applicable == 0) return "n/a";
  return std::to_string(c.passed) + "/" + std::to_string(c.applicable);
}

std::string interop_class(const InteropCell& c) {
  if (c.applicable == 0) return "na";
  if (c.failed > 0) return "fail";
  if (c.errors > 0) return "error";
  return "pass";
}

std::string verdict_class(const ItemResult* r) {
  if (r == nullptr) return "none";
  switch (r->verdict) {
    case Verdict::kPass:
      return r->has_warnings() ? "warn" : "pass";
    case Verdict::kFail:
      return "fail";
    case Verdict::kInconclusive:
      return "inconc";
    case Verdict::kNotApplicable:
      return "na";
    default:
      return "error";
  }
}

std::string format_number(double v) {
  char text[64];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

}  // namespace

// ---------------------------------------------------------------- terminal

std::string render_text_summary(const Manifest& manifest, const std::vector<ItemResult>& results) {
  std::ostringstream out;
  const auto conformance = conformance_matrix(manifest, results);
  if (!conformance.rows.empty()) {
    std::size_t width = 4;
    for (const auto& row : conformance.rows) width = std::max(width, row.case_id.size());
    out << "Conformance (case x DUT)\n  " << std::string(width, ' ');
    for (const auto& d : conformance.duts) out << "  " << d;
    out << "\n";
    for (const auto& row : conformance.rows) {
      out << "  " << row.case_id << std::string(width - row.case_id.size(), ' ');
      for (std::size_t i = 0; i < row.cells.size(); ++i) {
        const std::string v = short_verdict(row.cells[i]);
        out << "  " << v
            << std::string(conformance.duts[i].size() > v.size()
                               ? conformance.duts[i].size() - v.size()
                               : 0,
                           ' ');
      }
      out << "\n";
    }
  }
  const auto interop = interop_matrix(manifest, results);
  if (!interop.odus.empty()) {
    out << "Interoperability (O-DU x O-RU, passed/applicable)\n  " << std::string(12, ' ');
    for (const auto& ru : interop.orus) out << "  " << ru;
    out << "\n";
    for (std::size_t du = 0; du < interop.odus.size(); ++du) {
      std::string name = interop.odus[du];
      name.resize(std::max<std::size_t>(12, name.size()), ' ');
      out << "  " << name;
      for (std::size_t ru = 0; ru < interop.orus.size(); ++ru) {
        const std::string v = interop_text(interop.cells[du][ru]);
        out << "  " << v
            << std::string(
                   interop.orus[ru].size() > v.size() ? interop.orus[ru].size() - v.size() : 0,
                   ' ');
      }
      out << "\n";
    }
  }
  const auto c = count_verdicts(results);
  out << c.total() << " items: " << c.pass << " pass, " << c.fail << " fail, " << c.inconclusive
      << " inconclusive, " << c.error << " error, " << c.not_applicable << " not applicable\n";
  return out.str();
}

// ---------------------------------------------------------------- JUnit

std::string render_junit(const Manifest& manifest, const std::vector<ItemResult>& results) {
  std::vector<std::string> suites;
  std::map<std::string, std::vector<const ItemResult*>> by_suite;
  for (const auto& r : results) {
    const std::string label = r.dut_label();
    if (!by_suite.count(label)) suites.push_back(label);
    by_suite[label].push_back(&r);
  }
  const auto c = count_verdicts(results);
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"plugfest " << escape_xml(manifest.run_id) << "\" tests=\"" << c.total()
      << "\" failures=\"" << c.fail << "\" errors=\"" << c.error << "\" skipped=\""
      << c.not_applicable + c.inconclusive << "\">\n";
  for (const auto& suite : suites) {
    const auto& items = by_suite[suite];
    std::vector<ItemResult> copy;
    double time = 0;
    for (const auto* r : items) {
      copy.push_back(*r);
      time += r->duration_s;
    }
    const auto sc = count_verdicts(copy);
    out << "  <testsuite name=\"" << escape_xml(suite) << "\" tests=\"" << sc.total()
        << "\" failures=\"" << sc.fail << "\" errors=\"" << sc.error << "\" skipped=\""
        << sc.not_applicable + sc.inconclusive << "\" time=\"" << format_number(time) << "\">\n";
    for (const auto* r : items) {
      out << "    <testcase classname=\"" << escape_xml(r->profile_id + "." + suite) << "\" name=\""
          << escape_xml(r->case_id) << "\" time=\"" << format_number(r->duration_s) << "\">\n";
      std::string details;
      for (const auto& f : r->findings) {
        details += std::string(to_string(f.severity)) + " " + f.rule_id + " (" + f.clause + ") " +
                   f.message + (f.where.empty() ? "" : " at " + f.where) + "\n";
      }
      switch (r->verdict) {
        case Verdict::kPass:
          break;
        case Verdict::kFail:
          out << "      <failure message=\"" << escape_xml(r->reason) << "\">"
              << escape_xml(details) << "</failure>\n";
          break;
        case Verdict::kInconclusive:
          out << "      <skipped message=\"inconclusive: " << escape_xml(r->reason) << "\"/>\n";
          break;
        case Verdict::kNotApplicable:
          out << "      <skipped message=\"not applicable: " << escape_xml(r->reason) << "\"/>\n";
          break;
        default:
          out << "      <error message=\"" << escape_xml(r->reason) << "\">" << escape_xml(details)
              << "</error>\n";
      }
      if (!r->log.empty()) {
        std::string log;
        for (const auto& line : r->log) log += line + "\n";
        out << "      <system-out>" << escape_xml(log) << "</system-out>\n";
      }
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
  return out.str();
}

// ---------------------------------------------------------------- O-RAN results JSON

namespace {

std::string clip(std::string text, std::size_t max) {
  if (text.size() > max) text.resize(max);
  return text;
}

std::string nonempty(const std::string& text, const std::string& fallback) {
  return text.empty() ? fallback : text;
}

std::string uuid_from(const std::string& seed) {
  std::string h = sha256_hex(seed).substr(0, 32);
  h[12] = '4';                                                  // version 4
  h[16] = "89ab"[std::stoi(h.substr(16, 1), nullptr, 16) & 3];  // variant 10xx
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20, 12);
}

std::string oran_result(const ItemResult& r) {
  switch (r.verdict) {
    case Verdict::kPass:
      return r.has_warnings() ? "WARN" : "PASS";
    case Verdict::kFail:
      return "FAIL";
    case Verdict::kInconclusive:
      return "WARN";
    default:
      return "SKIP";  // not applicable, or not executed properly (error)
  }
}

std::string oran_status(CaseStatus s) {
  switch (s) {
    case CaseStatus::kMandatory:
      return "mandatory";
    case CaseStatus::kConditional:
      return "conditionally.mandatory";
    default:
      return "optional";
  }
}

json oran_measurement(const Measurement& m) {
  static const std::map<std::string, std::string> kUnits = {{"bps", "bps"},
                                                            {"kbps", "kbps"},
                                                            {"Mbps", "Mbps"},
                                                            {"Gbps", "Gbps"},
                                                            {"dB", "dB"},
                                                            {"dBm", "dBm"},
                                                            {"count", "count"},
                                                            {"ms", "millisecond"},
                                                            {"millisecond", "millisecond"},
                                                            {"s", "second"},
                                                            {"second", "second"},
                                                            {"%", "percentage"},
                                                            {"percentage", "percentage"},
                                                            {"bps/Hz", "bps/Hz"},
                                                            {"boolean", "boolean"}};
  const auto it = kUnits.find(m.unit);
  if (it != kUnits.end()) {
    return {{"name", clip(m.name, 255)}, {"values", json::array({m.value})}, {"units", it->second}};
  }
  return {{"name", clip(m.name, 255)},
          {"values", json::array({format_number(m.value) + " " + m.unit})},
          {"units", "text"}};
}

}  // namespace

json render_oran_results(const Manifest& manifest, const std::vector<ItemResult>& results) {
  bool conformance = false, interop = false;
  std::vector<std::string> interfaces;
  for (const auto& r : results) {
    (r.kind == CaseKind::kConformance ? conformance : interop) = true;
    if (!r.interface_under_test.empty() && std::find(interfaces.begin(), interfaces.end(),
                                                     r.interface_under_test) == interfaces.end()) {
      interfaces.push_back(r.interface_under_test);
    }
  }
  std::string dut_names;
  for (const auto& d : manifest.duts) dut_names += (dut_names.empty() ? "" : ", ") + d.name;

  const int status = exit_status(results);
  json metadata = {{"startDate", manifest.created},
                   {"dutName", clip(nonempty(dut_names, "none"), 255)},
                   {"result", status == 0   ? "PASS"
                              : status == 1 ? "FAIL"
                                            : "WARN"},
                   {"testType", conformance && interop ? "Other"
                                : interop              ? "interoperability"
                                                       : "conformance"},
                   {"testId", uuid_from(manifest.run_id)},
                   {"interfaceUnderTest", interfaces}};

  json components = json::array();
  for (const auto& d : manifest.duts) {
    const auto& desc = d.description;
    json c = {
        {"componentDescription",
         clip(std::string(desc.role == adapter::Role::kOdu ? "O-DU" : "O-RU") + " " + d.name, 255)},
        {"manufacturerName", clip(nonempty(desc.vendor, d.name), 255)},
        {"manufacturerModel", clip(nonempty(desc.model, "unknown"), 255)},
        {"softwareVersion", clip(nonempty(desc.software_version, "unknown"), 255)}};
    if (!desc.serial.empty()) c["serialNumber"] = clip(desc.serial, 255);
    components.push_back(c);
  }
  if (components.empty()) {
    components.push_back({{"componentDescription", "none"},
                          {"manufacturerName", "none"},
                          {"manufacturerModel", "none"},
                          {"softwareVersion", "none"}});
  }

  json specifications = json::array();
  for (const auto& p : manifest.profiles) {
    specifications.push_back(
        {{"name", clip(p.document, 255)},
         {"version", clip(p.version, 255)},
         {"description", clip("profile " + p.id + ": " + p.title, 512)},
         {"links",
          json::array({{{"displayName", clip(p.document, 255)},
                        {"url", nonempty(p.url, "https://www.o-ran.org/specifications")}}})}});
  }
  if (specifications.empty()) {
    specifications.push_back(
        {{"name", "none"},
         {"version", "none"},
         {"links", json::array({{{"displayName", "O-RAN specifications"},
                                 {"url", "https://www.o-ran.org/specifications"}}})}});
  }

  // One group per DUT or pair, one test case per item.
  json groups = json::array();
  std::vector<std::string> labels;
  std::map<std::string, json> items_of;
  for (const auto& r : results) {
    const std::string label = r.dut_label();
    if (!items_of.count(label)) {
      labels.push_back(label);
      items_of[label] = json::array();
    }
    json& items = items_of[label];
    json metric_measurements = json::array(
        {{{"name", "findings"}, {"values", json::array({r.findings.size()})}, {"units", "count"}}});
    json tc = {{"number", "0"},  // numbered below
               {"name", clip(r.case_id, 255)},
               {"description", clip(r.title + " (" + r.clause + ")", 1023)},
               {"result", oran_result(r)},
               {"status", oran_status(r.status)},
               {"metrics", json::array({{{"description", clip("verdict of " + r.case_id, 1023)},
                                         {"measurements", metric_measurements},
                                         {"status", oran_status(r.status)},
                                         {"result", r.verdict == Verdict::kPass   ? "PASS"
                                                    : r.verdict == Verdict::kFail ? "FAIL"
                                                                                  : "SKIP"}}})}};
    items.push_back(std::move(tc));
  }
  // Numbered group.case, groups in order of first appearance.
  for (std::size_t g = 0; g < labels.size(); ++g) {
    json items = items_of[labels[g]];
    for (std::size_t i = 0; i < items.size(); ++i) {
      items[i]["number"] = std::to_string(g + 1) + "." + std::to_string(i + 1);
    }
    groups.push_back(
        {{"number", std::to_string(g + 1)}, {"name", clip(labels[g], 255)}, {"groupItems", items}});
  }
  // Evidence and notes per case.
  std::map<std::string, std::size_t> position;
  for (const auto& r : results) {
    const std::string label = r.dut_label();
    const auto g = std::find(labels.begin(), labels.end(), label) - labels.begin();
    json& tc = groups[g]["groupItems"][position[label]++];
    if (!r.measurements.empty()) {
      json ms = json::array();
      for (const auto& m : r.measurements) ms.push_back(oran_measurement(m));
      tc["measurements"] = ms;
    }
    if (!r.artifacts.empty()) {
      json as = json::array();
      for (const auto& a : r.artifacts) {
        as.push_back({{"name", clip(a.name, 255)},
                      {"path", clip(a.path, 1023)},
                      {"description", clip(a.description, 4095)}});
      }
      tc["artifacts"] = as;
    }
    json notes = json::array();
    notes.push_back({{"title", "verdict"},
                     {"body", clip(std::string(to_string(r.verdict)) +
                                       (r.reason.empty() ? "" : ": " + r.reason),
                                   4095)}});
    for (const auto& f : r.findings) {
      notes.push_back(
          {{"title", clip(std::string(to_string(f.severity)) + " " + f.rule_id, 255)},
           {"body",
            clip(f.clause + ": " + f.message + (f.where.empty() ? "" : " at " + f.where), 4095)}});
    }
    tc["notes"] = notes;
    if (!r.started_at.empty()) tc["startDate"] = r.started_at;
  }
  if (groups.empty()) {
    groups.push_back(
        {{"number", "1"},
         {"name", "no items"},
         {"groupItems",
          json::array(
              {{{"number", "1.1"},
                {"name", "none"},
                {"description", "the run planned no items"},
                {"result", "SKIP"},
                {"status", "optional"},
                {"metrics", json::array({{{"description", "none"},
                                          {"measurements", json::array({{{"name", "items"},
                                                                         {"values", {0}},
                                                                         {"units", "count"}}})},
                                          {"status", "optional"},
                                          {"result", "SKIP"}}})}}})}});
  }

  return {{"schemaVersion", 1},
          {"testMetadata", metadata},
          {"testbedComponents", components},
          {"testLab",
           {{"name", "plugfest"},
            {"address", clip(nonempty(manifest.host, "unknown"), 512)},
            {"contacts", json::array({{{"firstName", "plugfest"},
                                       {"lastName", "operator"},
                                       {"email", "operator@invalid.example"}}})}}},
          {"testSpecifications", specifications},
          {"testResults", groups},
          {"notes", json::array({{{"title", "harness"},
                                  {"body", "plugfest " + manifest.harness_version + ", run " +
                                               manifest.run_id}}})}};
}

// ---------------------------------------------------------------- Markdown

std::string render_markdown(const Manifest& manifest, const std::vector<ItemResult>& results) {
  std::ostringstream out;
  const auto c = count_verdicts(results);
  out << "# plugfest results " << escape_markdown(manifest.run_id) << "\n\n";
  out << "plugfest " << escape_markdown(manifest.harness_version) << ", " << c.total()
      << " items: " << c.pass << " pass, " << c.fail << " fail, " << c.inconclusive
      << " inconclusive, " << c.error << " error, " << c.not_applicable << " not applicable.\n\n";
  const auto conformance = conformance_matrix(manifest, results);
  if (!conformance.rows.empty()) {
    out << "## Conformance\n\n| case | status |";
    for (const auto& d : conformance.duts) out << " " << escape_markdown(d) << " |";
    out << "\n|---|---|";
    for (std::size_t i = 0; i < conformance.duts.size(); ++i) out << "---|";
    out << "\n";
    for (const auto& row : conformance.rows) {
      out << "| " << escape_markdown(row.case_id) << " | " << to_string(row.status) << " |";
      for (const auto* cell : row.cells) out << " " << escape_markdown(short_verdict(cell)) << " |";
      out << "\n";
    }
    out << "\n";
  }
  const auto interop = interop_matrix(manifest, results);
  if (!interop.odus.empty()) {
    out << "## Interoperability (passed / applicable)\n\n| O-DU \\\\ O-RU |";
    for (const auto& ru : interop.orus) out << " " << escape_markdown(ru) << " |";
    out << "\n|---|";
    for (std::size_t i = 0; i < interop.orus.size(); ++i) out << "---|";
    out << "\n";
    for (std::size_t du = 0; du < interop.odus.size(); ++du) {
      out << "| " << escape_markdown(interop.odus[du]) << " |";
      for (std::size_t ru = 0; ru < interop.orus.size(); ++ru) {
        out << " " << interop_text(interop.cells[du][ru]) << " |";
      }
      out << "\n";
    }
    out << "\n";
  }
  bool heading = false;
  for (const auto& r : results) {
    if (r.verdict == Verdict::kPass || r.verdict == Verdict::kNotApplicable) continue;
    if (!heading) {
      out << "## Not passed\n\n";
      heading = true;
    }
    out << "- **" << escape_markdown(std::string(to_string(r.verdict))) << "** "
        << escape_markdown(r.item_id) << ": " << escape_markdown(r.reason) << "\n";
  }
  return out.str();
}

// ---------------------------------------------------------------- HTML

std::string render_html(const Manifest& manifest, const std::vector<ItemResult>& results) {
  std::ostringstream out;
  const auto c = count_verdicts(results);
  std::map<const ItemResult*, std::size_t> anchor;
  for (std::size_t i = 0; i < results.size(); ++i) anchor[&results[i]] = i;

  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'\">"
      << "<title>plugfest results " << escape_html(manifest.run_id) << "</title><style>"
      << "body{font-family:sans-serif;margin:1.5em;color:#222}"
      << "table{border-collapse:collapse;margin:0.5em 0 1.5em}"
      << "th,td{border:1px solid #bbb;padding:0.25em 0.6em;text-align:left}"
      << "td.pass{background:#b7e4b7}td.warn{background:#e4e4a0}td.fail{background:#f4a3a3}"
      << "td.inconc{background:#f7d59c}td.error{background:#d9a0e0}td.na,td.none{background:#eee;"
         "color:#777}"
      << "details{margin:0.3em 0;border:1px solid #ddd;padding:0.3em}code{font-size:90%}"
      << "</style></head><body>\n";
  out << "<h1>plugfest results</h1>\n<p>Run <code>" << escape_html(manifest.run_id)
      << "</code>, plugfest " << escape_html(manifest.harness_version) << ", " << c.total()
      << " items: " << c.pass << " pass, " << c.fail << " fail, " << c.inconclusive
      << " inconclusive, " << c.error << " error, " << c.not_applicable << " not applicable.</p>\n";

  const auto cell_link = [&](const ItemResult* r, const std::string& text) {
    if (r == nullptr) return escape_html(text);
    return "<a href=\"#item-" + std::to_string(anchor[r]) + "\">" + escape_html(text) + "</a>";
  };

  const auto conformance = conformance_matrix(manifest, results);
  out << "<h2>Conformance</h2>\n";
  if (conformance.rows.empty()) {
    out << "<p>No conformance items.</p>\n";
  } else {
    out << "<table id=\"conformance-matrix\"><thead><tr><th>profile</th><th>case</th>"
           "<th>status</th>";
    for (const auto& d : conformance.duts) out << "<th>" << escape_html(d) << "</th>";
    out << "</tr></thead><tbody>\n";
    for (const auto& row : conformance.rows) {
      out << "<tr><td>" << escape_html(row.profile) << "</td><td title=\"" << escape_html(row.title)
          << "\">" << escape_html(row.case_id) << "</td><td>" << to_string(row.status) << "</td>";
      for (const auto* cell : row.cells) {
        out << "<td class=\"" << verdict_class(cell) << "\">"
            << cell_link(cell, short_verdict(cell)) << "</td>";
      }
      out << "</tr>\n";
    }
    out << "</tbody></table>\n";
  }

  const auto interop = interop_matrix(manifest, results);
  out << "<h2>Interoperability</h2>\n";
  if (interop.odus.empty()) {
    out << "<p>No interoperability items.</p>\n";
  } else {
    out << "<p>Each cell: cases passed / applicable cases for the pair.</p>\n"
        << "<table id=\"interop-matrix\"><thead><tr><th>O-DU \\ O-RU</th>";
    for (const auto& ru : interop.orus) out << "<th>" << escape_html(ru) << "</th>";
    out << "</tr></thead><tbody>\n";
    for (std::size_t du = 0; du < interop.odus.size(); ++du) {
      out << "<tr><th>" << escape_html(interop.odus[du]) << "</th>";
      for (std::size_t ru = 0; ru < interop.orus.size(); ++ru) {
        const auto& cell = interop.cells[du][ru];
        out << "<td class=\"" << interop_class(cell) << "\"><a href=\"#pair-"
            << escape_html(interop.odus[du] + "+" + interop.orus[ru]) << "\">" << interop_text(cell)
            << "</a></td>";
      }
      out << "</tr>\n";
    }
    out << "</tbody></table>\n";
  }

  out << "<h2>Items</h2>\n";
  std::string last_label;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    if (r.kind == CaseKind::kInteroperability && r.dut_label() != last_label) {
      out << "<h3 id=\"pair-" << escape_html(r.dut_label()) << "\">" << escape_html(r.dut_label())
          << "</h3>\n";
    }
    last_label = r.dut_label();
    out << "<details id=\"item-" << i << "\"><summary><span class=\"" << verdict_class(&r) << "\">"
        << escape_html(std::string(to_string(r.verdict))) << "</span> " << escape_html(r.item_id)
        << "</summary>\n<p>" << escape_html(r.title) << " (" << escape_html(r.clause) << "), "
        << to_string(r.status) << ", " << format_number(r.duration_s) << " s";
    if (!r.reason.empty()) out << "<br>reason: " << escape_html(r.reason);
    out << "</p>\n";
    if (!r.findings.empty()) {
      out << "<table><tr><th>severity</th><th>rule</th><th>clause</th><th>message</th>"
             "<th>where</th></tr>";
      for (const auto& f : r.findings) {
        out << "<tr><td>" << to_string(f.severity) << "</td><td>" << escape_html(f.rule_id)
            << "</td><td>" << escape_html(f.clause) << "</td><td>" << escape_html(f.message)
            << "</td><td>" << escape_html(f.where) << "</td></tr>";
      }
      out << "</table>\n";
    }
    if (!r.measurements.empty()) {
      out << "<table><tr><th>measurement</th><th>value</th><th>unit</th></tr>";
      for (const auto& m : r.measurements) {
        out << "<tr><td>" << escape_html(m.name) << "</td><td>" << format_number(m.value)
            << "</td><td>" << escape_html(m.unit) << "</td></tr>";
      }
      out << "</table>\n";
    }
    if (!r.artifacts.empty()) {
      out << "<ul>";
      for (const auto& a : r.artifacts) {
        out << "<li><a href=\"./" << escape_html(a.path) << "\">" << escape_html(a.name) << "</a> "
            << escape_html(a.description) << "</li>";
      }
      out << "</ul>\n";
    }
    if (!r.log.empty()) {
      out << "<pre>";
      for (const auto& line : r.log) out << escape_html(line) << "\n";
      out << "</pre>\n";
    }
    out << "</details>\n";
  }

  out << "<h2>Manifest</h2>\n<table id=\"manifest\"><tr><th>harness</th><td>"
      << escape_html(manifest.harness_version) << "</td></tr><tr><th>run</th><td>"
      << escape_html(manifest.run_id) << "</td></tr><tr><th>created</th><td>"
      << escape_html(manifest.created) << "</td></tr><tr><th>host</th><td>"
      << escape_html(manifest.host) << "</td></tr><tr><th>seed</th><td>" << manifest.seed
      << "</td></tr></table>\n";
  out << "<table id=\"duts\"><tr><th>DUT</th><th>role</th><th>vendor</th><th>model</th>"
         "<th>serial</th><th>software</th><th>status</th></tr>";
  for (const auto& d : manifest.duts) {
    out << "<tr><td>" << escape_html(d.name) << "</td><td>"
        << adapter::to_string(d.description.role) << "</td><td>"
        << escape_html(d.description.vendor) << "</td><td>" << escape_html(d.description.model)
        << "</td><td>" << escape_html(d.description.serial) << "</td><td>"
        << escape_html(d.description.software_version) << "</td><td>"
        << escape_html(d.error.empty() ? "reached" : d.error) << "</td></tr>";
  }
  out << "</table>\n<table id=\"inputs\"><tr><th>input</th><th>SHA-256</th></tr>";
  for (const auto& i : manifest.inputs) {
    out << "<tr><td>" << escape_html(i.path) << "</td><td><code>" << escape_html(i.sha256)
        << "</code></td></tr>";
  }
  out << "</table>\n</body></html>\n";
  return out.str();
}

Result<void> write_reports(const std::filesystem::path& dir, const Manifest& manifest,
                           const std::vector<ItemResult>& results) {
  const std::pair<const char*, std::string> files[] = {
      {"junit.xml", render_junit(manifest, results)},
      {"o-ran-results.json", render_oran_results(manifest, results).dump(2) + "\n"},
      {"report.html", render_html(manifest, results)},
      {"report.md", render_markdown(manifest, results)}};
  for (const auto& [name, content] : files) {
    if (auto written = write_file_atomically(dir / name, content); !written) return written;
  }
  return {};
}

}  // namespace plugfest::harness
