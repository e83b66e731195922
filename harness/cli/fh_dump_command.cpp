// `plugfest fh dump FILE.pcap`: decodes every eCPRI packet of a capture and prints one
// JSON line per frame with its fields and findings (decoder and stream checks); what the
// flags leave unset is inferred from the capture (analyze::dump_capture), each inference
// said once on stderr with the flag that pins it.
// `plugfest fh rules`: prints the fronthaul rule catalog, one JSON line per rule.
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "harness/analyze/inference/capture_dump.h"
#include "harness/cli/cli.h"
#include "interfaces/fronthaul/codec.h"
#include "interfaces/fronthaul/message_json.h"
#include "interfaces/fronthaul/rules.h"

namespace plugfest::cli {
namespace {

using namespace plugfest::fronthaul;

struct DumpOptions {
  std::string file;
  std::string eaxc_split = "4,4,4,4";
  std::string compression;  // empty: inferred from the capture
  bool dynamic = false;
  std::vector<std::uint16_t> udp_ports;
  std::optional<std::uint16_t> carrier_prbs;
  std::optional<int> numerology;
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

int dump(const DumpOptions& options) {
  analyze::DumpSettings settings;
  const auto split = parse_split(options.eaxc_split);
  if (!split) {
    std::cerr << "plugfest fh dump: --eaxc-split '" << options.eaxc_split
              << "': expected four widths 0..16 such as 4,4,4,4\n";
    return kBadInput;
  }
  settings.eaxc_split = *split;
  if (!options.compression.empty() || options.dynamic) {
    UplaneCompression c;
    c.dynamic = options.dynamic;
    if (!options.compression.empty()) {
      const auto params = parse_compression(options.compression);
      if (!params) {
        std::cerr << "plugfest fh dump: --comp '" << options.compression
                  << "': expected METHOD:WIDTH with METHOD none, bfp, bs, mulaw or mod and "
                     "WIDTH 1..16, such as bfp:9\n";
        return kBadInput;
      }
      c.static_params = *params;
    }
    settings.compression = c;
  }
  if (options.carrier_prbs && (*options.carrier_prbs < 1 || *options.carrier_prbs > 275)) {
    std::cerr << "plugfest fh dump: --carrier-prbs " << *options.carrier_prbs
              << ": expected 1..275\n";
    return kBadInput;
  }
  settings.carrier_prbs = options.carrier_prbs;
  if (options.numerology) {
    auto n = transport::numerology_from_mu(*options.numerology);
    if (!n) {
      std::cerr << "plugfest fh dump: --numerology " << *options.numerology
                << ": expected 0..3\n";
      return kBadInput;
    }
    settings.numerology = *n;
  }
  settings.udp_ports = options.udp_ports;
  settings.bf_weights = options.bf_weights;
  settings.ci_antennas = options.ci_antennas;
  auto summary = analyze::dump_capture(
      options.file, settings, [](const nlohmann::json& line) { std::cout << line.dump() << "\n"; },
      [](const std::string& note) { std::cerr << "plugfest fh dump: note: " << note << "\n"; });
  if (!summary) {
    std::cerr << "plugfest fh dump: " << summary.error().to_string() << "\n";
    return kBadInput;
  }
  return summary->error_findings > 0 ? kFailed : kPassed;
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
  dump_cmd->add_option("--comp", options->compression,
                       "U-plane compression METHOD:WIDTH (none, bfp, bs, mulaw, mod); unset: "
                       "inferred per stream");
  dump_cmd->add_flag("--dynamic", options->dynamic,
                     "U-plane sections carry udCompHdr (dynamic compression header)");
  dump_cmd->add_option("--udp-port", options->udp_ports,
                       "UDP port(s) carrying eCPRI (Ethernet ethertype 0xAEFE is always read); "
                       "unset: datagrams recognised by their eCPRI header");
  dump_cmd->add_option("--carrier-prbs", options->carrier_prbs,
                       "PRBs of the carrier; unset: inferred from sections of numPrbu 0");
  dump_cmd->add_option("--numerology", options->numerology,
                       "numerology 0..3; unset: inferred from slot numbering and timestamps");
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
