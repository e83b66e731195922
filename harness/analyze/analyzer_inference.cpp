// Inference of the U-plane parameters the config lacks: the compression, and the carrier's
// PRBs from a section of numPrbu 0, decided from the first U-plane messages; the frames
// buffered meanwhile are replayed once the decision is made (Analyzer::end_inference).

#include <memory>
#include <string>
#include <vector>

#include "harness/analyze/analyzer_state.h"

namespace plugfest::analyze {
namespace detail {
namespace {

// The carrier's PRB count as a one-section U-plane message whose numPrbu is 0 ("all
// PRBs") tells it: its IQ bytes over the bytes per PRB. nullopt when the message is not
// such a message or the division leaves a remainder.
std::optional<std::uint16_t> carrier_from_all_prbs_section(std::span<const std::uint8_t> ecpri,
                                                           const fronthaul::UplaneCompression& c) {
  // eCPRI common header (4), eCPRI PC/seq IDs (4), radio application header (4), section
  // header (4), udCompHdr and reserved byte when dynamic (2).
  const std::size_t header = 16 + (c.dynamic ? 2 : 0);
  if (ecpri.size() <= header || ecpri[15] != 0) return std::nullopt;
  const fronthaul::CompressionParams params =
      c.dynamic ? fronthaul::CompressionParams::from_ud_comp_hdr(ecpri[16]) : c.static_params;
  const std::size_t per_prb = fronthaul::prb_payload_bytes(params);
  const std::size_t iq = ecpri.size() - header;
  if (per_prb == 0 || iq % per_prb != 0 || iq / per_prb > 275) return std::nullopt;
  return static_cast<std::uint16_t>(iq / per_prb);
}

}  // namespace

std::optional<Inferred> infer_uplane_parameters(std::span<const std::uint8_t> ecpri,
                                                fronthaul::DecoderConfig config,
                                                bool compression_known, bool carrier_known,
                                                std::optional<transport::Numerology> numerology) {
  using fronthaul::CompressionMethod;
  std::vector<fronthaul::UplaneCompression> candidates;
  if (compression_known) {
    candidates.push_back(config.uplane_compression);
  } else {
    candidates.push_back({true, {CompressionMethod::kBlockFloatingPoint, 9}});
    // The widths interoperability profiles use first, then the rest.
    for (std::uint8_t width : {9, 14, 12, 16, 8, 10, 11, 13, 15, 7, 6, 5, 4, 3, 2, 1}) {
      candidates.push_back({false, {CompressionMethod::kBlockFloatingPoint, width}});
    }
    candidates.push_back({false, {CompressionMethod::kNone, 16}});
  }
  // Sizes alone are ambiguous (273 PRBs of 9-bit BFP take the bytes of 156 PRBs of
  // 16-bit BFP): an NR channel bandwidth's PRB count is preferred; any other count only
  // lets the sections decode, and leaves the carrier unknown.
  for (bool standard : {true, false}) {
    for (const auto& candidate : candidates) {
      config.uplane_compression = candidate;
      std::optional<std::uint16_t> carrier;
      if (!carrier_known) {
        carrier = carrier_from_all_prbs_section(ecpri, candidate);
        if (carrier && standard && !transport::is_nr_carrier_prbs(*carrier, numerology))
          carrier.reset();
        if (carrier) config.carrier_prbs = *carrier;
        if (!carrier && !standard) continue;
      }
      const auto result = fronthaul::decode(ecpri, config);
      if (!result.findings.empty() || !result.message.is_uplane()) continue;
      const auto& up = std::get<UplaneMessage>(result.message.body);
      if (up.sections.empty()) continue;
      const std::string how = candidate.dynamic
                                  ? std::string("dynamic udCompHdr")
                                  : "static udCompHdr, " +
                                        std::to_string(candidate.static_params.iq_width) +
                                        "-bit block floating point or an equal-sized method";
      return Inferred{candidate, how, carrier, standard && carrier.has_value()};
    }
    if (carrier_known) break;
  }
  return std::nullopt;
}

}  // namespace detail

using namespace detail;

void Analyzer::end_inference() {
  State& s = *state_;
  if (!config_.compression && !s.compression_note) {
    s.compression_note = "U-plane compression not configured and no U-plane message in the first " +
                         std::to_string(s.inference_buffer.size()) +
                         " frames to infer it from: assumed static 9-bit BFP";
    s.notes.push_back(*s.compression_note);
  }
  s.validator = std::make_unique<fronthaul::StreamValidator>(s.decoder);
  s.inferring = false;
  std::vector<BufferedFrame> replay = std::move(s.inference_buffer);
  for (const BufferedFrame& b : replay) {
    FrameView view{b.bytes, b.timestamp, b.original_length, b.frame_number};
    feed(view, b.file, b.link_type);
  }
}

}  // namespace plugfest::analyze
