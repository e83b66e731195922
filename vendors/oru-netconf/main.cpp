// plugfest-oru-netconf: the standard O-RU adapter. It drives an O-RU through its O-RAN
// M-plane alone (NETCONF over SSH), as its vendor descriptor says (oru_descriptor.h):
//   plugfest-oru-netconf --descriptor FILE [--listen ADDRESS] [--port-file PATH]
//                        [--tls-cert PEM --tls-key PEM [--tls-client-ca PEM]]
// It stops on the protocol's Shutdown, SIGTERM or SIGINT, and then deactivates and removes
// what it configured on the O-RU.

#include <pthread.h>
#include <signal.h>

#include <cstring>
#include <iostream>
#include <string>
#include <thread>

#include "interfaces/adapter/adapter_server.h"
#include "vendors/oru-netconf/oru_netconf_adapter.h"

int main(int argc, char** argv) {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::string descriptor;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--descriptor") == 0 && i + 1 < argc) descriptor = argv[++i];
    if (std::strcmp(argv[i], "--help") == 0) {
      std::cout << "usage: plugfest-oru-netconf --descriptor FILE [--listen unix:PATH|HOST:PORT]\n"
                   "         [--port-file PATH] [--tls-cert PEM --tls-key PEM "
                   "[--tls-client-ca PEM]]\n";
      return 0;
    }
  }
  const std::string listen = plugfest::adapter::listen_address(argc, argv);
  if (descriptor.empty() || listen.empty()) {
    std::cerr << "plugfest-oru-netconf: needs --descriptor FILE and --listen ADDRESS (or "
              << plugfest::adapter::kListenEnvironmentVariable << ")" << std::endl;
    return 2;
  }
  auto tls = plugfest::adapter::server_tls_options(argc, argv);
  if (!tls) {
    std::cerr << "plugfest-oru-netconf: " << tls.error().to_string() << std::endl;
    return 2;
  }
  auto loaded = plugfest::oru_netconf::load_oru_descriptor(descriptor);
  if (!loaded) {
    std::cerr << "plugfest-oru-netconf: " << loaded.error().to_string() << std::endl;
    return 2;
  }
  plugfest::oru_netconf::OruNetconfAdapter adapter(std::move(*loaded));
  if (const std::string warning = plugfest::adapter::plaintext_listen_warning(listen, *tls);
      !warning.empty()) {
    std::cerr << "plugfest-oru-netconf: warning: " << warning << std::endl;
  }
  auto server = plugfest::adapter::AdapterServer::start(adapter, listen, *tls);
  if (!server) {
    std::cerr << "plugfest-oru-netconf: " << server.error().to_string() << std::endl;
    return 2;
  }
  if (const std::string port_file = plugfest::adapter::port_file_option(argc, argv);
      !port_file.empty()) {
    if (auto written = plugfest::adapter::write_port_file(port_file, (*server)->port()); !written) {
      std::cerr << "plugfest-oru-netconf: " << written.error().to_string() << std::endl;
      return 2;
    }
  }
  std::cerr << "plugfest-oru-netconf: " << descriptor << " serving on " << listen << std::endl;
  plugfest::adapter::AdapterServer* serving = server->get();
  std::thread([serving, stop_signals] {
    int received = 0;
    if (sigwait(&stop_signals, &received) == 0) serving->request_shutdown();
  }).detach();
  serving->wait();
  if (auto cleaned = adapter.cleanup(); !cleaned) {
    std::cerr << "plugfest-oru-netconf: cleanup: " << cleaned.error().to_string() << std::endl;
    return 1;
  }
  return 0;
}
