#include "interfaces/adapter/adapter_server.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string_view>

#include "interfaces/adapter/translate.h"
#include "plugfest/adapter/v1/adapter.grpc.pb.h"

namespace plugfest::adapter {
namespace {

grpc::Status to_status(const Error& error) {
  if (error.where == kUnimplemented) {
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, error.message);
  }
  return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, error.to_string());
}

grpc::Status invalid_request(const Error& error) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, error.to_string());
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot read the file", path};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Translates between the wire and the handler; nothing else.
class Service final : public v1::Adapter::Service {
 public:
  Service(AdapterHandler& handler, std::function<void()> on_shutdown)
      : handler_(handler), on_shutdown_(std::move(on_shutdown)) {}

  grpc::Status Describe(grpc::ServerContext*, const v1::DescribeRequest*,
                        v1::DescribeResponse* response) override {
    auto description = handler_.describe();
    if (!description) return to_status(description.error());
    *response = to_proto(*description);
    return grpc::Status::OK;
  }

  grpc::Status PrepareSession(grpc::ServerContext*, const v1::PrepareSessionRequest* request,
                              v1::PrepareSessionResponse* response) override {
    auto session = from_proto(*request);
    if (!session) return invalid_request(session.error());
    auto setup = handler_.prepare_session(*session);
    if (!setup) return to_status(setup.error());
    *response = to_proto(*setup);
    return grpc::Status::OK;
  }

  grpc::Status Stimulate(grpc::ServerContext*, const v1::StimulateRequest* request,
                         v1::StimulateResponse* response) override {
    auto stimulus = from_proto(*request);
    if (!stimulus) return invalid_request(stimulus.error());
    auto first_slot = handler_.stimulate(request->session_id(), *stimulus);
    if (!first_slot) return to_status(first_slot.error());
    *response = to_proto(*first_slot);
    return grpc::Status::OK;
  }

  grpc::Status Observe(grpc::ServerContext*, const v1::ObserveRequest* request,
                       v1::ObserveResponse* response) override {
    auto what = from_proto(*request);
    if (!what) return invalid_request(what.error());
    auto observation = handler_.observe(request->session_id(), *what);
    if (!observation) return to_status(observation.error());
    *response = to_proto(*observation);
    return grpc::Status::OK;
  }

  grpc::Status Counters(grpc::ServerContext*, const v1::CountersRequest* request,
                        v1::CountersResponse* response) override {
    auto counters = handler_.counters(request->session_id());
    if (!counters) return to_status(counters.error());
    *response = to_proto(*counters);
    return grpc::Status::OK;
  }

  grpc::Status Reset(grpc::ServerContext*, const v1::ResetRequest* request,
                     v1::ResetResponse*) override {
    auto done = handler_.reset(request->session_id());
    if (!done) return to_status(done.error());
    return grpc::Status::OK;
  }

  grpc::Status Shutdown(grpc::ServerContext*, const v1::ShutdownRequest*,
                        v1::ShutdownResponse*) override {
    on_shutdown_();
    return grpc::Status::OK;
  }

 private:
  AdapterHandler& handler_;
  std::function<void()> on_shutdown_;
};

}  // namespace

struct AdapterServer::Impl {
  std::mutex mutex;
  std::condition_variable shutdown_requested;
  bool stopping = false;
  int port = 0;
  std::unique_ptr<Service> service;
  std::unique_ptr<grpc::Server> server;
};

AdapterServer::AdapterServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

AdapterServer::~AdapterServer() {
  if (impl_->server) impl_->server->Shutdown(std::chrono::system_clock::now());
}

Result<std::unique_ptr<AdapterServer>> AdapterServer::start(AdapterHandler& handler,
                                                            const std::string& address,
                                                            const std::optional<ServerTls>& tls) {
  if (address.empty()) return Error{"no listen address given", "adapter server"};
  auto impl = std::make_unique<Impl>();
  Impl* raw = impl.get();
  impl->service = std::make_unique<Service>(handler, [raw] {
    std::lock_guard lock(raw->mutex);
    raw->stopping = true;
    raw->shutdown_requested.notify_all();
  });
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (tls) {
    auto cert = read_file(tls->cert_file);
    if (!cert) return cert.error();
    auto key = read_file(tls->key_file);
    if (!key) return key.error();
    grpc::SslServerCredentialsOptions ssl(
        tls->client_ca_file.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                    : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    ssl.pem_key_cert_pairs.push_back({*key, *cert});
    if (!tls->client_ca_file.empty()) {
      auto ca = read_file(tls->client_ca_file);
      if (!ca) return ca.error();
      ssl.pem_root_certs = *ca;
    }
    credentials = grpc::SslServerCredentials(ssl);
  }
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, credentials, &impl->port);
  builder.RegisterService(impl->service.get());
  impl->server = builder.BuildAndStart();
  if (!impl->server) {
    return Error{tls ? "cannot listen (address in use or invalid, or the TLS certificate and key "
                       "do not fit together?)"
                     : "cannot listen (address in use or invalid?)",
                 address};
  }
  // The default health service answers SERVING for "" once the server runs.
  return std::unique_ptr<AdapterServer>(new AdapterServer(std::move(impl)));
}

void AdapterServer::set_serving(bool serving) {
  if (auto* health = impl_->server->GetHealthCheckService()) health->SetServingStatus(serving);
}

int AdapterServer::port() const { return impl_->port; }

void AdapterServer::request_shutdown() {
  std::lock_guard lock(impl_->mutex);
  impl_->stopping = true;
  impl_->shutdown_requested.notify_all();
}

void AdapterServer::wait(std::chrono::milliseconds grace) {
  {
    std::unique_lock lock(impl_->mutex);
    impl_->shutdown_requested.wait(lock, [this] { return impl_->stopping; });
  }
  impl_->server->Shutdown(std::chrono::system_clock::now() + grace);
}

namespace {

// The value of `--NAME VALUE` or `--NAME=VALUE`, or nullopt when absent.
std::optional<std::string> flag_value(int argc, const char* const* argv, std::string_view name) {
  const std::string flag = "--" + std::string(name);
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == flag && i + 1 < argc) return std::string(argv[i + 1]);
    if (arg.starts_with(flag + "=")) return std::string(arg.substr(flag.size() + 1));
  }
  return std::nullopt;
}

}  // namespace

std::string listen_address(int argc, const char* const* argv) {
  if (auto listen = flag_value(argc, argv, "listen")) return *listen;
  const char* env = std::getenv(kListenEnvironmentVariable);
  return env ? env : "";
}

Result<std::optional<ServerTls>> server_tls_options(int argc, const char* const* argv) {
  const auto cert = flag_value(argc, argv, "tls-cert");
  const auto key = flag_value(argc, argv, "tls-key");
  const auto client_ca = flag_value(argc, argv, "tls-client-ca");
  if (!cert && !key && !client_ca) return std::optional<ServerTls>{};
  if (!cert || !key) {
    return Error{"--tls-cert and --tls-key go together (and --tls-client-ca needs both)",
                 "command line"};
  }
  ServerTls tls{*cert, *key, client_ca.value_or("")};
  for (const auto& [flag, path] :
       {std::pair{"--tls-cert", tls.cert_file}, std::pair{"--tls-key", tls.key_file},
        std::pair{"--tls-client-ca", tls.client_ca_file}}) {
    if (path.empty() && std::string_view(flag) == "--tls-client-ca") continue;
    if (!std::ifstream(path)) return Error{std::string(flag) + ": cannot read the file", path};
  }
  return std::optional<ServerTls>{std::move(tls)};
}

std::string plaintext_listen_warning(const std::string& address,
                                     const std::optional<ServerTls>& tls) {
  if (tls || address.rfind("unix:", 0) == 0) return {};
  return "serving the adapter protocol on " + address +
         " without TLS: anyone who can reach it reads the M-plane credentials and may call "
         "Shutdown; serve with --tls-cert, --tls-key and --tls-client-ca (mutual TLS)";
}

std::string port_file_option(int argc, const char* const* argv) {
  return flag_value(argc, argv, "port-file").value_or("");
}

Result<void> write_port_file(const std::string& path, int port) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << "\n";
    if (!out.flush()) return Error{"cannot write the port file", tmp};
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return Error{"cannot rename the port file into place", path};
  }
  return {};
}

}  // namespace plugfest::adapter
