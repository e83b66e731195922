// plugfest-sim-record: runs the simulated O-DU against the simulated O-RU over virtual
// time (a zero-delay link) and records every packet, as Ethernet frames stamped with the
// time it was sent, into a pcap: what a mirrored switch port between the two would see.
//
//   plugfest-sim-record OUT.pcap [--slots N] [--odu-fault NAME]... [--oru-fault NAME]...
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "interfaces/fronthaul/framing.h"
#include "interfaces/fronthaul/pcap.h"
#include "vendors/sim/core/odu.h"
#include "vendors/sim/core/oru.h"
#include "vendors/sim/core/virtual_link.h"

namespace {

using namespace plugfest;

int usage(const std::string& why) {
  std::cerr << "plugfest-sim-record: " << why
            << "\nusage: plugfest-sim-record OUT.pcap [--slots N] [--odu-fault NAME]... "
               "[--oru-fault NAME]...\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string out;
  int slots = 20;
  sim::FaultSet odu_faults, oru_faults;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if ((arg == "--odu-fault" || arg == "--oru-fault") && has_value) {
      auto fault = sim::parse_fault(argv[++i]);
      if (!fault) return usage(fault.error().to_string());
      (arg == "--odu-fault" ? odu_faults : oru_faults).add(*fault);
    } else if (arg == "--slots" && has_value) {
      slots = std::atoi(argv[++i]);
      if (slots <= 0) return usage("--slots needs a positive number");
    } else if (out.empty() && !arg.starts_with("--")) {
      out = arg;
    } else {
      return usage("unexpected argument '" + arg + "'");
    }
  }
  if (out.empty()) return usage("no output file given");

  transport::FronthaulConfig config;
  config.carrier_prbs = 51;
  config.antennas = 2;
  config.dl_compression = {false, {fronthaul::CompressionMethod::kBlockFloatingPoint, 9}};
  config.ul_compression = config.dl_compression;
  sim::SimulatedOdu odu(config, odu_faults);
  sim::SimulatedOru oru(config, oru_faults);
  const transport::SlotClock clock = config.clock();
  transport::Timestamp now = clock.symbol_start(1'000'000);
  sim::SlotPattern pattern;
  pattern.num_slots = static_cast<std::uint32_t>(slots);
  if (auto started = odu.start(pattern, now); !started) {
    std::cerr << "plugfest-sim-record: " << started.error().to_string() << "\n";
    return 1;
  }
  auto writer = fronthaul::PcapWriter::create(out);
  if (!writer) {
    std::cerr << "plugfest-sim-record: " << writer.error().to_string() << "\n";
    return 1;
  }
  fronthaul::EthernetFraming du_to_ru, ru_to_du;
  du_to_ru.source = ru_to_du.destination = {0x02, 0, 0, 0, 0, 0x0d};
  du_to_ru.destination = ru_to_du.source = {0x02, 0, 0, 0, 0, 0x0e};
  du_to_ru.pad_to_minimum = ru_to_du.pad_to_minimum = true;

  const bool recorded =
      sim::run_virtual_link(odu, oru, clock, now, slots, [&](sim::LinkPacket&& p) {
        const auto frame =
            fronthaul::frame_ecpri_ethernet(p.downlink ? du_to_ru : ru_to_du, p.bytes);
        if (auto written = writer->write(frame, p.at.time_since_epoch()); !written) {
          std::cerr << "plugfest-sim-record: " << written.error().to_string() << "\n";
          return false;
        }
        return true;
      });
  if (!recorded) return 1;
  if (auto closed = writer->close(); !closed) {
    std::cerr << "plugfest-sim-record: " << closed.error().to_string() << "\n";
    return 1;
  }
  std::cout << writer->frames_written() << " frames written to " << out << "\n";
  return 0;
}
