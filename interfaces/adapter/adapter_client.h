#pragma once
// AdapterClient: the harness's side of the adapter protocol, in domain types. Every call
// carries a deadline; every failure (unreachable, too slow, error status, an answer that
// fails validation) comes back as an Error naming the adapter, the call and the reason.
// A call left unanswered past its deadline means the adapter is hung (or stopped): every
// later protocol call fails at once with that reason instead of waiting out its own
// deadline, and unanswered() says why.

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "interfaces/adapter/session.h"
#include "interfaces/common/result.h"

namespace plugfest::adapter {

// TLS towards an adapter already running on a lab bench.
struct TlsOptions {
  std::string ca_file;           // PEM: the CA the adapter's certificate must chain to.
  std::string client_cert_file;  // PEM, optional: presented when the adapter asks.
  std::string client_key_file;   // PEM, required with client_cert_file.
  std::string server_name;       // Optional: name to verify instead of the address's host.
};

struct ClientOptions {
  std::string name;    // The DUT's name, for error messages.
  std::string target;  // "unix:/path/to/socket" or "host:port".
  std::optional<TlsOptions> tls;
  std::chrono::milliseconds call_timeout{5000};
  // The role the vendor descriptor declares; Describe answering another role is an error.
  std::optional<Role> expected_role;
};

class AdapterClient {
 public:
  // Creates the channel (connection happens lazily, on the first call). Fails only on
  // unreadable TLS files.
  static Result<std::unique_ptr<AdapterClient>> create(ClientOptions options);
  ~AdapterClient();
  AdapterClient(const AdapterClient&) = delete;
  AdapterClient& operator=(const AdapterClient&) = delete;

  // One health check (grpc.health.v1, service ""): true when SERVING.
  Result<bool> check_health(std::chrono::milliseconds timeout);

  Result<AdapterDescription> describe();
  Result<SessionSetup> prepare_session(const SessionRequest& request);
  // The first slot the stimulus takes effect in, when the adapter says.
  Result<std::optional<SlotPoint>> stimulate(const std::string& session_id,
                                             const Stimulus& stimulus);
  Result<Observation> observe(const std::string& session_id, const ObservationRequest& request);
  Result<FronthaulCounters> counters(const std::string& session_id);
  Result<void> reset(const std::string& session_id);
  Result<void> shutdown();

  // Empty until a protocol call went unanswered past its deadline; then that call's error.
  // Thread-safe.
  std::string unanswered() const;

  // "adapter NAME (TARGET)": the `where` of every Error this client returns.
  const std::string& where() const;
  const ClientOptions& options() const;

 private:
  struct Impl;
  explicit AdapterClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Polls the health service until it answers SERVING, for at most `timeout`; gives up at
// once when `cancelled` becomes true.
Result<void> wait_until_serving(AdapterClient& client, std::chrono::milliseconds timeout,
                                const std::atomic<bool>* cancelled = nullptr);

// Whether a call failed because the adapter answered UNIMPLEMENTED: it has no means for
// it (an O-RU adapter without a UL air-signal source, say), which is not a fault of it.
bool is_not_implemented(const Error& error);

}  // namespace plugfest::adapter
