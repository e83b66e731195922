// plugfest-sim as a real process, launched from a descriptor through the adapter launcher,
// exchanging real UDP fronthaul on loopback with an in-process peer of the other role
// through the validating relay: the conformant simulator raises no finding, and each fault
// raises exactly the findings (or the measurable effect) it should.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "interfaces/adapter/adapter_launcher.h"
#include "interfaces/fronthaul/codec.h"
#include "interfaces/transport/relay.h"
#include "interfaces/transport/validator_tap.h"
#include "vendors/sim/core/odu.h"
#include "vendors/sim/core/oru.h"
#include "vendors/sim/core/runner.h"

namespace plugfest::sim {
namespace {

namespace fs = std::filesystem;
using adapter::Role;
using asio::ip::udp;
using fronthaul::DataDirection;

constexpr double kDilation = 300;    // slots of 150 ms: timing holds on a loaded machine
constexpr std::uint32_t kSlots = 5;  // one DDDSU period

adapter::SessionRequest session_request(const udp::endpoint& harness) {
  adapter::SessionRequest r;
  r.session_id = "s1";
  r.harness_endpoint = adapter::UdpEndpoint{harness.address().to_string(), harness.port()};
  r.numerology = 1;
  r.carrier_prbs = 106;
  r.antenna_ports = 2;
  const fronthaul::CompressionParams bfp9{fronthaul::CompressionMethod::kBlockFloatingPoint, 9};
  r.dl_compression = {bfp9, true};
  r.ul_compression = {bfp9, true};
  return r;
}

transport::FronthaulConfig radio_of(const adapter::SessionRequest& r) {
  transport::FronthaulConfig radio;
  radio.carrier_prbs = r.carrier_prbs;
  radio.antennas = r.antenna_ports;
  radio.eaxc_split = {r.eaxc_split.du_port_bits, r.eaxc_split.band_sector_bits,
                      r.eaxc_split.cc_bits, r.eaxc_split.ru_port_bits};
  radio.dl_compression = {false, r.dl_compression.params};
  radio.ul_compression = {false, r.ul_compression.params};
  radio.dilation = kDilation;
  return radio;
}

// Counts UL U-plane messages and the most sections one carried.
class UplinkShape : public transport::PacketTap {
 public:
  explicit UplinkShape(fronthaul::DecoderConfig config) : config_(std::move(config)) {}
  void on_packet(const transport::TappedPacket& p) override {
    if (p.direction != transport::RelayDirection::kUplink) return;
    ++messages;
    auto decoded = fronthaul::decode(p.ecpri, config_);
    if (const auto* u = std::get_if<fronthaul::UplaneMessage>(&decoded.message.body)) {
      most_sections = std::max(most_sections.load(), u->sections.size());
    }
  }
  std::atomic<std::size_t> messages{0};
  std::atomic<std::size_t> most_sections{0};

 private:
  fronthaul::DecoderConfig config_;
};

struct Outcome {
  std::map<std::string, std::size_t> rules;  // rule ID -> findings
  std::size_t uplink_messages = 0;
  std::size_t most_sections = 0;
  ReceptionCounters peer;  // the in-process O-DU or O-RU
  adapter::FronthaulCounters sim;
  adapter::Observation observation;  // from the simulator's instrument
  double peer_ul_power_dbfs = 0;     // what the in-process O-DU decoded (O-RU runs)
  std::string describe_role;
};

class SimProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("plugfest-sim-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write_descriptor(Role role, const std::vector<std::string>& faults,
                               const std::string& lab_extra = "") {
    const fs::path path = dir_ / "sim.yaml";
    std::ofstream out(path);
    out << "name: sim-under-test\nrole: " << adapter::to_string(role) << "\n"
        << "command: [plugfest-sim]\ncapabilities: {section_type: [1, 3]}\n"
        << "lab: {vendor: Test, timing: {dilation: " << kDilation << "}" << lab_extra
        << "}\nfaults: [";
    for (std::size_t i = 0; i < faults.size(); ++i) out << (i ? ", " : "") << faults[i];
    out << "]\n";
    return path.string();
  }

  Outcome run(Role role, const std::vector<std::string>& faults) {
    Outcome outcome;
    adapter::LaunchOptions launch;
    launch.name = "sim";
    launch.command = {PLUGFEST_SIM, "--descriptor", write_descriptor(role, faults)};
    launch.stderr_path = dir_ / "sim.stderr";
    auto sim = adapter::LaunchedAdapter::launch(launch);
    if (!sim) {
      ADD_FAILURE() << sim.error().to_string();
      return outcome;
    }
    auto& client = (*sim)->client();
    auto description = client.describe();
    EXPECT_TRUE(description) << description.error().to_string();
    if (description) outcome.describe_role = adapter::to_string(description->device.role);

    const udp::endpoint loopback(asio::ip::make_address("127.0.0.1"), 0);
    asio::io_context relay_io;
    auto relay = transport::UdpRelay::open(relay_io, {loopback, loopback, {}, {}, {}}).value();
    const bool sim_is_oru = role == Role::kOru;
    const adapter::SessionRequest request =
        session_request(sim_is_oru ? relay->ru_facing_endpoint() : relay->du_facing_endpoint());
    const transport::FronthaulConfig radio = radio_of(request);
    transport::ValidatorTap validator(radio.decoder_config(DataDirection::kDownlink),
                                      radio.decoder_config(DataDirection::kUplink));
    UplinkShape shape(radio.decoder_config(DataDirection::kUplink));
    relay->add_tap(validator);
    relay->add_tap(shape);

    auto setup = client.prepare_session(request);
    if (!setup) {
      ADD_FAILURE() << setup.error().to_string();
      return outcome;
    }
    const auto& dut = std::get<adapter::UdpEndpoint>(setup->dut_endpoint);
    const udp::endpoint dut_endpoint(asio::ip::make_address(dut.host), dut.port);

    // The in-process peer, conformant, of the other role.
    SimulatedOdu odu(radio, {});
    SimulatedOru oru(radio, {});
    FronthaulEngine& peer = sim_is_oru ? static_cast<FronthaulEngine&>(odu) : oru;
    const udp::endpoint peer_target =
        sim_is_oru ? relay->du_facing_endpoint() : relay->ru_facing_endpoint();
    auto runner =
        FronthaulRunner::start(peer, {loopback, peer_target, std::chrono::milliseconds(5), {}, {}})
            .value();
    if (sim_is_oru) {
      relay->set_o_ru(dut_endpoint);
      relay->set_o_du(runner->local_endpoint());
    } else {
      relay->set_o_ru(runner->local_endpoint());
      relay->set_o_du(dut_endpoint);
    }
    relay->start();
    std::thread relay_thread([&relay_io] { relay_io.run(); });

    const transport::SlotClock clock = radio.clock();
    std::int64_t first_slot = 0;
    if (sim_is_oru) {
      SlotPattern pattern;
      pattern.num_slots = kSlots;
      first_slot = odu.start(pattern, transport::now()).value();
      runner->wake();
    } else {
      auto first = client.stimulate("s1", adapter::DlTestPattern{"qpsk", 0, 106, kSlots, 7});
      EXPECT_TRUE(first && *first) << (first ? "no slot" : first.error().to_string());
      if (first && *first) {
        const transport::SlotPoint point{(*first)->frame, (*first)->subframe, (*first)->slot, 0};
        first_slot = clock.nearest_symbol(point, transport::now()) / transport::kSymbolsPerSlot;
      }
    }
    std::this_thread::sleep_until(
        clock.symbol_start((first_slot + kSlots + 2) * transport::kSymbolsPerSlot));
    runner->stop();
    asio::post(relay_io, [&] {
      relay->stop();
      relay_io.stop();
    });
    relay_thread.join();

    for (const auto& f : validator.findings()) ++outcome.rules[std::string(f.rule_id)];
    outcome.uplink_messages = shape.messages;
    outcome.most_sections = shape.most_sections;
    outcome.peer = peer.counters();
    auto counters = client.counters("s1");
    EXPECT_TRUE(counters);
    if (counters) outcome.sim = *counters;
    // DDDSU by slot number on the clock: the pattern's first D slot and its U slot.
    const std::int64_t u_slot = first_slot + (4 - first_slot % 5 + 5) % 5;
    std::int64_t d_slot = first_slot;  // a full D slot, not S or U
    while (d_slot % 5 >= 3) ++d_slot;
    const auto dl = clock.point_of(d_slot * transport::kSymbolsPerSlot);
    const auto ul = clock.point_of(u_slot * transport::kSymbolsPerSlot);
    adapter::ObservationRequest observe;
    observe.instrument =
        sim_is_oru ? adapter::Instrument::kDlRadiatedIq : adapter::Instrument::kUlDecodedIq;
    const auto& at = sim_is_oru ? dl : ul;
    observe.slot = {at.frame, at.subframe, at.slot};
    auto observation = client.observe("s1", observe);
    EXPECT_TRUE(observation);
    if (observation) outcome.observation = *observation;
    if (sim_is_oru) {
      const auto decoded = odu.decoded(0, ul.frame_id(), ul.subframe, ul.slot);
      outcome.peer_ul_power_dbfs = decoded.empty() ? 0 : power_dbfs(decoded[0].iq);
    }
    EXPECT_TRUE(client.shutdown());
    return outcome;
  }

  fs::path dir_;
};

// Reception off its window: a heavily loaded machine may deschedule a sender for tens of
// ms even with stretched windows, so a conformant device may show some; timing faults
// are asserted by what cannot happen by delay (an ul-late packet is never on time).
bool mostly_on_time(std::uint64_t on_time, std::uint64_t off) { return off * 4 <= on_time; }

// Both ends received well-formed traffic, on time.
void expect_clean_reception(const Outcome& o) {
  EXPECT_GT(o.sim.rx_on_time, 0u);
  EXPECT_TRUE(mostly_on_time(o.sim.rx_on_time, o.sim.rx_early + o.sim.rx_late))
      << o.sim.rx_early << " early, " << o.sim.rx_late << " late";
  EXPECT_EQ(o.sim.rx_malformed, 0u);
  EXPECT_GT(o.peer.on_time, 0u);
  EXPECT_TRUE(mostly_on_time(o.peer.on_time, o.peer.early + o.peer.late));
  EXPECT_EQ(o.peer.malformed, 0u);
}

std::set<std::string> rules_of(const Outcome& o) {
  std::set<std::string> out;
  for (const auto& [rule, n] : o.rules) out.insert(rule);
  return out;
}

TEST_F(SimProcess, ConformantOruRaisesNoFindingAndRadiatesWhatItGot) {
  const Outcome o = run(Role::kOru, {});
  EXPECT_EQ(o.describe_role, "o-ru");
  EXPECT_EQ(rules_of(o), std::set<std::string>{});
  EXPECT_GT(o.uplink_messages, 0u);
  EXPECT_EQ(o.most_sections, 1u);
  expect_clean_reception(o);
  ASSERT_TRUE(o.observation.available) << o.observation.unavailable_reason;
  EXPECT_EQ(o.observation.symbols.size(), 14u);
  EXPECT_NEAR(o.peer_ul_power_dbfs, -12.0, 0.5);
}

TEST_F(SimProcess, ConformantOduRaisesNoFindingAndDecodesTheUplink) {
  const Outcome o = run(Role::kOdu, {});
  EXPECT_EQ(o.describe_role, "o-du");
  EXPECT_EQ(rules_of(o), std::set<std::string>{});
  EXPECT_GT(o.sim.tx_total, 0u);
  expect_clean_reception(o);
  ASSERT_TRUE(o.observation.available) << o.observation.unavailable_reason;
  EXPECT_EQ(o.observation.symbols.size(), 14u);
}

TEST_F(SimProcess, OruWithAnMplaneServesNetconfOverSsh) {
  adapter::LaunchOptions launch;
  launch.name = "sim";
  launch.command = {PLUGFEST_SIM, "--descriptor",
                    write_descriptor(Role::kOru, {}, ", mplane: {user: admin, password: pw}")};
  launch.stderr_path = dir_ / "sim.stderr";
  auto sim = adapter::LaunchedAdapter::launch(launch);
  ASSERT_TRUE(sim) << sim.error().to_string();
  auto setup = (*sim)->client().prepare_session(
      session_request(udp::endpoint(asio::ip::make_address("127.0.0.1"), 9)));
  ASSERT_TRUE(setup) << setup.error().to_string();
  ASSERT_TRUE(setup->management);
  EXPECT_EQ(setup->management->user, "admin");
  EXPECT_EQ(setup->management->password, "pw");
  ASSERT_NE(setup->management->port, 0);
  // Something speaks SSH there (the NETCONF session itself is the M-plane suite's business).
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  asio::error_code ec;
  socket.connect({asio::ip::make_address(setup->management->host), setup->management->port}, ec);
  ASSERT_FALSE(ec) << ec.message();
  std::string banner(7, '\0');
  asio::read(socket, asio::buffer(banner), ec);
  EXPECT_EQ(banner, "SSH-2.0");
  EXPECT_TRUE((*sim)->client().shutdown());
}

// The null device of either role: every adapter call answered, no fronthaul sent, nothing
// counted, nothing observed.
TEST_F(SimProcess, SilentDeviceAnswersTheAdapterButSendsAndCountsNothing) {
  for (const Role role : {Role::kOru, Role::kOdu}) {
    SCOPED_TRACE(adapter::to_string(role));
    const Outcome o = run(role, {"silent"});
    EXPECT_EQ(o.describe_role, adapter::to_string(role));
    EXPECT_EQ(rules_of(o), std::set<std::string>{});
    EXPECT_EQ(o.uplink_messages, 0u);
    EXPECT_EQ(o.sim.rx_on_time + o.sim.rx_early + o.sim.rx_late + o.sim.rx_dropped +
                  o.sim.rx_malformed + o.sim.tx_total,
              0u);
    // The conformant peer received nothing from it.
    EXPECT_EQ(o.peer.on_time + o.peer.early + o.peer.late + o.peer.malformed, 0u);
    EXPECT_FALSE(o.observation.available);
    EXPECT_NE(o.observation.unavailable_reason.find("no "), std::string::npos);
  }
}

// Each fault, the role that shows it, and the rule IDs it must raise (exactly those).
struct FaultCase {
  const char* fault;
  Role role;
  std::set<std::string> rules;
};

class EveryFault : public SimProcess, public ::testing::WithParamInterface<FaultCase> {};

TEST_P(EveryFault, RaisesExactlyWhatItNames) {
  const FaultCase& c = GetParam();
  const Outcome o = run(c.role, {c.fault});
  EXPECT_EQ(rules_of(o), c.rules);
  const std::string fault = c.fault;
  // Faults no packet rule can see show in what the peer measured.
  if (fault == "multi-section-uplane") {
    EXPECT_EQ(o.most_sections, 2u);
  }
  if (fault == "ul-late") {
    EXPECT_GT(o.peer.late, 0u);
    EXPECT_EQ(o.peer.on_time, 0u);
  }
  if (fault == "dl-early") {
    EXPECT_GT(o.peer.early, 0u);
  }
  if (fault == "iq-low-scale") {
    EXPECT_LT(o.peer_ul_power_dbfs, -55.0);
  }
  if (fault == "no-uplane-response") {
    EXPECT_EQ(o.uplink_messages, 0u);
  }
}

// SIGTERM stops the simulator the orderly way: the M-plane server's folder (its host key)
// is gone afterwards. Its temporary folders are looked for under a private TMPDIR.
TEST_F(SimProcess, SigtermRemovesWhatTheSimulatorCreated) {
  const fs::path tmp = dir_ / "tmp";
  fs::create_directories(tmp);
  const auto mplane_folders = [&] {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(tmp)) {
      n += e.path().filename().string().starts_with("plugfest-mplane-");
    }
    return n;
  };
  adapter::LaunchOptions launch;
  launch.name = "sim";
  launch.command = {
      PLUGFEST_SIM, "--descriptor",
      write_descriptor(Role::kOru, {}, ", mplane: {host: 127.0.0.1, user: u, password: p}")};
  launch.stderr_path = dir_ / "sim.stderr";
  launch.environment = {{"TMPDIR", tmp.string()}};
  launch.socket_dir = dir_;
  auto sim = adapter::LaunchedAdapter::launch(launch);
  ASSERT_TRUE(sim) << sim.error().to_string();
  ASSERT_EQ(mplane_folders(), 1u) << "the simulated O-RU created no M-plane folder";
  const pid_t pid = (*sim)->pid();
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  int status = 0;
  for (int i = 0; i < 1000 && ::waitpid(pid, &status, WNOHANG) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  EXPECT_EQ(mplane_folders(), 0u);
}

namespace r = fronthaul::rules;
const FaultCase kFaultCases[] = {
    {"dl-cplane-udcomphdr-nonzero", Role::kOdu, {std::string(r::kCpDlUdCompHdrNonzero)}},
    {"st3-numsymbol-zero", Role::kOdu, {std::string(r::kCpNumSymbolZero)}},
    {"dl-early", Role::kOdu, {}},
    {"no-dl-uplane", Role::kOdu, {}},
    {"multi-section-uplane", Role::kOru, {}},
    {"truncated-uplane", Role::kOru, {std::string(r::kUpSectionTruncated)}},
    {"prach-wrong-start-symbol", Role::kOru, {std::string(r::kStreamUpSymbolOutside)}},
    {"eaxc-mapping-mismatch", Role::kOru, {std::string(r::kStreamUpSectionId)}},
    {"ul-late", Role::kOru, {}},
    {"seqid-gap", Role::kOru, {std::string(r::kStreamSeqIdGap)}},
    {"ecpri-payload-size-wrong", Role::kOru, {std::string(r::kEcpriPayloadSize)}},
    {"dynamic-header-when-static", Role::kOru, {std::string(r::kUpCompHdrMode)}},
    {"iq-low-scale", Role::kOru, {}},
    {"no-uplane-response", Role::kOru, {}},
    {"prb-out-of-range",
     Role::kOru,
     {std::string(r::kUpPrbRange), std::string(r::kStreamUpPrbOutside)}},
    {"wrong-section-id", Role::kOru, {std::string(r::kStreamUpSectionId)}},
};

INSTANTIATE_TEST_SUITE_P(Faults, EveryFault, ::testing::ValuesIn(kFaultCases),
                         [](const auto& info) {
                           std::string name = info.param.fault;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace plugfest::sim
