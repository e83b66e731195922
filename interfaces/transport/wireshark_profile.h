#pragma once
// Wireshark settings that decode one evidence pcap as it is: the O-RAN dissector's
// preferences (eAxC bit widths, IQ width and method per direction, static or dynamic
// udCompHdr, PRBs) and "decode as eCPRI" for the UDP ports the capture uses. Written into a
// folder beside the pcap, so that
//
//   WIRESHARK_CONFIG_DIR=<folder> wireshark -r <pcap>     (or tshark)
//
// shows every frame decoded with the settings the run used.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "interfaces/common/result.h"
#include "interfaces/transport/fronthaul_config.h"

namespace plugfest::transport {

// The settings folder of a pcap: `x.pcap` -> `x.wireshark/`.
std::filesystem::path wireshark_profile_dir(const std::filesystem::path& pcap);

// Writes the preferences for `config` and adds `udp_ports` (eCPRI over UDP) to the folder's
// decode-as entries; ports already listed stay. Creates the folder.
Result<void> write_wireshark_profile(const std::filesystem::path& dir,
                                     const FronthaulConfig& config,
                                     const std::vector<std::uint16_t>& udp_ports);

// The command line that opens `pcap` with its settings folder.
std::string wireshark_command(const std::filesystem::path& pcap);

}  // namespace plugfest::transport
