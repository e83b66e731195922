#pragma once
// The analysis settings of one evidence pcap: `x.pcap` -> `x.analysis.yaml`, written in
// the format of `plugfest analyze --config` (eAxC split, compression, numerology, carrier
// PRBs, slot-clock dilation and epoch, timing windows, UDP ports, where it was captured),
// so that `plugfest analyze` of a results folder judges each capture with the settings the
// live run used.

#include <cstdint>
#include <filesystem>
#include <vector>

#include "interfaces/common/result.h"
#include "interfaces/transport/fronthaul_config.h"

namespace plugfest::transport {

std::filesystem::path analysis_settings_file(const std::filesystem::path& pcap);

// `captured_at_odu`: the capture was taken at the O-DU's end (the harness played it).
Result<void> write_analysis_settings(const std::filesystem::path& pcap,
                                     const FronthaulConfig& config,
                                     const std::vector<std::uint16_t>& udp_ports,
                                     bool captured_at_odu);

}  // namespace plugfest::transport
