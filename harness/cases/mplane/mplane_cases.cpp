// The O-RU M-plane conformance suite: NETCONF over SSH against the O-RU's management
// endpoint. The endpoint and the accounts come from the adapter's PrepareSession answer
// (ManagementEndpoint: host, port, the sudo account, further accounts per NACM group);
// a DUT whose adapter names none (a real device on a bench) is reached through its lab
// parameters instead: mplane.host, mplane.port (830), mplane.user, mplane.password, and
// mplane.fm-user / mplane.fm-password for an fm-pm account. Every case keeps its NETCONF
// transcripts as artifacts.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/engine/adapter_connector.h"
#include "harness/engine/context.h"
#include "harness/engine/test_case.h"
#include "interfaces/adapter/adapter_client.h"
#include "interfaces/management/netconf_client.h"
#include "interfaces/management/transcript.h"

namespace plugfest::harness {
namespace {

using management::ConnectOptions;
using management::Filter;
using management::NetconfSession;
using management::SshCredentials;

constexpr const char* kUplaneNs = "urn:o-ran:uplane-conf:1.0";
constexpr const char* kSupervisionNs = "urn:o-ran:supervision:1.0";
constexpr const char* kLoopback = "127.0.0.1";

// Where the O-RU's NETCONF server is and the accounts the harness may use.
struct MplaneEndpoint {
  std::string host;
  uint16_t port = 830;
  SshCredentials admin;                            // the sudo account
  std::map<std::string, SshCredentials> by_group;  // further accounts by NACM group
  bool calls_home = false;                         // the device agreed to call the harness home
};

// A bound UDP socket nobody reads: PrepareSession needs the harness's fronthaul end, and
// the M-plane cases exchange no fronthaul.
class IdleUdpEnd {
 public:
  IdleUdpEnd() {
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
  ~IdleUdpEnd() {
    if (fd_ >= 0) ::close(fd_);
  }
  IdleUdpEnd(const IdleUdpEnd&) = delete;
  IdleUdpEnd& operator=(const IdleUdpEnd&) = delete;
  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

// The endpoint from the DUT's lab parameters (a device whose adapter names none).
std::optional<MplaneEndpoint> lab_endpoint(const Parameters& lab) {
  if (!lab.has("mplane.host") && !lab.has("mplane.port")) return std::nullopt;
  MplaneEndpoint endpoint;
  endpoint.host = lab.get_string("mplane.host", kLoopback);
  endpoint.port = static_cast<uint16_t>(lab.get_int("mplane.port", 830));
  endpoint.admin = {lab.get_string("mplane.user", ""), lab.get_string("mplane.password", ""), "",
                    ""};
  if (lab.has("mplane.fm-user")) {
    endpoint.by_group["fm-pm"] = {lab.get_string("mplane.fm-user", ""),
                                  lab.get_string("mplane.fm-password", ""), "", ""};
  }
  return endpoint;
}

// Sessions of one case; their transcripts become artifacts when the case ends.
class Sessions {
 public:
  explicit Sessions(Context& ctx) : ctx_(ctx) {}
  ~Sessions() {
    if (!refused_.empty()) {
      auto path = ctx_.artifact("netconf-refused.txt", "NETCONF session attempts the O-RU refused");
      std::ofstream(path) << refused_;
    }
    int index = 0;
    for (auto& session : sessions_) {
      auto path =
          ctx_.artifact("netconf-" + std::to_string(index++) + ".txt", "NETCONF transcript");
      (void)session->transcript().write(path.string());
      (void)session->close();
    }
  }

  // The DUT's M-plane: asks the adapter (PrepareSession; with `call_home_to`, asking the
  // device to call the harness home there), else the lab parameters. nullptr when there
  // is none; the case has its error then.
  const MplaneEndpoint* endpoint(std::optional<adapter::CallHomeAddress> call_home_to = {}) {
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

  ConnectOptions options(const SshCredentials& credentials) const {
    ConnectOptions options;
    options.host = endpoint_->host;
    options.port = endpoint_->port;
    options.credentials = credentials;
    options.rpc_timeout = std::chrono::milliseconds(5000);
    return options;
  }

  Result<NetconfSession*> open(const ConnectOptions& options) {
    auto session = NetconfSession::connect(options);
    if (!session) {
      refused_ += "connect " + options.host + ":" + std::to_string(options.port) + " as " +
                  options.credentials.username + ": " + session.error().message + "\n";
      return session.error();
    }
    return keep(std::move(*session));
  }

  NetconfSession* keep(std::unique_ptr<NetconfSession> session) {
    sessions_.push_back(std::move(session));
    return sessions_.back().get();
  }

  // The administrator's session; on failure the case errors and nullptr is returned.
  NetconfSession* admin() {
    if (!endpoint()) return nullptr;
    auto session = open(options(endpoint_->admin));
    if (!session) {
      ctx_.fail({"mplane.ssh.connect", ctx_.test_case().clause, Severity::kError,
                 "NETCONF session over SSH failed: " + session.error().message, "ietf-netconf"});
      return nullptr;
    }
    return *session;
  }

  void note_refused(const std::string& line) { refused_ += line + "\n"; }

 private:
  Context& ctx_;
  IdleUdpEnd idle_end_;
  std::optional<MplaneEndpoint> endpoint_;
  std::vector<std::unique_ptr<NetconfSession>> sessions_;
  std::string refused_;
};

void fail(Context& ctx, const std::string& rule, const std::string& message,
          const std::string& where) {
  ctx.fail({rule, ctx.test_case().clause, Severity::kError, message, where});
}

// A reply that is a transport failure is the case's error; an rpc-error is data.
bool check(Context& ctx, const Result<management::Reply>& reply, const std::string& what) {
  if (!reply) {
    fail(ctx, "mplane.netconf.transport", what + ": " + reply.error().message, "ietf-netconf");
    return false;
  }
  return true;
}

std::optional<management::Notification> wait_for(NetconfSession& session, const std::string& name,
                                                 std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto next = session.next_notification(std::chrono::milliseconds(200));
    if (!next) return std::nullopt;
    if (*next && (*next)->content.name == name) return **next;
  }
  return std::nullopt;
}

std::string activate_carriers_edit() {
  return std::string("<user-plane-configuration xmlns=\"") + kUplaneNs +
         "\"><tx-array-carriers><name>tx-carrier-0</name><active>ACTIVE</active>"
         "</tx-array-carriers><rx-array-carriers><name>rx-carrier-0</name><active>ACTIVE</active>"
         "</rx-array-carriers></user-plane-configuration>";
}

std::string watchdog_reset(int interval_s, int guard_s) {
  return std::string("<supervision-watchdog-reset xmlns=\"") + kSupervisionNs +
         "\"><supervision-notification-interval>" + std::to_string(interval_s) +
         "</supervision-notification-interval><guard-timer-overhead>" + std::to_string(guard_s) +
         "</guard-timer-overhead></supervision-watchdog-reset>";
}

std::string tx_carrier_state(NetconfSession& session) {
  auto reply = session.get(Filter::xpath(
      "/o-ran-uplane-conf:user-plane-configuration/tx-array-carriers[name='tx-carrier-0']/state"));
  if (!reply || !reply->ok()) return "?";
  auto states =
      management::find_all(reply->data, "user-plane-configuration/tx-array-carriers/state");
  return states.empty() ? "" : states[0]->text;
}

void ssh_handshake(Context& ctx) {
  Sessions sessions(ctx);
  NetconfSession* session = sessions.admin();
  if (!session) return;
  bool base11 = false, configurable = false;
  for (const auto& capability : session->capabilities()) {
    if (capability.rfind("urn:ietf:params:netconf:base:1.1", 0) == 0) base11 = true;
    // The configuration cases edit the running datastore directly or through candidate
    // (RFC 6241 8.2, 8.3): the device must say which.
    for (const char* writable : {"urn:ietf:params:netconf:capability:writable-running:1.0",
                                 "urn:ietf:params:netconf:capability:candidate:1.0"}) {
      if (capability.rfind(writable, 0) == 0) configurable = true;
    }
  }
  if (!base11)
    fail(ctx, "mplane.hello.base-1.1", "<hello> does not advertise NETCONF base 1.1",
         "ietf-netconf:capabilities");
  if (!configurable)
    fail(ctx, "mplane.hello.no-writable-datastore",
         "<hello> advertises neither :writable-running nor :candidate, so no datastore may be "
         "configured",
         "ietf-netconf:capabilities");
  if (session->session_id() == 0)
    fail(ctx, "mplane.hello.session-id", "<hello> carries no session-id",
         "ietf-netconf:session-id");
  ctx.add_measurement("session_setup", static_cast<double>(session->setup_time().count()), "us");
  ctx.set_verdict(Verdict::kPass);
}

void ssh_invalid_credentials(Context& ctx) {
  Sessions sessions(ctx);
  const MplaneEndpoint* endpoint = sessions.endpoint();
  if (!endpoint) return;
  auto options = sessions.options(endpoint->admin);
  options.credentials.password += "-wrong";
  auto session = sessions.open(options);
  if (session)
    fail(ctx, "mplane.ssh.wrong-password-accepted",
         "SSH password authentication accepted a wrong password for '" +
             options.credentials.username + "'",
         "o-ran-usermgmt:users/user/password");
  ctx.set_verdict(Verdict::kPass);
}

// The O-RU calls the harness home (RFC 8071 over SSH): the harness listens, asks the
// adapter for call home in PrepareSession, and completes NETCONF over the connection the
// O-RU opened. A bench without an adapter sets the lab parameters mplane.call-home-port
// (where the device is configured to call) and mplane.call-home-host (the harness's
// address the device reaches).
void call_home(Context& ctx) {
  Sessions sessions(ctx);
  const Parameters& lab = ctx.dut().lab();
  const std::string address = lab.get_string("mplane.call-home-host", kLoopback);
  auto listener = management::CallHomeListener::listen(
      address, static_cast<uint16_t>(lab.get_int("mplane.call-home-port", 0)), {});
  if (!listener) {
    ctx.error("cannot listen for call home: " + listener.error().message + " at " +
              listener.error().where);
    return;
  }
  const MplaneEndpoint* endpoint =
      sessions.endpoint(adapter::CallHomeAddress{address, (*listener)->port()});
  if (!endpoint) return;
  const std::string where = "ietf-netconf-server:netconf-server/call-home/netconf-client";
  if (!endpoint->calls_home && !lab.has("mplane.call-home-port")) {
    fail(ctx, "mplane.call-home.refused",
         "the O-RU claims call home but its adapter did not agree to call the harness home", where);
    return;
  }
  (*listener)->set_credentials(endpoint->admin);
  const auto timeout =
      std::chrono::milliseconds(ctx.params().get_int("mplane.call-home-timeout-ms", 5000));
  auto accepted = (*listener)->accept(timeout);
  if (!accepted) {
    sessions.note_refused("call home on " + address + ":" + std::to_string((*listener)->port()) +
                          ": " + accepted.error().message);
    fail(ctx, "mplane.call-home.no-connection",
         "no NETCONF call home from the O-RU to " + address + ":" +
             std::to_string((*listener)->port()) + ": " + accepted.error().message,
         where);
    return;
  }
  NetconfSession* session = sessions.keep(std::move(*accepted));
  ctx.add_measurement("call_home_setup", static_cast<double>(session->setup_time().count()), "us");
  auto reply =
      session->get(Filter::subtree(std::string("<supervision xmlns=\"") + kSupervisionNs + "\"/>"));
  if (!check(ctx, reply, "get over the call-home session")) return;
  if (!reply->ok())
    fail(ctx, "mplane.call-home.get", "get over the call-home session: " + reply->error_summary(),
         "o-ran-supervision:supervision");
  ctx.set_verdict(Verdict::kPass);
}

void subscription(Context& ctx) {
  Sessions sessions(ctx);
  NetconfSession* session = sessions.admin();
  if (!session) return;
  auto reply = session->subscribe();
  if (!check(ctx, reply, "create-subscription")) return;
  if (!reply->ok())
    fail(ctx, "mplane.subscription.refused",
         "create-subscription to NETCONF stream refused: " + reply->error_summary(),
         "ietf-netconf-notifications");
  ctx.set_verdict(Verdict::kPass);
}

void supervision(Context& ctx) {
  Sessions sessions(ctx);
  NetconfSession* session = sessions.admin();
  if (!session) return;
  auto reply = session->rpc(watchdog_reset(60, 10));
  if (!check(ctx, reply, "supervision-watchdog-reset")) return;
  if (!reply->ok()) {
    fail(ctx, "mplane.supervision.reset-refused", reply->error_summary(),
         "o-ran-supervision:supervision-watchdog-reset");
  } else if (auto next = management::find_all(reply->data, "next-update-at"); next.empty()) {
    fail(ctx, "mplane.supervision.next-update-at", "reply has no next-update-at",
         "o-ran-supervision:supervision-watchdog-reset/output/next-update-at");
  } else {
    // The next notification is due one interval (60 s) after the reset; the O-RU's clock
    // may differ from the harness's (both are normally synchronised), hence 30 s either way.
    const auto at = management::parse_timestamp(next[0]->text);
    const auto ahead = at ? std::chrono::duration_cast<std::chrono::seconds>(
                                *at - std::chrono::system_clock::now())
                          : std::chrono::seconds(0);
    if (!at || ahead < std::chrono::seconds(30) || ahead > std::chrono::seconds(90))
      fail(ctx, "mplane.supervision.next-update-at",
           "next-update-at '" + next[0]->text + "' is not one supervision interval (60 s) ahead",
           "o-ran-supervision:supervision-watchdog-reset/output/next-update-at");
  }
  ctx.set_verdict(Verdict::kPass);
}

int short_timer(Context& ctx) {
  return static_cast<int>(ctx.params().get_int("mplane.watchdog-interval", 1));
}

// Activates the carriers, lets the watchdog expire; true when the carriers went DISABLED.
// `alarm_seen` tells whether an alarm-notif arrived meanwhile.
bool expire_watchdog(Context& ctx, NetconfSession& session, std::chrono::milliseconds wait,
                     bool* alarm_seen = nullptr) {
  auto edit = session.edit_config(activate_carriers_edit());
  if (!check(ctx, edit, "edit-config")) return false;
  if (!edit->ok()) {
    ctx.error("cannot activate carriers: " + edit->error_summary());
    return false;
  }
  auto sub = session.subscribe();
  if (!check(ctx, sub, "create-subscription")) return false;
  auto reset = session.rpc(watchdog_reset(short_timer(ctx), short_timer(ctx)));
  if (!check(ctx, reset, "supervision-watchdog-reset")) return false;
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < deadline && !ctx.cancelled()) {
    if (tx_carrier_state(session) == "DISABLED") return true;
    auto next = session.next_notification(std::chrono::milliseconds(200));
    if (alarm_seen && next && *next && (*next)->content.name == "alarm-notif") *alarm_seen = true;
  }
  return false;
}

std::chrono::milliseconds expiry_wait(Context& ctx) {
  return std::chrono::milliseconds(4 * short_timer(ctx) * 1000 + 1000);
}

void supervision_expiry(Context& ctx) {
  Sessions sessions(ctx);
  NetconfSession* session = sessions.admin();
  if (!session) return;
  if (!expire_watchdog(ctx, *session, expiry_wait(ctx)) && ctx.verdict() != Verdict::kError)
    fail(ctx, "mplane.supervision.no-expiry",
         "carriers still active after the supervision watchdog expired",
         "o-ran-uplane-conf:user-plane-configuration/tx-array-carriers/state");
  ctx.set_verdict(Verdict::kPass);
}

// Active alarms `session` may see; nullopt when the get failed (the case has its error).
std::optional<std::size_t> active_alarms(Context& ctx, NetconfSession& session,
                                         const std::string& who) {
  auto list = session.get(Filter::subtree("<active-alarm-list xmlns=\"urn:o-ran:fm:1.0\"/>"));
  if (!check(ctx, list, "get active-alarm-list as " + who)) return std::nullopt;
  if (!list->ok()) return 0;
  return management::find_all(list->data, "active-alarm-list/active-alarms").size();
}

// Polls the active alarm list for up to 2 s until it is not empty (it may lag the
// notification); the count, or nullopt when a get failed.
std::optional<std::size_t> await_active_alarms(Context& ctx, NetconfSession& session) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  auto seen = active_alarms(ctx, session, "sudo");
  while (seen && *seen == 0 && std::chrono::steady_clock::now() < until) {
    (void)session.next_notification(std::chrono::milliseconds(100));
    seen = active_alarms(ctx, session, "sudo");
  }
  return seen;
}

void alarms(Context& ctx) {
  Sessions sessions(ctx);
  NetconfSession* session = sessions.admin();
  if (!session) return;
  bool alarm_seen = false;
  if (!expire_watchdog(ctx, *session, expiry_wait(ctx), &alarm_seen)) {
    if (ctx.verdict() != Verdict::kError)
      ctx.set_verdict(Verdict::kInconclusive, "could not stimulate an alarm (watchdog expiry)");
    return;
  }
  if (!alarm_seen && !wait_for(*session, "alarm-notif", std::chrono::seconds(2)))
    fail(ctx, "mplane.alarms.no-notification", "no alarm-notif after the watchdog expired",
         "o-ran-fm:alarm-notif");
  auto listed = await_active_alarms(ctx, *session);
  if (!listed) return;
  if (*listed == 0)
    fail(ctx, "mplane.alarms.not-listed", "active alarm list is empty after the watchdog expired",
         "o-ran-fm:active-alarm-list/active-alarms");
  ctx.set_verdict(Verdict::kPass);
}

void retrieval(Context& ctx) {
  Sessions sessions(ctx);
  NetconfSession* session = sessions.admin();
  if (!session) return;
  auto modules = session->yang_library();
  if (!modules) {
    fail(ctx, "mplane.retrieval.yang-library", modules.error().message,
         "ietf-yang-library:yang-library");
    return;
  }
  for (const char* mandatory : {"o-ran-supervision", "o-ran-operations", "o-ran-uplane-conf",
                                "o-ran-fm", "o-ran-usermgmt", "o-ran-software-management"}) {
    bool found = false;
    for (const auto& module : *modules) found |= module.name == mandatory && module.implemented;
    if (!found)
      fail(ctx, "mplane.retrieval.missing-module",
           std::string("mandatory module ") + mandatory + " is not implemented",
           "ietf-yang-library:yang-library/module-set/module[name='" + std::string(mandatory) +
               "']");
  }
  auto all = session->get();
  if (check(ctx, all, "get") && (!all->ok() || all->data.empty()))
    fail(ctx, "mplane.retrieval.get", "unfiltered <get> returned no data", "/");
  ctx.set_verdict(Verdict::kPass);
}

void retrieval_filtered(Context& ctx) {
  Sessions sessions(ctx);
  NetconfSession* session = sessions.admin();
  if (!session) return;
  auto reply =
      session->get(Filter::subtree(std::string("<supervision xmlns=\"") + kSupervisionNs + "\"/>"));
  if (!check(ctx, reply, "get")) return;
  if (!reply->ok() || reply->data.size() != 1 || reply->data[0].name != "supervision")
    fail(ctx, "mplane.retrieval.subtree-filter",
         "subtree filter did not select exactly supervision", "o-ran-supervision:supervision");
  ctx.set_verdict(Verdict::kPass);
}

// A session as the fm-pm account, or nullptr (then the case is inconclusive or has failed).
NetconfSession* fm_session(Context& ctx, Sessions& sessions) {
  const MplaneEndpoint* endpoint = sessions.endpoint();
  if (!endpoint) return nullptr;
  auto account = endpoint->by_group.find("fm-pm");
  if (account == endpoint->by_group.end()) {
    ctx.set_verdict(Verdict::kInconclusive,
                    "no fm-pm account: neither the adapter nor the lab parameters name one");
    return nullptr;
  }
  auto session = sessions.open(sessions.options(account->second));
  if (!session) {
    fail(ctx, "mplane.ssh.connect", "fm-pm session failed: " + session.error().message,
         "o-ran-usermgmt:users/user");
    return nullptr;
  }
  return *session;
}

// fm-pm reads the alarms sudo sees. NACM hides what a group may not read (RFC 8341 clause
// 3.4.5) instead of refusing, so the case compares both views, raising an alarm first
// (watchdog expiry) when there is none.
void access_control(Context& ctx) {
  Sessions sessions(ctx);
  NetconfSession* admin = sessions.admin();
  if (!admin) return;
  NetconfSession* fm = fm_session(ctx, sessions);
  if (!fm) return;
  auto seen = active_alarms(ctx, *admin, "sudo");
  if (!seen) return;
  if (*seen == 0) {
    if (!expire_watchdog(ctx, *admin, expiry_wait(ctx))) {
      if (ctx.verdict() != Verdict::kError)
        ctx.set_verdict(Verdict::kInconclusive,
                        "no active alarm to read, and none could be raised");
      return;
    }
    seen = await_active_alarms(ctx, *admin);
    if (!seen) return;
    if (*seen == 0) {
      ctx.set_verdict(Verdict::kInconclusive, "the watchdog expired but no alarm became active");
      return;
    }
  }
  auto fm_seen = active_alarms(ctx, *fm, "fm-pm");
  if (!fm_seen) return;
  if (*fm_seen < *seen)
    fail(ctx, "mplane.nacm.fm-read-denied",
         "fm-pm sees " + std::to_string(*fm_seen) + " active alarm(s), sudo sees " +
             std::to_string(*seen) + ": the O-RU hides fault data from the fm-pm group",
         "o-ran-fm:active-alarm-list/active-alarms");
  ctx.set_verdict(Verdict::kPass);
}

void access_control_negative(Context& ctx) {
  Sessions sessions(ctx);
  NetconfSession* fm = fm_session(ctx, sessions);
  if (!fm) return;
  auto edit = fm->edit_config(activate_carriers_edit());
  if (!check(ctx, edit, "edit-config")) return;
  if (edit->ok())
    fail(ctx, "mplane.nacm.fm-write-allowed", "fm-pm account could write the U-plane configuration",
         "o-ran-uplane-conf:user-plane-configuration/tx-array-carriers/active");
  ctx.set_verdict(Verdict::kPass);
}

void configurability(Context& ctx) {
  Sessions sessions(ctx);
  NetconfSession* session = sessions.admin();
  if (!session) return;
  auto bad = session->edit_config(std::string("<user-plane-configuration xmlns=\"") + kUplaneNs +
                                  "\"><tx-array-carriers><name>tx-carrier-0</name><active>"
                                  "FULL-POWER</active></tx-array-carriers>"
                                  "</user-plane-configuration>");
  if (!check(ctx, bad, "edit-config")) return;
  if (bad->ok())
    fail(ctx, "mplane.config.invalid-value-accepted",
         "edit-config accepted an enumeration value outside the schema",
         "o-ran-uplane-conf:user-plane-configuration/tx-array-carriers/active");
  ctx.set_verdict(Verdict::kPass);
}

void duplicate_eaxc(Context& ctx) {
  Sessions sessions(ctx);
  NetconfSession* session = sessions.admin();
  if (!session) return;
  auto edit = session->edit_config(
      std::string("<user-plane-configuration xmlns=\"") + kUplaneNs +
      "\"><low-level-tx-endpoints><name>tx-endpoint-1</name><cp-length>352</cp-length>"
      "<cp-length-other>288</cp-length-other>"
      "<offset-to-absolute-frequency-center>-1638</offset-to-absolute-frequency-center>"
      "<e-axcid><o-du-port-bitmask>61440</o-du-port-bitmask>"
      "<band-sector-bitmask>3840</band-sector-bitmask><ccid-bitmask>240</ccid-bitmask>"
      "<ru-port-bitmask>15</ru-port-bitmask><eaxc-id>0</eaxc-id></e-axcid>"
      "</low-level-tx-endpoints></user-plane-configuration>");
  if (!check(ctx, edit, "edit-config")) return;
  if (edit->ok())
    fail(ctx, "mplane.config.duplicate-eaxc-accepted",
         "two tx endpoints were allowed to share eaxc-id 0",
         "o-ran-uplane-conf:user-plane-configuration/low-level-tx-endpoints/e-axcid/eaxc-id");
  ctx.set_verdict(Verdict::kPass);
}

void software_inventory(Context& ctx) {
  Sessions sessions(ctx);
  NetconfSession* session = sessions.admin();
  if (!session) return;
  auto reply = session->get(
      Filter::subtree("<software-inventory xmlns=\"urn:o-ran:software-management:1.0\"/>"));
  if (!check(ctx, reply, "get")) return;
  if (!reply->ok() || management::find_all(reply->data, "software-inventory/software-slot").empty())
    fail(ctx, "mplane.swm.no-slots", "software inventory lists no software slot",
         "o-ran-software-management:software-inventory/software-slot");
  ctx.set_verdict(Verdict::kPass);
}

// Every case needs an M-plane (capability "mplane"); some need more of it.
TestCase mplane_case(std::string id, std::string title, std::string clause, void (*run)(Context&),
                     std::vector<std::string> requires_capabilities = {"mplane"}) {
  TestCase test_case;
  test_case.requires_capabilities = std::move(requires_capabilities);
  test_case.id = std::move(id);
  test_case.title = std::move(title);
  test_case.plane = "mplane";
  test_case.clause = std::move(clause);
  test_case.role = adapter::Role::kOru;
  test_case.parameters = {{"mplane", ParameterType::kGroup},
                          {"mplane.call-home-timeout-ms", ParameterType::kInteger},
                          {"mplane.watchdog-interval", ParameterType::kInteger}};
  test_case.run = run;
  return test_case;
}

const bool registered = [] {
  const std::vector<TestCase> cases = {
      mplane_case("mplane.ru.ssh-handshake", "NETCONF over SSH session and hello exchange",
                  "O-RAN.WG4.CONF 3.1.1.1", ssh_handshake),
      mplane_case("mplane.ru.ssh-invalid-credentials", "SSH refuses a wrong password",
                  "O-RAN.WG4.CONF 3.1.1.4", ssh_invalid_credentials),
      mplane_case("mplane.ru.call-home", "NETCONF call home over SSH to the harness",
                  "O-RAN.WG4.CONF 3.1.1.3", call_home, {"mplane.call-home"}),
      mplane_case("mplane.ru.subscription", "Subscription to the NETCONF event stream",
                  "O-RAN.WG4.CONF 3.1.1.5", subscription),
      mplane_case("mplane.ru.supervision", "Supervision watchdog reset answers next-update-at",
                  "O-RAN.WG4.CONF 3.1.1.6", supervision),
      mplane_case("mplane.ru.supervision-expiry",
                  "Supervision watchdog expiry deactivates the carriers", "O-RAN.WG4.CONF 3.1.1.7",
                  supervision_expiry),
      mplane_case("mplane.ru.retrieval", "Retrieval without filter and mandatory modules",
                  "O-RAN.WG4.CONF 3.1.2.1", retrieval),
      mplane_case("mplane.ru.retrieval-filtered", "Retrieval with a subtree filter",
                  "O-RAN.WG4.CONF 3.1.2.2", retrieval_filtered),
      mplane_case("mplane.ru.alarms", "Fault management: alarm notification and active list",
                  "O-RAN.WG4.CONF 3.1.3.1", alarms),
      mplane_case("mplane.ru.access-control", "NACM: fm-pm account reads fault data",
                  "O-RAN.WG4.CONF 3.1.4.1", access_control),
      mplane_case("mplane.ru.access-control-negative", "NACM: fm-pm account may not configure",
                  "O-RAN.WG4.CONF 3.1.4.2", access_control_negative),
      mplane_case("mplane.ru.configurability", "edit-config rejects a value outside the schema",
                  "O-RAN.WG4.CONF 3.1.5.1", configurability),
      mplane_case("mplane.ru.duplicate-eaxc", "edit-config rejects a duplicate eAxC ID",
                  "O-RAN.WG4.CONF 3.1.5.2", duplicate_eaxc),
      mplane_case("mplane.ru.software-inventory", "Software inventory lists the slots",
                  "O-RAN.WG4.CONF 3.1.6.1", software_inventory),
  };
  bool ok = true;
  for (const auto& test_case : cases) ok &= register_test_case(test_case);
  return ok;
}();

}  // namespace
}  // namespace plugfest::harness
