#pragma once
// Internal to harness/analyze: what the stages of Analyzer share. Analyzer::State is what
// one analysis carries from frame to frame; detail holds the types and helpers more than
// one stage uses. The stages: reading the captures (analyzer.cpp), telling endpoints,
// flows and slots apart (analyzer_flows.cpp), inferring the U-plane compression and carrier
// (analyzer_inference.cpp), judging each frame (analyzer_feed.cpp), and turning findings
// into verdicts and the report (analyzer_verdicts.cpp).

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "harness/analyze/analyzer.h"
#include "harness/analyze/inference/capture_inference.h"
#include "harness/analyze/inference/uplane_inference.h"

namespace plugfest::analyze {
namespace detail {

using adapter::Role;
using fronthaul::CplaneMessage;
using fronthaul::DataDirection;
using fronthaul::Message;
using fronthaul::SectionType;
using fronthaul::UplaneMessage;

// Findings kept in full per rule and per case item; the rest are counted.
constexpr std::size_t kKeptPerRule = 20;
// Pending requests kept at most, whatever the response window (bounds memory).
constexpr std::size_t kMaxPending = 1 << 16;
constexpr std::size_t kCaseCount = static_cast<std::size_t>(CaseId::kCount);

std::size_t side_index(Role side);

// An endpoint: a MAC (Ethernet) or an IP address (UDP), tagged. When both ends of a
// datagram share an IP address (both sides on one host, as on loopback) the UDP port
// tells them apart and joins the key.
struct Endpoint {
  std::array<std::uint8_t, 20> key{};
  std::string label;
  friend bool operator==(const Endpoint& a, const Endpoint& b) { return a.key == b.key; }
};

// The sending (source) or receiving end of an eCPRI frame, and its name in the report.
Endpoint endpoint_of(const fronthaul::EcpriLocation& location, bool source);
std::string endpoint_label(const fronthaul::EcpriLocation& location, bool source);
// Whether the frame's sender is the side the config names.
bool matches(const SideAddress& side, const fronthaul::EcpriLocation& location);

std::string direction_name(DataDirection d);
std::string eaxc_text(std::uint16_t wire, const fronthaul::EaxcSplit& split);
// One key per eAxC and slot: where a UL or PRACH request waits for its U-plane answer.
std::uint64_t slot_key(std::uint16_t eaxc, const fronthaul::RadioApplicationHeader& h);
std::string slot_text(const fronthaul::RadioApplicationHeader& h);
std::string micros(std::chrono::nanoseconds d);
// Slots in time order within frameId's period; whether slot `a` is `b` or earlier.
std::uint32_t slot_ordinal(const fronthaul::RadioApplicationHeader& h);
bool slot_at_or_before(std::uint32_t a, std::uint32_t b);

// Where a packet fed to the validator sits in the captures, for findings reported later
// than their packet (a sequence gap found once its reorder window passed).
struct PacketPlace {
  std::uint32_t file = 0;  // index into State::files
  std::size_t frame_number = 0;
  std::size_t base = 0;  // offset of the eCPRI header in the frame
};
constexpr std::size_t kPacketPlaces = 1 << 16;

// Consecutive frames of one file cut by the capture's snap length.
struct CutRange {
  std::string file;
  std::size_t first = 0, last = 0;
  std::size_t captured_min = 0, length_max = 0;
};
constexpr std::size_t kCutRangesKept = 8;

// A C-plane request that U-plane must answer (UL section type 1, or section type 3).
struct PendingRequest {
  std::uint64_t key = 0;
  bool prach = false;
  std::uint8_t filter_index = 0;
  std::uint16_t section_id = 0;
  std::uint16_t wanted = 0;  // bit per symbol still unanswered
  std::uint16_t requested = 0;
  std::chrono::nanoseconds timestamp{0};
  std::string file;
  std::size_t frame_number = 0;
  std::string slot;
  std::uint16_t eaxc = 0;
};

struct TimingStats {
  std::uint64_t early = 0, on_time = 0, late = 0;
  std::chrono::nanoseconds min{std::chrono::nanoseconds::max()};
  std::chrono::nanoseconds max{std::chrono::nanoseconds::min()};
};

struct Bucket {
  std::vector<LocatedFinding> kept;
  std::map<std::string, std::uint64_t, std::less<>> counts;
  bool errors = false;
  std::uint64_t judged = 0;  // messages this case looked at for this side
};

// A frame copied while compression is being inferred.
struct BufferedFrame {
  std::vector<std::uint8_t> bytes;
  std::chrono::nanoseconds timestamp;
  std::size_t original_length;
  std::size_t frame_number;
  std::string file;
  int link_type;
};

}  // namespace detail

struct Analyzer::State {
  explicit State(const AnalysisConfig& c) : config(c) {}

  const AnalysisConfig& config;
  fronthaul::DecoderConfig decoder;
  std::unique_ptr<fronthaul::StreamValidator> validator;
  std::optional<std::string> compression_note;
  std::optional<std::string> carrier_note;  // carrier PRBs inferred from the traffic
  bool carrier_known = false;
  std::optional<CaptureInference> inference;  // while what the config lacks is inferred
  std::optional<transport::Numerology> numerology;  // configured or inferred
  std::set<std::uint16_t> inferred_udp_ports;
  // Streams (direction << 16 | eAxC) no layout fits, and whether their finding was made.
  std::map<std::uint32_t, InferredLayout> undecodable;
  std::set<std::uint32_t> undecodable_reported;

  std::vector<detail::BufferedFrame> inference_buffer;
  bool inferring = false;

  std::array<std::array<detail::Bucket, 2>, detail::kCaseCount> buckets;

  std::vector<detail::Endpoint> endpoints;
  std::optional<detail::Endpoint> odu;  // learned from the first C-plane sender
  std::string odu_how;
  std::optional<detail::Endpoint> oru;

  std::unordered_map<std::uint32_t, FlowSummary> flows;
  std::unordered_map<std::uint32_t, bool> addressed;    // direction|eaxc with C-plane seen
  std::array<bool, 2> cplane_seen_in{};                 // by direction
  std::map<std::uint32_t, LocatedFinding> unaddressed;  // first U-plane of an unaddressed flow
  std::map<std::uint32_t, std::uint64_t> unaddressed_count;
  std::map<std::uint32_t, adapter::Role> unaddressed_side;

  std::unordered_map<std::uint64_t, std::vector<detail::PendingRequest>> pending;
  std::deque<std::pair<std::uint64_t, std::chrono::nanoseconds>> pending_order;
  std::uint64_t ul_requests = 0, prach_requests = 0, cut_off = 0;

  std::optional<transport::SlotClock> clock;
  std::optional<transport::TimingWindows> windows;  // the config's, dilated like the clock
  std::array<detail::TimingStats, 2> timing;  // by side

  std::uint64_t frames = 0, ecpri_frames = 0, skipped = 0, bytes = 0;
  std::chrono::nanoseconds last_timestamp{0};
  std::vector<std::string> notes;
  std::map<std::string, std::uint64_t> skip_reasons;
  std::set<std::uint16_t> detected_udp_ports;  // eCPRI recognised on unnamed UDP ports
  std::array<std::uint64_t, 2> messages_by_side{};
  std::array<std::uint64_t, 2> uplane_by_side{};
  std::uint64_t cplane_messages = 0;
  std::uint64_t cplane_by_ru = 0;

  // Capture edges: U-plane of slots whose C-plane came before the first frame.
  std::uint64_t before_start = 0;
  std::string before_start_first, before_start_last;  // "file frame N"
  std::unordered_map<std::uint16_t, std::uint32_t> first_prach_slot;  // by eAxC
  // Frames cut by the snap length.
  std::vector<detail::CutRange> cut_ranges;
  std::uint64_t cut_frames = 0;
  // ecpriSeqid totals by side.
  std::array<fronthaul::SequenceTotals, 2> sequence_by_side{};
  std::vector<std::string> files;
  std::uint32_t current_file = 0;
  std::vector<detail::PacketPlace> places = std::vector<detail::PacketPlace>(detail::kPacketPlaces);

  // A request whose response window passed with symbols still unanswered.
  void report_unanswered(const detail::PendingRequest& r);
  detail::Bucket& bucket(CaseId id, adapter::Role side);
  void add(CaseId id, adapter::Role side, std::string_view rule_id, std::string message,
           const std::string& file, std::size_t frame, std::size_t offset);
};

}  // namespace plugfest::analyze
