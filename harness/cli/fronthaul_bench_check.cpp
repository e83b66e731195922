#include "harness/cli/fronthaul_bench_check.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "harness/inputs/fronthaul_lab.h"
#include "harness/tester/compression_names.h"
#include "interfaces/fronthaul/codec.h"
#include "interfaces/fronthaul/compression.h"
#include "interfaces/transport/slot_clock.h"

namespace plugfest::cli {
namespace {

constexpr int kCapNetRaw = 13;

struct Need {
  std::size_t octets = 0;
  std::string what;  // "profile P case C (273 PRBs, bfp 9)"
};

}  // namespace

Result<std::size_t> largest_ecpri_message(const harness::Parameters& p) {
  try {
    auto numerology = transport::numerology_from_mu(static_cast<int>(p.get_int("numerology", 1)));
    if (!numerology) return numerology.error();
    std::uint16_t prbs = 0;
    if (p.has("carrier_prbs")) {
      prbs = static_cast<std::uint16_t>(p.get_int("carrier_prbs"));
    } else {
      const auto nr = transport::nr_carrier_prbs(
          static_cast<int>(p.get_int("bandwidth_mhz", 100)), *numerology);
      if (!nr) return Error{"no NR carrier of that bandwidth and numerology", "parameters"};
      prbs = *nr;
    }
    auto method = harness::tester::parse_method(p.get_string("compression.method", "bfp"));
    if (!method) return method.error();
    const fronthaul::CompressionParams params{
        *method, static_cast<std::uint8_t>(p.get_int("compression.width", 9))};
    fronthaul::UplaneSection section;
    section.num_prbu = static_cast<std::uint8_t>(prbs > 255 ? 0 : prbs);
    if (p.get_string("compression.header", "static") == "dynamic") section.ud_comp_hdr = params;
    section.iq_data.resize(fronthaul::compressed_size(params, prbs));
    fronthaul::UplaneMessage uplane;
    uplane.sections.push_back(std::move(section));
    fronthaul::Message message;
    message.body = std::move(uplane);
    return fronthaul::encode(message).size();
  } catch (const harness::ParameterError& e) {
    return Error{e.what(), "parameters"};
  }
}

std::optional<bool> has_effective_capability(int cap) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("CapEff:", 0) != 0) continue;
    try {
      const unsigned long long mask = std::stoull(line.substr(7), nullptr, 16);
      return ((mask >> cap) & 1ull) != 0;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<int> interface_mtu(const std::string& interface) {
  if (interface.empty() || interface.size() >= IFNAMSIZ) return std::nullopt;
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::nullopt;
  ifreq request{};
  std::strncpy(request.ifr_name, interface.c_str(), IFNAMSIZ - 1);
  const bool ok = ::ioctl(fd, SIOCGIFMTU, &request) == 0;
  ::close(fd);
  if (!ok) return std::nullopt;
  return request.ifr_mtu;
}

void check_fronthaul_bench(const harness::Inputs& inputs, const harness::Registry& registry,
                           harness::Diagnostics& diagnostics) {
  for (const auto& d : inputs.descriptors) {
    harness::FronthaulLab lab;
    try {
      lab = harness::fronthaul_lab_of(d.lab);
    } catch (const harness::ParameterError&) {
      continue;  // already reported while loading
    }
    if (lab.transport != harness::FronthaulTransport::kEthernet) continue;
    const std::string& at = lab.interface_where;
    const auto mtu_here = interface_mtu(lab.interface);
    if (!mtu_here) {
      diagnostics.add(at, "DUT " + d.name + ": fronthaul.interface '" + lab.interface +
                              "' is no network interface of this host");
    }
    const auto raw = has_effective_capability(kCapNetRaw);
    if (!raw.value_or(false)) {
      diagnostics.add(at, "DUT " + d.name + ": eCPRI over Ethernet on '" + lab.interface +
                              "' needs capability CAP_NET_RAW, " +
                              (raw ? "missing from this process's effective set (run as root, "
                                     "or grant it: setcap cap_net_raw+ep)"
                                   : "which cannot be read from /proc/self/status"));
    }
    if (lab.mtu && mtu_here && *mtu_here < static_cast<int>(*lab.mtu)) {
      diagnostics.add(lab.mtu_where, "DUT " + d.name + ": fronthaul.mtu " +
                                         std::to_string(*lab.mtu) + " but interface '" +
                                         lab.interface + "' has MTU " +
                                         std::to_string(*mtu_here));
    }
    const std::optional<int> mtu =
        lab.mtu ? std::optional<int>(static_cast<int>(*lab.mtu)) : mtu_here;
    if (!mtu) continue;
    Need largest;
    for (const auto& profile : inputs.profiles) {
      for (const auto& c : profile.cases) {
        const harness::TestCase* test_case = registry.find(c.id);
        if (test_case == nullptr || test_case->plane != "cus") continue;
        if (test_case->kind == harness::CaseKind::kConformance && test_case->role &&
            *test_case->role != d.role) {
          continue;
        }
        harness::Parameters p = profile.defaults;
        p.merge_from(c.parameters);
        const std::string what = "profile " + profile.id + " case " + c.id + " (" + c.where + ")";
        if (auto octets = largest_ecpri_message(p); octets && *octets > largest.octets) {
          largest = {*octets, what};
        }
        // A case that requires the compression capability tries every block method and
        // width the DUT claims (compression.METHOD.WIDTH).
        const auto& needs = test_case->requires_capabilities;
        if (std::find(needs.begin(), needs.end(), "compression") == needs.end()) continue;
        for (const auto& name : d.capabilities.names()) {
          const auto first = name.find('.');
          const auto last = name.rfind('.');
          if (name.rfind("compression.", 0) != 0 || first == last) continue;
          const std::string method = name.substr(first + 1, last - first - 1);
          auto parsed = harness::tester::parse_method(method);
          if (!parsed || !fronthaul::is_block_method(*parsed)) continue;
          harness::Parameters claimed = p;
          claimed.set("compression.method", {YAML::Node(method), c.where});
          claimed.set("compression.width", {YAML::Node(name.substr(last + 1)), c.where});
          if (auto octets = largest_ecpri_message(claimed); octets && *octets > largest.octets) {
            largest = {*octets, what + " with the claimed " + name};
          }
        }
      }
    }
    if (largest.octets > static_cast<std::size_t>(*mtu)) {
      diagnostics.add(lab.mtu ? lab.mtu_where : at,
                      "DUT " + d.name + ": MTU " + std::to_string(*mtu) +
                          (lab.mtu ? " (fronthaul.mtu)" : " of interface '" + lab.interface + "'") +
                          " is below the " + std::to_string(largest.octets) +
                          "-octet eCPRI message that " + largest.what +
                          " needs in one frame (a U-plane message of the whole carrier)");
    }
  }
}

}  // namespace plugfest::cli
