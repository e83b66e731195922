#pragma once
// AdapterServer: serves the adapter protocol for a C++ adapter written against domain
// types (AdapterHandler), plus the standard health service. The server only translates;
// what the device does is the handler's business.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "interfaces/adapter/session.h"
#include "interfaces/common/result.h"

namespace plugfest::adapter {

inline constexpr const char* kUnimplemented = "unimplemented";

// What a C++ adapter implements. Calls may arrive on several threads at once. An Error
// becomes a FAILED_PRECONDITION status carrying the error's text, or UNIMPLEMENTED when its
// `where` is kUnimplemented (the adapter has no means for that call, e.g. no UL air-signal
// source for Stimulate).
class AdapterHandler {
 public:
  virtual ~AdapterHandler() = default;
  virtual Result<AdapterDescription> describe() = 0;
  virtual Result<SessionSetup> prepare_session(const SessionRequest& request) = 0;
  virtual Result<std::optional<SlotPoint>> stimulate(const std::string& session_id,
                                                     const Stimulus& stimulus) = 0;
  virtual Result<Observation> observe(const std::string& session_id,
                                      const ObservationRequest& request) = 0;
  virtual Result<FronthaulCounters> counters(const std::string& session_id) = 0;
  virtual Result<void> reset(const std::string& session_id) = 0;
};

// TLS of the adapter's listening port. With client_ca_file the TLS is mutual: a client
// that presents no certificate, or one that does not chain to that CA, is refused in the
// handshake, before any call (GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY).
struct ServerTls {
  std::string cert_file;       // PEM certificate chain of the adapter.
  std::string key_file;        // PEM private key.
  std::string client_ca_file;  // Optional: when set, clients must present a cert from it.
};

class AdapterServer {
 public:
  // Listens on `address` ("unix:/path" or "host:port"; port 0 picks a free one) and
  // starts serving on background threads.
  static Result<std::unique_ptr<AdapterServer>> start(AdapterHandler& handler,
                                                      const std::string& address,
                                                      const std::optional<ServerTls>& tls = {});
  ~AdapterServer();

  // The TCP port bound (0 for unix sockets).
  int port() const;
  // Blocks until a Shutdown call arrives or request_shutdown() is called, then stops
  // serving (calls still running get `grace` to finish).
  void wait(std::chrono::milliseconds grace = std::chrono::milliseconds(500));
  void request_shutdown();
  // What the health service answers for "" (SERVING once started).
  void set_serving(bool serving);

 private:
  struct Impl;
  explicit AdapterServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The listen address the harness gave an adapter: `--listen ADDRESS` on the command line,
// else the PLUGFEST_ADAPTER_LISTEN environment variable; empty when neither is set.
std::string listen_address(int argc, const char* const* argv);

// The TLS an adapter serves with, from its command line: `--tls-cert PEM --tls-key PEM
// [--tls-client-ca PEM]` (each also as --flag=VALUE). nullopt when none is given; an
// error naming the flag when they are incomplete or a file cannot be read.
Result<std::optional<ServerTls>> server_tls_options(int argc, const char* const* argv);

// What an adapter should say on stderr before serving plaintext on a TCP address (anyone
// who reaches the port reads the M-plane credentials PrepareSession hands out and may call
// Shutdown); "" for unix sockets and for TLS.
std::string plaintext_listen_warning(const std::string& address,
                                     const std::optional<ServerTls>& tls);

// `--port-file PATH` on the command line, or "": where an adapter listening on port 0
// writes the port it got (write_port_file), for scripts and tests.
std::string port_file_option(int argc, const char* const* argv);
// Writes "PORT\n" to `path` atomically (a temporary beside it, then rename).
Result<void> write_port_file(const std::string& path, int port);

// Environment variable carrying the listen address (see adapter.proto).
inline constexpr const char* kListenEnvironmentVariable = "PLUGFEST_ADAPTER_LISTEN";

}  // namespace plugfest::adapter
