// `plugfest fh dump FILE.pcap`: decodes every eCPRI packet of a capture and prints one
// JSON line per frame with its fields and findings (decoder and stream checks).
// `plugfest fh rules`: prints the fronthaul rule catalog, one JSON line per rule.
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "harness/cli/cli.h"
#include "interfaces/fronthaul/codec.h"
#include "interfaces/fronthaul/framing.h"
#include "interfaces/fronthaul/message_json.h"
#include "interfaces/fronthaul/pcap.h"
#include "interfaces/fronthaul/stream_validator.h"

namespace plugfest::cli {
namespace {

using namespace plugfest::fronthaul;

struct DumpOptions {
  std::string file;
  std::string eaxc_split = "4,4,4,4";
  std::string compression = "bfp:9";
  bool dynamic = false;
  std::vector<std::uint16_t> udp_ports;
  std::uint16_t carrier_prbs = 273;
  std::uint16_t bf_weights = 4;
  std::uint16_t ci_antennas = 4;
};

std::optional<EaxcSplit> parse_split(const std::string& text) {
  std::vector<int> widths;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) {
    try {
      std::size_t used = 0;
      const int value = std::stoi(part, &used);
      if (used != part.size() || value < 0 || value > 16) return std::nullopt;
      widths.push_back(value);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  if (widths.size() != 4) return std::nullopt;
  return EaxcSplit{static_cast<std::uint8_t>(widths[0]), static_cast<std::uint8_t>(widths[1]),
                   static_cast<std::uint8_t>(widths[2]), static_cast<std::uint8_t>(widths[3])};
}

// "bfp:9", "none:16", "bs:8", "mulaw:8", "mod:4".
std::optional<CompressionParams> parse_compression(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) return std::nullopt;
  const std::string name = text.substr(0, colon);
  CompressionMethod method;
  if (name == "none") {
    method = CompressionMethod::kNone;
  } else if (name == "bfp") {
    method = CompressionMethod::kBlockFloatingPoint;
  } else if (name == "bs") {
    method = CompressionMethod::kBlockScaling;
  } else if (name == "mulaw") {
    method = CompressionMethod::kMuLaw;
  } else if (name == "mod") {
    method = CompressionMethod::kModulation;
  } else {
    return std::nullopt;
  }
  try {
    std::size_t used = 0;
    const int width = std::stoi(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1 || width < 1 || width > 16) return std::nullopt;
    return CompressionParams{method, static_cast<std::uint8_t>(width)};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string transport_name(EcpriTransport transport) {
  switch (transport) {
    case EcpriTransport::kEthernet:
      return "ethernet";
    case EcpriTransport::kUdpIpv4:
      return "udp-ipv4";
    case EcpriTransport::kUdpIpv6:
      return "udp-ipv6";
  }
  return "unknown";
}

int dump(const DumpOptions& options) {
  const auto split = parse_split(options.eaxc_split);
  if (!split) {
    std::cerr << "plugfest fh dump: --eaxc-split '" << options.eaxc_split
              << "': expected four widths 0..16 such as 4,4,4,4\n";
    return kBadInput;
  }
  const auto compression = parse_compression(options.compression);
  if (!compression) {
    std::cerr << "plugfest fh dump: --comp '" << options.compression
              << "': expected METHOD:WIDTH with METHOD none, bfp, bs, mulaw or mod and WIDTH "
                 "1..16, such as bfp:9\n";
    return kBadInput;
  }
  DecoderConfig config;
  config.eaxc_split = *split;  // an invalid split is reported as a finding per packet
  config.uplane_compression = {options.dynamic, *compression};
  config.carrier_prbs = options.carrier_prbs;
  config.bf_weights = options.bf_weights;
  config.ci_antennas = options.ci_antennas;

  auto reader = PcapReader::open(options.file);
  if (!reader) {
    std::cerr << "plugfest fh dump: " << reader.error().to_string() << "\n";
    return kBadInput;
  }
  StreamValidator validator(config);
  bool errors = false;
  while (true) {
    auto next = reader->next();
    if (!next) {
      std::cerr << "plugfest fh dump: " << next.error().to_string() << "\n";
      return kBadInput;
    }
    if (!next->has_value()) break;
    const CapturedFrame& frame = **next;
    nlohmann::json line = {{"frame", frame.frame_number},
                           {"timestamp_ns", frame.timestamp.count()}};
    const auto location = locate_ecpri(frame.bytes, options.udp_ports);
    if (!location) {
      line["not_ecpri"] = location.error().to_string();
      std::cout << line.dump() << "\n";
      continue;
    }
    line["transport"] = transport_name(location->transport);
    line["ecpri_offset"] = location->offset;
    if (!location->vlans.empty()) line["vlan"] = location->vlans.front().id;
    const auto findings = validator.feed(location->payload, frame.timestamp);
    line["packet_index"] = validator.packets() - 1;
    line["message"] = to_json(validator.last().message);
    nlohmann::json list = nlohmann::json::array();
    for (const Finding& finding : findings) {
      list.push_back(to_json(finding));
      errors = errors || finding.severity == Severity::kError;
    }
    line["findings"] = std::move(list);
    std::cout << line.dump() << "\n";
  }
  return errors ? kFailed : kPassed;
}

const bool registered = register_subcommand([](CLI::App& app) -> SubcommandAction {
  auto* fh = app.add_subcommand("fh", "Fronthaul (eCPRI / O-RAN CUS-plane) tools");
  fh->require_subcommand(1);
  auto options = std::make_shared<DumpOptions>();
  auto* dump_cmd = fh->add_subcommand(
      "dump",
      "Decode a pcap/pcapng capture: one JSON line per frame with fields and findings. Exit "
      "status 0 without error findings, 1 with some, 2 on bad input");
  dump_cmd->add_option("FILE", options->file, "capture file (pcap or pcapng)")->required();
  dump_cmd
      ->add_option("--eaxc-split", options->eaxc_split,
                   "eAxC ID bit widths DU port,BandSector,CC,RU port")
      ->capture_default_str();
  dump_cmd
      ->add_option("--comp", options->compression,
                   "U-plane compression METHOD:WIDTH (none, bfp, bs, mulaw, mod)")
      ->capture_default_str();
  dump_cmd->add_flag("--dynamic", options->dynamic,
                     "U-plane sections carry udCompHdr (dynamic compression header)");
  dump_cmd->add_option("--udp-port", options->udp_ports,
                       "UDP port(s) carrying eCPRI (Ethernet ethertype 0xAEFE is always read)");
  dump_cmd->add_option("--carrier-prbs", options->carrier_prbs, "PRBs of the carrier")
      ->capture_default_str();
  dump_cmd
      ->add_option("--bf-weights", options->bf_weights,
                   "beamforming weights per extension 1 / extension 11 bundle")
      ->capture_default_str();
  dump_cmd
      ->add_option("--ci-antennas", options->ci_antennas,
                   "antennas of section type 6 channel information")
      ->capture_default_str();
  auto* rules_cmd = fh->add_subcommand("rules", "List the fronthaul rule catalog as JSON lines");
  return [options, dump_cmd, rules_cmd]() -> int {
    if (rules_cmd->parsed()) {
      for (const Rule& rule : rule_catalog()) std::cout << to_json(rule).dump() << "\n";
      return kPassed;
    }
    if (dump_cmd->parsed()) return dump(*options);
    return kBadInput;
  };
});

}  // namespace
}  // namespace plugfest::cli
