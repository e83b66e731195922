#include "interfaces/transport/wireshark_profile.h"

#include <fstream>
#include <set>
#include <sstream>

namespace plugfest::transport {
namespace fs = std::filesystem;

namespace {

// The dissector's names for udCompMeth (Wireshark's O-RAN FH CUS dissector, 4.0).
const char* dissector_method(fronthaul::CompressionMethod method) {
  switch (method) {
    case fronthaul::CompressionMethod::kNone:
      return "COMP_NONE";
    case fronthaul::CompressionMethod::kBlockFloatingPoint:
      return "COMP_BLOCK_FP";
    case fronthaul::CompressionMethod::kBlockScaling:
      return "COMP_BLOCK_SCALE";
    case fronthaul::CompressionMethod::kMuLaw:
      return "COMP_U_LAW";
    default:
      return "COMP_MODULATION";
  }
}

std::string preferences(const FronthaulConfig& config) {
  std::ostringstream out;
  out << "# Wireshark preferences for the pcap beside this folder, as plugfest ran it.\n"
      << "# Open it with: WIRESHARK_CONFIG_DIR=<this folder> wireshark -r <the pcap>\n";
  const auto& e = config.eaxc_split;
  out << "oran_fh_cus.oran.du_port_id_bits: " << unsigned(e.du_port_bits) << "\n"
      << "oran_fh_cus.oran.bandsector_id_bits: " << unsigned(e.band_sector_bits) << "\n"
      << "oran_fh_cus.oran.cc_id_bits: " << unsigned(e.cc_bits) << "\n"
      << "oran_fh_cus.oran.ru_port_id_bits: " << unsigned(e.ru_port_bits) << "\n";
  const std::pair<const char*, const fronthaul::UplaneCompression*> directions[] = {
      {"up", &config.ul_compression}, {"down", &config.dl_compression}};
  for (const auto& [dir, c] : directions) {
    out << "oran_fh_cus.oran.iq_bitwidth_" << dir << ": " << unsigned(c->static_params.iq_width)
        << "\n"
        << "oran_fh_cus.oran.ud_comp_" << dir << ": " << dissector_method(c->static_params.method)
        << "\n"
        << "oran_fh_cus.oran.ud_comp_hdr_" << dir << ": " << (c->dynamic ? "TRUE" : "FALSE")
        << "\n";
  }
  out << "oran_fh_cus.oran.rbs_in_uplane_section: " << config.carrier_prbs << "\n"
      << "oran_fh_cus.oran.num_bf_antennas: " << config.antennas << "\n";
  return out.str();
}

}  // namespace

fs::path wireshark_profile_dir(const fs::path& pcap) {
  fs::path dir = pcap;
  dir.replace_extension(".wireshark");
  return dir;
}

Result<void> write_wireshark_profile(const fs::path& dir, const FronthaulConfig& config,
                                     const std::vector<std::uint16_t>& udp_ports) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error{"cannot create the Wireshark settings folder: " + ec.message(), dir.string()};
  std::ofstream prefs(dir / "preferences", std::ios::trunc);
  prefs << preferences(config);
  if (!prefs) return Error{"cannot write Wireshark preferences", (dir / "preferences").string()};

  std::set<std::uint16_t> ports(udp_ports.begin(), udp_ports.end());
  const fs::path entries_file = dir / "decode_as_entries";
  {
    std::ifstream in(entries_file);
    const std::string prefix = "decode_as_entry: udp.port,";
    for (std::string line; std::getline(in, line);) {
      if (line.rfind(prefix, 0) != 0) continue;
      const unsigned long port = std::strtoul(line.c_str() + prefix.size(), nullptr, 10);
      if (port > 0 && port < 65536) ports.insert(static_cast<std::uint16_t>(port));
    }
  }
  std::ofstream entries(entries_file, std::ios::trunc);
  entries << "# eCPRI over UDP on the ports of this capture.\n";
  for (const std::uint16_t port : ports) {
    entries << "decode_as_entry: udp.port," << port << ",(none),eCPRI\n";
  }
  if (!entries) return Error{"cannot write Wireshark decode-as entries", entries_file.string()};
  return {};
}

std::string wireshark_command(const fs::path& pcap) {
  return "WIRESHARK_CONFIG_DIR=" + wireshark_profile_dir(pcap).string() + " wireshark -r " +
         pcap.string();
}

}  // namespace plugfest::transport
