#pragma once
// StreamValidator: checks fronthaul traffic across packets, fed one eCPRI message at a
// time. Per eAxC, plane and direction it follows ecpriSeqid continuity; it couples each
// U-plane section to the C-plane sections that requested it (same eAxC, direction, frame,
// subframe, slot and sectionId) and checks PRBs, symbols and compression against them.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "interfaces/fronthaul/codec.h"

namespace plugfest::fronthaul {

class StreamValidator {
 public:
  explicit StreamValidator(DecoderConfig config);

  // Decodes one eCPRI message (common header onwards) and checks it against the stream so
  // far. Returns this packet's findings (decoder and stream ones), each with the packet's
  // index; they are also appended to findings().
  std::span<const Finding> feed(std::span<const std::uint8_t> ecpri,
                                std::chrono::nanoseconds timestamp);

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
  };

  void check_sequence(const Message& message);
  void record_cplane(const Message& message, const CplaneMessage& cplane);
  void check_uplane(const Message& message, const UplaneMessage& uplane);
  void report(std::string_view rule, std::size_t offset, std::string message);

  DecoderConfig config_;
  DecodeResult last_;
  std::vector<Finding> findings_;
  std::size_t packet_findings_start_ = 0;
  std::size_t packets_ = 0;
  std::chrono::nanoseconds last_timestamp_{0};

  std::unordered_map<std::uint32_t, std::uint8_t> last_sequence_id_;  // by stream key
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
