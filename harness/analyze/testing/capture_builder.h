#pragma once
// A fronthaul exchange between an O-DU and an O-RU built with the project codec, slot by
// slot, with packet times on the slot timeline (PTP-aligned, inside the typical windows)
// and optionally one interop fault: captures for tests and the analysis benchmark.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/analyze/analysis_config.h"
#include "interfaces/common/result.h"
#include "interfaces/fronthaul/codec.h"
#include "interfaces/transport/slot_clock.h"

namespace plugfest::analyze::testing {

// Interop faults the exchange can carry (named after the simulator's fault classes).
enum class Fault {
  kNone,
  kDlCplaneUdCompHdrNonzero,
  kMultiSectionUplane,
  kTruncatedUplane,
  kPrachWrongStartSymbol,
  kSt3NumSymbolZero,
  kEaxcMappingMismatch,
  kSeqIdGap,
  kEcpriPayloadSizeWrong,
  kDynamicHeaderWhenStatic,
  kPrbOutOfRange,
  kWrongSectionId,
  kNoUplaneResponse,
  kUlLate,
};

struct ExchangeOptions {
  std::uint16_t carrier_prbs = 24;
  unsigned antennas = 2;
  bool prach = true;  // a section type 3 occasion every fourth slot on its own eAxC
  bool downlink = true;
  bool uplink = true;
  bool vlan = true;
  std::optional<std::uint16_t> udp_port;  // eCPRI over UDP/IPv4 instead of Ethernet
  fronthaul::EaxcSplit split{};
  fronthaul::UplaneCompression compression{};  // static 9-bit BFP
  transport::Numerology numerology = transport::Numerology::kMu1;
  transport::TimingWindows windows = transport::TimingWindows::typical();
  Fault fault = Fault::kNone;
  std::uint64_t seed = 1;

  // How a lab capture differs from a clean one (conformant traffic all the same).
  unsigned drop_first_frames = 0;  // the capture starts this many frames in (mid-slot)
  unsigned drop_last_frames = 0;   // and ends this many frames early
  bool permute_sequence_ids = false;  // each slot's U-plane IDs per eAxC sent in reverse
  std::optional<std::size_t> snap_length;  // frames kept only up to this many bytes
  bool explicit_prbs = false;  // numPrbu / numPrbc give the carrier instead of 0 ("all")
  // DL: two C-plane sections per slot with the same sectionId and complementary reMasks,
  // each symbol's U-plane split over two messages of half the PRBs each.
  bool split_sections = false;
};

struct BuiltFrame {
  std::vector<std::uint8_t> bytes;
  std::chrono::nanoseconds timestamp{0};
  std::size_t original_length = 0;  // when the capture cut the frame: its length on the wire
};

class ExchangeBuilder {
 public:
  explicit ExchangeBuilder(ExchangeOptions options);

  // The frames of the next slot, in timestamp order.
  std::vector<BuiltFrame> next_slot();

  // The analysis config that describes this exchange fully (PTP-aligned).
  AnalysisConfig config() const;

 private:
  // Encodes and frames one message; `skip` leaves sequence IDs out before it (a gap).
  void emit(fronthaul::Message message, bool from_odu, std::chrono::nanoseconds at,
            std::vector<BuiltFrame>& out, std::uint8_t skip = 0);
  std::uint8_t next_seq(const fronthaul::Message& message);
  std::vector<std::uint8_t> iq(std::size_t prbs, const fronthaul::CompressionParams& params);

  ExchangeOptions options_;
  transport::SlotClock clock_;
  std::int64_t slot_index_ = 0;
  std::int64_t first_symbol_;
  std::vector<std::uint8_t> iq_pattern_;
  std::vector<std::pair<std::uint32_t, std::uint8_t>> sequence_;
};

// Writes frames to a pcap file.
Result<void> write_capture(const std::string& path, const std::vector<BuiltFrame>& frames);
// A whole exchange of `slots` slots, written to `path`; returns the matching config.
Result<AnalysisConfig> write_exchange(const std::string& path, const ExchangeOptions& options,
                                      unsigned slots);

}  // namespace plugfest::analyze::testing
