#pragma once
// Analyzer: judges the offline cases (offline_cases.h) from captured fronthaul frames fed
// in capture order. It splits traffic into flows per plane, direction and eAxC, tells the
// O-DU from the O-RU (C-plane senders, or the config's addresses), runs the codec's
// StreamValidator, follows UL and PRACH requests to their U-plane answers and, on a
// PTP-aligned capture, places every message on the slot timeline.
//
// Memory is bounded: pending requests live for the configured response window, findings
// are kept in full for the first few per rule and counted beyond, and frames are buffered
// only while the U-plane compression is being inferred (a bounded prefix).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "harness/analyze/analysis_config.h"
#include "harness/analyze/capture_file.h"
#include "harness/analyze/offline_cases.h"
#include "interfaces/fronthaul/framing.h"
#include "interfaces/fronthaul/pcap.h"
#include "interfaces/fronthaul/stream_validator.h"

namespace plugfest::analyze {

enum class Judgement : std::uint8_t { kPass, kInconclusive, kFail };

// A finding located in the capture: file, Wireshark frame number, byte offset in the frame.
struct LocatedFinding {
  std::string_view rule_id;
  std::string_view clause;
  fronthaul::Severity severity = fronthaul::Severity::kError;
  std::string message;
  std::string file;
  std::size_t frame_number = 0;
  std::size_t byte_offset = 0;

  std::string where() const;
};

struct CaseMeasurement {
  std::string name;
  double value = 0;
  std::string unit;
};

// The judgement of one offline case for one side.
struct CaseOutcome {
  CaseId case_id = CaseId::kEcpri;
  adapter::Role side = adapter::Role::kOdu;
  Judgement judgement = Judgement::kInconclusive;
  std::string reason;
  std::vector<LocatedFinding> findings;         // the first few of each rule
  std::map<std::string, std::uint64_t> counts;  // every finding, by rule
  std::vector<CaseMeasurement> measurements;
  bool has_warnings() const;
  std::uint64_t count(std::string_view rule) const;
};

// One flow: plane, dataDirection and eAxC, with what was seen of it.
struct FlowSummary {
  bool uplane = false;
  fronthaul::DataDirection direction = fronthaul::DataDirection::kDownlink;
  std::uint16_t eaxc = 0;
  std::string eaxc_text;  // DU port / band sector / CC / RU port with the split in use
  std::string sender;
  std::uint64_t messages = 0;
  std::uint64_t bytes = 0;
  std::string first_frame;
};

struct AnalysisReport {
  std::vector<CaseOutcome> cases;  // offline_cases() order; two items for per-side cases
  std::vector<FlowSummary> flows;
  std::string odu;  // the O-DU's address and how it was identified
  std::string oru;
  std::uint64_t frames = 0;
  std::uint64_t ecpri_frames = 0;
  std::uint64_t skipped_frames = 0;  // frames that are not eCPRI (other protocols, garbage)
  std::uint64_t bytes = 0;
  std::vector<std::string> notes;  // what the reader or analyser had to say, for people

  const CaseOutcome* find(CaseId id, adapter::Role side) const;
};

class Analyzer {
 public:
  explicit Analyzer(AnalysisConfig config);
  ~Analyzer();

  // One frame of `file` (frame numbers are per file, as Wireshark shows them).
  void feed(const FrameView& frame, const std::string& file, int link_type);
  // A note for the report (a damaged capture, an unreadable file).
  void note(std::string text);
  AnalysisReport finish();

  const AnalysisConfig& config() const { return config_; }

 private:
  struct State;
  // Ends inference of the U-plane parameters: builds the validator, replays the frames.
  void end_inference();
  AnalysisConfig config_;
  std::unique_ptr<State> state_;
};

// Analyses whole capture files in order of their timestamps (merging several files).
// Damaged files contribute the frames before the damage and a note. Fails only when no
// file can be opened at all.
struct AnalysisProgress {
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_total = 0;
  std::uint64_t frames = 0;
};
using ProgressCallback = std::function<void(const AnalysisProgress&)>;
Result<AnalysisReport> analyze_captures(const std::vector<std::string>& paths,
                                        AnalysisConfig config, ProgressCallback progress = {});

}  // namespace plugfest::analyze
