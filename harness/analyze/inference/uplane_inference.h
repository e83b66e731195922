#pragma once
// UplaneInference: how each U-plane stream (dataDirection and eAxC) of a capture is laid
// out, told from its messages when nobody said: the compression (static udCompHdr of a
// method and width, or dynamic), and the carrier's PRBs where sections say numPrbu 0.
// A layout is taken when it fits messages exactly (sections end where the eCPRI payload
// ends); the one that fits most messages wins, a UL C-plane udCompHdr names the method.
// `plugfest analyze` and `plugfest fh dump` share it, so neither needs flags on a plain
// capture; each writes its inferences once, with the frame and the setting that pins it.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "interfaces/fronthaul/codec.h"
#include "interfaces/transport/slot_clock.h"

namespace plugfest::analyze {

// What one stream's messages showed.
struct InferredLayout {
  fronthaul::DataDirection direction = fronthaul::DataDirection::kDownlink;
  std::uint16_t eaxc = 0;  // on the wire
  bool fits = false;       // a layout fits most of the stream's messages
  fronthaul::UplaneCompression compression;
  bool method_named = false;  // by a udCompHdr (dynamic, or the UL C-plane's)
  std::optional<std::uint16_t> carrier_prbs;  // from sections of numPrbu 0
  bool standard_carrier = false;              // carrier_prbs is an NR bandwidth's count
  std::string file;                           // the first message the layout fits
  std::size_t frame_number = 0;
  std::uint64_t messages = 0;  // messages examined
  std::uint64_t fitting = 0;   // of which the layout fits
};

// How the setting that pins an inference is spelt.
enum class PinStyle : std::uint8_t { kAnalysisConfig, kDumpFlags };

class UplaneInference {
 public:
  // What is known already is not guessed.
  struct Known {
    std::optional<fronthaul::UplaneCompression> compression;
    std::optional<std::uint16_t> carrier_prbs;
    std::optional<transport::Numerology> numerology;
  };
  explicit UplaneInference(Known known);

  // One eCPRI message (common header onwards) that the capture holds whole.
  void feed(std::span<const std::uint8_t> ecpri, const std::string& file,
            std::size_t frame_number);
  // Every stream seen has shown enough messages and no new one appeared for a while.
  bool settled() const;
  // `numerology`, when given, judges which carrier PRB counts are an NR channel's.
  std::vector<InferredLayout> layouts(
      std::optional<transport::Numerology> numerology = std::nullopt) const;

 private:
  struct Candidate {
    fronthaul::UplaneCompression compression;
    std::optional<std::uint16_t> carrier;  // fixed by the first numPrbu 0 section
    std::uint64_t fitting = 0;
    std::string file;
    std::size_t frame_number = 0;
  };
  struct Stream {
    std::vector<Candidate> candidates;
    std::uint64_t messages = 0;
  };
  // Whether the message's sections end exactly where its payload does; a numPrbu 0
  // section with `carrier` unset sets it.
  bool fits(std::span<const std::uint8_t> ecpri, const fronthaul::UplaneCompression& compression,
            std::optional<std::uint16_t>& carrier) const;

  Known known_;
  std::map<std::uint32_t, Stream> streams_;  // by direction << 16 | eAxC
  std::map<std::uint16_t, fronthaul::CompressionParams> ul_cplane_;  // udCompHdr by eAxC
  std::uint64_t messages_ = 0;
  std::uint64_t last_new_stream_ = 0;
};

// The layout a stream nobody inferred gets: the most-seen fitting stream of its
// direction, else of the other, else nullopt.
std::optional<InferredLayout> fallback_layout(const std::vector<InferredLayout>& layouts,
                                              fronthaul::DataDirection direction);

// The compression in words: "static udCompHdr, 9-bit block floating point (or block
// scaling or mu-law: the same 28 octets per PRB)", "no compression, 16-bit".
std::string describe_compression(const InferredLayout& layout);

// One note per distinct inference, naming its streams, the frame and the setting that
// pins it; one more for the streams no layout fits.
std::vector<std::string> inference_notes(const std::vector<InferredLayout>& layouts,
                                         PinStyle style);

// The one finding for a stream that no layout fits (rule AN-UP-LAYOUT-UNKNOWN).
std::string no_layout_message(const InferredLayout& layout, PinStyle style);

}  // namespace plugfest::analyze
