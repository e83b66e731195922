// plugfest-sim: a simulated O-RU or O-DU behind the adapter protocol, driven by a vendor
// descriptor: plugfest-sim --descriptor FILE [--listen ADDRESS].

#include <cstring>
#include <iostream>

#include "interfaces/adapter/adapter_server.h"
#include "vendors/sim/sim_adapter.h"

int main(int argc, char** argv) {
  std::string descriptor;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--descriptor") == 0 && i + 1 < argc) descriptor = argv[++i];
    if (std::strcmp(argv[i], "--help") == 0) {
      std::cout << "usage: plugfest-sim --descriptor FILE [--listen unix:PATH|HOST:PORT]\n";
      return 0;
    }
  }
  const std::string listen = plugfest::adapter::listen_address(argc, argv);
  if (descriptor.empty() || listen.empty()) {
    std::cerr << "plugfest-sim: needs --descriptor FILE and --listen ADDRESS (or "
              << plugfest::adapter::kListenEnvironmentVariable << ")" << std::endl;
    return 2;
  }
  auto loaded = plugfest::sim::load_sim_descriptor(descriptor);
  if (!loaded) {
    std::cerr << "plugfest-sim: " << loaded.error().to_string() << std::endl;
    return 2;
  }
  plugfest::sim::SimAdapter adapter(std::move(*loaded));
  if (auto mplane = adapter.start_mplane(); !mplane) {
    std::cerr << "plugfest-sim: " << mplane.error().to_string() << std::endl;
    return 2;
  }
  auto server = plugfest::adapter::AdapterServer::start(adapter, listen);
  if (!server) {
    std::cerr << "plugfest-sim: " << server.error().to_string() << std::endl;
    return 2;
  }
  std::cerr << "plugfest-sim: " << descriptor << " serving on " << listen << std::endl;
  (*server)->wait();
  return 0;
}
