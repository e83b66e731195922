#pragma once
// CaptureInference: the settings a capture shows of itself, told from its first frames
// when nobody gave them: which UDP ports carry eCPRI, each U-plane stream's layout
// (UplaneInference: compression method and width, static or dynamic udCompHdr, carrier
// PRBs) and the numerology (slot numbering, checked against packet timestamps).
// `plugfest analyze` and `plugfest fh dump` both use it; capture_notes writes each
// inference once, with the frame it came from and the setting that pins it.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "harness/analyze/inference/uplane_inference.h"
#include "interfaces/fronthaul/framing.h"
#include "interfaces/transport/slot_clock.h"

namespace plugfest::analyze {

// Frames of a capture's start looked at, at most, before the inference decides.
inline constexpr std::size_t kInferenceFrames = 4096;

struct NumerologyInference {
  transport::Numerology numerology = transport::Numerology::kMu1;
  std::string how;  // what showed it, for the note
  std::string file;
  std::size_t frame_number = 0;  // the message whose slotId first needed this numerology
  // Capture time per slot against the slot's length at this numerology (1: real time;
  // 100: a slot clock stretched x100), when the timestamps tell.
  std::optional<double> time_ratio;
};

struct UdpPortInference {
  std::vector<std::uint16_t> ports;  // the fewest ports every recognised datagram uses
  std::string file;
  std::size_t frame_number = 0;  // the first datagram recognised
};

struct CaptureSettings {
  std::vector<InferredLayout> layouts;
  std::optional<NumerologyInference> numerology;
  std::optional<UdpPortInference> udp;
};

class CaptureInference {
 public:
  struct Known {
    std::optional<fronthaul::UplaneCompression> compression;
    std::optional<std::uint16_t> carrier_prbs;
    std::optional<transport::Numerology> numerology;
    bool udp_ports_named = false;  // ports were given: none are inferred
  };
  explicit CaptureInference(Known known);

  // One eCPRI message as located in its frame; `cut`: the snap length cut the frame.
  void feed(const fronthaul::EcpriLocation& location, std::chrono::nanoseconds timestamp,
            bool cut, const std::string& file, std::size_t frame_number);
  // Every U-plane stream has shown enough messages (see UplaneInference::settled).
  bool settled() const { return uplane_.settled(); }
  CaptureSettings result() const;

 private:
  // One stream's slot numbering per candidate numerology (mu 0..3), unwrapped.
  struct SlotTrack {
    std::chrono::nanoseconds first_time{0}, last_time{0};
    std::array<std::uint32_t, 4> last_index{};
    std::array<std::int64_t, 4> slots{};  // slots advanced since the first message
  };
  void feed_slot(std::span<const std::uint8_t> ecpri, std::chrono::nanoseconds timestamp,
                 const std::string& file, std::size_t frame_number);

  Known known_;
  UplaneInference uplane_;
  // Numbering: the highest slotId seen, and where it was first seen.
  int max_slot_ = -1;
  std::string max_slot_file_;
  std::size_t max_slot_frame_ = 0;
  std::map<std::uint16_t, int> subframe_max_slot_;  // by frameId << 4 | subframeId
  std::map<std::uint32_t, SlotTrack> tracks_;        // by plane, direction and eAxC
  // UDP: port pairs of recognised datagrams.
  std::map<std::pair<std::uint16_t, std::uint16_t>, std::uint64_t> udp_pairs_;
  std::string udp_file_;
  std::size_t udp_frame_ = 0;
};

// One note per inference (layouts grouped as inference_notes does, the numerology, the
// UDP ports), each naming its frame and the setting that pins it.
std::vector<std::string> capture_notes(const CaptureSettings& settings, PinStyle style);

}  // namespace plugfest::analyze
