// The O-RU M-plane conformance suite: NETCONF over SSH against the O-RU's management
// endpoint. The endpoint and the accounts come from the adapter's PrepareSession answer
// (ManagementEndpoint: host, port, the sudo account, further accounts per NACM group);
// a DUT whose adapter names none (a real device on a bench) is reached through its lab
// parameters instead: mplane.host, mplane.port (830), mplane.user, mplane.password (or
// mplane.public-key and mplane.private-key, files of a key pair), and mplane.fm-user /
// mplane.fm-password for an fm-pm account. Every case keeps its NETCONF
// transcripts as artifacts.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/cases/mplane/mplane_support.h"
#include "harness/engine/test_case.h"
#include "interfaces/management/netconf_client.h"
#include "interfaces/management/transcript.h"

namespace plugfest::harness::mplane {
namespace {

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

// The edit that activates one tx and one rx carrier of those the device has.
std::string activate_carriers_edit(const UplaneInventory& inventory) {
  return std::string("<user-plane-configuration xmlns=\"") + kUplaneNs +
         "\"><tx-array-carriers><name>" + management::xml_escape(inventory.tx_carriers.front()) +
         "</name><active>ACTIVE</active></tx-array-carriers><rx-array-carriers><name>" +
         management::xml_escape(inventory.rx_carriers.front()) +
         "</name><active>ACTIVE</active></rx-array-carriers></user-plane-configuration>";
}

std::string watchdog_reset(int interval_s, int guard_s) {
  return std::string("<supervision-watchdog-reset xmlns=\"") + kSupervisionNs +
         "\"><supervision-notification-interval>" + std::to_string(interval_s) +
         "</supervision-notification-interval><guard-timer-overhead>" + std::to_string(guard_s) +
         "</guard-timer-overhead></supervision-watchdog-reset>";
}

std::string tx_carrier_state(NetconfSession& session, const std::string& carrier) {
  auto reply = session.get(Filter::xpath(
      "/o-ran-uplane-conf:user-plane-configuration/tx-array-carriers[name='" + carrier +
      "']/state"));
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
  // The session must also carry an operation: a device that says hello and refuses
  // everything after it has no working M-plane.
  auto modules = session->yang_library();
  if (!modules)
    fail(ctx, "mplane.hello.session-unusable",
         "the session answers no <get> of ietf-yang-library: " + modules.error().message,
         "ietf-yang-library");
  ctx.add_measurement("session_setup", static_cast<double>(session->setup_time().count()), "us");
  ctx.set_verdict(Verdict::kPass);
}

// Precondition: the valid credentials open a session on the same server in this case.
// Stimulus: the same account with a wrong password. Expected: SSH user authentication
// refuses it (RFC 4252 clause 5), the TCP connection itself being accepted.
void ssh_invalid_credentials(Context& ctx) {
  Sessions sessions(ctx);
  const MplaneEndpoint* endpoint = sessions.endpoint();
  if (!endpoint) return;
  auto valid = sessions.open(sessions.options(endpoint->admin));
  if (!valid) {
    if (!sessions.reachable()) {
      ctx.error("the M-plane endpoint " + endpoint->host + ":" + std::to_string(endpoint->port) +
                " does not accept TCP connections: " + valid.error().message);
    } else {
      ctx.set_verdict(Verdict::kInconclusive,
                      "precondition not met: the valid credentials of '" +
                          endpoint->admin.username + "' were refused too: " +
                          valid.error().message);
    }
    return;
  }
  // The account must do more than authenticate: its session answers an operation.
  if (auto modules = (*valid)->yang_library(); !modules) {
    ctx.set_verdict(Verdict::kInconclusive,
                    "precondition not met: the session of '" + endpoint->admin.username +
                        "' with valid credentials answers no <get>: " + modules.error().message);
    return;
  }
  auto options = sessions.options(endpoint->admin);
  options.credentials.password += "-wrong";
  // Only the password is offered: an account that also has a key pair must not get in
  // with the key instead.
  options.credentials.public_key_path.clear();
  options.credentials.private_key_path.clear();
  auto session = sessions.open(options);
  if (session) {
    fail(ctx, "mplane.ssh.wrong-password-accepted",
         "SSH password authentication accepted a wrong password for '" +
             options.credentials.username + "'",
         "o-ran-usermgmt:users/user/password");
    return;
  }
  const std::string& why = session.error().message;
  if (why.find("uthenticat") == std::string::npos) {
    ctx.set_verdict(Verdict::kInconclusive,
                    "the session with a wrong password failed, but not at SSH authentication: " +
                        why);
    return;
  }
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

// Whether the <hello> advertises :notification:1.0 (RFC 5277 clause 3.1), without which a
// client may not subscribe; fails the case naming the capability when it does not.
bool notifications_advertised(Context& ctx, NetconfSession& session) {
  if (session.has_capability(management::kNotificationCapability)) return true;
  fail(ctx, "mplane.hello.no-notification",
       std::string("<hello> does not advertise ") + management::kNotificationCapability +
           ", so no subscription may be created",
       "ietf-netconf:capabilities");
  return false;
}

void subscription(Context& ctx) {
  Sessions sessions(ctx);
  NetconfSession* session = sessions.admin();
  if (!session) return;
  if (!notifications_advertised(ctx, *session)) return;
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
    fail(ctx, "mplane.supervision.next-update-at",
         std::string("reply has no next-update-at") +
             (reply->data.empty() ? " (it answered <ok/>: the watchdog is not implemented)" : ""),
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

// Activates a tx and an rx carrier of the device, lets the watchdog expire; true when the
// tx carrier went DISABLED. `alarm_seen` tells whether an alarm-notif arrived meanwhile.
bool expire_watchdog(Context& ctx, NetconfSession& session, std::chrono::milliseconds wait,
                     bool* alarm_seen = nullptr) {
  auto inventory = discover_uplane(ctx, session);
  if (!inventory) return false;
  if (inventory->tx_carriers.empty() || inventory->rx_carriers.empty()) {
    ctx.set_verdict(Verdict::kInconclusive,
                    "the device configures no tx or no rx array carrier to activate");
    return false;
  }
  auto change = configure(ctx, session, activate_carriers_edit(*inventory));
  if (!change) return false;
  if (!change->applied) {
    ctx.set_verdict(Verdict::kInconclusive,
                    "cannot activate the carriers: " + change->step + " refused: " +
                        describe_errors(change->refusal));
    return false;
  }
  // The alarms are watched only where the device offers notifications at all.
  if (session.has_capability(management::kNotificationCapability)) {
    auto sub = session.subscribe();
    if (!check(ctx, sub, "create-subscription")) return false;
  }
  auto reset = session.rpc(watchdog_reset(short_timer(ctx), short_timer(ctx)));
  if (!check(ctx, reset, "supervision-watchdog-reset")) return false;
  if (!reset->ok()) {
    ctx.set_verdict(Verdict::kInconclusive,
                    "supervision-watchdog-reset refused: " + describe_errors(*reset));
    return false;
  }
  const std::string carrier = inventory->tx_carriers.front();
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < deadline && !ctx.cancelled()) {
    if (tx_carrier_state(session, carrier) == "DISABLED") return true;
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
  if (!expire_watchdog(ctx, *session, expiry_wait(ctx)) && ctx.verdict() == Verdict::kNone)
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
  if (!notifications_advertised(ctx, *session)) return;
  bool alarm_seen = false;
  if (!expire_watchdog(ctx, *session, expiry_wait(ctx), &alarm_seen)) {
    if (ctx.verdict() == Verdict::kNone)
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
  if (!reply->ok())
    fail(ctx, "mplane.retrieval.subtree-filter",
         "subtree-filtered <get> refused: " + describe_errors(*reply),
         "o-ran-supervision:supervision");
  else if (reply->data.empty())
    fail(ctx, "mplane.retrieval.no-supervision",
         "subtree-filtered <get> of supervision returned no data: the device holds no "
         "o-ran-supervision:supervision to select",
         "o-ran-supervision:supervision");
  else if (reply->data.size() != 1 || reply->data[0].name != "supervision") {
    std::string selected;
    for (const auto& node : reply->data) selected += (selected.empty() ? "" : ", ") + node.name;
    fail(ctx, "mplane.retrieval.subtree-filter",
         "subtree filter on supervision selected " + selected + " instead of supervision alone",
         "o-ran-supervision:supervision");
  }
  ctx.set_verdict(Verdict::kPass);
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
      if (ctx.verdict() == Verdict::kNone)
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

void software_inventory(Context& ctx) {
  Sessions sessions(ctx);
  NetconfSession* session = sessions.admin();
  if (!session) return;
  auto reply = session->get(
      Filter::subtree("<software-inventory xmlns=\"urn:o-ran:software-management:1.0\"/>"));
  if (!check(ctx, reply, "get")) return;
  if (!reply->ok())
    fail(ctx, "mplane.swm.unreadable", "get of software-inventory refused: " + describe_errors(*reply),
         "o-ran-software-management:software-inventory");
  else if (management::find_all(reply->data, "software-inventory/software-slot").empty())
    fail(ctx, "mplane.swm.no-slots", "software inventory lists no software slot",
         "o-ran-software-management:software-inventory/software-slot");
  ctx.set_verdict(Verdict::kPass);
}

const bool registered = [] {
  const std::vector<TestCase> cases = {
      mplane_case("mplane.ru.ssh-handshake", "NETCONF over SSH session and hello exchange",
                  "O-RAN.WG4.CONF 3.1.1.1", "RFC 6241 8.1; RFC 6242", ssh_handshake),
      mplane_case("mplane.ru.ssh-invalid-credentials", "SSH refuses a wrong password",
                  "O-RAN.WG4.CONF 3.1.1.2", "RFC 6242 3; RFC 4252 5", ssh_invalid_credentials),
      mplane_case("mplane.ru.call-home", "NETCONF call home over SSH to the harness",
                  "O-RAN.WG4.CONF 3.1.1.1", "RFC 8071 3", call_home, {"mplane.call-home"}),
      mplane_case("mplane.ru.subscription", "Subscription to the NETCONF event stream",
                  "O-RAN.WG4.CONF 3.1.2.1", "RFC 5277 2.1", subscription),
      mplane_case("mplane.ru.supervision", "Supervision watchdog reset answers next-update-at",
                  "O-RAN.WG4.CONF 3.1.3.1", "o-ran-supervision supervision-watchdog-reset",
                  supervision),
      mplane_case("mplane.ru.supervision-expiry",
                  "Supervision watchdog expiry deactivates the carriers", "O-RAN.WG4.CONF 3.1.3.2",
                  "o-ran-supervision supervision-watchdog-reset", supervision_expiry),
      mplane_case("mplane.ru.retrieval", "Retrieval without filter and mandatory modules",
                  "O-RAN.WG4.CONF 3.1.4.1", "RFC 6241 7.7; RFC 8525", retrieval),
      mplane_case("mplane.ru.retrieval-filtered", "Retrieval with a subtree filter",
                  "O-RAN.WG4.CONF 3.1.4.2", "RFC 6241 6", retrieval_filtered),
      mplane_case("mplane.ru.alarms", "Fault management: alarm notification and active list",
                  "O-RAN.WG4.CONF 3.1.5.1, 3.1.5.2", "o-ran-fm alarm-notif, active-alarm-list",
                  alarms),
      mplane_case("mplane.ru.access-control", "NACM: fm-pm account reads fault data",
                  "O-RAN.WG4.CONF 3.1.8.4", "RFC 8341 3.4.5", access_control),
      mplane_case("mplane.ru.software-inventory", "Software inventory lists the slots",
                  "O-RAN.WG4.CONF 3.1.6.1", "o-ran-software-management software-inventory",
                  software_inventory),
  };
  bool ok = true;
  for (const auto& test_case : cases) ok &= register_test_case(test_case);
  return ok;
}();

}  // namespace
}  // namespace plugfest::harness::mplane
