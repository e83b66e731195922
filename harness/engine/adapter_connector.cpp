#include "harness/engine/adapter_connector.h"

#include <algorithm>
#include <mutex>

#include "harness/inputs/vendor_descriptor.h"
#include "interfaces/adapter/adapter_client.h"
#include "interfaces/adapter/adapter_launcher.h"
#include "interfaces/adapter/tls_probe.h"

namespace plugfest::harness {
namespace {

using std::chrono::milliseconds;

// One DUT's adapter for the whole run: a process the harness launched, or a connection
// to a bench adapter.
class AdapterSession final : public DutSession {
 public:
  explicit AdapterSession(std::unique_ptr<adapter::LaunchedAdapter> launched)
      : launched_(std::move(launched)), client_(&launched_->client()) {}
  explicit AdapterSession(std::unique_ptr<adapter::AdapterClient> client)
      : owned_client_(std::move(client)), client_(owned_client_.get()) {}
  ~AdapterSession() override { close(); }

  Result<adapter::DeviceDescription> describe() override {
    auto description = client_->describe();
    if (!description) {
      return launched_ ? launched_->explain(description.error()) : description.error();
    }
    return description->device;
  }

  // The adapter process ended, or a call went unanswered past its deadline (a hung or
  // stopped adapter): either way the DUT is written off.
  std::string failure() const override {
    std::lock_guard lock(mutex_);
    if (closed_) return {};
    if (launched_) {
      if (auto ended = launched_->exit_description()) {
        return "the adapter process " + *ended + "; stderr (" +
               launched_->stderr_path().string() +
               "): " + adapter::tail_of_file(launched_->stderr_path());
      }
    }
    if (std::string why = client_->unanswered(); !why.empty()) {
      return "the adapter stopped answering: " + why;
    }
    return {};
  }

  std::shared_ptr<void> extension(std::string_view name) override {
    if (name != kAdapterExtension) return nullptr;
    // Non-owning: the client lives as long as the session.
    return std::shared_ptr<void>(std::shared_ptr<void>{}, client_);
  }

  void close() override {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    if (launched_) launched_->stop();
  }

 private:
  std::unique_ptr<adapter::LaunchedAdapter> launched_;
  std::unique_ptr<adapter::AdapterClient> owned_client_;
  adapter::AdapterClient* client_;
  mutable std::mutex mutex_;
  bool closed_ = false;
};

class AdapterConnector final : public DutConnector {
 public:
  Result<std::unique_ptr<DutSession>> connect(const VendorDescriptor& descriptor,
                                              const ConnectOptions& options) override {
    if (!descriptor.command.empty()) return launch(descriptor, options);
    if (!descriptor.address.empty()) return reach(descriptor, options);
    return Error{"neither command nor address says how to reach the adapter", descriptor.file};
  }

 private:
  static Result<std::unique_ptr<DutSession>> launch(const VendorDescriptor& descriptor,
                                                    const ConnectOptions& options) {
    adapter::LaunchOptions launch;
    launch.name = descriptor.name;
    launch.command = descriptor.command;
    // The descriptor reader has made a relative program path absolute already.
    launch.working_directory = descriptor.base_dir;
    launch.stderr_path = options.evidence_dir / "adapter.stderr";
    launch.ready_timeout = milliseconds(descriptor.startup_timeout_ms);
    launch.call_timeout = milliseconds(descriptor.call_timeout_ms);
    launch.expected_role = descriptor.role;
    launch.cancelled = options.cancelled;
    auto launched = adapter::LaunchedAdapter::launch(std::move(launch));
    if (!launched) return launched.error();
    return std::unique_ptr<DutSession>(new AdapterSession(std::move(*launched)));
  }

  static Result<std::unique_ptr<DutSession>> reach(const VendorDescriptor& descriptor,
                                                   const ConnectOptions& options) {
    adapter::ClientOptions client_options;
    client_options.name = descriptor.name;
    client_options.target = descriptor.address;
    client_options.call_timeout = milliseconds(descriptor.call_timeout_ms);
    client_options.expected_role = descriptor.role;
    if (descriptor.tls) {
      client_options.tls =
          adapter::TlsOptions{descriptor.tls->ca, descriptor.tls->cert, descriptor.tls->key, ""};
    }
    auto client = adapter::AdapterClient::create(client_options);
    if (!client) return client.error();
    auto serving = adapter::wait_until_serving(
        **client, milliseconds(descriptor.startup_timeout_ms), options.cancelled);
    if (!serving) {
      // gRPC retries a refused handshake until the deadline and then only says it got no
      // answer; one handshake of our own says what TLS refused.
      const bool cancelled = options.cancelled && options.cancelled->load();
      if (client_options.tls && !cancelled && descriptor.address.rfind("unix:", 0) != 0) {
        const std::string why =
            adapter::diagnose_tls(descriptor.address, *client_options.tls,
                                  std::clamp(milliseconds(descriptor.startup_timeout_ms),
                                             milliseconds(200), milliseconds(2000)));
        if (!why.empty())
          return Error{why + " (" + serving.error().message + ")", serving.error().where};
      }
      return serving.error();
    }
    return std::unique_ptr<DutSession>(new AdapterSession(std::move(*client)));
  }
};

const bool registered = register_dut_connector([] { return make_adapter_connector(); });

}  // namespace

std::unique_ptr<DutConnector> make_adapter_connector() {
  return std::make_unique<AdapterConnector>();
}

}  // namespace plugfest::harness
