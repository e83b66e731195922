// report.html: one self-contained file (inline style, nothing fetched) with the run's
// warnings, both matrices, every item as a drill-down the matrix cells link to, and the
// manifest.

#include <map>
#include <sstream>

#include "harness/results/reports/matrix.h"
#include "harness/results/reports/reports.h"

namespace plugfest::harness {

using reports::conformance_matrix;
using reports::format_number;
using reports::interop_matrix;
using reports::interop_text;
using reports::InteropCell;
using reports::short_verdict;

namespace {

// CSS classes of the matrix cells: a pair with some but not all of its cases passed is
// "partial", apart from none passed ("fail" / "error") and all passed ("pass").
std::string interop_class(const InteropCell& c) {
  if (c.applicable == 0) return c.not_run > 0 ? "notrun" : "na";
  if (c.passed > 0 && c.passed < c.applicable) return "partial";
  if (c.failed > 0) return "fail";
  if (c.errors > 0) return "error";
  return c.not_run > 0 ? "partial" : "pass";
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
    case Verdict::kNotRun:
      return "notrun";
    default:
      return "error";
  }
}

// A relative path as an href: characters outside a safe set percent-encoded, then escaped.
std::string href(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : path) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '/' || c == '.' || c == '_' || c == '-' || c == '+' || c == '@';
    if (safe) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return "./" + escape_html(out);
}

}  // namespace

std::string render_html(const Manifest& manifest, const std::vector<ItemResult>& journal_results,
                        const std::map<std::string, std::string>& adapter_logs) {
  std::ostringstream out;
  const std::vector<ItemResult> results = with_not_run(manifest, journal_results);
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
         "color:#777}td.notrun{background:#fff;color:#555;border-style:dashed}"
         "td.partial{background:#f2c6a0}"
      << "section.item{margin:0.4em 0;border:1px solid #ddd;padding:0.3em 0.6em}"
      << "section.item:target{border:2px solid #333}section.item h4{margin:0.2em 0}"
      << "div.unfinished{border:2px solid #b00;background:#fdd;padding:0.5em;font-weight:bold}"
      << "details{margin:0.3em 0}code{font-size:90%}"
      << "</style></head><body>\n";
  out << "<h1>plugfest results</h1>\n<p>Run <code>" << escape_html(manifest.run_id)
      << "</code>, plugfest " << escape_html(manifest.harness_version) << ", "
      << escape_html(reports::counts_text(c)) << ".</p>\n";
  if (const std::string note = reports::unfinished_note(c); !note.empty()) {
    out << "<div class=\"unfinished\" id=\"unfinished\">" << escape_html(note) << "</div>\n";
  }
  out << "<table id=\"legend\"><caption>Legend</caption><tr>";
  for (const auto& entry : reports::legend()) {
    const std::string symbol = entry.symbol;
    const std::string cls = symbol == "PASS"      ? "pass"
                            : symbol == "PASS*"   ? "warn"
                            : symbol == "FAIL"    ? "fail"
                            : symbol == "INCONC"  ? "inconc"
                            : symbol == "ERROR"   ? "error"
                            : symbol == "n/a"     ? "na"
                            : symbol == "-"       ? "none"
                            : symbol == "not run" ? "notrun"
                                                  : "key";
    out << "<td class=\"" << cls << "\"><b>" << escape_html(symbol) << "</b> "
        << escape_html(entry.meaning) << "</td>";
  }
  out << "</tr></table>\n";
  if (!manifest.warnings.empty()) {
    out << "<h2>Warnings</h2>\n<ul id=\"warnings\">";
    for (const auto& w : manifest.warnings) {
      out << "<li class=\"warning\">" << (w.dut.empty() ? "" : escape_html(w.dut) + ": ")
          << escape_html(w.message) << "</li>";
    }
    out << "</ul>\n";
  }

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
    out << "<p>Each cell: cases passed / applicable cases for the pair; orange when some but "
           "not all passed.</p>\n"
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
    // A section, not a collapsed element: a matrix link shows the item's details with no
    // script and nothing to click open.
    out << "<section class=\"item\" id=\"item-" << i << "\"><h4><span class=\"" << verdict_class(&r)
        << "\">" << escape_html(std::string(to_string(r.verdict))) << "</span> "
        << escape_html(r.item_id) << "</h4>\n<p>" << escape_html(r.title) << " ("
        << escape_html(r.clause) << "), " << to_string(r.status) << ", "
        << format_number(r.duration_s) << " s";
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
      // Open unless the item passed: what went wrong reads without a click.
      out << "<details" << (r.verdict == Verdict::kPass ? "" : " open") << "><summary>log ("
          << r.log.size() << " lines)</summary><pre>";
      for (const auto& line : r.log) out << escape_html(line) << "\n";
      out << "</pre></details>\n";
    }
    out << "</section>\n";
  }

  out << "<h2>Manifest</h2>\n<table id=\"manifest\"><tr><th>harness</th><td>"
      << escape_html(manifest.harness_version) << "</td></tr><tr><th>run</th><td>"
      << escape_html(manifest.run_id) << "</td></tr><tr><th>created</th><td>"
      << escape_html(manifest.created) << "</td></tr><tr><th>host</th><td>"
      << escape_html(manifest.host) << "</td></tr><tr><th>seed</th><td>" << manifest.seed
      << "</td></tr></table>\n";
  out << "<table id=\"duts\"><tr><th>DUT</th><th>role</th><th>vendor</th><th>model</th>"
         "<th>serial</th><th>software</th><th>status</th><th>adapter log</th></tr>";
  for (const auto& d : manifest.duts) {
    out << "<tr><td>" << escape_html(d.name) << "</td><td>"
        << adapter::to_string(d.description.role) << "</td><td>"
        << escape_html(d.description.vendor) << "</td><td>" << escape_html(d.description.model)
        << "</td><td>" << escape_html(d.description.serial) << "</td><td>"
        << escape_html(d.description.software_version) << "</td><td>"
        << escape_html(d.error.empty() ? "reached" : d.error) << "</td><td>";
    if (const auto log = adapter_logs.find(d.name); log != adapter_logs.end()) {
      out << "<a href=\"" << href(log->second) << "\">stderr</a>";
    }
    out << "</td></tr>";
  }
  out << "</table>\n<table id=\"inputs\"><tr><th>input</th><th>SHA-256</th></tr>";
  for (const auto& i : manifest.inputs) {
    out << "<tr><td>" << escape_html(i.path) << "</td><td><code>" << escape_html(i.sha256)
        << "</code></td></tr>";
  }
  out << "</table>\n</body></html>\n";
  return out.str();
}

}  // namespace plugfest::harness
