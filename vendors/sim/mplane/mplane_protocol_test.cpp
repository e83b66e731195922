// The simulated O-RU's NETCONF protocol operations (RFC 6241): filter forms, datastores,
// locks, session control and rpc-error contents, over real SSH on loopback, requests
// sent as the bytes a client would write.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "interfaces/management/netconf_client.h"
#include "vendors/sim/mplane/mplane_server.h"

namespace plugfest::sim {
namespace {

using management::ConnectOptions;
using management::Filter;
using management::NetconfSession;
using management::Reply;

// Sends `xml` as the operation and fails the test when the session itself fails.
Reply send(NetconfSession& session, const std::string& xml) {
  auto reply = session.rpc(xml);
  EXPECT_TRUE(reply.ok()) << xml << ": " << reply.error().to_string();
  return reply.ok() ? *reply : Reply{};
}

class MplaneProtocolTest : public ::testing::Test {
 protected:
  void SetUp() override { start({}); }

  void start(std::set<MplaneFault> faults) {
    server_.reset();
    MplaneServerConfig config;
    config.users = {{"oru-admin", "admin-secret", "", "sudo"},
                    {"oru-fm", "fm-secret", "", "fm-pm"}};
    config.faults = std::move(faults);
    auto started = MplaneServer::start(std::move(config));
    ASSERT_TRUE(started.ok()) << started.error().to_string();
    server_ = std::move(started.value());
  }

  std::unique_ptr<NetconfSession> connect(const std::string& user = "oru-admin",
                                          const std::string& password = "admin-secret") {
    ConnectOptions options;
    options.port = server_->port();
    options.credentials.username = user;
    options.credentials.password = password;
    auto session = NetconfSession::connect(options);
    EXPECT_TRUE(session.ok()) << session.error().to_string();
    return session.ok() ? std::move(session.value()) : nullptr;
  }

  std::unique_ptr<MplaneServer> server_;
};

constexpr const char* kBase = "urn:ietf:params:xml:ns:netconf:base:1.0";

// `body` ("<get>...</get>") with the base namespace on its element.
std::string op(const std::string& body) {
  const auto name_end = body.find_first_of(" >/");
  return body.substr(0, name_end) + " xmlns=\"" + kBase + "\"" + body.substr(name_end);
}

TEST_F(MplaneProtocolTest, RefuseAllRpcsFaultAnswersEveryRequestWithAnUnrelatedError) {
  start({MplaneFault::kRefuseAllRpcs});
  auto session = connect();
  ASSERT_TRUE(session);
  for (const std::string& request :
       {op("<get/>"), op("<get-config><source><running/></source></get-config>"),
        op("<lock><target><running/></target></lock>"),
        op("<kill-session><session-id>99</session-id></kill-session>")}) {
    Reply reply = send(*session, request);
    ASSERT_EQ(reply.errors.size(), 1u) << request;
    EXPECT_EQ(reply.errors[0].tag, "operation-failed") << request;
    EXPECT_EQ(reply.errors[0].type, "application") << request;
  }
  // The conformant O-RU answers the same requests.
  start({});
  session = connect();
  ASSERT_TRUE(session);
  EXPECT_TRUE(send(*session, op("<get-config><source><running/></source></get-config>")).ok());
}

// RFC 6241 writes the filter's type and select attributes unprefixed; clients send it so.
TEST_F(MplaneProtocolTest, FilterAttributesWithoutPrefixAreAccepted) {
  auto session = connect();
  ASSERT_TRUE(session);
  Reply subtree = send(*session, op("<get><filter type=\"subtree\"><hardware "
                                    "xmlns=\"urn:ietf:params:xml:ns:yang:ietf-hardware\"><component>"
                                    "<name>ru-module</name><serial-num/></component></hardware>"
                                    "</filter></get>"));
  ASSERT_TRUE(subtree.ok()) << subtree.error_summary();
  auto serials = management::find_all(subtree.data, "hardware/component/serial-num");
  ASSERT_EQ(serials.size(), 1u);
  EXPECT_EQ(serials[0]->text, "SIM0000001");
  EXPECT_TRUE(management::find_all(subtree.data, "hardware/component/model-name").empty());

  Reply xpath = send(*session, op("<get><filter type=\"xpath\" "
                                  "xmlns:hw=\"urn:ietf:params:xml:ns:yang:ietf-hardware\" "
                                  "select=\"/hw:hardware/hw:component[hw:name='ru-module']/"
                                  "hw:serial-num\"/></get>"));
  ASSERT_TRUE(xpath.ok()) << xpath.error_summary();
  serials = management::find_all(xpath.data, "hardware/component/serial-num");
  ASSERT_EQ(serials.size(), 1u);
  EXPECT_EQ(serials[0]->text, "SIM0000001");

  Reply config = send(*session, op("<get-config><source><running/></source><filter "
                                   "type=\"subtree\"><supervision xmlns=\"urn:o-ran:supervision:1.0\"/>"
                                   "</filter></get-config>"));
  EXPECT_TRUE(config.ok()) << config.error_summary();
}

bool has_capability(const NetconfSession& session, const std::string& prefix) {
  for (const auto& capability : session.capabilities()) {
    if (capability.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

TEST_F(MplaneProtocolTest, HelloAdvertisesNotificationsSinceSubscriptionsAreServed) {
  auto session = connect();
  ASSERT_TRUE(session);
  EXPECT_TRUE(has_capability(*session, "urn:ietf:params:netconf:capability:notification:1.0"));
  EXPECT_TRUE(has_capability(*session, "urn:ietf:params:netconf:capability:interleave:1.0"));
  auto subscribed = session->subscribe();
  ASSERT_TRUE(subscribed.ok()) << subscribed.error().to_string();
  EXPECT_TRUE(subscribed->ok()) << subscribed->error_summary();
  // Interleave: the session still answers RPCs.
  EXPECT_TRUE(send(*session, op("<get-config><source><running/></source></get-config>")).ok());
}

// The fault hides notifications entirely: neither capability is in <hello>, and a client
// that subscribes anyway is told the operation is not supported. A server started after it
// without the fault advertises both again.
TEST_F(MplaneProtocolTest, NotificationNotAdvertisedHidesBothCapabilitiesAndRefusesSubscribing) {
  start({MplaneFault::kNotificationNotAdvertised});
  auto session = connect();
  ASSERT_TRUE(session);
  EXPECT_FALSE(has_capability(*session, "urn:ietf:params:netconf:capability:notification:1.0"));
  EXPECT_FALSE(has_capability(*session, "urn:ietf:params:netconf:capability:interleave:1.0"));
  auto subscribed = session->subscribe();
  ASSERT_TRUE(subscribed.ok()) << subscribed.error().to_string();
  ASSERT_EQ(subscribed->errors.size(), 1u);
  EXPECT_EQ(subscribed->errors[0].tag, "operation-not-supported");
  EXPECT_EQ(subscribed->errors[0].type, "protocol");
  session.reset();
  start({});
  auto plain = connect();
  ASSERT_TRUE(plain);
  EXPECT_TRUE(has_capability(*plain, "urn:ietf:params:netconf:capability:notification:1.0"));
}

constexpr const char* kMonitoring = "urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring";

// <get-schema> with every element prefixed, as python3-ncclient writes it.
std::string get_schema(const std::string& identifier, const std::string& format,
                       const std::string& extra_namespaces = "") {
  return std::string("<m:get-schema xmlns:m=\"") + kMonitoring + "\"" + extra_namespaces +
         "><m:identifier>" + identifier + "</m:identifier><m:format>" + format +
         "</m:format></m:get-schema>";
}

// The YANG text a get-schema reply carries, or "".
std::string schema_text(const Reply& reply) {
  for (const auto& node : reply.data) {
    if (node.name == "data") return node.text;
  }
  return "";
}

// The project's client validates a request before sending it, so it writes the format
// only as XML declares it; the spellings python3-ncclient writes (unprefixed, or with the
// module name) are tested with ncclient itself (tests/ncclient_sessions_test.py).
TEST_F(MplaneProtocolTest, GetSchemaServesTheYangFormatAndRefusesOthers) {
  auto session = connect();
  ASSERT_TRUE(session);
  Reply reply = send(*session, get_schema("o-ran-supervision", "ncm:yang",
                                          std::string(" xmlns:ncm=\"") + kMonitoring + "\""));
  ASSERT_TRUE(reply.ok()) << reply.error_summary();
  EXPECT_EQ(schema_text(reply).rfind("module o-ran-supervision {", 0), 0u)
      << schema_text(reply).substr(0, 80);
  // A schema-format the O-RU does not serve is a bad value of <format>.
  reply = send(*session, get_schema("o-ran-supervision", "ncm:yin",
                                    std::string(" xmlns:ncm=\"") + kMonitoring + "\""));
  ASSERT_EQ(reply.errors.size(), 1u);
  EXPECT_EQ(reply.errors[0].tag, "invalid-value") << reply.error_summary();
}

constexpr const char* kUplane = "urn:o-ran:uplane-conf:1.0";

// <edit-config> of running with `options` before <config>, carrying `config`.
std::string edit(const std::string& options, const std::string& config,
                 const std::string& target = "running") {
  return op("<edit-config><target><" + target + "/></target>" + options + "<config>" + config +
            "</config></edit-config>");
}

// tx-carrier-0's active leaf, with `attribute` on it (e.g. an nc:operation).
std::string carrier_active(const std::string& value, const std::string& attribute = "") {
  return std::string("<user-plane-configuration xmlns=\"") + kUplane + "\" xmlns:nc=\"" + kBase +
         "\"><tx-array-carriers><name>tx-carrier-0</name><active" + attribute + ">" + value +
         "</active></tx-array-carriers></user-plane-configuration>";
}

std::string running_active(NetconfSession& session, const std::string& datastore = "running") {
  Reply reply = send(session, op("<get-config><source><" + datastore + "/></source><filter "
                                 "type=\"xpath\" xmlns:up=\"" + kUplane + "\" select=\"/up:user-plane-"
                                 "configuration/up:tx-array-carriers[up:name='tx-carrier-0']/"
                                 "up:active\"/></get-config>"));
  auto found = management::find_all(reply.data, "user-plane-configuration/tx-array-carriers/active");
  return found.size() == 1 ? found[0]->text : "?";
}

TEST_F(MplaneProtocolTest, DefaultOperationNoneAppliesOnlyExplicitOperations) {
  auto session = connect();
  ASSERT_TRUE(session);
  ASSERT_EQ(running_active(*session), "INACTIVE");
  const std::string none = "<default-operation>none</default-operation>";
  Reply reply = send(*session, edit(none, carrier_active("ACTIVE")));
  EXPECT_TRUE(reply.ok()) << reply.error_summary();
  EXPECT_EQ(running_active(*session), "INACTIVE") << "default-operation none merged a leaf";

  reply = send(*session, edit(none, carrier_active("ACTIVE", " nc:operation=\"merge\"")));
  EXPECT_TRUE(reply.ok()) << reply.error_summary();
  EXPECT_EQ(running_active(*session), "ACTIVE");

  // An entry the edit only passes through must exist.
  std::string missing = std::string("<user-plane-configuration xmlns=\"") + kUplane +
                        "\" xmlns:nc=\"" + kBase + "\"><tx-array-carriers><name>no-such-carrier"
                        "</name><active nc:operation=\"merge\">ACTIVE</active>"
                        "</tx-array-carriers></user-plane-configuration>";
  reply = send(*session, edit(none, missing));
  ASSERT_EQ(reply.errors.size(), 1u);
  EXPECT_EQ(reply.errors[0].tag, "data-missing");
}

TEST_F(MplaneProtocolTest, LockKeepsOtherSessionsFromLockingAndEditing) {
  auto holder = connect();
  auto other = connect();
  ASSERT_TRUE(holder && other);
  const std::string lock = op("<lock><target><running/></target></lock>");
  const std::string unlock = op("<unlock><target><running/></target></unlock>");
  Reply reply = send(*holder, lock);
  ASSERT_TRUE(reply.ok()) << reply.error_summary();

  reply = send(*other, lock);
  ASSERT_EQ(reply.errors.size(), 1u);
  EXPECT_EQ(reply.errors[0].tag, "lock-denied");
  EXPECT_NE(reply.errors[0].message.find(std::to_string(holder->session_id())), std::string::npos)
      << reply.errors[0].message;
  reply = send(*other, edit("", carrier_active("ACTIVE")));
  ASSERT_EQ(reply.errors.size(), 1u);
  EXPECT_EQ(reply.errors[0].tag, "in-use");
  EXPECT_EQ(running_active(*other), "INACTIVE");
  reply = send(*other, unlock);
  ASSERT_EQ(reply.errors.size(), 1u) << "a session released a lock it does not hold";
  EXPECT_EQ(reply.errors[0].tag, "operation-failed");

  // The holder itself edits; its lock is not granted twice.
  EXPECT_TRUE(send(*holder, edit("", carrier_active("ACTIVE"))).ok());
  EXPECT_EQ(send(*holder, lock).errors.size(), 1u);
  EXPECT_TRUE(send(*holder, unlock).ok());
  EXPECT_TRUE(send(*other, lock).ok());
  // A session's end releases its locks.
  ASSERT_TRUE(other->close().ok());
  other.reset();
  bool relocked = false;
  for (int attempt = 0; attempt < 100 && !relocked; ++attempt) {
    relocked = send(*holder, lock).ok();
    if (!relocked) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(relocked) << "the lock outlived its session";
}

std::string kill(uint32_t id) {
  return op("<kill-session><session-id>" + std::to_string(id) + "</session-id></kill-session>");
}

TEST_F(MplaneProtocolTest, KillSessionEndsTheOtherSessionAndReleasesItsLock) {
  auto killer = connect();
  auto victim = connect();
  ASSERT_TRUE(killer && victim);
  ASSERT_TRUE(send(*victim, op("<lock><target><running/></target></lock>")).ok());
  Reply reply = send(*killer, kill(victim->session_id()));
  EXPECT_TRUE(reply.ok()) << reply.error_summary();
  // The lock went with the session, and the session is gone.
  EXPECT_TRUE(send(*killer, op("<lock><target><running/></target></lock>")).ok());
  auto after = victim->rpc(op("<get-config><source><running/></source></get-config>"));
  EXPECT_FALSE(after.ok() && after->ok()) << "the killed session still answers";

  reply = send(*killer, kill(killer->session_id()));
  ASSERT_EQ(reply.errors.size(), 1u);
  EXPECT_EQ(reply.errors[0].tag, "invalid-value");
  reply = send(*killer, kill(4000000));
  ASSERT_EQ(reply.errors.size(), 1u);
  EXPECT_EQ(reply.errors[0].tag, "invalid-value");
  // NACM: the fm-pm group may not end other sessions.
  auto fm = connect("oru-fm", "fm-secret");
  ASSERT_TRUE(fm);
  reply = send(*fm, kill(killer->session_id()));
  ASSERT_EQ(reply.errors.size(), 1u);
  EXPECT_EQ(reply.errors[0].tag, "access-denied");
}

// S2: the O-RU advertises no :candidate, so it serves no candidate datastore: an edit of
// it is refused (and running stays as it was), and so are reading and locking it.
TEST_F(MplaneProtocolTest, CandidateIsRefusedWhenNotAdvertised) {
  auto session = connect();
  ASSERT_TRUE(session);
  ASSERT_FALSE(has_capability(*session, "urn:ietf:params:netconf:capability:candidate:1.0"));
  Reply reply = send(*session, edit("", carrier_active("ACTIVE"), "candidate"));
  ASSERT_EQ(reply.errors.size(), 1u);
  EXPECT_EQ(reply.errors[0].tag, "operation-not-supported");
  EXPECT_EQ(reply.errors[0].path, "/ietf-netconf:edit-config/target/candidate");
  EXPECT_EQ(running_active(*session), "INACTIVE") << "an edit of candidate changed running";
  reply = send(*session, op("<get-config><source><candidate/></source></get-config>"));
  ASSERT_EQ(reply.errors.size(), 1u);
  EXPECT_EQ(reply.errors[0].tag, "operation-not-supported");
  reply = send(*session, op("<lock><target><candidate/></target></lock>"));
  ASSERT_EQ(reply.errors.size(), 1u);
  EXPECT_EQ(reply.errors[0].tag, "operation-not-supported");
  EXPECT_TRUE(send(*session, edit("", carrier_active("ACTIVE"))).ok());
  EXPECT_EQ(running_active(*session), "ACTIVE");
}

// The fault that hides :writable-running changes nothing else: no :candidate appears, an
// edit of candidate is still refused, and running is edited as the fault says.
TEST_F(MplaneProtocolTest, WritableRunningNotAdvertisedKeepsHelloAndDatastoresConsistent) {
  start({MplaneFault::kWritableRunningNotAdvertised});
  auto session = connect();
  ASSERT_TRUE(session);
  EXPECT_FALSE(has_capability(*session, "urn:ietf:params:netconf:capability:writable-running"));
  EXPECT_FALSE(has_capability(*session, "urn:ietf:params:netconf:capability:candidate"));
  Reply reply = send(*session, edit("", carrier_active("ACTIVE"), "candidate"));
  ASSERT_EQ(reply.errors.size(), 1u);
  EXPECT_EQ(reply.errors[0].tag, "operation-not-supported");
  EXPECT_EQ(running_active(*session), "INACTIVE");
  EXPECT_TRUE(send(*session, edit("", carrier_active("ACTIVE"))).ok());
  EXPECT_EQ(running_active(*session), "ACTIVE");
}

// S6: error-path is the XPath of the offending node; an element the schema lacks is
// unknown-element, a namespace no module has unknown-namespace, a bad value invalid-value.
TEST_F(MplaneProtocolTest, EditErrorsNameTheirTagAndTheOffendingNodesXpath) {
  auto session = connect();
  ASSERT_TRUE(session);
  const std::string carrier = "/o-ran-uplane-conf:user-plane-configuration/"
                              "tx-array-carriers[name='tx-carrier-0']";
  Reply reply = send(*session, edit("", std::string("<user-plane-configuration xmlns=\"") +
                                            kUplane + "\"><tx-array-carriers><name>tx-carrier-0"
                                            "</name><no-such-leaf>1</no-such-leaf>"
                                            "</tx-array-carriers></user-plane-configuration>"));
  ASSERT_EQ(reply.errors.size(), 1u);
  EXPECT_EQ(reply.errors[0].tag, "unknown-element");
  EXPECT_EQ(reply.errors[0].type, "application");
  EXPECT_EQ(reply.errors[0].path, carrier + "/no-such-leaf");

  reply = send(*session, edit("", carrier_active("MAYBE")));
  ASSERT_EQ(reply.errors.size(), 1u);
  EXPECT_EQ(reply.errors[0].tag, "invalid-value");
  EXPECT_EQ(reply.errors[0].path, carrier + "/active");

  reply = send(*session, edit("", "<gadget xmlns=\"urn:example:nobody\"/>"));
  ASSERT_EQ(reply.errors.size(), 1u);
  EXPECT_EQ(reply.errors[0].tag, "unknown-namespace");
  EXPECT_EQ(reply.errors[0].path, "/gadget");

  // A leafref to nothing: found at validation, still located by XPath.
  reply = send(*session, edit("", std::string("<user-plane-configuration xmlns=\"") + kUplane +
                                      "\"><low-level-tx-links><name>link-x</name>"
                                      "<tx-array-carrier>no-such-carrier</tx-array-carrier>"
                                      "</low-level-tx-links></user-plane-configuration>"));
  ASSERT_EQ(reply.errors.size(), 1u);
  EXPECT_EQ(reply.errors[0].path.rfind("/o-ran-uplane-conf:user-plane-configuration/"
                                       "low-level-tx-links[name='link-x']", 0),
            0u)
      << reply.errors[0].path;
}

}  // namespace
}  // namespace plugfest::sim
