// o-ran-results.json in the O-RAN ALLIANCE test-results schema: metadata, testbed
// components, specifications, one group per DUT or pair with one test case per item. The
// schema's length limits are applied by clipping.

#include <algorithm>
#include <map>

#include "harness/results/reports/matrix.h"
#include "harness/results/reports/reports.h"

namespace plugfest::harness {

using nlohmann::json;
using reports::format_number;

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

namespace {

// The lab from the run's lab file; without one, a lab that says it was not named (the
// schema requires a name, an address and a contact: `.invalid` is a reserved domain).
json test_lab(const Manifest& manifest) {
  if (!manifest.lab) {
    return {{"name", "not named (plugfest run --lab LAB.yaml names the lab)"},
            {"address", clip(nonempty(manifest.host, "unknown"), 512)},
            {"contacts", json::array({{{"firstName", "not named"},
                                       {"lastName", "not named"},
                                       {"email", "not-named@lab.invalid"}}})}};
  }
  json contacts = json::array();
  for (const auto& c : manifest.lab->contacts) {
    json contact = {{"firstName", clip(c.first_name, 255)},
                    {"lastName", clip(c.last_name, 255)},
                    {"email", clip(c.email, 255)}};
    if (!c.organization.empty()) contact["organization"] = clip(c.organization, 255);
    if (!c.phone.empty()) contact["phone"] = clip(c.phone, 255);
    contacts.push_back(std::move(contact));
  }
  return {{"name", clip(manifest.lab->name, 255)},
          {"address", clip(manifest.lab->address, 512)},
          {"contacts", contacts}};
}

}  // namespace

json render_oran_results(const Manifest& manifest, const std::vector<ItemResult>& journal_results) {
  // Planned items the run stopped before are SKIP with a "not run" note, and the notes say
  // the run is unfinished; an unfinished run is never PASS.
  const std::vector<ItemResult> results = with_not_run(manifest, journal_results);
  const std::string unfinished = reports::unfinished_note(count_verdicts(results));
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

  bool required_failed = false;
  for (const auto& r : results) {
    required_failed |= r.status != CaseStatus::kOptional &&
                       (r.verdict == Verdict::kFail || r.verdict == Verdict::kInconclusive);
  }
  const int status = required_failed ? 1 : exit_status(results);
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
               {"description",
                clip(r.title + " (" +
                         (r.conformance_test.empty() ? "" : r.conformance_test + "; ") + r.clause +
                         ")",
                     1023)},
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

  return {
      {"schemaVersion", 1},
      {"testMetadata", metadata},
      {"testbedComponents", components},
      {"testLab", test_lab(manifest)},
      {"testSpecifications", specifications},
      {"testResults", groups},
      {"notes", unfinished.empty()
                    ? json::array({{{"title", "harness"},
                                    {"body", "plugfest " + manifest.harness_version + ", run " +
                                                 manifest.run_id}}})
                    : json::array({{{"title", "unfinished run"}, {"body", clip(unfinished, 4095)}},
                                   {{"title", "harness"},
                                    {"body", "plugfest " + manifest.harness_version + ", run " +
                                                 manifest.run_id}}})}};
}

}  // namespace plugfest::harness
