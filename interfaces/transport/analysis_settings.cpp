#include "interfaces/transport/analysis_settings.h"

#include <fstream>
#include <set>
#include <sstream>

namespace plugfest::transport {
namespace fs = std::filesystem;

fs::path analysis_settings_file(const fs::path& pcap) {
  fs::path file = pcap;
  file.replace_extension(".analysis.yaml");
  return file;
}

Result<void> write_analysis_settings(const fs::path& pcap, const FronthaulConfig& config,
                                     const std::vector<std::uint16_t>& udp_ports,
                                     bool captured_at_odu) {
  std::ostringstream out;
  const auto& e = config.eaxc_split;
  out << "# How " << pcap.filename().string()
      << " was sent and received; `plugfest analyze` reads it (--config format).\n"
      << "eaxc: {du_port_bits: " << unsigned(e.du_port_bits)
      << ", band_sector_bits: " << unsigned(e.band_sector_bits)
      << ", cc_id_bits: " << unsigned(e.cc_bits) << ", ru_port_bits: " << unsigned(e.ru_port_bits)
      << "}\n";
  // One compression for both directions, when they agree; otherwise it is inferred.
  if (config.dl_compression == config.ul_compression) {
    const auto& c = config.dl_compression;
    out << "compression: {header: " << (c.dynamic ? "dynamic" : "static")
        << ", method: " << fronthaul::method_name(c.static_params.method)
        << ", width: " << unsigned(c.static_params.iq_width) << "}\n";
  }
  out << "numerology: " << mu_of(config.numerology) << "\n"
      << "carrier_prbs: " << config.carrier_prbs << "\n"
      << "time_dilation: " << config.dilation << "\n";
  if (!udp_ports.empty()) {
    const std::set<std::uint16_t> ports(udp_ports.begin(), udp_ports.end());
    out << "udp_ports: [";
    bool first = true;
    for (auto p : ports) {
      out << (first ? "" : ", ") << p;
      first = false;
    }
    out << "]\n";
  }
  // Answers come as much later as the slot clock is stretched.
  out << "response_window: " << 20 * config.dilation << "ms\n";
  // The slot clock's SFN 0 is at the epoch: capture times minus it are radio time.
  const auto epoch_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            config.epoch.time_since_epoch())
                            .count();
  out << "timing:\n"
      << "  ptp_aligned: true\n"
      << "  capture_point: " << (captured_at_odu ? "o-du" : "o-ru") << "\n"
      << "  clock_offset: " << -epoch_ns << "ns\n";
  const auto us = [](std::chrono::nanoseconds d) {
    return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  };
  const std::pair<const char*, const TimingWindow*> windows[] = {
      {"t1a_cp_dl", &config.windows.t1a_cp_dl}, {"t1a_cp_ul", &config.windows.t1a_cp_ul},
      {"t1a_up", &config.windows.t1a_up},       {"t2a_cp_dl", &config.windows.t2a_cp_dl},
      {"t2a_cp_ul", &config.windows.t2a_cp_ul}, {"t2a_up", &config.windows.t2a_up},
      {"ta3", &config.windows.ta3},             {"ta4", &config.windows.ta4}};
  for (const auto& [name, w] : windows) {
    out << "  " << name << "_min_us: " << us(w->min) << "\n"
        << "  " << name << "_max_us: " << us(w->max) << "\n";
  }
  const fs::path file = analysis_settings_file(pcap);
  std::ofstream f(file, std::ios::trunc);
  f << out.str();
  if (!f) return Error{"cannot write the analysis settings", file.string()};
  return {};
}

}  // namespace plugfest::transport
