#include "vendors/sim/sim_adapter.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace plugfest::sim {
namespace {

using adapter::Role;

fronthaul::UplaneCompression to_compression(const adapter::CompressionMode& mode) {
  return {!mode.static_header, mode.params};
}

SignalKind to_kind(adapter::SignalKind kind) {
  switch (kind) {
    case adapter::SignalKind::kZeros:
      return SignalKind::kZeros;
    case adapter::SignalKind::kTone:
      return SignalKind::kTone;
    case adapter::SignalKind::kQpskRandom:
      return SignalKind::kQpskRandom;
  }
  return SignalKind::kQpskRandom;
}

std::vector<adapter::IqSymbol> to_symbols(const std::vector<IqRecord>& records) {
  std::vector<adapter::IqSymbol> out;
  for (const IqRecord& r : records) {
    adapter::IqSymbol s;
    s.symbol = r.symbol;
    s.start_prb = r.start_prb;
    s.iq.reserve(r.iq.size() * 2);
    for (const auto& sample : r.iq) {
      s.iq.push_back(sample.i);
      s.iq.push_back(sample.q);
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

SimAdapter::~SimAdapter() {
  std::lock_guard lock(mutex_);
  if (session_ && session_->runner) session_->runner->stop();
}

Result<void> SimAdapter::start_mplane() {
  if (!descriptor_.mplane) return {};
  MplaneServerConfig config;
  config.listen_address = descriptor_.mplane->host;
  config.users.push_back({descriptor_.mplane->user, descriptor_.mplane->password, "", "sudo"});
  for (const auto& account : descriptor_.mplane->accounts) config.users.push_back(account);
  config.faults = descriptor_.mplane->faults;
  config.port = descriptor_.mplane->port;
  if (!descriptor_.fronthaul_interface.empty() && descriptor_.device.role == Role::kOru) {
    // Configured through its M-plane alone (no PrepareSession), the O-RU runs its
    // fronthaul on its own interface, whose MAC its M-plane reports.
    auto mac = interface_mac(descriptor_.fronthaul_interface);
    if (!mac) return Error{"simulator.fronthaul_interface: " + mac.error().message, mac.error().where};
    config.fronthaul_mac = *mac;
    mplane_session_ = std::make_unique<MplaneSession>(descriptor_.fronthaul_interface,
                                                      descriptor_.dilation, descriptor_.faults);
    config.rx_window_counts = [this]() -> std::optional<RxWindowCounts> {
      if (auto counts = mplane_session_->rx_window_counts()) return counts;
      std::lock_guard lock(mutex_);
      if (!session_) return std::nullopt;
      const ReceptionCounters c = session_->engine().counters();
      return RxWindowCounts{c.on_time, c.early, c.late, c.malformed, 0, c.dropped,
                            c.on_time + c.early + c.late + c.malformed + c.dropped};
    };
  }
  // The fronthaul follows carrier activation: a session's O-RU starts with its default
  // carrier active, and from then on each change (an edit of o-ran-uplane-conf, or the
  // supervision watchdog deactivating everything) switches its TX / RX carrier.
  config.on_carriers_changed = [this](const std::vector<ActiveCarrier>& carriers) {
    bool tx = false;
    bool rx = false;
    for (const ActiveCarrier& c : carriers) {
      (c.direction == ActiveCarrier::Direction::kTx ? tx : rx) = true;
    }
    std::lock_guard lock(mutex_);
    if (session_ && session_->oru) session_->oru->set_carriers_active(tx, rx);
    if (!session_ && mplane_session_) mplane_session_->on_carriers_changed(carriers);
  };
  auto server = MplaneServer::start(std::move(config));
  if (!server) return Error{"M-plane server: " + server.error().message, server.error().where};
  mplane_ = std::move(*server);
  return {};
}

Result<adapter::AdapterDescription> SimAdapter::describe() {
  adapter::AdapterDescription d;
  d.device = descriptor_.device;
  if (silent() || !descriptor_.observe) return d;  // the null device observes nothing
  d.instruments.insert(descriptor_.device.role == Role::kOru ? adapter::Instrument::kDlRadiatedIq
                                                             : adapter::Instrument::kUlDecodedIq);
  return d;
}

Result<adapter::SessionSetup> SimAdapter::prepare_session(const adapter::SessionRequest& request) {
  FronthaulRunner::Options options;
  const auto* harness_eth = std::get_if<adapter::EthernetEndpoint>(&request.harness_endpoint);
  if (harness_eth != nullptr) {
    if (descriptor_.fronthaul_interface.empty()) {
      return Error{"the harness asked for eCPRI over Ethernet, but this plugfest-sim has no "
                   "Ethernet interface (descriptor key simulator: {fronthaul_interface: NAME}); "
                   "it carries eCPRI over UDP",
                   "prepare_session"};
    }
    const auto harness_mac = fronthaul::parse_mac(harness_eth->mac);
    if (!harness_mac) {
      return Error{"harness endpoint MAC '" + harness_eth->mac + "' is no MAC address",
                   "prepare_session"};
    }
    if (harness_eth->vlan_id > 4094 || harness_eth->priority > 7) {
      return Error{"harness endpoint VLAN must be 0..4094 and priority 0..7", "prepare_session"};
    }
    FronthaulRunner::Options::Ethernet ethernet;
    ethernet.socket.interface = descriptor_.fronthaul_interface;
    if (harness_eth->vlan_id != 0) {
      ethernet.socket.vlan = fronthaul::VlanTag{harness_eth->vlan_id, harness_eth->priority};
    }
    ethernet.peer = *harness_mac;
    // Frames as long as the interface carries (its MTU, the header and two VLAN tags).
    const auto mtu = transport::interface_mtu(descriptor_.fronthaul_interface);
    if (!mtu) {
      return Error{"simulator.fronthaul_interface '" + descriptor_.fronthaul_interface +
                       "' is no network interface here",
                   "prepare_session"};
    }
    ethernet.socket.max_frame_bytes = static_cast<std::size_t>(*mtu) + 14 + 8;
    options.ethernet = ethernet;
  } else {
    const auto& harness = std::get<adapter::UdpEndpoint>(request.harness_endpoint);
    auto peer = transport::make_udp_endpoint(harness.host, harness.port);
    if (!peer) return peer.error();
    auto local = transport::make_udp_endpoint(descriptor_.fronthaul_host, 0);
    if (!local) return local.error();
    options.local = *local;
    options.peer = *peer;
  }
  auto session = std::make_unique<Session>();
  session->id = request.session_id;
  transport::FronthaulConfig& radio = session->radio;
  auto numerology = transport::numerology_from_mu(request.numerology);
  if (!numerology) return numerology.error();
  radio.numerology = *numerology;
  radio.carrier_prbs = request.carrier_prbs;
  radio.antennas = request.antenna_ports;
  radio.eaxc_split = {request.eaxc_split.du_port_bits, request.eaxc_split.band_sector_bits,
                      request.eaxc_split.cc_bits, request.eaxc_split.ru_port_bits};
  radio.dl_compression = to_compression(request.dl_compression);
  radio.ul_compression = to_compression(request.ul_compression);
  radio.dilation = descriptor_.dilation;
  if (auto ok = radio.check(); !ok) return Error{ok.error().message, "session " + ok.error().where};

  if (silent()) {
    session->silent = std::make_unique<SilentEnd>();
  } else if (descriptor_.device.role == Role::kOru) {
    session->oru = std::make_unique<SimulatedOru>(radio, descriptor_.faults);
  } else {
    session->odu = std::make_unique<SimulatedOdu>(radio, descriptor_.faults);
  }
  options.tick = radio.clock().dilate(std::chrono::microseconds(250));
  options.socket.receive_buffer_bytes = 16 << 20;
  if (options.ethernet) options.ethernet->socket.receive_buffer_bytes = 16 << 20;
  auto runner = FronthaulRunner::start(session->engine(), options);
  if (!runner) return runner.error();
  session->runner = std::move(*runner);

  adapter::SessionSetup setup;
  if (session->runner->over_ethernet()) {
    // It sends on the VLAN the harness asked for, so that is the one to answer.
    setup.dut_endpoint = adapter::EthernetEndpoint{
        descriptor_.fronthaul_interface, fronthaul::to_string(session->runner->local_mac()),
        harness_eth->vlan_id, harness_eth->priority};
  } else {
    setup.dut_endpoint =
        adapter::UdpEndpoint{session->runner->local_endpoint().address().to_string(),
                             session->runner->local_endpoint().port()};
  }
  if (mplane_) {
    setup.management = adapter::ManagementEndpoint{descriptor_.mplane->host,
                                                   mplane_->port(),
                                                   descriptor_.mplane->user,
                                                   adapter::ManagementAuth::kPassword,
                                                   descriptor_.mplane->password,
                                                   request.management_call_home.has_value(),
                                                   {}};
    for (const auto& account : descriptor_.mplane->accounts)
      setup.management->accounts.push_back({account.name, account.password, account.group});
    std::optional<CallHomeTarget> home;
    if (const auto& to = request.management_call_home) home = CallHomeTarget{to->host, to->port};
    if (auto called = mplane_->call_home(home); !called) return called.error();
  }
  std::lock_guard lock(mutex_);
  if (session_ && session_->runner) session_->runner->stop();
  if (mplane_session_) mplane_session_->stop();  // one fronthaul at a time
  session_ = std::move(session);
  return setup;
}

Result<SimAdapter::Session*> SimAdapter::find(const std::string& session_id) {
  if (!session_ || session_->id != session_id) {
    return Error{"no prepared session '" + session_id + "'", "session"};
  }
  return session_.get();
}

Result<std::optional<adapter::SlotPoint>> SimAdapter::stimulate(const std::string& session_id,
                                                                const adapter::Stimulus& stimulus) {
  std::lock_guard lock(mutex_);
  auto session = find(session_id);
  if (!session) return session.error();
  Session& s = **session;
  const bool odu = descriptor_.device.role == Role::kOdu;
  if (s.silent) {
    // The null device accepts the stimulus of its role and does nothing with it; an O-DU
    // names the slot it would have started on, as a working one does.
    if (std::holds_alternative<adapter::DlTestPattern>(stimulus) != odu) {
      return Error{"that stimulus is not for an " +
                       std::string(adapter::to_string(descriptor_.device.role)),
                   "stimulate"};
    }
    if (!odu) return std::optional<adapter::SlotPoint>{};
    const auto clock = s.radio.clock();
    const std::int64_t slot = clock.symbol_at(transport::now()) / transport::kSymbolsPerSlot + 2;
    const auto point = clock.point_of(slot * transport::kSymbolsPerSlot);
    return std::optional<adapter::SlotPoint>(
        adapter::SlotPoint{point.frame, point.subframe, point.slot});
  }
  if (const auto* pattern = std::get_if<adapter::DlTestPattern>(&stimulus)) {
    if (!s.odu) return Error{"a DL test pattern is for an O-DU; this is an O-RU", "stimulate"};
    SlotPattern p = descriptor_.pattern;
    p.start_prb = pattern->start_prb;
    p.num_prbs = pattern->num_prbs == s.radio.carrier_prbs && pattern->start_prb == 0
                     ? 0
                     : pattern->num_prbs;
    p.num_slots = pattern->num_slots;
    p.dl_signal.seed = pattern->seed;
    auto first = s.odu->start(p, transport::now());
    if (!first) return first.error();
    s.runner->wake();
    const auto point = s.radio.clock().point_of(*first * transport::kSymbolsPerSlot);
    return std::optional<adapter::SlotPoint>(
        adapter::SlotPoint{point.frame, point.subframe, point.slot});
  }
  const auto& signal = std::get<adapter::UlAirSignal>(stimulus);
  if (!s.oru) return Error{"an UL air signal is for an O-RU; this is an O-DU", "stimulate"};
  if (signal.antenna >= s.radio.antennas) {
    return Error{"antenna " + std::to_string(signal.antenna) + " does not exist (0.." +
                     std::to_string(s.radio.antennas - 1) + ")",
                 "stimulate"};
  }
  s.oru->set_ul_signal(signal.antenna,
                       {to_kind(signal.kind), signal.subcarrier, signal.seed, signal.power_dbfs});
  return std::optional<adapter::SlotPoint>{};
}

Result<adapter::Observation> SimAdapter::observe(const std::string& session_id,
                                                 const adapter::ObservationRequest& request) {
  std::lock_guard lock(mutex_);
  auto session = find(session_id);
  if (!session) return session.error();
  Session& s = **session;
  adapter::Observation observation;
  const auto frame_id = static_cast<std::uint8_t>(request.slot.frame & 0xff);
  std::vector<IqRecord> records;
  if (request.instrument == adapter::Instrument::kDlRadiatedIq && s.oru && descriptor_.observe) {
    records = s.oru->radiated(request.antenna, frame_id, request.slot.subframe, request.slot.slot);
  } else if (request.instrument == adapter::Instrument::kUlDecodedIq && s.odu &&
             descriptor_.observe) {
    records = s.odu->decoded(request.antenna, frame_id, request.slot.subframe, request.slot.slot);
  } else {
    observation.unavailable_reason =
        std::string("this simulated ") + std::string(adapter::to_string(descriptor_.device.role)) +
        " has no " + std::string(adapter::to_string(request.instrument)) + " instrument";
    return observation;
  }
  if (records.empty()) {
    observation.unavailable_reason =
        "nothing was seen on antenna " + std::to_string(request.antenna) + " in that slot";
    return observation;
  }
  observation.available = true;
  observation.symbols = to_symbols(records);
  return observation;
}

Result<adapter::FronthaulCounters> SimAdapter::counters(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  auto session = find(session_id);
  if (!session) return session.error();
  const ReceptionCounters c = (*session)->engine().counters();
  return adapter::FronthaulCounters{c.on_time, c.early,     c.late,
                                    c.dropped, c.malformed, c.transmitted};
}

Result<void> SimAdapter::reset(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  auto session = find(session_id);
  if (!session) return session.error();
  (*session)->engine().reset();
  return {};
}

}  // namespace plugfest::sim
