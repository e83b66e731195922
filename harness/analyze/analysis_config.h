#pragma once
// What offline analysis needs to know that a capture does not say: the lab and M-plane
// parameters of the bench the capture was taken on. Every field is optional; a case that
// needs a missing one ends inconclusive, naming it.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/inputs/parameters.h"
#include "interfaces/common/result.h"
#include "interfaces/fronthaul/codec.h"
#include "interfaces/fronthaul/framing.h"
#include "interfaces/transport/slot_clock.h"

namespace plugfest::analyze {

// Where the capture was taken, which decides the delay-management windows its timestamps
// are judged against: next to the O-DU (T1a for what the O-DU sends, Ta4 for what it
// receives) or next to the O-RU (T2a, Ta3).
enum class CapturePoint : std::uint8_t { kOdu, kOru };

// How to recognise one side in the capture, overriding identification from traffic.
struct SideAddress {
  std::optional<fronthaul::MacAddress> mac;
  std::optional<fronthaul::IpAddress> ip;
  std::optional<std::uint16_t> udp_port;  // with ip: both sides on one host
  bool empty() const { return !mac && !ip; }
};

struct AnalysisConfig {
  std::string source;  // the config file, for messages ("" when none)

  std::optional<fronthaul::EaxcSplit> eaxc_split;
  std::optional<fronthaul::UplaneCompression> compression;
  std::optional<transport::Numerology> numerology;
  std::optional<std::uint16_t> carrier_prbs;

  // How many times the slot clock of the capture was stretched (a plugfest run on a
  // loaded machine records its evidence on a dilated clock): windows and slot times are
  // judged stretched alike. 1 on a real bench.
  double time_dilation = 1.0;

  // Timing: judged only when the capture clock is PTP-aligned and windows are given.
  bool ptp_aligned = false;
  std::optional<transport::TimingWindows> windows;
  CapturePoint capture_point = CapturePoint::kOdu;
  // Added to capture timestamps to put them on the radio timeline, whose SFN 0 starts at
  // the Unix epoch (and so also at the GPS epoch): for example leap seconds.
  std::chrono::nanoseconds clock_offset{0};

  // eCPRI over UDP: frames to or from these ports are eCPRI. With detect_udp, datagrams
  // on other ports whose payload looks like one eCPRI message are taken too (the default:
  // `udp_ports: auto` or no udp_ports at all; a list of ports turns it off).
  std::vector<std::uint16_t> udp_ports;
  bool detect_udp = true;

  SideAddress odu;
  SideAddress oru;

  // Sections one U-plane message may carry (interop agreement); unset: more than one is
  // a warning.
  std::optional<unsigned> max_sections_per_uplane;

  // How long after a C-plane request its U-plane answer may still arrive (capture
  // reordering and the O-RU's processing); bounds the memory of pending requests.
  std::chrono::nanoseconds response_window = std::chrono::milliseconds(20);
};

// Fills what `config` leaves unset from a profile's parameters (the names the live cases
// read: numerology, bandwidth_mhz or carrier_prbs, eaxc.*, compression.*,
// uplane.max_sections_per_message, timing.<window>_min_us / _max_us), so a capture of a
// bench run under that profile is judged with the same settings. Bad values are errors
// naming the profile file, line and parameter.
Result<void> apply_profile_parameters(const harness::Parameters& parameters,
                                      AnalysisConfig& config);

// Reads the analysis config (YAML). Errors name file:line:col, the key, what was expected
// and the nearest valid key.
Result<AnalysisConfig> load_analysis_config(const std::string& path);
// The same for a document already read (through load_yaml_file); `path` names it.
Result<AnalysisConfig> analysis_config_from_yaml(const std::string& path, const YAML::Node& root);

}  // namespace plugfest::analyze
