// plugfest-test-adapter: an adapter for a fictional device whose behaviour is chosen by
// flags, to test the harness against conformant and misbehaving adapters.
//
//   plugfest-test-adapter --listen ADDRESS [--role o-ru|o-du] [--mode MODE] [--slow-ms N]
//       [--serial S] [--tls-cert PEM --tls-key PEM [--tls-client-ca PEM]]
//       [--port-file PATH] [--spawn-child]
//
// MODE: conformant (default); crash (abort on every call); hang (never answer); slow
// (answer after --slow-ms); wrong-role (describe the other role); empty-capabilities;
// out-of-range (a capability with an impossible compression width); wrong-protocol-version;
// exit-at-start (exit 3 before listening); never-healthy (health says NOT_SERVING).

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>

#include "interfaces/adapter/adapter_server.h"

namespace {

using namespace plugfest::adapter;
using plugfest::Error;
using plugfest::Result;

struct Flags {
  std::string listen;
  Role role = Role::kOru;
  std::string mode = "conformant";
  int slow_ms = 3000;
  std::string serial = "TA-0001";
  std::string tls_cert, tls_key, tls_client_ca;
  std::string port_file;
  bool spawn_child = false;
};

class TestAdapter final : public AdapterHandler {
 public:
  explicit TestAdapter(const Flags& flags) : flags_(flags) {}

  Result<AdapterDescription> describe() override {
    misbehave();
    AdapterDescription description;
    auto& device = description.device;
    device.vendor = "Plugfest Test Devices";
    device.model = flags_.role == Role::kOru ? "TD-RU-4T4R" : "TD-DU-1";
    device.serial = flags_.serial;
    device.software_version = "1.0.0";
    device.role = flags_.role;
    device.capabilities = {"section_type.1",
                           "section_type.3",
                           "compression.bfp.9",
                           "compression.none.16",
                           "numerology.1",
                           "bandwidth.100",
                           "udp"};
    description.instruments = {flags_.role == Role::kOru ? Instrument::kDlRadiatedIq
                                                         : Instrument::kUlDecodedIq};
    if (flags_.mode == "wrong-role") {
      device.role = flags_.role == Role::kOru ? Role::kOdu : Role::kOru;
    } else if (flags_.mode == "empty-capabilities") {
      device.capabilities = {};
    } else if (flags_.mode == "out-of-range") {
      device.capabilities.add("compression.bfp.42");
    } else if (flags_.mode == "wrong-protocol-version") {
      description.protocol_version = 7;
    }
    return description;
  }

  Result<SessionSetup> prepare_session(const SessionRequest& request) override {
    misbehave();
    session_id_ = request.session_id;
    SessionSetup setup{UdpEndpoint{"127.0.0.1", 47000}, std::nullopt};
    if (flags_.mode == "out-of-range") setup.dut_endpoint = UdpEndpoint{"127.0.0.1", 0};
    if (flags_.role == Role::kOru) {
      setup.management = ManagementEndpoint{
          "127.0.0.1", 830, "oranuser", ManagementAuth::kPassword, "test", false, {}};
    }
    return setup;
  }

  Result<std::optional<SlotPoint>> stimulate(const std::string& session_id,
                                             const Stimulus&) override {
    misbehave();
    if (auto bad = check_session(session_id); !bad) return bad.error();
    ++stimuli_;
    return std::optional<SlotPoint>{SlotPoint{0, 0, 0}};
  }

  Result<Observation> observe(const std::string& session_id,
                              const ObservationRequest& request) override {
    misbehave();
    if (auto bad = check_session(session_id); !bad) return bad.error();
    const Instrument mine =
        flags_.role == Role::kOru ? Instrument::kDlRadiatedIq : Instrument::kUlDecodedIq;
    if (request.instrument != mine) {
      return Observation{false, std::string(to_string(request.instrument)) + " not offered", {}};
    }
    Observation observation{true, "", {}};
    observation.symbols.push_back(IqSymbol{0, 0, std::vector<std::int16_t>(24, 100)});
    return observation;
  }

  Result<FronthaulCounters> counters(const std::string& session_id) override {
    misbehave();
    if (auto bad = check_session(session_id); !bad) return bad.error();
    return FronthaulCounters{stimuli_ * 10, 0, 0, 0, 0, stimuli_ * 10};
  }

  Result<void> reset(const std::string& session_id) override {
    misbehave();
    if (auto bad = check_session(session_id); !bad) return bad.error();
    stimuli_ = 0;
    return {};
  }

 private:
  void misbehave() {
    if (flags_.mode == "crash") {
      std::cerr << "plugfest-test-adapter: crashing on purpose" << std::endl;
      std::abort();
    }
    if (flags_.mode == "hang") {
      while (true) std::this_thread::sleep_for(std::chrono::hours(1));
    }
    if (flags_.mode == "slow")
      std::this_thread::sleep_for(std::chrono::milliseconds(flags_.slow_ms));
  }

  Result<void> check_session(const std::string& session_id) const {
    if (session_id != session_id_) return Error{"unknown session \"" + session_id + "\"", ""};
    return {};
  }

  const Flags& flags_;
  std::string session_id_;
  std::atomic<std::uint64_t> stimuli_{0};
};

Role parse_role(const std::string& text) {
  if (text == "o-ru") return Role::kOru;
  if (text == "o-du") return Role::kOdu;
  std::cerr << "plugfest-test-adapter: --role must be o-ru or o-du, not " << text << "\n";
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  flags.listen = listen_address(argc, argv);
  const std::map<std::string, std::string*> string_flags = {
      {"--mode", &flags.mode},
      {"--serial", &flags.serial},
      {"--tls-cert", &flags.tls_cert},
      {"--tls-key", &flags.tls_key},
      {"--tls-client-ca", &flags.tls_client_ca},
      {"--port-file", &flags.port_file}};
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (auto it = string_flags.find(arg); it != string_flags.end() && has_value) {
      *it->second = argv[++i];
    } else if (arg == "--role" && has_value) {
      flags.role = parse_role(argv[++i]);
    } else if (arg == "--slow-ms" && has_value) {
      flags.slow_ms = std::atoi(argv[++i]);
    } else if (arg == "--spawn-child") {
      flags.spawn_child = true;
    } else if (arg == "--listen" && has_value) {
      ++i;
    }
  }
  if (flags.mode == "exit-at-start") {
    std::cerr << "plugfest-test-adapter: exiting at start on purpose" << std::endl;
    return 3;
  }
  if (flags.spawn_child) {
    const pid_t child = ::fork();
    if (child == 0) {
      while (true) ::pause();
    }
    std::cerr << "child-pid " << child << std::endl;
  }
  auto tls = server_tls_options(argc, argv);
  if (!tls) {
    std::cerr << "plugfest-test-adapter: " << tls.error().to_string() << std::endl;
    return 2;
  }
  if (const std::string warning = plaintext_listen_warning(flags.listen, *tls); !warning.empty()) {
    std::cerr << "plugfest-test-adapter: warning: " << warning << std::endl;
  }
  TestAdapter adapter(flags);
  // never-healthy on a unix socket: listen under another name, say NOT_SERVING, and only then
  // move the socket to where the launcher looks, so no health check sees it SERVING first.
  const std::string kUnix = "unix:";
  const bool hide_until_sick =
      flags.mode == "never-healthy" && flags.listen.rfind(kUnix, 0) == 0;
  const std::string socket_path = hide_until_sick ? flags.listen.substr(kUnix.size()) : "";
  auto server = AdapterServer::start(
      adapter, hide_until_sick ? kUnix + socket_path + ".starting" : flags.listen, *tls);
  if (!server) {
    std::cerr << "plugfest-test-adapter: " << server.error().to_string() << std::endl;
    return 2;
  }
  if (flags.mode == "never-healthy") (*server)->set_serving(false);
  if (hide_until_sick && std::rename((socket_path + ".starting").c_str(), socket_path.c_str()) != 0) {
    std::cerr << "plugfest-test-adapter: cannot move the socket to " << socket_path << std::endl;
    return 2;
  }
  if (!flags.port_file.empty()) {
    if (auto written = write_port_file(flags.port_file, (*server)->port()); !written) {
      std::cerr << "plugfest-test-adapter: " << written.error().to_string() << std::endl;
      return 2;
    }
  }
  std::cerr << "plugfest-test-adapter: serving on " << flags.listen << " (mode " << flags.mode
            << ")" << std::endl;
  (*server)->wait();
  return 0;
}
