#include "harness/cases/cus/fronthaul_fixture.h"

#include <atomic>
#include <cstdlib>

namespace plugfest::harness::cases {

using transport::FronthaulConfig;

const std::vector<ParameterDeclaration>& fronthaul_parameters() {
  using T = ParameterType;
  static const std::vector<ParameterDeclaration> declared = {
      {"carrier_prbs", T::kInteger},
      {"signal", T::kGroup},
      {"signal.power_dbfs", T::kNumber},
      {"signal.power_tolerance_db", T::kNumber},
      {"signal.pattern", T::kString},
      {"evm", T::kGroup},
      {"evm.margin_percent", T::kNumber},
      {"uplane", T::kGroup},
      {"uplane.max_sections_per_message", T::kInteger}};
  return declared;
}

TestCase fronthaul_case(CaseKind kind, std::optional<adapter::Role> role, std::string id,
                        std::string title, std::string clause,
                        std::vector<std::string> requires_capabilities, void (*run)(Context&)) {
  TestCase c;
  c.id = std::move(id);
  c.title = std::move(title);
  c.plane = "cus";
  c.clause = std::move(clause);
  c.kind = kind;
  c.role = role;
  c.requires_capabilities = std::move(requires_capabilities);
  c.parameters = fronthaul_parameters();
  c.timeout = std::chrono::seconds(60);
  c.run = run;
  return c;
}

namespace {

std::uint16_t carrier_prbs_for(int bandwidth_mhz, transport::Numerology numerology) {
  if (auto prbs = transport::nr_carrier_prbs(bandwidth_mhz, numerology)) return *prbs;
  throw ParameterError("no NR carrier of " + std::to_string(bandwidth_mhz) + " MHz at " +
                       std::to_string(transport::subcarrier_spacing_khz(numerology)) +
                       " kHz (set carrier_prbs)");
}

transport::TimingWindow window_from(const Parameters& p, const std::string& name,
                                    transport::TimingWindow window) {
  using std::chrono::microseconds;
  window.min = microseconds(p.get_int(
      "timing." + name + "_min_us", std::chrono::duration_cast<microseconds>(window.min).count()));
  window.max = microseconds(p.get_int(
      "timing." + name + "_max_us", std::chrono::duration_cast<microseconds>(window.max).count()));
  return window;
}

std::atomic<std::uint64_t> session_counter{0};

}  // namespace

transport::FronthaulConfig setup_from(const Context& ctx, const DutContext& dut) {
  const Parameters& p = ctx.params();
  transport::FronthaulConfig s;
  auto numerology = transport::numerology_from_mu(static_cast<int>(p.get_int("numerology", 1)));
  if (!numerology) throw ParameterError(numerology.error().message);
  s.numerology = *numerology;
  s.carrier_prbs = static_cast<std::uint16_t>(
      p.has("carrier_prbs")
          ? p.get_int("carrier_prbs")
          : carrier_prbs_for(static_cast<int>(p.get_int("bandwidth_mhz", 100)), s.numerology));
  s.antennas = static_cast<std::uint16_t>(p.get_int("antennas", 4));
  s.eaxc_split.du_port_bits = static_cast<std::uint8_t>(p.get_int("eaxc.du_port_bits", 2));
  s.eaxc_split.band_sector_bits = static_cast<std::uint8_t>(p.get_int("eaxc.band_sector_bits", 6));
  s.eaxc_split.cc_bits = static_cast<std::uint8_t>(p.get_int("eaxc.cc_id_bits", 4));
  s.eaxc_split.ru_port_bits = static_cast<std::uint8_t>(p.get_int("eaxc.ru_port_bits", 4));
  auto method = tester::parse_method(p.get_string("compression.method", "bfp"));
  if (!method) throw ParameterError(method.error().message);
  fronthaul::UplaneCompression compression;
  compression.static_params = {*method,
                               static_cast<std::uint8_t>(p.get_int("compression.width", 9))};
  compression.dynamic = p.get_string("compression.header", "static") == "dynamic";
  s.dl_compression = s.ul_compression = compression;
  auto& w = s.windows;
  w.t1a_cp_dl = window_from(p, "t1a_cp_dl", w.t1a_cp_dl);
  w.t1a_cp_ul = window_from(p, "t1a_cp_ul", w.t1a_cp_ul);
  w.t1a_up = window_from(p, "t1a_up", w.t1a_up);
  w.t2a_cp_dl = window_from(p, "t2a_cp_dl", w.t2a_cp_dl);
  w.t2a_cp_ul = window_from(p, "t2a_cp_ul", w.t2a_cp_ul);
  w.t2a_up = window_from(p, "t2a_up", w.t2a_up);
  w.ta3 = window_from(p, "ta3", w.ta3);
  w.ta4 = window_from(p, "ta4", w.ta4);
  s.dilation = bench_dilation(p, dut);
  if (auto ok = s.check(); !ok) throw ParameterError(ok.error().where + ": " + ok.error().message);
  return s;
}

double bench_dilation(const Parameters& p, const DutContext& dut) {
  // The same variable overrides the simulator's dilation: both ends must agree.
  if (const char* env = std::getenv(kTimeDilationVariable); env != nullptr && *env) {
    return std::atof(env);
  }
  return dut.lab().get_double("timing.dilation", p.get_double("time_dilation", 1.0));
}

std::string spec_clause(std::string_view clause) {
  if (!clause.empty() && clause.front() >= '0' && clause.front() <= '9') {
    return "O-RAN.WG4.CUS " + std::string(clause);
  }
  return std::string(clause);
}

Finding evidence_of(const fronthaul::Finding& f, std::string_view prefix) {
  Finding out;
  out.rule_id = std::string(f.rule_id);
  out.clause = spec_clause(f.clause);
  out.severity = f.severity == fronthaul::Severity::kError ? Severity::kError : Severity::kWarning;
  out.message = prefix.empty() ? f.message : std::string(prefix) + ": " + f.message;
  out.where = (f.packet_index ? "packet " + std::to_string(*f.packet_index) + ", " : "") + "byte " +
              std::to_string(f.byte_offset);
  return out;
}

Finding case_finding(std::string rule_id, std::string clause, std::string message,
                     std::string where, Severity severity) {
  return Finding{std::move(rule_id), std::move(clause), severity, std::move(message),
                 std::move(where)};
}

double real_us(std::chrono::nanoseconds dilated, double dilation) {
  return std::chrono::duration<double, std::micro>(dilated).count() / dilation;
}

tester::SlotIq slot_iq_of(const adapter::Observation& observation) {
  tester::SlotIq iq;
  for (const auto& symbol : observation.symbols) {
    tester::SymbolIq piece{static_cast<std::uint16_t>(symbol.start_prb), {}};
    for (std::size_t k = 0; k + 1 < symbol.iq.size(); k += 2)
      piece.iq.push_back({symbol.iq[k], symbol.iq[k + 1]});
    iq[symbol.symbol].push_back(std::move(piece));
  }
  return iq;
}

std::size_t longest_stream(std::span<const tester::PortPacket* const> packets,
                           const fronthaul::EaxcSplit& split) {
  std::map<std::tuple<int, int, std::uint16_t>, std::size_t> streams;
  std::size_t longest = 0;
  for (const auto* p : packets) {
    const auto& m = p->decoded.message;
    int direction = -1;
    if (const auto* u = std::get_if<fronthaul::UplaneMessage>(&m.body)) {
      direction = static_cast<int>(u->header.data_direction);
    } else if (const auto* c = std::get_if<fronthaul::CplaneMessage>(&m.body)) {
      direction = static_cast<int>(c->header.data_direction);
    }
    const auto key =
        std::make_tuple(static_cast<int>(m.message_type()), direction, m.eaxc.to_wire(split));
    longest = std::max(longest, ++streams[key]);
  }
  return longest;
}

std::optional<DutLink> DutLink::open(Context& ctx, const DutContext& dut) {
  DutLink link;
  link.dut_ = &dut;
  link.client_ = ctx.extension<adapter::AdapterClient>(dut, kAdapterExtension);
  if (!link.client_) {
    ctx.error("DUT " + dut.name + ": its connection offers no adapter control");
    return std::nullopt;
  }
  auto described = link.client_->describe();
  if (!described) {
    ctx.error(described.error().where + ": " + described.error().message);
    return std::nullopt;
  }
  link.description_ = std::move(*described);
  link.session_id_ = ctx.item_id() + "#" + std::to_string(++session_counter);
  return link;
}

Result<asio::ip::udp::endpoint> DutLink::prepare(const transport::FronthaulConfig& setup,
                                                 const asio::ip::udp::endpoint& harness_end) {
  auto answer = prepare(
      setup, adapter::UdpEndpoint{harness_end.address().to_string(), harness_end.port()});
  if (!answer) return answer.error();
  const auto* udp = std::get_if<adapter::UdpEndpoint>(&*answer);
  if (!udp) {
    return Error{"the DUT answered a UDP harness endpoint with raw Ethernet; give it "
                 "lab fronthaul: {transport: ethernet, interface: ...}",
                 "PrepareSession"};
  }
  return transport::make_udp_endpoint(udp->host, udp->port);
}

Result<adapter::FronthaulEndpoint> DutLink::prepare(const transport::FronthaulConfig& setup,
                                                    const adapter::FronthaulEndpoint& harness_end) {
  adapter::SessionRequest request;
  request.session_id = session_id_;
  request.harness_endpoint = harness_end;
  request.eaxc_split = {setup.eaxc_split.du_port_bits, setup.eaxc_split.band_sector_bits,
                        setup.eaxc_split.cc_bits, setup.eaxc_split.ru_port_bits};
  request.numerology = static_cast<std::uint8_t>(transport::mu_of(setup.numerology));
  request.carrier_prbs = setup.carrier_prbs;
  request.antenna_ports = setup.antennas;
  request.dl_compression = {setup.dl_compression.static_params, !setup.dl_compression.dynamic};
  request.ul_compression = {setup.ul_compression.static_params, !setup.ul_compression.dynamic};
  auto answer = client_->prepare_session(request);
  if (!answer) return answer.error();
  return answer->dut_endpoint;
}

std::unique_ptr<PeerSession> PeerSession::start(Context& ctx) {
  return start(ctx, setup_from(ctx, ctx.dut()));
}

std::unique_ptr<PeerSession> PeerSession::start(Context& ctx, const transport::FronthaulConfig& setup,
                                                const std::string& capture) {
  const FronthaulLab lab = fronthaul_lab_of(ctx.dut().lab());  // bad values: verdict error
  auto link = DutLink::open(ctx, ctx.dut());
  if (!link) return nullptr;
  std::unique_ptr<PeerSession> session(new PeerSession(ctx, std::move(*link)));
  const std::string pcap =
      ctx.artifact(capture, "the fronthaul exchanged with the DUT, both directions").string();
  const bool opened = lab.transport == FronthaulTransport::kEthernet
                          ? session->open_ethernet(setup, lab, pcap)
                          : session->open_udp(setup, pcap);
  if (!opened) return nullptr;
  return session;
}

bool PeerSession::open_udp(const transport::FronthaulConfig& setup, const std::string& pcap) {
  const auto plays =
      ctx_.dut().role() == adapter::Role::kOru ? tester::Plays::kOdu : tester::Plays::kOru;
  auto port = tester::FronthaulPort::open(setup, plays, "127.0.0.1", pcap);
  if (!port) {
    ctx_.error("fronthaul port: " + port.error().message);
    return false;
  }
  port_ = std::move(*port);
  auto dut_end = link_.prepare(setup, port_->local_endpoint());
  if (!dut_end) {
    ctx_.error(dut_end.error().where + ": " + dut_end.error().message);
    return false;
  }
  port_->set_peer(*dut_end);
  ctx_.log("fronthaul: harness " + port_->local_endpoint().address().to_string() + ":" +
           std::to_string(port_->local_endpoint().port()) + ", DUT " +
           dut_end->address().to_string() + ":" + std::to_string(dut_end->port()) +
           ", receive timestamps " + std::string(transport::to_string(port_->timestamp_source())) +
           ", time dilation " + std::to_string(setup.dilation));
  return true;
}

bool PeerSession::open_ethernet(const transport::FronthaulConfig& setup, const FronthaulLab& lab,
                                const std::string& pcap) {
  const auto plays =
      ctx_.dut().role() == adapter::Role::kOru ? tester::Plays::kOdu : tester::Plays::kOru;
  tester::EthernetPortOptions options;
  options.interface = lab.interface;
  if (lab.vlan != 0) options.vlan = fronthaul::VlanTag{lab.vlan, lab.pcp};
  auto port = tester::FronthaulPort::open_ethernet(setup, plays, options, pcap);
  if (!port) {
    ctx_.error("fronthaul port on " + lab.interface + " (" + lab.interface_where +
               "): " + port.error().message);
    return false;
  }
  port_ = std::move(*port);
  auto answer = link_.prepare(
      setup, adapter::EthernetEndpoint{lab.interface, fronthaul::to_string(port_->local_mac()),
                                       lab.vlan, lab.pcp});
  if (!answer) {
    ctx_.error(answer.error().where + ": " + answer.error().message);
    return false;
  }
  const auto* dut = std::get_if<adapter::EthernetEndpoint>(&*answer);
  if (dut == nullptr) {
    const auto& udp = std::get<adapter::UdpEndpoint>(*answer);
    ctx_.error("PrepareSession: the DUT answered eCPRI over UDP (" + udp.host + ":" +
               std::to_string(udp.port) + ") to an Ethernet harness endpoint; its lab "
               "parameters say fronthaul.transport: ethernet (" + lab.transport_where + ")");
    return false;
  }
  std::optional<fronthaul::MacAddress> mac;
  if (!dut->mac.empty()) {
    mac = fronthaul::parse_mac(dut->mac);
    if (!mac) {
      ctx_.error("PrepareSession: the DUT's MAC '" + dut->mac + "' is no MAC address");
      return false;
    }
    if (lab.dut_mac && *lab.dut_mac != *mac) {
      ctx_.add_finding(case_finding(
          "cus.eth.dut-mac-mismatch", std::string(tester::kEthernetClause),
          "the adapter answered DUT MAC " + dut->mac + ", the lab parameters say " +
              fronthaul::to_string(*lab.dut_mac) + "; the adapter's is used",
          "lab fronthaul.dut_mac", Severity::kWarning));
    }
  } else {
    mac = lab.dut_mac;
  }
  if (!mac) {
    ctx_.error("PrepareSession: the DUT named no MAC and the lab parameters give no "
               "fronthaul.dut_mac");
    return false;
  }
  port_->set_peer(*mac);
  port_->expect_vlan(dut->vlan_id == 0 ? std::nullopt
                                       : std::optional<std::uint16_t>(dut->vlan_id));
  const auto vlan = [](std::uint16_t id, std::uint8_t pcp) {
    return id == 0 ? std::string("untagged")
                   : "VLAN " + std::to_string(id) + " PCP " + std::to_string(pcp);
  };
  ctx_.log("fronthaul: eCPRI over Ethernet, harness " + lab.interface + " " +
           fronthaul::to_string(port_->local_mac()) + " " + vlan(lab.vlan, lab.pcp) + ", DUT " +
           fronthaul::to_string(*mac) + " " + vlan(dut->vlan_id, dut->priority) +
           ", receive timestamps " + std::string(transport::to_string(port_->timestamp_source())) +
           ", time dilation " + std::to_string(setup.dilation));
  return true;
}

PeerSession::~PeerSession() { finish(); }

tester::SlotRef PeerSession::next_slot() const {
  const auto w = windows();
  const auto lead = std::max({w.t1a_cp_dl.max, w.t1a_cp_ul.max, w.t1a_up.max}) +
                    clock().dilate(std::chrono::microseconds(200));
  return tester::first_slot_at_or_after(clock(), transport::now() + lead);
}

std::optional<adapter::FronthaulCounters> PeerSession::counters() {
  auto c = link_.client().counters(link_.session_id());
  if (!c) {
    ctx_.error(c.error().where + ": " + c.error().message);
    return std::nullopt;
  }
  return *c;
}

void PeerSession::finish() {
  if (finished_) return;
  finished_ = true;
  if (port_) {
    // What reached the harness's interface but was not this session's fronthaul.
    FindingTally link;
    for (const auto& f : port_->link_findings()) {
      link.add(std::string(f.rule_id), std::string(tester::kEthernetClause), f.message, f.where);
    }
    link.record(ctx_);
    if (auto closed = port_->close_capture(); !closed) {
      ctx_.log("capture: " + closed.error().message);
    }
    ctx_.add_measurement("fronthaul.packets", static_cast<double>(port_->packets().size()),
                         "count");
  }
  (void)link_.client().reset(link_.session_id());
}

}  // namespace plugfest::harness::cases

namespace plugfest::harness::cases {

void FindingTally::add(const std::string& rule_id, const std::string& clause, std::string message,
                       std::string where, Severity severity) {
  auto [it, fresh] = entries_.try_emplace(rule_id);
  if (fresh) it->second = Entry{clause, std::move(message), std::move(where), severity, 0};
  ++it->second.count;
}

std::size_t FindingTally::record(Context& ctx) const {
  for (const auto& [rule, e] : entries_) {
    std::string message = e.message;
    if (e.count > 1) message += " (" + std::to_string(e.count) + " times; first shown)";
    Finding f = case_finding(rule, e.clause, std::move(message), e.where, e.severity);
    if (e.severity == Severity::kError) {
      ctx.fail(std::move(f));
    } else {
      ctx.add_finding(std::move(f));
    }
  }
  return entries_.size();
}

void tally_codec_findings(FindingTally& tally, const tester::FronthaulPort& port,
                          bool (*keep)(std::string_view rule_id)) {
  const auto& packets = port.packets();
  const auto add = [&](const fronthaul::Finding& f, std::size_t index) {
    if (!keep(f.rule_id)) return;
    Finding e = evidence_of(f);
    fronthaul::Finding placed = f;
    placed.packet_index = index;
    tally.add(e.rule_id, e.clause, e.message, port.where(placed), e.severity);
  };
  for (const auto& p : packets) {
    if (p->sent) continue;
    for (const auto& f : p->decoded.findings) add(f, p->index);
  }
  for (const auto& f : port.stream_findings()) {
    const std::size_t index = f.packet_index.value_or(0);
    if (index < packets.size() && packets[index]->sent) continue;
    // Decoder findings were already taken from the packets themselves.
    if (std::string_view(f.rule_id).rfind("FH-STREAM-", 0) != 0) continue;
    add(f, index);
  }
}

}  // namespace plugfest::harness::cases
