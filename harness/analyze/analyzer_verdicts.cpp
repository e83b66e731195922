// Turning findings into verdicts: how findings are kept per case and side (the first few
// in full, every one counted), and Analyzer::finish, which judges what is still pending and
// gives each offline case its judgement, reason and measurements in the report.

#include <algorithm>
#include <deque>
#include <string>
#include <tuple>
#include <vector>

#include "harness/analyze/analyzer_state.h"

namespace plugfest::analyze {

using namespace detail;

void Analyzer::State::report_unanswered(const PendingRequest& r) {
  if (r.wanted == 0) return;
  std::string missing;
  for (int sym = 0; sym < 14; ++sym) {
    if (r.wanted & (1u << sym)) missing += (missing.empty() ? "" : ",") + std::to_string(sym);
  }
  add(r.prach ? CaseId::kPrachResponse : CaseId::kUlResponse, Role::kOru,
      r.prach ? rules::kNoPrachResponse : rules::kNoUlResponse,
      std::string(r.prach ? "section type 3" : "UL section type 1") + " sectionId " +
          std::to_string(r.section_id) + " eAxC " + std::to_string(r.eaxc) + " " + r.slot +
          (r.prach ? " filterIndex " + std::to_string(r.filter_index) : "") +
          ": no U-plane on symbols " + missing,
      r.file, r.frame_number, 0);
}

Bucket& Analyzer::State::bucket(CaseId id, Role side) {
  return buckets[static_cast<std::size_t>(id)][side_index(side)];
}

void Analyzer::State::add(CaseId id, Role side, std::string_view rule_id, std::string message,
                          const std::string& file, std::size_t frame, std::size_t offset) {
  Bucket& b = bucket(id, side);
  const fronthaul::Rule* rule = find_any_rule(rule_id);
  const auto severity = rule ? rule->severity : fronthaul::Severity::kError;
  if (severity == fronthaul::Severity::kError) b.errors = true;
  auto [it, inserted] = b.counts.try_emplace(std::string(rule_id), 0);
  if (++it->second > kKeptPerRule) return;
  LocatedFinding f;
  f.rule_id = rule ? rule->id : rule_id;
  f.clause = rule ? rule->clause : std::string_view{};
  f.severity = severity;
  f.message = std::move(message);
  f.file = file;
  f.frame_number = frame;
  f.byte_offset = offset;
  b.kept.push_back(std::move(f));
}

std::string LocatedFinding::where() const {
  return file + " frame " + std::to_string(frame_number) + " byte " + std::to_string(byte_offset);
}

bool CaseOutcome::has_warnings() const {
  return std::any_of(findings.begin(), findings.end(), [](const LocatedFinding& f) {
    return f.severity == fronthaul::Severity::kWarning;
  });
}

std::uint64_t CaseOutcome::count(std::string_view rule) const {
  const auto it = counts.find(std::string(rule));
  return it == counts.end() ? 0 : it->second;
}

const CaseOutcome* AnalysisReport::find(CaseId id, adapter::Role side) const {
  for (const auto& c : cases) {
    if (c.case_id == id && c.side == side) return &c;
  }
  return nullptr;
}

AnalysisReport Analyzer::finish() {
  State& s = *state_;
  if (s.inferring) end_inference();
  if (s.validator) {
    s.validator->finish();
    s.sequence_by_side[0].unresolved = s.validator->sequence_totals().unresolved;
  }
  // Requests still pending: judged if their window has passed by the end of the capture,
  // otherwise the capture was cut before their answer could come.
  for (auto& [key, list] : s.pending) {
    for (auto& r : list) {
      if (r.wanted != 0 && s.last_timestamp - r.timestamp <= config_.response_window) {
        r.wanted = 0;
        ++s.cut_off;
      }
    }
  }
  {
    std::deque<std::pair<std::uint64_t, std::chrono::nanoseconds>> order;
    order.swap(s.pending_order);
    for (auto& [key, stamp] : order) {
      auto it = s.pending.find(key);
      if (it == s.pending.end()) continue;
      for (const PendingRequest& r : it->second) s.report_unanswered(r);
      s.pending.erase(it);
    }
  }
  // U-plane flows no C-plane ever addressed (only judged where C-plane of that
  // direction was seen at all: a capture of U-plane alone says nothing about the mapping).
  for (const auto& [address, first] : s.unaddressed) {
    if (s.addressed.contains(address)) continue;
    const std::size_t direction = address >> 16;
    if (!s.cplane_seen_in[direction]) continue;
    const Role side = s.unaddressed_side[address];
    s.add(CaseId::kEaxcMapping, side, rules::kEaxcNotRequested,
          first.message + " (" + std::to_string(s.unaddressed_count[address]) + " messages)",
          first.file, first.frame_number, first.byte_offset);
  }

  AnalysisReport report;
  report.frames = s.frames;
  report.ecpri_frames = s.ecpri_frames;
  report.skipped_frames = s.skipped;
  report.bytes = s.bytes;
  report.notes = s.notes;
  {
    // Ports the inference did not name (eCPRI found on them only later in the capture).
    std::string ports;
    for (auto p : s.detected_udp_ports) {
      if (s.inferred_udp_ports.contains(p)) continue;
      ports += (ports.empty() ? "" : ", ") + std::to_string(p);
    }
    if (!ports.empty() && s.inferred_udp_ports.empty()) {
      report.notes.push_back("eCPRI over UDP recognised by its common header on UDP ports " +
                             ports + " (name the ports in udp_ports to take only those)");
    }
  }
  for (const auto& [reason, count] : s.skip_reasons) {
    if (count > 1) {
      report.notes.push_back(std::to_string(count) + " frames skipped: " + reason);
    }
  }
  if (s.before_start > 0) {
    report.notes.push_back(
        "the capture starts mid-slot: " + std::to_string(s.before_start) +
        " U-plane messages (" + s.before_start_first +
        (s.before_start_first == s.before_start_last ? "" : " to " + s.before_start_last) +
        ") belong to slots whose C-plane came before the first captured frame; not judged");
  }
  const std::uint64_t ids_before =
      s.validator ? s.validator->boundary().sequence_ids_before_start : 0;
  if (ids_before > 0) {
    report.notes.push_back(std::to_string(ids_before) +
                           " ecpriSeqid values next above their stream's first never came: sent "
                           "before the capture began (reordered across its start); not judged");
  }
  const std::uint64_t open_at_end = s.validator ? s.validator->boundary().sections_open_at_end : 0;
  if (open_at_end > 0 && s.undecodable.empty()) {
    report.notes.push_back("the capture ends mid-slot: " + std::to_string(open_at_end) +
                           " C-plane sections of the last slots still waited for U-plane "
                           "symbols when it ended; not judged");
  }
  for (const CutRange& r : s.cut_ranges) {
    report.notes.push_back(
        r.file + " frames " + std::to_string(r.first) +
        (r.last > r.first ? ".." + std::to_string(r.last) : "") +
        ": cut by the capture's snap length (" + std::to_string(r.captured_min) + " of up to " +
        std::to_string(r.length_max) +
        " bytes kept); decoded and checked as far as they go, the missing bytes not judged");
  }
  if (s.cut_frames > 0) {
    std::uint64_t listed = 0;
    for (const CutRange& r : s.cut_ranges) listed += r.last - r.first + 1;
    if (listed < s.cut_frames) {
      report.notes.push_back(std::to_string(s.cut_frames - listed) +
                             " more frames cut by the snap length in further ranges");
    }
  }
  if (const auto unresolved = s.sequence_by_side[0].unresolved; unresolved > 0) {
    report.notes.push_back(std::to_string(unresolved) +
                           " ecpriSeqid values skipped near the end of the capture not judged: "
                           "their reorder window had not passed when it ended");
  }
  if (s.cut_off > 0) {
    report.notes.push_back(std::to_string(s.cut_off) +
                           " UL/PRACH requests near the end of the capture not judged: their "
                           "response window had not passed when the capture ended");
  }
  const bool overridden = !config_.odu.empty() || !config_.oru.empty();
  if (overridden) {
    report.odu = "as configured";
    report.oru = "as configured";
  } else {
    report.odu = s.odu ? s.odu->label + ", " + s.odu_how : "not identified (no C-plane)";
    report.oru = s.oru ? s.oru->label + ", the other side" : "not identified";
  }
  for (const auto& [key, flow] : s.flows) report.flows.push_back(flow);
  std::sort(report.flows.begin(), report.flows.end(), [](const auto& a, const auto& b) {
    return std::tie(a.uplane, a.direction, a.eaxc) < std::tie(b.uplane, b.direction, b.eaxc);
  });

  const bool sides_known = overridden || s.odu.has_value();
  for (const OfflineCase& c : offline_cases()) {
    std::vector<Role> sides;
    if (c.role) {
      sides.push_back(*c.role);
    } else {
      sides = {Role::kOdu, Role::kOru};
    }
    for (Role side : sides) {
      const Bucket& b = s.bucket(c.case_id, side);
      CaseOutcome out;
      out.case_id = c.case_id;
      out.side = side;
      out.findings = b.kept;
      for (const auto& [rule, count] : b.counts) out.counts[rule] = count;
      out.measurements.push_back({"messages judged", static_cast<double>(b.judged), "count"});
      if (c.case_id == CaseId::kSequenceIds) {
        const fronthaul::SequenceTotals& t = s.sequence_by_side[side_index(side)];
        out.measurements.push_back(
            {"ecpriSeqid missing", static_cast<double>(t.missing), "count"});
        out.measurements.push_back(
            {"ecpriSeqid reordered", static_cast<double>(t.reordered), "count"});
        out.measurements.push_back(
            {"ecpriSeqid repeated or late", static_cast<double>(t.unexpected), "count"});
      }
      const std::string who(adapter::to_string(side));
      // What the case lacks to judge, in words; empty when it can judge.
      std::string missing;
      if (s.ecpri_frames == 0) {
        missing = "no eCPRI message in the capture" +
                  std::string(!config_.detect_udp && config_.udp_ports.empty()
                                  ? " (eCPRI over UDP needs udp_ports in the config)"
                                  : "");
      } else if (b.judged == 0) {
        switch (c.case_id) {
          case CaseId::kUlResponse:
            missing = "no UL section type 1 request in the capture";
            break;
          case CaseId::kPrachResponse:
            missing = s.prach_requests == 0 ? "no section type 3 (PRACH) request in the capture"
                                            : "no PRACH U-plane in the capture";
            break;
          case CaseId::kTimingOdu:
          case CaseId::kTimingOru:
            break;  // reported below with the missing parameters
          default:
            missing = "no traffic from the " + who + " side in the capture for this case";
        }
      }
      if (c.case_id == CaseId::kUlResponse && s.ul_requests > 0) missing.clear();
      if (c.case_id == CaseId::kPrachResponse && s.prach_requests > 0) missing.clear();
      if (c.case_id == CaseId::kTimingOdu || c.case_id == CaseId::kTimingOru) {
        std::vector<std::string> lacks;
        if (!config_.ptp_aligned) {
          lacks.push_back("the capture clock is not stated PTP-aligned (timing.ptp_aligned)");
        }
        if (!s.numerology) lacks.push_back("numerology not configured nor inferred");
        if (!config_.windows) lacks.push_back("timing windows not configured (timing.windows)");
        if (!lacks.empty()) {
          missing.clear();
          for (const auto& l : lacks) missing += (missing.empty() ? "" : "; ") + l;
        } else if (b.judged == 0 && missing.empty()) {
          missing = "no message from the " + who + " side to time";
        }
        const TimingStats& t = s.timing[c.case_id == CaseId::kTimingOdu ? 0 : 1];
        if (b.judged > 0) {
          out.measurements.push_back({"offset min", t.min.count() / 1000.0, "us"});
          out.measurements.push_back({"offset max", t.max.count() / 1000.0, "us"});
          out.measurements.push_back({"early", static_cast<double>(t.early), "count"});
          out.measurements.push_back({"on time", static_cast<double>(t.on_time), "count"});
          out.measurements.push_back({"late", static_cast<double>(t.late), "count"});
        }
      }
      if (missing.empty()) {
        switch (c.case_id) {
          case CaseId::kCplaneHeaders:
          case CaseId::kUplaneHeaders:
            if (!s.carrier_known) {
              missing = s.carrier_note ? *s.carrier_note
                                       : "carrier PRBs not configured (carrier_prbs or "
                                         "bandwidth_mhz) and no U-plane section of "
                                         "numPrbu 0 to infer them from: PRB ranges not judged";
            }
            break;
          case CaseId::kCompression:
            if (!config_.compression) {
              missing = (s.compression_note ? *s.compression_note + "; " : std::string()) +
                        "static versus dynamic udCompHdr cannot be judged without the "
                        "configured compression (compression.header)";
            }
            break;
          case CaseId::kSenderRoles:
            if (!sides_known) {
              missing =
                  "O-DU not identified: no C-plane in the capture and no sides.o_du "
                  "in the config";
            }
            break;
          case CaseId::kCplaneUplane:
            if (s.cplane_messages == 0) missing = "no C-plane in the capture to couple to";
            break;
          case CaseId::kEaxcMapping: {
            const auto dir = side == Role::kOdu ? DataDirection::kDownlink : DataDirection::kUplink;
            if (!s.cplane_seen_in[static_cast<std::size_t>(dir)]) {
              missing = "no " + direction_name(dir) + " C-plane in the capture";
            }
            break;
          }
          default:
            break;
        }
      }
      if (b.errors) {
        out.judgement = Judgement::kFail;
        std::uint64_t errors = 0;
        for (const auto& [rule, count] : b.counts) {
          const auto* r = find_any_rule(rule);
          if (!r || r->severity == fronthaul::Severity::kError) errors += count;
        }
        out.reason = std::to_string(errors) + " error finding" + (errors == 1 ? "" : "s");
        if (!missing.empty()) out.reason += "; also: " + missing;
      } else if (!missing.empty()) {
        out.judgement = Judgement::kInconclusive;
        out.reason = missing;
      } else {
        out.judgement = Judgement::kPass;
        std::uint64_t warnings = 0;
        for (const auto& [rule, count] : b.counts) warnings += count;
        if (warnings > 0) {
          out.reason = std::to_string(warnings) + " warning" + (warnings == 1 ? "" : "s");
        }
      }
      report.cases.push_back(std::move(out));
    }
  }
  return report;
}

}  // namespace plugfest::analyze
