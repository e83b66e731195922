#pragma once
// StreamValidator: checks fronthaul traffic across packets, fed one eCPRI message at a
// time. Per eAxC, plane and direction it follows ecpriSeqid continuity; it couples each
// U-plane section to the C-plane sections that requested it (same eAxC, direction, frame,
// subframe, slot and sectionId) and checks PRBs, symbols and compression against them.
//
// Fed from a capture (`from_capture`), the stream has edges and reordering is judged
// with a window. A capture starts and ends somewhere: U-plane of a slot whose C-plane came before the
// first message fed (the stream's first C-plane slot or earlier) is not judged but counted
// (boundary()). An ecpriSeqid that skips ahead opens a hole; IDs that arrive within the
// reorder window fill it (each a reorder warning), the rest are one gap warning per hole
// once the window has passed. A message the capture cut short (snap length) is decoded
// and checked as far as it goes, without the findings its missing tail would cause.
// A live stream, seen from its first message, reports a skipped ID as a gap at once and
// judges every slot.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <bitset>
#include <deque>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "interfaces/fronthaul/codec.h"

namespace plugfest::fronthaul {

// ecpriSeqid tallies over every stream: true counts of IDs, not of findings.
struct SequenceTotals {
  std::uint64_t missing = 0;     // IDs not seen within the reorder window (gaps)
  std::uint64_t reordered = 0;   // messages that arrived late but within the window
  std::uint64_t unexpected = 0;  // repeated IDs, or later than the window
  std::uint64_t unresolved = 0;  // IDs still within the window when the stream ended
};

// What the edges of the stream left unjudged.
struct StreamBoundary {
  // U-plane messages whose C-plane precedes the first message fed.
  std::uint64_t uplane_before_start = 0;
  // C-plane sections of each stream's last slots with requested symbols never seen.
  std::uint64_t sections_open_at_end = 0;
  // ecpriSeqid values next above a stream's first that never came: sent before the
  // capture began (reordered across its start), not judged.
  std::uint64_t sequence_ids_before_start = 0;
};

class StreamValidator {
 public:
  // Messages of one stream after which a skipped ecpriSeqid counts as missing.
  static constexpr std::uint32_t kReorderWindow = 32;

  explicit StreamValidator(DecoderConfig config, bool from_capture = false);

  // The U-plane compression and carrier of one stream (direction and wire eAxC), when it
  // differs from the config's (inferred per stream from a capture).
  // A stream no layout fits (`decodable` false) has only its headers decoded: its
  // U-plane findings and stream checks are left out, its sections empty.
  struct StreamLayout {
    UplaneCompression compression;
    std::uint16_t carrier_prbs = 273;
    bool decodable = true;
  };
  void set_stream_layout(DataDirection direction, std::uint16_t eaxc, StreamLayout layout);

  // Decodes one eCPRI message (common header onwards) and checks it against the stream so
  // far. Returns this packet's findings (decoder and stream ones), each with the packet's
  // index; they are also appended to findings().
  // `cut_by_capture`: the capture kept only the first bytes of the frame (snap length).
  // A finding reported later than its packet (a gap found once the reorder window passed)
  // keeps the index of the packet it is about.
  std::span<const Finding> feed(std::span<const std::uint8_t> ecpri,
                                std::chrono::nanoseconds timestamp, bool cut_by_capture = false);
  // Whether the message fed last was U-plane left unjudged at the start of the capture.
  bool last_before_start() const { return last_before_start_; }
  // Ends the stream: IDs still in their reorder window become `unresolved`, C-plane
  // sections of the last slots still waiting for U-plane are counted.
  void finish();
  const SequenceTotals& sequence_totals() const { return sequence_totals_; }
  const StreamBoundary& boundary() const { return boundary_; }

  // The decode of the packet fed last.
  const DecodeResult& last() const { return last_; }
  // Everything found so far, in packet order.
  const std::vector<Finding>& findings() const { return findings_; }
  // Forgets the findings kept so far (a long-running consumer that has taken them bounds
  // its memory this way); stream state is kept.
  void clear_findings() {
    findings_.clear();
    packet_findings_start_ = 0;
  }
  std::size_t packets() const { return packets_; }
  std::chrono::nanoseconds last_timestamp() const { return last_timestamp_; }
  const DecoderConfig& config() const { return config_; }

 private:
  // What one C-plane section asked for, as the U-plane must honour it.
  struct Request {
    std::uint16_t section_id;
    std::uint16_t first_prb;
    std::uint16_t last_prb;
    std::uint8_t first_symbol;
    std::uint8_t end_symbol;  // one past the last
    CompressionParams ud_comp_hdr;
    std::uint16_t seen = 0;  // symbols U-plane answered
  };
  // ecpriSeqid IDs skipped over, waiting for the reorder window to pass.
  struct SequenceHole {
    std::uint8_t first;
    std::uint8_t count;
    std::bitset<128> missing;  // bit k: first + k not seen yet
    std::uint64_t deadline;    // the stream's message count when the window has passed
    std::size_t packet;        // the packet that skipped ahead
    bool before_start = false;  // the IDs before a stream's first: never gaps
    // Opened right after the stream's first ID: its leading missing IDs may have been
    // sent before the capture began (reordered across the start), so are not gaps.
    bool after_first = false;
  };
  struct SequenceState {
    std::uint8_t first = 0;
    std::uint8_t highest = 0;
    std::uint64_t messages = 0;
    std::deque<SequenceHole> holes;
  };

  void check_sequence(const Message& message);
  void record_cplane(const Message& message, const CplaneMessage& cplane);
  void check_uplane(const Message& message, const UplaneMessage& uplane);
  void report(std::string_view rule, std::size_t offset, std::string message);
  void close_hole(const SequenceHole& hole, bool expired);

  DecoderConfig config_;
  bool from_capture_ = false;
  DecodeResult last_;
  std::vector<Finding> findings_;
  std::size_t packet_findings_start_ = 0;
  std::size_t packets_ = 0;
  std::chrono::nanoseconds last_timestamp_{0};

  DecoderConfig stream_config_;  // config_ with the layout of the message being decoded
  std::unordered_map<std::uint32_t, StreamLayout> layouts_;  // by direction | eAxC
  std::unordered_map<std::uint32_t, SequenceState> sequence_;  // by stream key
  SequenceTotals sequence_totals_;
  StreamBoundary boundary_;
  bool last_before_start_ = false;
  // By direction | eAxC: the first slot with C-plane (its ordinal), the last with U-plane.
  std::unordered_map<std::uint32_t, std::uint32_t> first_cplane_slot_;
  std::unordered_map<std::uint32_t, std::uint32_t> last_uplane_slot_;
  // C-plane requests by slot key. frameId wraps every 256 frames, so an entry not
  // touched for a while belongs to an earlier wrap and is started afresh.
  struct SlotRequests {
    std::size_t last_packet = 0;
    std::vector<Request> requests;
  };
  std::unordered_map<std::uint64_t, SlotRequests> requests_;
  std::deque<std::uint64_t> request_order_;    // oldest first
  std::unordered_set<std::uint32_t> coupled_;  // eAxC + direction with C-plane seen
};

}  // namespace plugfest::fronthaul
