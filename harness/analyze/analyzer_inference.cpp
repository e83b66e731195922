// Inference of what the config lacks (capture_inference.h): frames are buffered while
// CaptureInference looks at them; Analyzer::end_inference takes its
// per-stream layouts into the validator, writes each inference once as a note, and
// replays the buffered frames.

#include <memory>
#include <string>
#include <vector>

#include "harness/analyze/analyzer_state.h"

namespace plugfest::analyze {

using namespace detail;

void Analyzer::end_inference() {
  State& s = *state_;
  CaptureSettings settings = s.inference ? s.inference->result() : CaptureSettings{};
  const std::vector<InferredLayout> layouts = settings.layouts;
  s.inference.reset();
  if (!s.numerology && settings.numerology) s.numerology = settings.numerology->numerology;
  if (config_.ptp_aligned && s.numerology) {
    s.clock.emplace(*s.numerology, transport::Timestamp{}, config_.time_dilation);
  }
  if (settings.udp) s.inferred_udp_ports.insert(settings.udp->ports.begin(), settings.udp->ports.end());
  // Streams nobody inferred (first seen after the inference) take their direction's.
  const auto fallback = fallback_layout(layouts, fronthaul::DataDirection::kUplink);
  if (fallback && !config_.compression) s.decoder.uplane_compression = fallback->compression;
  if (fallback && fallback->carrier_prbs && !config_.carrier_prbs) {
    s.decoder.carrier_prbs = *fallback->carrier_prbs;
  }
  s.validator = std::make_unique<fronthaul::StreamValidator>(s.decoder, true);

  bool any_fits = false, any_carrier = false, odd_carrier = false;
  std::string methods;
  for (const InferredLayout& l : layouts) {
    const std::uint32_t stream = (std::uint32_t(l.direction) << 16) | l.eaxc;
    // A configured compression is what the stream must follow: misfits are findings.
    if (!l.fits && !config_.compression) {
      s.undecodable.emplace(stream, l);
      fronthaul::StreamValidator::StreamLayout layout{s.decoder.uplane_compression,
                                                      s.decoder.carrier_prbs, false};
      s.validator->set_stream_layout(l.direction, l.eaxc, layout);
      continue;
    }
    any_fits |= l.fits;
    if (l.fits && l.carrier_prbs) {
      any_carrier = true;
      odd_carrier |= !l.standard_carrier;
    }
    const std::string words = l.fits ? describe_compression(l) : std::string();
    if (!words.empty() && methods.find(words) == std::string::npos) {
      methods += (methods.empty() ? "" : "; ") + words;
    }
    s.validator->set_stream_layout(
        l.direction, l.eaxc,
        {config_.compression ? *config_.compression : l.compression,
         config_.carrier_prbs ? *config_.carrier_prbs
                              : l.carrier_prbs.value_or(s.decoder.carrier_prbs),
         true});
  }
  // Layouts the config gave in full are not news.
  if (config_.compression && config_.carrier_prbs) settings.layouts.clear();
  for (auto& note : capture_notes(settings, PinStyle::kAnalysisConfig)) {
    s.notes.push_back(std::move(note));
  }
  if (!config_.compression) {
    s.compression_note =
        any_fits ? "U-plane compression not configured: inferred " + methods
                 : "U-plane compression not configured and no U-plane message in the first " +
                       std::to_string(s.inference_buffer.size()) +
                       " frames to infer it from: assumed static 9-bit block floating point";
    if (!any_fits) s.notes.push_back(*s.compression_note);
  }
  if (!config_.carrier_prbs && any_carrier) {
    s.carrier_known = !odd_carrier;
    if (odd_carrier) {
      s.carrier_note =
          "carrier PRBs not configured: sections of numPrbu 0 (all PRBs) carry a PRB count no "
          "NR channel bandwidth has: decoded with it, PRB ranges not judged (give carrier_prbs)";
    } else {
      s.carrier_note = "carrier PRBs not configured: inferred from sections of numPrbu 0";
    }
  }
  s.inferring = false;
  std::vector<BufferedFrame> replay = std::move(s.inference_buffer);
  for (const BufferedFrame& b : replay) {
    FrameView view{b.bytes, b.timestamp, b.original_length, b.frame_number};
    feed(view, b.file, b.link_type);
  }
}

}  // namespace plugfest::analyze
