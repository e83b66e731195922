#include "harness/analyze/inference/capture_dump.h"

#include <map>
#include <vector>

#include "harness/analyze/capture_file.h"
#include "harness/analyze/inference/capture_inference.h"
#include "harness/analyze/offline_cases.h"
#include "interfaces/fronthaul/framing.h"
#include "interfaces/fronthaul/message_json.h"
#include "interfaces/fronthaul/pcap.h"
#include "interfaces/fronthaul/stream_validator.h"

namespace plugfest::analyze {
namespace {

using fronthaul::DataDirection;

// Where earlier packets sit, for findings reported after their packet (a sequence gap).
constexpr std::size_t kPlaces = 1 << 16;
struct Place {
  std::size_t frame_number = 0;
  std::size_t base = 0;  // offset of the eCPRI header in the frame
};

std::string transport_name(fronthaul::EcpriTransport transport) {
  switch (transport) {
    case fronthaul::EcpriTransport::kEthernet:
      return "ethernet";
    case fronthaul::EcpriTransport::kUdpIpv4:
      return "udp-ipv4";
    case fronthaul::EcpriTransport::kUdpIpv6:
      return "udp-ipv6";
  }
  return "unknown";
}

std::string where(std::size_t frame, std::size_t byte) {
  return "frame " + std::to_string(frame) + " byte " + std::to_string(byte);
}

// The capture's first frames through CaptureInference.
CaptureSettings infer(const std::string& path, const DumpSettings& settings) {
  CaptureInference inference(CaptureInference::Known{
      settings.compression, settings.carrier_prbs, settings.numerology,
      !settings.udp_ports.empty()});
  auto file = CaptureFile::open(path);
  if (!file) return {};
  FrameView frame;
  for (std::size_t n = 0; n < kInferenceFrames && !inference.settled(); ++n) {
    auto next = file->next(frame);
    if (!next || !*next) break;
    if (file->link_type() != fronthaul::kLinkTypeEthernet) continue;
    auto location = fronthaul::locate_ecpri(frame.bytes, settings.udp_ports,
                                            settings.udp_ports.empty());
    if (!location) continue;
    inference.feed(*location, frame.timestamp, frame.original_length > frame.bytes.size(),
                   path, frame.frame_number);
  }
  return inference.result();
}

}  // namespace

Result<DumpSummary> dump_capture(const std::string& path, const DumpSettings& settings,
                                 const DumpLine& line, const DumpNote& note) {
  auto file = CaptureFile::open(path);
  if (!file) return file.error();
  DumpSummary summary;
  auto say = [&](std::string text) {
    if (note) note(text);
    summary.notes.push_back(std::move(text));
  };

  const bool infer_any = !settings.compression || !settings.carrier_prbs ||
                         !settings.numerology || settings.udp_ports.empty();
  CaptureSettings inferred = infer_any ? infer(path, settings) : CaptureSettings{};
  fronthaul::DecoderConfig config;
  config.eaxc_split = settings.eaxc_split;  // an invalid split is a finding per packet
  config.bf_weights = settings.bf_weights;
  config.ci_antennas = settings.ci_antennas;
  // Streams first seen after the inference take the most-seen layout of their direction.
  const auto fallback = fallback_layout(inferred.layouts, DataDirection::kUplink);
  config.uplane_compression = settings.compression ? *settings.compression
                              : fallback           ? fallback->compression
                                                   : fronthaul::UplaneCompression{};
  config.carrier_prbs = settings.carrier_prbs ? *settings.carrier_prbs
                        : fallback && fallback->carrier_prbs ? *fallback->carrier_prbs
                                                             : config.carrier_prbs;
  fronthaul::StreamValidator validator(config, true);
  std::map<std::uint32_t, InferredLayout> undecodable;
  for (const InferredLayout& l : inferred.layouts) {
    // A compression given by flags is what the stream must follow: misfits are findings.
    const bool decodable = l.fits || settings.compression.has_value();
    if (!decodable) undecodable.emplace((std::uint32_t(l.direction) << 16) | l.eaxc, l);
    validator.set_stream_layout(
        l.direction, l.eaxc,
        {settings.compression ? *settings.compression
                              : (l.fits ? l.compression : config.uplane_compression),
         settings.carrier_prbs ? *settings.carrier_prbs
                               : l.carrier_prbs.value_or(config.carrier_prbs),
         decodable});
  }
  // Layouts the flags gave in full are not news.
  if (settings.compression && settings.carrier_prbs) {
    std::erase_if(inferred.layouts, [](const InferredLayout& l) { return l.fits; });
  }
  for (auto& text : capture_notes(inferred, PinStyle::kDumpFlags)) say(std::move(text));
  if (infer_any && inferred.layouts.empty() && !settings.compression) {
    say("no U-plane message in the first " + std::to_string(kInferenceFrames) +
        " frames to infer the compression from: decoded as static 9-bit block floating point "
        "(pin it with --comp METHOD:WIDTH or --dynamic)");
  }

  std::vector<Place> places(kPlaces);
  std::map<std::uint32_t, bool> layout_reported;
  FrameView frame;
  for (;;) {
    auto next = file->next(frame);
    if (!next) return next.error();
    if (!*next) break;
    ++summary.frames;
    nlohmann::json out = {{"frame", frame.frame_number},
                          {"timestamp_ns", frame.timestamp.count()}};
    const bool cut = frame.original_length > frame.bytes.size();
    if (cut) {
      out["captured_length"] = frame.bytes.size();
      out["original_length"] = frame.original_length;
    }
    if (file->link_type() != fronthaul::kLinkTypeEthernet) {
      out["not_ecpri"] = "link type " + std::to_string(file->link_type()) + " is not Ethernet";
      line(out);
      continue;
    }
    const auto location =
        fronthaul::locate_ecpri(frame.bytes, settings.udp_ports, settings.udp_ports.empty());
    if (!location) {
      out["not_ecpri"] = location.error().to_string();
      line(out);
      continue;
    }
    ++summary.ecpri_frames;
    const std::size_t base = location->offset;
    out["transport"] = transport_name(location->transport);
    out["ecpri_offset"] = base;
    if (!location->vlans.empty()) out["vlan"] = location->vlans.front().id;
    if (validator.findings().size() > 1024) validator.clear_findings();
    const std::size_t packet = validator.packets();
    places[packet % kPlaces] = {frame.frame_number, base};
    const auto findings = validator.feed(location->payload, frame.timestamp, cut);
    const fronthaul::DecodeResult& decoded = validator.last();
    out["message"] = to_json(decoded, location->payload);
    nlohmann::json list = nlohmann::json::array();
    auto add = [&](nlohmann::json j, std::size_t at_frame, std::size_t byte,
                   fronthaul::Severity severity, std::string_view rule) {
      j.erase("packet_index");
      j["frame"] = at_frame;
      j["byte_offset"] = byte;
      j["where"] = where(at_frame, byte);
      ++summary.rule_counts[std::string(rule)];
      if (severity == fronthaul::Severity::kError) ++summary.error_findings;
      list.push_back(std::move(j));
    };
    for (const fronthaul::Finding& f : findings) {
      Place place{frame.frame_number, base};
      if (f.packet_index && *f.packet_index != packet && packet - *f.packet_index < kPlaces) {
        place = places[*f.packet_index % kPlaces];
      }
      add(to_json(f), place.frame_number, place.base + f.byte_offset, f.severity, f.rule_id);
    }
    const auto* up = std::get_if<fronthaul::UplaneMessage>(&decoded.message.body);
    if (up && decoded.bytes_read >= 12 && !undecodable.empty()) {
      const std::uint32_t stream =
          (std::uint32_t(up->header.data_direction) << 16) |
          decoded.message.eaxc.to_wire(decoded.message.eaxc_split);
      const auto it = undecodable.find(stream);
      if (it != undecodable.end() && !layout_reported[stream]) {
        layout_reported[stream] = true;
        const fronthaul::Rule* rule = find_any_rule(rules::kLayoutUnknown);
        nlohmann::json j = {{"rule_id", rules::kLayoutUnknown},
                            {"clause", rule ? std::string(rule->clause) : std::string("8.3")},
                            {"severity", "error"},
                            {"message", no_layout_message(it->second, PinStyle::kDumpFlags)}};
        add(std::move(j), frame.frame_number, base + 12, fronthaul::Severity::kError,
            rules::kLayoutUnknown);
      }
    }
    out["findings"] = std::move(list);
    line(out);
  }
  validator.finish();
  const auto& boundary = validator.boundary();
  if (boundary.uplane_before_start > 0) {
    say("the capture starts mid-slot: " + std::to_string(boundary.uplane_before_start) +
        " U-plane messages belong to slots whose C-plane came before the first frame; their "
        "C-plane coupling not judged");
  }
  // Sections of streams read as headers only were never answered: no news about the end.
  if (boundary.sections_open_at_end > 0 && undecodable.empty()) {
    say("the capture ends mid-slot: " + std::to_string(boundary.sections_open_at_end) +
        " C-plane sections of the last slots still waited for U-plane when it ended; not "
        "judged");
  }
  if (boundary.sequence_ids_before_start > 0) {
    say(std::to_string(boundary.sequence_ids_before_start) +
        " ecpriSeqid values next above their stream's first never came: sent before the "
        "capture began (reordered across its start); not judged");
  }
  if (const auto unresolved = validator.sequence_totals().unresolved; unresolved > 0) {
    say(std::to_string(unresolved) +
        " ecpriSeqid values skipped near the end of the capture not judged (their reorder "
        "window was still open)");
  }
  return summary;
}

}  // namespace plugfest::analyze
