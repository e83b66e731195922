#include "interfaces/adapter/adapter_client.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "interfaces/adapter/translate.h"
#include "plugfest/adapter/v1/adapter.grpc.pb.h"

namespace plugfest::adapter {
namespace {

namespace health = ::grpc::health::v1;

Result<std::string> read_pem(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{std::string(what) + ": cannot read the file", path};
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().empty()) return Error{std::string(what) + ": the file is empty", path};
  return text.str();
}

std::string code_name(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    default:
      return "status " + std::to_string(static_cast<int>(code));
  }
}

}  // namespace

struct AdapterClient::Impl {
  ClientOptions options;
  std::string where;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::Adapter::Stub> stub;
  std::unique_ptr<health::Health::Stub> health_stub;
  mutable std::mutex unanswered_mutex;
  std::string unanswered;  // the first call that got no answer within its deadline

  Error status_error(std::string_view call, const grpc::Status& status,
                     std::chrono::milliseconds timeout) const {
    std::string message(call);
    switch (status.error_code()) {
      case grpc::StatusCode::DEADLINE_EXCEEDED:
        message += ": no answer within " + std::to_string(timeout.count()) +
                   " ms (the adapter is hung or too slow)";
        break;
      case grpc::StatusCode::UNAVAILABLE:
        message += ": adapter unreachable (" + status.error_message() + ")";
        break;
      case grpc::StatusCode::UNIMPLEMENTED:
        message += ": not implemented by the adapter";
        if (!status.error_message().empty()) message += " (" + status.error_message() + ")";
        break;
      default:
        message += ": the adapter answered " + code_name(status.error_code()) + ": " +
                   status.error_message();
    }
    return Error{message, where};
  }

  Error invalid_answer(std::string_view call, const Error& error) const {
    return Error{std::string(call) + ": invalid answer: " + error.to_string(), where};
  }

  // One unary call with the configured deadline.
  template <typename Response, typename Request, typename Method>
  Result<Response> call(std::string_view name, Method method, const Request& request) {
    {
      std::lock_guard lock(unanswered_mutex);
      if (!unanswered.empty()) {
        return Error{std::string(name) + ": not sent, the adapter stopped answering (" +
                         unanswered + ")",
                     where};
      }
    }
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + options.call_timeout);
    Response response;
    const grpc::Status status = (stub.get()->*method)(&context, request, &response);
    if (!status.ok()) {
      Error error = status_error(name, status, options.call_timeout);
      if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
        std::lock_guard lock(unanswered_mutex);
        if (unanswered.empty()) unanswered = error.message;
      }
      return error;
    }
    return response;
  }

  // Translates a successful answer; a translation failure is an invalid answer.
  template <typename Domain, typename Proto>
  Result<Domain> translate(std::string_view name, Result<Proto> answer) {
    if (!answer) return answer.error();
    auto domain = from_proto(*answer);
    if (!domain) return invalid_answer(name, domain.error());
    return std::move(*domain);
  }
};

AdapterClient::AdapterClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AdapterClient::~AdapterClient() = default;

Result<std::unique_ptr<AdapterClient>> AdapterClient::create(ClientOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->where = "adapter " + options.name + " (" + options.target + ")";
  grpc::ChannelArguments args;
  // Fast reconnects: readiness is polled right after launch, when the socket may not
  // accept yet, and the default back-off would add a second to every start-up.
  // GRPC_ARG_MIN_RECONNECT_BACKOFF_MS stays at its default: gRPC also uses it as the
  // minimum connect (and TLS handshake) timeout.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 20);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 200);
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (options.tls) {
    grpc::SslCredentialsOptions ssl;
    auto ca = read_pem(options.tls->ca_file, "TLS CA certificate");
    if (!ca) return ca.error();
    ssl.pem_root_certs = *ca;
    if (!options.tls->client_cert_file.empty()) {
      auto cert = read_pem(options.tls->client_cert_file, "TLS client certificate");
      if (!cert) return cert.error();
      auto key = read_pem(options.tls->client_key_file, "TLS client key");
      if (!key) return key.error();
      ssl.pem_cert_chain = *cert;
      ssl.pem_private_key = *key;
    }
    if (!options.tls->server_name.empty()) {
      args.SetSslTargetNameOverride(options.tls->server_name);
    }
    credentials = grpc::SslCredentials(ssl);
  } else {
    credentials = grpc::InsecureChannelCredentials();
  }
  impl->channel = grpc::CreateCustomChannel(options.target, credentials, args);
  impl->stub = v1::Adapter::NewStub(impl->channel);
  impl->health_stub = health::Health::NewStub(impl->channel);
  impl->options = std::move(options);
  return std::unique_ptr<AdapterClient>(new AdapterClient(std::move(impl)));
}

std::string AdapterClient::unanswered() const {
  std::lock_guard lock(impl_->unanswered_mutex);
  return impl_->unanswered;
}

Result<bool> AdapterClient::check_health(std::chrono::milliseconds timeout) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  // Waits for the connection within the deadline instead of failing at once while the
  // adapter is still starting.
  context.set_wait_for_ready(true);
  health::HealthCheckRequest request;
  health::HealthCheckResponse response;
  const grpc::Status status = impl_->health_stub->Check(&context, request, &response);
  if (!status.ok()) return impl_->status_error("health check", status, timeout);
  return response.status() == health::HealthCheckResponse::SERVING;
}

Result<AdapterDescription> AdapterClient::describe() {
  v1::DescribeRequest request;
  request.set_harness_protocol_version(static_cast<v1::ProtocolVersion>(kProtocolVersion));
  auto description = impl_->translate<AdapterDescription>(
      "Describe",
      impl_->call<v1::DescribeResponse>("Describe", &v1::Adapter::Stub::Describe, request));
  if (!description) return description;
  const auto& expected = impl_->options.expected_role;
  if (expected && description->device.role != *expected) {
    return impl_->invalid_answer(
        "Describe",
        Error{"role: the adapter describes an " + std::string(to_string(description->device.role)) +
                  " but the vendor descriptor says " + std::string(to_string(*expected)),
              "DescribeResponse"});
  }
  return description;
}

Result<SessionSetup> AdapterClient::prepare_session(const SessionRequest& request) {
  return impl_->translate<SessionSetup>(
      "PrepareSession",
      impl_->call<v1::PrepareSessionResponse>("PrepareSession", &v1::Adapter::Stub::PrepareSession,
                                              to_proto(request)));
}

Result<std::optional<SlotPoint>> AdapterClient::stimulate(const std::string& session_id,
                                                          const Stimulus& stimulus) {
  return impl_->translate<std::optional<SlotPoint>>(
      "Stimulate", impl_->call<v1::StimulateResponse>("Stimulate", &v1::Adapter::Stub::Stimulate,
                                                      to_proto(session_id, stimulus)));
}

Result<Observation> AdapterClient::observe(const std::string& session_id,
                                           const ObservationRequest& request) {
  return impl_->translate<Observation>(
      "Observe", impl_->call<v1::ObserveResponse>("Observe", &v1::Adapter::Stub::Observe,
                                                  to_proto(session_id, request)));
}

Result<FronthaulCounters> AdapterClient::counters(const std::string& session_id) {
  v1::CountersRequest request;
  request.set_session_id(session_id);
  return impl_->translate<FronthaulCounters>(
      "Counters",
      impl_->call<v1::CountersResponse>("Counters", &v1::Adapter::Stub::Counters, request));
}

Result<void> AdapterClient::reset(const std::string& session_id) {
  v1::ResetRequest request;
  request.set_session_id(session_id);
  auto answer = impl_->call<v1::ResetResponse>("Reset", &v1::Adapter::Stub::Reset, request);
  if (!answer) return answer.error();
  return {};
}

Result<void> AdapterClient::shutdown() {
  auto answer = impl_->call<v1::ShutdownResponse>("Shutdown", &v1::Adapter::Stub::Shutdown,
                                                  v1::ShutdownRequest{});
  if (!answer) return answer.error();
  return {};
}

Result<void> wait_until_serving(AdapterClient& client, std::chrono::milliseconds timeout,
                                const std::atomic<bool>* cancelled) {
  using std::chrono::milliseconds;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  Error last{"no answer", client.where()};
  while (std::chrono::steady_clock::now() < deadline) {
    if (cancelled && cancelled->load()) {
      return Error{"cancelled while waiting for the adapter to become healthy", client.where()};
    }
    const auto left =
        std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    auto serving = client.check_health(std::clamp(left, milliseconds(1), milliseconds(200)));
    if (serving && *serving) return {};
    last = serving ? Error{"health check answered NOT_SERVING", client.where()} : serving.error();
    std::this_thread::sleep_for(milliseconds(10));
  }
  return Error{
      "not healthy within " + std::to_string(timeout.count()) + " ms (last: " + last.message + ")",
      client.where()};
}

const std::string& AdapterClient::where() const { return impl_->where; }
const ClientOptions& AdapterClient::options() const { return impl_->options; }

bool is_not_implemented(const Error& error) {
  return error.message.find(": not implemented by the adapter") != std::string::npos;
}

}  // namespace plugfest::adapter
