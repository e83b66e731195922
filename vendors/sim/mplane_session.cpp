#include "vendors/sim/mplane_session.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bit>
#include <cstring>
#include <iostream>

namespace plugfest::sim {
namespace {

std::string endpoint_where(const ActiveEndpoint& e, ActiveCarrier::Direction direction) {
  return std::string("/o-ran-uplane-conf:user-plane-configuration/") +
         (direction == ActiveCarrier::Direction::kTx ? "low-level-tx-endpoints"
                                                     : "low-level-rx-endpoints") +
         "[name='" + e.name + "']";
}

Result<fronthaul::UplaneCompression> compression_of(const ActiveEndpoint& e,
                                                    ActiveCarrier::Direction direction) {
  fronthaul::UplaneCompression c;
  c.dynamic = e.compression_type == "DYNAMIC";
  const std::string& m = e.compression_method;
  using fronthaul::CompressionMethod;
  if (m == "NO_COMPRESSION") {
    c.static_params.method = CompressionMethod::kNone;
  } else if (m == "BLOCK_FLOATING_POINT") {
    c.static_params.method = CompressionMethod::kBlockFloatingPoint;
  } else if (m == "BLOCK_SCALING") {
    c.static_params.method = CompressionMethod::kBlockScaling;
  } else if (m == "U_LAW") {
    c.static_params.method = CompressionMethod::kMuLaw;
  } else {
    return Error{"compression-method '" + m + "' is not one this simulated O-RU runs",
                 endpoint_where(e, direction) + "/compression"};
  }
  c.static_params.iq_width = e.iq_bitwidth == 0 ? 16 : e.iq_bitwidth;
  return c;
}

}  // namespace

Result<std::optional<MplaneFronthaul>> fronthaul_of(const std::vector<ActiveCarrier>& carriers,
                                                    double dilation) {
  const ActiveCarrier* tx = nullptr;
  const ActiveCarrier* rx = nullptr;
  for (const auto& c : carriers) {
    if (c.endpoints.empty()) continue;
    if (c.direction == ActiveCarrier::Direction::kTx && !tx) tx = &c;
    if (c.direction == ActiveCarrier::Direction::kRx && !rx) rx = &c;
  }
  if (!tx || !rx) return std::optional<MplaneFronthaul>{};

  MplaneFronthaul f;
  const ActiveEndpoint& first = tx->endpoints.front();
  f.radio.eaxc_split = {static_cast<std::uint8_t>(std::popcount(first.o_du_port_bitmask)),
                        static_cast<std::uint8_t>(std::popcount(first.band_sector_bitmask)),
                        static_cast<std::uint8_t>(std::popcount(first.ccid_bitmask)),
                        static_cast<std::uint8_t>(std::popcount(first.ru_port_bitmask))};
  if (!f.radio.eaxc_split.valid()) {
    return Error{"the e-axcid bitmasks do not split 16 bits", endpoint_where(first, tx->direction) + "/e-axcid"};
  }
  f.radio.antennas = static_cast<std::uint16_t>(tx->endpoints.size());
  bool have_flow = false;
  for (const ActiveCarrier* carrier : {tx, rx}) {
    for (std::size_t i = 0; i < carrier->endpoints.size(); ++i) {
      const ActiveEndpoint& e = carrier->endpoints[i];
      const std::string where = endpoint_where(e, carrier->direction);
      if (!e.flow) {
        return Error{"endpoint '" + e.name + "' is linked through a processing element without "
                     "an Ethernet flow",
                     where};
      }
      auto mac = fronthaul::parse_mac(e.flow->odu_mac);
      if (!mac) return Error{"o-du-mac-address '" + e.flow->odu_mac + "' is no MAC address", where};
      if (have_flow && (*mac != f.odu_mac || e.flow->vlan_id != f.vlan_id)) {
        return Error{"endpoint '" + e.name + "' uses another transport flow than the others "
                     "(this simulated O-RU runs one)",
                     where};
      }
      f.odu_mac = *mac;
      f.vlan_id = e.flow->vlan_id;
      have_flow = true;
      // The data endpoints carry the antennas' data eAxCs (RU port = antenna); further rx
      // endpoints are the PRACH ones.
      const auto id = fronthaul::EaxcId::from_wire(
          e.eaxc_id, {f.radio.eaxc_split.du_port_bits, f.radio.eaxc_split.band_sector_bits,
                      f.radio.eaxc_split.cc_bits, f.radio.eaxc_split.ru_port_bits});
      if (i < f.radio.antennas && !(id == transport::data_eaxc(static_cast<std::uint16_t>(i)))) {
        return Error{"eaxc-id " + std::to_string(e.eaxc_id) + " is not RU port " +
                         std::to_string(i) + " (this simulated O-RU serves the data eAxCs of RU "
                         "ports 0.." + std::to_string(f.radio.antennas - 1) + " in order)",
                     where + "/e-axcid/eaxc-id"};
      }
      if (e.number_of_prb == 0 || e.number_of_prb != first.number_of_prb || e.scs != first.scs) {
        return Error{"endpoint '" + e.name + "' has another number-of-prb-per-scs than '" +
                         first.name + "'",
                     where + "/number-of-prb-per-scs"};
      }
    }
  }
  auto dl = compression_of(first, tx->direction);
  if (!dl) return dl.error();
  auto ul = compression_of(rx->endpoints.front(), rx->direction);
  if (!ul) return ul.error();
  f.radio.dl_compression = *dl;
  f.radio.ul_compression = *ul;
  const int khz = first.scs.rfind("KHZ_", 0) == 0 ? std::atoi(first.scs.c_str() + 4) : 0;
  auto numerology = transport::numerology_from_scs_khz(khz);
  if (!numerology) {
    return Error{"scs " + first.scs + " is not a numerology this O-RU runs",
                 endpoint_where(first, tx->direction) + "/number-of-prb-per-scs"};
  }
  f.radio.numerology = *numerology;
  f.radio.carrier_prbs = first.number_of_prb;
  f.radio.dilation = dilation;
  if (auto ok = f.radio.check(); !ok) {
    return Error{ok.error().message, endpoint_where(first, tx->direction)};
  }
  return std::optional<MplaneFronthaul>(f);
}

Result<std::string> interface_mac(const std::string& interface) {
  if (interface.empty() || interface.size() >= IFNAMSIZ) {
    return Error{"'" + interface + "' is no interface name", "simulator.fronthaul_interface"};
  }
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return Error{std::string("socket: ") + std::strerror(errno), interface};
  ifreq request{};
  std::strncpy(request.ifr_name, interface.c_str(), IFNAMSIZ - 1);
  const int rc = ::ioctl(fd, SIOCGIFHWADDR, &request);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) {
    return Error{std::string("cannot read its MAC address: ") + std::strerror(saved), interface};
  }
  fronthaul::MacAddress mac{};
  std::memcpy(mac.data(), request.ifr_hwaddr.sa_data, mac.size());
  return fronthaul::to_string(mac);
}

MplaneSession::MplaneSession(std::string interface, double dilation, FaultSet faults)
    : interface_(std::move(interface)), dilation_(dilation), faults_(std::move(faults)) {}

MplaneSession::~MplaneSession() { stop(); }

void MplaneSession::stop() {
  std::lock_guard lock(mutex_);
  stop_locked();
}

void MplaneSession::stop_locked() {
  if (runner_) runner_->stop();
  runner_.reset();
  oru_.reset();
  current_.reset();
}

bool MplaneSession::running() const {
  std::lock_guard lock(mutex_);
  return runner_ != nullptr;
}

std::string MplaneSession::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

std::optional<RxWindowCounts> MplaneSession::rx_window_counts() const {
  std::lock_guard lock(mutex_);
  if (!oru_) return std::nullopt;
  const ReceptionCounters c = oru_->counters();
  RxWindowCounts out;
  out.on_time = c.on_time;
  out.early = c.early;
  out.late = c.late;
  out.corrupt = c.malformed;
  out.dropped = c.dropped;
  out.total = c.on_time + c.early + c.late + c.malformed + c.dropped;
  return out;
}

void MplaneSession::on_carriers_changed(const std::vector<ActiveCarrier>& carriers) {
  std::lock_guard lock(mutex_);
  stop_locked();
  last_error_.clear();
  auto wanted = fronthaul_of(carriers, dilation_);
  if (!wanted) {
    last_error_ = wanted.error().to_string();
  } else if (*wanted && interface_.empty()) {
    last_error_ = "carriers are active, but this plugfest-sim has no fronthaul interface "
                  "(simulator: {fronthaul_interface: NAME})";
  } else if (*wanted) {
    auto oru = std::make_unique<SimulatedOru>((*wanted)->radio, faults_);
    FronthaulRunner::Options options;
    FronthaulRunner::Options::Ethernet ethernet;
    ethernet.socket.interface = interface_;
    // PCP 7: the class of service O-RAN marks U-plane and C-plane with by default.
    if ((*wanted)->vlan_id != 0) ethernet.socket.vlan = fronthaul::VlanTag{(*wanted)->vlan_id, 7};
    ethernet.socket.receive_buffer_bytes = 16 << 20;
    ethernet.peer = (*wanted)->odu_mac;
    options.ethernet = ethernet;
    options.tick = (*wanted)->radio.clock().dilate(std::chrono::microseconds(250));
    auto runner = FronthaulRunner::start(*oru, options);
    if (!runner) {
      last_error_ = runner.error().to_string();
    } else {
      oru_ = std::move(oru);
      runner_ = std::move(*runner);
      current_ = *wanted;
    }
  }
  if (!last_error_.empty()) {
    std::cerr << "plugfest-sim: M-plane fronthaul not started: " << last_error_ << std::endl;
  }
}

}  // namespace plugfest::sim
