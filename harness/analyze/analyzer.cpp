// Analyzer's set-up and the first stage, reading: analyze_captures opens the capture files
// and feeds their frames, merged in timestamp order, to one Analyzer.

#include "harness/analyze/analyzer.h"

#include <string>
#include <vector>

#include "harness/analyze/analyzer_state.h"

namespace plugfest::analyze {

Analyzer::Analyzer(AnalysisConfig config)
    : config_(std::move(config)), state_(std::make_unique<State>(config_)) {
  State& s = *state_;
  if (config_.eaxc_split) s.decoder.eaxc_split = *config_.eaxc_split;
  if (config_.carrier_prbs) s.decoder.carrier_prbs = *config_.carrier_prbs;
  s.carrier_known = config_.carrier_prbs.has_value();
  if (config_.compression) s.decoder.uplane_compression = *config_.compression;
  s.numerology = config_.numerology;
  if (config_.windows) s.windows = config_.windows->dilated(config_.time_dilation);
  const bool udp_named = !config_.detect_udp || !config_.udp_ports.empty();
  if (config_.compression && config_.carrier_prbs && config_.numerology && udp_named) {
    s.validator = std::make_unique<fronthaul::StreamValidator>(s.decoder, true);
    if (config_.ptp_aligned) {
      s.clock.emplace(*config_.numerology, transport::Timestamp{}, config_.time_dilation);
    }
  } else {
    s.inferring = true;
    s.inference.emplace(CaptureInference::Known{config_.compression, config_.carrier_prbs,
                                                config_.numerology, udp_named});
  }
}

Analyzer::~Analyzer() = default;

void Analyzer::note(std::string text) { state_->notes.push_back(std::move(text)); }

Result<AnalysisReport> analyze_captures(const std::vector<std::string>& paths,
                                        AnalysisConfig config, ProgressCallback progress) {
  struct Open {
    CaptureFile file;
    FrameView frame;
    bool has = false;
  };
  Analyzer analyzer(std::move(config));
  std::vector<Open> files;
  std::vector<std::string> failures;
  AnalysisProgress state;
  for (const auto& path : paths) {
    auto file = CaptureFile::open(path);
    if (!file) {
      failures.push_back(file.error().to_string());
      analyzer.note(file.error().to_string());
      continue;
    }
    state.bytes_total += file->size();
    files.push_back(Open{std::move(*file), {}, false});
  }
  if (files.empty()) {
    std::string text;
    for (const auto& f : failures) text += (text.empty() ? "" : "\n") + f;
    return Error{text.empty() ? "no capture given" : text, ""};
  }
  // Advances one file; a damaged file keeps the frames before the damage.
  auto advance = [&](Open& open) {
    auto next = open.file.next(open.frame);
    if (!next) {
      analyzer.note(next.error().to_string() + " (frames before it were analysed)");
      open.has = false;
      return;
    }
    open.has = *next;
  };
  for (auto& open : files) advance(open);
  std::uint64_t reported = 0;
  constexpr std::uint64_t kProgressStep = 64ull << 20;
  for (;;) {
    // Several files merge in timestamp order (for example one capture per direction).
    Open* earliest = nullptr;
    for (auto& open : files) {
      if (open.has && (!earliest || open.frame.timestamp < earliest->frame.timestamp)) {
        earliest = &open;
      }
    }
    if (!earliest) break;
    analyzer.feed(earliest->frame, earliest->file.path(), earliest->file.link_type());
    ++state.frames;
    advance(*earliest);
    if (progress) {
      std::uint64_t read = 0;
      for (const auto& open : files) read += open.file.position();
      state.bytes_read = read;
      if (read - reported >= kProgressStep) {
        reported = read;
        progress(state);
      }
    }
  }
  if (progress) {
    state.bytes_read = state.bytes_total;
    progress(state);
  }
  return analyzer.finish();
}

}  // namespace plugfest::analyze
