#include "harness/cases/mplane/mplane_support.h"

#include <arpa/inet.h>
#include <netdb.h>

#include <algorithm>
#include <fstream>

#include "harness/engine/adapter_connector.h"
#include "harness/engine/test_case.h"

namespace plugfest::harness::mplane {
namespace {

// The endpoint from the DUT's lab parameters (a device whose adapter names none).
std::optional<MplaneEndpoint> lab_endpoint(const Parameters& lab) {
  if (!lab.has("mplane.host") && !lab.has("mplane.port")) return std::nullopt;
  MplaneEndpoint endpoint;
  endpoint.host = lab.get_string("mplane.host", kLoopback);
  endpoint.port = static_cast<uint16_t>(lab.get_int("mplane.port", 830));
  endpoint.admin = {lab.get_string("mplane.user", ""), lab.get_string("mplane.password", ""),
                    lab.get_string("mplane.public-key", ""),
                    lab.get_string("mplane.private-key", "")};
  if (lab.has("mplane.fm-user")) {
    endpoint.by_group["fm-pm"] = {lab.get_string("mplane.fm-user", ""),
                                  lab.get_string("mplane.fm-password", ""), "", ""};
  }
  return endpoint;
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

IdleUdpEnd::IdleUdpEnd() {
  fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) == 0 &&
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port_ = ntohs(address.sin_port);
  }
}

IdleUdpEnd::~IdleUdpEnd() {
  if (fd_ >= 0) ::close(fd_);
}

Sessions::~Sessions() {
  if (!refused_.empty()) {
    auto path = ctx_.artifact("netconf-refused.txt", "NETCONF session attempts the O-RU refused");
    std::ofstream(path) << refused_;
  }
  int index = 0;
  for (auto& session : sessions_) {
    (void)session->close();
    auto path = ctx_.artifact("netconf-" + std::to_string(index++) + ".txt", "NETCONF transcript");
    (void)session->transcript().write(path.string());
  }
}

const MplaneEndpoint* Sessions::endpoint(std::optional<adapter::CallHomeAddress> call_home_to) {
  if (endpoint_ && !call_home_to) return &*endpoint_;
  auto client = ctx_.extension<adapter::AdapterClient>(ctx_.dut(), kAdapterExtension);
  if (client) {
    adapter::SessionRequest request;
    request.session_id = ctx_.item_id() + "#mplane";
    request.harness_endpoint = adapter::UdpEndpoint{kLoopback, idle_end_.port()};
    request.management_call_home = call_home_to;
    auto answer = client->prepare_session(request);
    if (!answer) {
      ctx_.error(answer.error().where + ": " + answer.error().message);
      return nullptr;
    }
    if (answer->management) {
      const adapter::ManagementEndpoint& m = *answer->management;
      endpoint_ = MplaneEndpoint{m.host, m.port, {m.user, m.password, "", ""}, {}, m.call_home};
      for (const auto& account : m.accounts)
        endpoint_->by_group.emplace(account.group,
                                    SshCredentials{account.user, account.password, "", ""});
      return &*endpoint_;
    }
  }
  endpoint_ = lab_endpoint(ctx_.dut().lab());
  if (!endpoint_) {
    ctx_.error(std::string("no M-plane endpoint: ") +
               (client ? "the adapter's PrepareSession names none"
                       : "the DUT's connection offers no adapter") +
               " and the lab parameters have no mplane.host / mplane.port");
    return nullptr;
  }
  return &*endpoint_;
}

ConnectOptions Sessions::options(const SshCredentials& credentials) const {
  ConnectOptions options;
  options.host = endpoint_->host;
  options.port = endpoint_->port;
  options.credentials = credentials;
  options.rpc_timeout = std::chrono::milliseconds(5000);
  return options;
}

Result<NetconfSession*> Sessions::open(const ConnectOptions& options) {
  auto session = NetconfSession::connect(options);
  if (!session) {
    refused_ += "connect " + options.host + ":" + std::to_string(options.port) + " as " +
                options.credentials.username + ": " + session.error().message + "\n";
    return session.error();
  }
  return keep(std::move(*session));
}

NetconfSession* Sessions::keep(std::unique_ptr<NetconfSession> session) {
  sessions_.push_back(std::move(session));
  return sessions_.back().get();
}

bool Sessions::reachable() const {
  if (!endpoint_) return false;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(endpoint_->host.c_str(), std::to_string(endpoint_->port).c_str(), &hints,
                    &found) != 0) {
    return false;
  }
  bool connected = false;
  for (addrinfo* at = found; at && !connected; at = at->ai_next) {
    int fd = ::socket(at->ai_family, at->ai_socktype | SOCK_CLOEXEC, at->ai_protocol);
    if (fd < 0) continue;
    connected = ::connect(fd, at->ai_addr, at->ai_addrlen) == 0;
    ::close(fd);
  }
  ::freeaddrinfo(found);
  return connected;
}

NetconfSession* Sessions::open_or_judge(const SshCredentials& credentials,
                                        const std::string& who) {
  if (!endpoint()) return nullptr;
  auto session = open(options(credentials));
  if (session) return *session;
  if (!reachable()) {
    ctx_.error("the M-plane endpoint " + endpoint_->host + ":" + std::to_string(endpoint_->port) +
               " does not accept TCP connections: " + session.error().message);
    return nullptr;
  }
  fail(ctx_, "mplane.ssh.connect",
       "NETCONF session over SSH as " + who + " failed: " + session.error().message,
       "ietf-netconf");
  return nullptr;
}

NetconfSession* Sessions::admin() {
  if (!endpoint()) return nullptr;
  return open_or_judge(endpoint_->admin, "the sudo account");
}

void fail(Context& ctx, const std::string& rule, const std::string& message,
          const std::string& where) {
  ctx.fail({rule, ctx.test_case().clause, Severity::kError, message, where});
}

bool check(Context& ctx, const Result<Reply>& reply, const std::string& what) {
  if (!reply) {
    fail(ctx, "mplane.netconf.transport", what + ": " + reply.error().message, "ietf-netconf");
    return false;
  }
  return true;
}

std::string describe_errors(const Reply& reply) {
  if (reply.errors.empty()) return "<ok/>";
  std::string out;
  for (const auto& error : reply.errors) {
    if (!out.empty()) out += "; ";
    out += error.type + "/" + error.tag;
    if (!error.app_tag.empty()) out += " app-tag=" + error.app_tag;
    if (!error.path.empty()) out += " path=" + error.path;
    if (!error.message.empty()) out += ": " + error.message;
  }
  return out;
}

std::string ExpectedRefusal::describe() const {
  auto alternatives = [](const std::vector<std::string>& list) {
    std::string out;
    for (const auto& item : list) out += (out.empty() ? "" : " or ") + item;
    return out.empty() ? std::string("any") : out;
  };
  std::string out = "error-type " + alternatives(types) + ", error-tag " + alternatives(tags);
  if (!app_tag.empty()) out += ", error-app-tag " + app_tag;
  if (!path_names.empty()) out += ", an error-path naming " + path_names;
  return out;
}

bool is_refusal(const Reply& reply, const ExpectedRefusal& expected) {
  for (const auto& error : reply.errors) {
    if (!contains(expected.types, error.type) || !contains(expected.tags, error.tag)) continue;
    if (!expected.app_tag.empty() && error.app_tag != expected.app_tag) continue;
    if (!expected.path_names.empty() && !error.path.empty() &&
        error.path.find(expected.path_names) == std::string::npos) {
      continue;
    }
    return true;
  }
  return false;
}

std::optional<ConfigChange> configure(Context& ctx, NetconfSession& session,
                                      const std::string& config_xml) {
  using management::Datastore;
  const bool candidate = session.has_capability(management::kCandidateCapability);
  if (!candidate && !session.has_capability(management::kWritableRunningCapability)) {
    fail(ctx, "mplane.hello.no-writable-datastore",
         "<hello> advertises neither :writable-running nor :candidate, so no datastore may be "
         "configured",
         "ietf-netconf:capabilities");
    return std::nullopt;
  }
  const Datastore target = candidate ? Datastore::kCandidate : Datastore::kRunning;
  auto edit = session.edit_config(config_xml, management::EditOperation::kMerge, target);
  if (!check(ctx, edit, "edit-config of " + std::string(to_string(target)))) return std::nullopt;
  if (!edit->ok() || !candidate) {
    if (!edit->ok() && candidate) (void)session.discard_changes();
    return ConfigChange{edit->ok(), *edit, "edit-config"};
  }
  const bool confirmed = session.has_capability(management::kConfirmedCommitCapability);
  auto commit = session.commit(confirmed ? std::optional(std::chrono::seconds(60)) : std::nullopt);
  if (!check(ctx, commit, "commit")) return std::nullopt;
  if (commit->ok() && confirmed) {
    commit = session.commit();
    if (!check(ctx, commit, "confirming commit")) return std::nullopt;
  }
  if (!commit->ok()) (void)session.discard_changes();
  return ConfigChange{commit->ok(), *commit, "commit"};
}

std::optional<UplaneInventory> discover_uplane(Context& ctx, NetconfSession& session) {
  const std::string filter = std::string("<user-plane-configuration xmlns=\"") + kUplaneNs + "\"/>";
  auto config = session.get_config(Filter::subtree(filter));
  if (!check(ctx, config, "get-config of user-plane-configuration")) return std::nullopt;
  if (!config->ok()) {
    fail(ctx, "mplane.uplane.unreadable",
         "get-config of user-plane-configuration refused: " + describe_errors(*config),
         "o-ran-uplane-conf:user-plane-configuration");
    return std::nullopt;
  }
  UplaneInventory inventory;
  for (const auto* node : management::find_all(config->data, "user-plane-configuration/tx-array-carriers")) {
    inventory.tx_carriers.push_back(node->text_of("name"));
    inventory.active_of[node->text_of("name")] = node->text_of("active");
  }
  for (const auto* node : management::find_all(config->data, "user-plane-configuration/rx-array-carriers")) {
    inventory.rx_carriers.push_back(node->text_of("name"));
    inventory.active_of[node->text_of("name")] = node->text_of("active");
  }
  for (const auto* node :
       management::find_all(config->data, "user-plane-configuration/low-level-tx-endpoints")) {
    inventory.tx_endpoints.push_back({node->text_of("name"), node->text_of("e-axcid/eaxc-id"), *node});
  }
  auto state = session.get(Filter::subtree(std::string("<user-plane-configuration xmlns=\"") +
                                           kUplaneNs + "\"><static-low-level-tx-endpoints/>"
                                           "</user-plane-configuration>"));
  if (state && state->ok()) {
    for (const auto* node : management::find_all(
             state->data, "user-plane-configuration/static-low-level-tx-endpoints")) {
      inventory.static_tx_endpoints.push_back(node->text_of("name"));
    }
  }
  return inventory;
}

NetconfSession* fm_session(Context& ctx, Sessions& sessions) {
  const MplaneEndpoint* endpoint = sessions.endpoint();
  if (!endpoint) return nullptr;
  auto account = endpoint->by_group.find("fm-pm");
  if (account == endpoint->by_group.end()) {
    ctx.set_verdict(Verdict::kInconclusive,
                    "no fm-pm account: neither the adapter nor the lab parameters name one");
    return nullptr;
  }
  return sessions.open_or_judge(account->second, "the fm-pm account");
}

TestCase mplane_case(std::string id, std::string title, std::string conformance_test,
                     std::string clause, void (*run)(Context&),
                     std::vector<std::string> requires_capabilities) {
  TestCase test_case;
  test_case.requires_capabilities = std::move(requires_capabilities);
  test_case.id = std::move(id);
  test_case.title = std::move(title);
  test_case.plane = "mplane";
  test_case.clause = std::move(clause);
  test_case.conformance_test = std::move(conformance_test);
  test_case.role = adapter::Role::kOru;
  test_case.parameters = {{"mplane", ParameterType::kGroup},
                          {"mplane.call-home-timeout-ms", ParameterType::kInteger},
                          {"mplane.watchdog-interval", ParameterType::kInteger}};
  test_case.run = run;
  return test_case;
}

}  // namespace plugfest::harness::mplane
