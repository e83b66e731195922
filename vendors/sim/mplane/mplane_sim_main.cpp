// plugfest-mplane-sim: the simulated O-RU's NETCONF server on its own, for tests and for
// trying a NETCONF client against. Prints "port <n>" once listening; runs until SIGINT,
// SIGTERM or end of standard input.

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "vendors/sim/mplane/mplane_server.h"

namespace {

volatile sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

// "name:password:group"; password may be empty when a key is given.
plugfest::Result<plugfest::sim::MplaneUser> parse_user(const std::string& text) {
  auto first = text.find(':');
  auto second = text.find(':', first == std::string::npos ? first : first + 1);
  if (first == std::string::npos || second == std::string::npos) {
    return plugfest::Error{"expected name:password:group, got '" + text + "'", "--user"};
  }
  return plugfest::sim::MplaneUser{text.substr(0, first),
                                   text.substr(first + 1, second - first - 1), "",
                                   text.substr(second + 1)};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Simulated O-RU M-plane: NETCONF over SSH with the O-RAN WG4 YANG models"};
  plugfest::sim::MplaneServerConfig config;
  std::vector<std::string> users;
  std::vector<std::string> keys;
  std::vector<std::string> faults;
  std::string call_home;
  app.add_option("--address", config.listen_address, "address to listen on");
  app.add_option("--port", config.port, "port to listen on (0: any free port)");
  app.add_option("--user", users, "account as name:password:group (group: sudo, nms, fm-pm, swm)")
      ->required();
  app.add_option("--authorized-key", keys, "name:path of an OpenSSH public key file for a user");
  app.add_option("--fault", faults, "inject a fault (e.g. watchdog-ignored)");
  app.add_option("--call-home", call_home, "host:port of a harness listening for call home");
  app.add_option("--host-key", config.host_key_path, "SSH host private key (default: generated)");
  CLI11_PARSE(app, argc, argv);

  for (const auto& text : users) {
    auto user = parse_user(text);
    if (!user) {
      std::cerr << "plugfest-mplane-sim: " << user.error().to_string() << "\n";
      return 2;
    }
    config.users.push_back(*user);
  }
  for (const auto& text : keys) {
    auto colon = text.find(':');
    std::string name = text.substr(0, colon);
    std::ifstream file(colon == std::string::npos ? "" : text.substr(colon + 1));
    std::string line;
    if (!file || !std::getline(file, line)) {
      std::cerr << "plugfest-mplane-sim: --authorized-key: cannot read '" << text << "'\n";
      return 2;
    }
    bool found = false;
    for (auto& user : config.users) {
      if (user.name == name) user.public_key = line, found = true;
    }
    if (!found) {
      std::cerr << "plugfest-mplane-sim: --authorized-key: no user '" << name << "'\n";
      return 2;
    }
  }
  for (const auto& name : faults) {
    auto fault = plugfest::sim::parse_mplane_fault(name);
    if (!fault) {
      std::cerr << "plugfest-mplane-sim: --fault: " << fault.error().message << "\n";
      return 2;
    }
    config.faults.insert(*fault);
  }
  if (!call_home.empty()) {
    auto colon = call_home.rfind(':');
    if (colon == std::string::npos) {
      std::cerr << "plugfest-mplane-sim: --call-home: expected host:port\n";
      return 2;
    }
    config.call_home = plugfest::sim::CallHomeTarget{
        call_home.substr(0, colon), static_cast<uint16_t>(std::stoi(call_home.substr(colon + 1)))};
  }

  auto server = plugfest::sim::MplaneServer::start(std::move(config));
  if (!server) {
    std::cerr << "plugfest-mplane-sim: " << server.error().to_string() << "\n";
    return 1;
  }
  std::cout << "port " << (*server)->port() << std::endl;

  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  signal(SIGPIPE, SIG_IGN);
  while (!g_stop) {
    pollfd input{STDIN_FILENO, POLLIN, 0};
    if (poll(&input, 1, 200) > 0) {
      char buffer[256];
      if (read(STDIN_FILENO, buffer, sizeof buffer) <= 0) break;
    }
  }
  (*server)->stop();
  return 0;
}
