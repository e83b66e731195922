// plugfest-sim: a simulated O-RU or O-DU behind the adapter protocol, driven by a vendor
// descriptor:
//   plugfest-sim --descriptor FILE [--listen ADDRESS] [--port-file PATH]
//                [--tls-cert PEM --tls-key PEM [--tls-client-ca PEM]]
// With --tls-client-ca the adapter port takes only clients presenting a certificate from
// that CA (mutual TLS); on a TCP address without TLS it warns. It stops on the protocol's
// Shutdown, SIGTERM or SIGINT, and then removes what it created (the M-plane server's
// host key folder among it).

#include <pthread.h>
#include <signal.h>

#include <cstring>
#include <iostream>
#include <string>
#include <thread>

#include "interfaces/adapter/adapter_server.h"
#include "vendors/sim/sim_adapter.h"

int main(int argc, char** argv) {
  // SIGTERM and SIGINT are taken by one thread (sigwait) that asks the server to stop, so
  // every exit runs the destructors. Blocked before any other thread starts, so all inherit
  // the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::string descriptor;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--descriptor") == 0 && i + 1 < argc) descriptor = argv[++i];
    if (std::strcmp(argv[i], "--help") == 0) {
      std::cout << "usage: plugfest-sim --descriptor FILE [--listen unix:PATH|HOST:PORT]\n"
                   "         [--port-file PATH] [--tls-cert PEM --tls-key PEM "
                   "[--tls-client-ca PEM]]\n";
      return 0;
    }
  }
  const std::string listen = plugfest::adapter::listen_address(argc, argv);
  if (descriptor.empty() || listen.empty()) {
    std::cerr << "plugfest-sim: needs --descriptor FILE and --listen ADDRESS (or "
              << plugfest::adapter::kListenEnvironmentVariable << ")" << std::endl;
    return 2;
  }
  auto tls = plugfest::adapter::server_tls_options(argc, argv);
  if (!tls) {
    std::cerr << "plugfest-sim: " << tls.error().to_string() << std::endl;
    return 2;
  }
  const std::string port_file = plugfest::adapter::port_file_option(argc, argv);
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
  if (const std::string warning = plugfest::adapter::plaintext_listen_warning(listen, *tls);
      !warning.empty()) {
    std::cerr << "plugfest-sim: warning: " << warning << std::endl;
  }
  auto server = plugfest::adapter::AdapterServer::start(adapter, listen, *tls);
  if (!server) {
    std::cerr << "plugfest-sim: " << server.error().to_string() << std::endl;
    return 2;
  }
  if (!port_file.empty()) {
    if (auto written = plugfest::adapter::write_port_file(port_file, (*server)->port()); !written) {
      std::cerr << "plugfest-sim: " << written.error().to_string() << std::endl;
      return 2;
    }
  }
  std::string shown = listen;  // with the port the kernel chose for port 0
  if ((*server)->port() > 0 && shown.ends_with(":0")) {
    shown = shown.substr(0, shown.size() - 1) + std::to_string((*server)->port());
  }
  std::cerr << "plugfest-sim: " << descriptor << " serving on " << shown
            << (!*tls                            ? ""
                : (*tls)->client_ca_file.empty() ? " (TLS)"
                                                 : " (mutual TLS)")
            << std::endl;
  plugfest::adapter::AdapterServer* serving = server->get();
  std::thread([serving, stop_signals] {
    int received = 0;
    if (sigwait(&stop_signals, &received) == 0) serving->request_shutdown();
  }).detach();
  serving->wait();
  return 0;
}
