// The simulated O-RU's NETCONF server against the harness's client, over real SSH on
// loopback.

#include "vendors/sim/mplane/mplane_server.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "interfaces/management/netconf_client.h"
#include "vendors/sim/mplane/test_pki.h"

namespace plugfest::sim {
namespace {

using management::ConnectOptions;
using management::Filter;
using management::NetconfSession;

MplaneServerConfig test_config() {
  MplaneServerConfig config;
  config.users = {{"oru-admin", "admin-secret", "", "sudo"},
                  {"oru-nms", "nms-secret", "", "nms"},
                  {"oru-fm", "fm-secret", "", "fm-pm"},
                  {"oru-swm", "swm-secret", "", "swm"}};
  return config;
}

ConnectOptions options_for(const MplaneServer& server, std::string user, std::string password) {
  ConnectOptions options;
  options.port = server.port();
  options.credentials.username = std::move(user);
  options.credentials.password = std::move(password);
  return options;
}

class MplaneServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start({}); }

  void start(std::set<MplaneFault> faults) {
    server_.reset();
    auto config = test_config();
    config.faults = std::move(faults);
    config.on_carriers_changed = [this](const std::vector<ActiveCarrier>& carriers) {
      std::lock_guard lock(carriers_mutex_);
      carriers_ = carriers;
      ++carrier_updates_;
    };
    auto started = MplaneServer::start(std::move(config));
    ASSERT_TRUE(started.ok()) << started.error().to_string();
    server_ = std::move(started.value());
    ASSERT_NE(server_->port(), 0);
  }

  std::unique_ptr<NetconfSession> connect(const std::string& user = "oru-admin",
                                          const std::string& password = "admin-secret") {
    auto session = NetconfSession::connect(options_for(*server_, user, password));
    EXPECT_TRUE(session.ok()) << session.error().to_string();
    return session.ok() ? std::move(session.value()) : nullptr;
  }

  std::vector<ActiveCarrier> carriers() {
    std::lock_guard lock(carriers_mutex_);
    return carriers_;
  }

  std::unique_ptr<MplaneServer> server_;
  std::mutex carriers_mutex_;
  std::vector<ActiveCarrier> carriers_;
  std::atomic<int> carrier_updates_{0};
};

constexpr const char* kUplaneNs = "urn:o-ran:uplane-conf:1.0";

std::string activate_carriers_edit() {
  return std::string("<user-plane-configuration xmlns=\"") + kUplaneNs +
         "\"><tx-array-carriers><name>tx-carrier-0</name><active>ACTIVE</active>"
         "</tx-array-carriers><rx-array-carriers><name>rx-carrier-0</name><active>ACTIVE</active>"
         "</rx-array-carriers></user-plane-configuration>";
}

// A second tx endpoint reusing eaxc-id 0 of tx-endpoint-0.
std::string duplicate_eaxc_edit() {
  return std::string("<user-plane-configuration xmlns=\"") + kUplaneNs +
         "\"><low-level-tx-endpoints><name>tx-endpoint-1</name><cp-length>352</cp-length>"
         "<cp-length-other>288</cp-length-other>"
         "<offset-to-absolute-frequency-center>-1638</offset-to-absolute-frequency-center>"
         "<e-axcid><o-du-port-bitmask>61440</o-du-port-bitmask>"
         "<band-sector-bitmask>3840</band-sector-bitmask><ccid-bitmask>240</ccid-bitmask>"
         "<ru-port-bitmask>15</ru-port-bitmask><eaxc-id>0</eaxc-id></e-axcid>"
         "</low-level-tx-endpoints></user-plane-configuration>";
}

std::string invalid_value_edit() {
  return std::string("<user-plane-configuration xmlns=\"") + kUplaneNs +
         "\"><tx-array-carriers><name>tx-carrier-0</name><active>FULL-POWER</active>"
         "</tx-array-carriers></user-plane-configuration>";
}

std::string carrier_state(NetconfSession& session, const std::string& carrier) {
  auto reply =
      session.get(Filter::xpath("/o-ran-uplane-conf:user-plane-configuration/"
                                "tx-array-carriers[name='" +
                                carrier + "']/state"));
  if (!reply.ok() || !reply->ok()) return "?";
  auto states =
      management::find_all(reply->data, "user-plane-configuration/tx-array-carriers/state");
  return states.empty() ? "" : states[0]->text;
}

TEST_F(MplaneServerTest, GetWithSubtreeFilterReturnsOnlyTheSelectedModule) {
  auto session = connect();
  ASSERT_TRUE(session);
  EXPECT_GT(session->session_id(), 0u);
  auto reply = session->get(Filter::subtree("<supervision xmlns=\"urn:o-ran:supervision:1.0\"/>"));
  ASSERT_TRUE(reply.ok()) << reply.error().to_string();
  ASSERT_TRUE(reply->ok()) << reply->error_summary();
  ASSERT_EQ(reply->data.size(), 1u);
  EXPECT_EQ(reply->data[0].name, "supervision");
  EXPECT_EQ(reply->data[0].ns, "urn:o-ran:supervision:1.0");
  EXPECT_EQ(reply->data[0].text_of("cu-plane-monitoring/configured-cu-monitoring-interval"), "160");
}

TEST_F(MplaneServerTest, XpathFilterSelectsOneLeaf) {
  auto session = connect();
  ASSERT_TRUE(session);
  auto reply = session->get(Filter::xpath(
      "/o-ran-supervision:supervision/cu-plane-monitoring/configured-cu-monitoring-interval"));
  ASSERT_TRUE(reply.ok()) << reply.error().to_string();
  ASSERT_TRUE(reply->ok()) << reply->error_summary();
  auto leaves = management::find_all(
      reply->data, "supervision/cu-plane-monitoring/configured-cu-monitoring-interval");
  ASSERT_EQ(leaves.size(), 1u);
  EXPECT_EQ(leaves[0]->text, "160");
}

TEST_F(MplaneServerTest, YangLibraryListsTheImplementedModules) {
  auto session = connect();
  ASSERT_TRUE(session);
  auto modules = session->yang_library();
  ASSERT_TRUE(modules.ok()) << modules.error().to_string();
  auto has = [&](const std::string& name) {
    return std::any_of(modules->begin(), modules->end(),
                       [&](const auto& module) { return module.name == name; });
  };
  EXPECT_TRUE(has("o-ran-supervision"));
  EXPECT_TRUE(has("ietf-netconf"));
  auto schema = session->get_schema("o-ran-supervision");
  ASSERT_TRUE(schema.ok()) << schema.error().to_string();
  EXPECT_NE(schema->find("module o-ran-supervision"), std::string::npos);
}

TEST_F(MplaneServerTest, WrongPasswordIsRefused) {
  auto session = NetconfSession::connect(options_for(*server_, "oru-admin", "not-the-password"));
  EXPECT_FALSE(session.ok());
}

TEST_F(MplaneServerTest, WrongPasswordIsAcceptedUnderTheFault) {
  start({MplaneFault::kWrongCredentialsAccepted});
  auto session = NetconfSession::connect(options_for(*server_, "oru-admin", "not-the-password"));
  EXPECT_TRUE(session.ok());
}

TEST_F(MplaneServerTest, WatchdogResetAnswersNextUpdateAndTranscriptRecordsIt) {
  auto session = connect();
  ASSERT_TRUE(session);
  auto reply = session->rpc(
      "<supervision-watchdog-reset xmlns=\"urn:o-ran:supervision:1.0\">"
      "<supervision-notification-interval>30</supervision-notification-interval>"
      "<guard-timer-overhead>5</guard-timer-overhead></supervision-watchdog-reset>");
  ASSERT_TRUE(reply.ok()) << reply.error().to_string();
  ASSERT_TRUE(reply->ok()) << reply->error_summary();
  ASSERT_EQ(reply->data.size(), 1u);
  EXPECT_EQ(reply->data[0].name, "next-update-at");
  EXPECT_FALSE(reply->data[0].text.empty());
  std::string transcript = session->transcript().to_text();
  EXPECT_NE(transcript.find(">>> <rpc"), std::string::npos);
  EXPECT_NE(transcript.find("next-update-at"), std::string::npos);
  EXPECT_FALSE(session->timings().empty());
}

TEST_F(MplaneServerTest, UnknownOperationIsAnRpcErrorNotAFailure) {
  auto session = connect();
  ASSERT_TRUE(session);
  // The O-RU has no startup datastore (kill-session, used here before, is served now).
  auto reply = session->rpc(
      "<lock xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">"
      "<target><startup/></target></lock>");
  ASSERT_TRUE(reply.ok()) << reply.error().to_string();
  ASSERT_FALSE(reply->ok());
  EXPECT_EQ(reply->errors[0].tag, "operation-not-supported");
}

TEST_F(MplaneServerTest, ActivatedCarriersReachTheFronthaulCallbackAndReportReady) {
  auto session = connect();
  ASSERT_TRUE(session);
  EXPECT_EQ(carrier_state(*session, "tx-carrier-0"), "DISABLED");
  auto reply = session->edit_config(activate_carriers_edit());
  ASSERT_TRUE(reply.ok()) << reply.error().to_string();
  ASSERT_TRUE(reply->ok()) << reply->error_summary();
  EXPECT_EQ(carrier_state(*session, "tx-carrier-0"), "READY");
  auto active = carriers();
  ASSERT_EQ(active.size(), 2u);
  EXPECT_EQ(active[0].direction, ActiveCarrier::Direction::kTx);
  EXPECT_EQ(active[0].name, "tx-carrier-0");
  EXPECT_EQ(active[0].center_of_channel_bandwidth_hz, 3500000000u);
  EXPECT_EQ(active[0].eaxc_ids, std::vector<uint16_t>{0});
  EXPECT_EQ(server_->active_carriers().size(), 2u);
}

TEST_F(MplaneServerTest, DuplicateEaxcIsRejectedAndAcceptedUnderTheFault) {
  auto session = connect();
  ASSERT_TRUE(session);
  auto reply = session->edit_config(duplicate_eaxc_edit());
  ASSERT_TRUE(reply.ok()) << reply.error().to_string();
  ASSERT_FALSE(reply->ok());
  EXPECT_NE(reply->errors[0].message.find("eaxc-id 0"), std::string::npos)
      << reply->error_summary();

  start({MplaneFault::kDuplicateEaxcAccepted});
  session = connect();
  ASSERT_TRUE(session);
  reply = session->edit_config(duplicate_eaxc_edit());
  ASSERT_TRUE(reply.ok());
  EXPECT_TRUE(reply->ok()) << reply->error_summary();
}

TEST_F(MplaneServerTest, InvalidValueIsRejectedAndAcceptedUnderTheFault) {
  auto session = connect();
  ASSERT_TRUE(session);
  auto reply = session->edit_config(invalid_value_edit());
  ASSERT_TRUE(reply.ok()) << reply.error().to_string();
  ASSERT_FALSE(reply->ok());
  EXPECT_EQ(reply->errors[0].tag, "invalid-value");

  start({MplaneFault::kInvalidEditAccepted});
  session = connect();
  ASSERT_TRUE(session);
  reply = session->edit_config(invalid_value_edit());
  ASSERT_TRUE(reply.ok());
  EXPECT_TRUE(reply->ok()) << reply->error_summary();
}

TEST_F(MplaneServerTest, NacmGroupsLimitWritesAndReads) {
  auto fm = connect("oru-fm", "fm-secret");
  ASSERT_TRUE(fm);
  auto denied = fm->edit_config(activate_carriers_edit());
  ASSERT_TRUE(denied.ok());
  ASSERT_FALSE(denied->ok());
  EXPECT_EQ(denied->errors[0].tag, "access-denied");
  auto alarms = fm->get(Filter::subtree("<active-alarm-list xmlns=\"urn:o-ran:fm:1.0\"/>"));
  ASSERT_TRUE(alarms.ok());
  EXPECT_TRUE(alarms->ok()) << alarms->error_summary();
  auto users = fm->get(Filter::subtree("<users xmlns=\"urn:o-ran:user-mgmt:1.0\"/>"));
  ASSERT_TRUE(users.ok());
  EXPECT_TRUE(users->data.empty());
  auto reset = fm->rpc("<supervision-watchdog-reset xmlns=\"urn:o-ran:supervision:1.0\"/>");
  ASSERT_TRUE(reset.ok());
  EXPECT_FALSE(reset->ok());

  auto admin = connect();
  ASSERT_TRUE(admin);
  users = admin->get(Filter::subtree("<users xmlns=\"urn:o-ran:user-mgmt:1.0\"/>"));
  ASSERT_TRUE(users.ok());
  EXPECT_EQ(management::find_all(users->data, "users/user").size(), 4u);

  start({MplaneFault::kRoleEscalationAllowed});
  fm = connect("oru-fm", "fm-secret");
  ASSERT_TRUE(fm);
  auto escalated = fm->edit_config(activate_carriers_edit());
  ASSERT_TRUE(escalated.ok());
  EXPECT_TRUE(escalated->ok()) << escalated->error_summary();
}

// Waits for the next notification named `name`, skipping others.
std::optional<management::Notification> wait_for(NetconfSession& session, const std::string& name,
                                                 std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto next = session.next_notification(std::chrono::milliseconds(200));
    if (!next.ok()) return std::nullopt;
    if (*next && (*next)->content.name == name) return **next;
  }
  return std::nullopt;
}

TEST_F(MplaneServerTest, WatchdogExpiryDeactivatesCarriersAndRaisesAnAlarm) {
  auto session = connect();
  ASSERT_TRUE(session);
  ASSERT_TRUE(session->edit_config(activate_carriers_edit())->ok());
  ASSERT_TRUE(session->subscribe()->ok());
  auto reset = session->rpc(
      "<supervision-watchdog-reset xmlns=\"urn:o-ran:supervision:1.0\">"
      "<supervision-notification-interval>1</supervision-notification-interval>"
      "<guard-timer-overhead>1</guard-timer-overhead></supervision-watchdog-reset>");
  ASSERT_TRUE(reset.ok() && reset->ok());
  EXPECT_TRUE(wait_for(*session, "supervision-notification", std::chrono::seconds(5)));
  auto alarm = wait_for(*session, "alarm-notif", std::chrono::seconds(5));
  ASSERT_TRUE(alarm);
  EXPECT_EQ(alarm->content.text_of("fault-severity"), "MAJOR");
  EXPECT_FALSE(alarm->event_time.empty());
  EXPECT_EQ(carrier_state(*session, "tx-carrier-0"), "DISABLED");
  EXPECT_TRUE(carriers().empty());
  auto list = session->get(Filter::subtree("<active-alarm-list xmlns=\"urn:o-ran:fm:1.0\"/>"));
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(management::find_all(list->data, "active-alarm-list/active-alarms").size(), 1u);
}

TEST_F(MplaneServerTest, MissingMandatoryModuleIsAbsentFromYangLibrary) {
  start({MplaneFault::kMissingMandatoryModule});
  auto session = connect();
  ASSERT_TRUE(session);
  auto modules = session->yang_library();
  ASSERT_TRUE(modules.ok());
  for (const auto& module : *modules) EXPECT_NE(module.name, "o-ran-operations");
}

TEST_F(MplaneServerTest, PublicKeyAuthentication) {
  auto dir = std::filesystem::temp_directory_path() /
             ("plugfest-mplane-key-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string key = (dir / "id_rsa").string();
  std::string command = "ssh-keygen -q -t rsa -b 2048 -N '' -f " + key + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream public_file(key + ".pub");
  std::string public_line;
  std::getline(public_file, public_line);

  server_.reset();
  auto config = test_config();
  config.users.push_back({"oru-key", "", public_line, "nms"});
  auto started = MplaneServer::start(config);
  ASSERT_TRUE(started.ok()) << started.error().to_string();
  server_ = std::move(started.value());
  ConnectOptions options;
  options.port = server_->port();
  options.credentials = {"oru-key", "", key + ".pub", key};
  auto session = NetconfSession::connect(options);
  EXPECT_TRUE(session.ok()) << session.error().to_string();
  options.credentials.username = "oru-admin";  // a user without this key
  EXPECT_FALSE(NetconfSession::connect(options).ok());
  std::filesystem::remove_all(dir);
}

TEST_F(MplaneServerTest, TlsClientCertificateNamesTheAccountAndNacmApplies) {
  auto dir = std::filesystem::temp_directory_path() /
             ("plugfest-mplane-tls-" + std::to_string(::getpid()));
  auto other = dir / "other";
  std::filesystem::create_directories(other);
  if (!make_test_pki(dir, "ca", {"oru-admin", "oru-fm", "nobody"}) ||
      !make_test_pki(other, "other-ca", {"oru-admin"})) {
    std::filesystem::remove_all(dir);
    GTEST_SKIP() << "the openssl command line is needed to make test certificates";
  }
  server_.reset();
  auto config = test_config();
  config.tls = MplaneTlsConfig{(dir / "server.pem").string(), (dir / "server.key").string(),
                               (dir / "ca.pem").string(), 0};
  auto started = MplaneServer::start(config);
  ASSERT_TRUE(started.ok()) << started.error().to_string();
  server_ = std::move(started.value());
  ASSERT_NE(server_->tls_port(), 0);
  auto tls_options = [&](const std::filesystem::path& folder, const std::string& name) {
    ConnectOptions options;
    options.port = server_->tls_port();
    options.tls =
        management::TlsCredentials{(folder / (name + ".pem")).string(),
                                   (folder / (name + ".key")).string(), (dir / "ca.pem").string()};
    return options;
  };

  auto admin = NetconfSession::connect(tls_options(dir, "oru-admin"));
  ASSERT_TRUE(admin.ok()) << admin.error().to_string();
  auto reply = (*admin)->get(Filter::subtree("<supervision xmlns=\"urn:o-ran:supervision:1.0\"/>"));
  ASSERT_TRUE(reply.ok()) << reply.error().to_string();
  EXPECT_EQ(reply->data.size(), 1u);
  EXPECT_TRUE((*admin)->edit_config(activate_carriers_edit())->ok());
  // The certificate's common name is the account, and its NACM group applies.
  auto fm = NetconfSession::connect(tls_options(dir, "oru-fm"));
  ASSERT_TRUE(fm.ok()) << fm.error().to_string();
  auto denied = (*fm)->edit_config(activate_carriers_edit());
  ASSERT_TRUE(denied.ok());
  ASSERT_FALSE(denied->ok());
  EXPECT_EQ(denied->errors[0].tag, "access-denied");
  // A certificate of an unknown account reads nothing; one from another CA is refused.
  auto nobody = NetconfSession::connect(tls_options(dir, "nobody"));
  if (nobody.ok()) {
    auto nothing = (*nobody)->get(Filter::subtree("<users xmlns=\"urn:o-ran:user-mgmt:1.0\"/>"));
    EXPECT_TRUE(!nothing.ok() || nothing->data.empty());
  }
  EXPECT_FALSE(NetconfSession::connect(tls_options(other, "oru-admin")).ok());
  // A client that does not trust the server's CA refuses the server.
  auto distrusting = tls_options(dir, "oru-admin");
  distrusting.tls->trusted_ca_path = (other / "other-ca.pem").string();
  EXPECT_FALSE(NetconfSession::connect(distrusting).ok());
  std::filesystem::remove_all(dir);
}

TEST_F(MplaneServerTest, CallHomeReachesTheListeningHarness) {
  auto listener =
      management::CallHomeListener::listen("127.0.0.1", 0, {"oru-admin", "admin-secret", "", ""});
  ASSERT_TRUE(listener.ok()) << listener.error().to_string();
  server_.reset();
  auto config = test_config();
  config.call_home = CallHomeTarget{"127.0.0.1", (*listener)->port()};
  auto started = MplaneServer::start(config);
  ASSERT_TRUE(started.ok()) << started.error().to_string();
  server_ = std::move(started.value());
  auto session = (*listener)->accept(std::chrono::seconds(20));
  ASSERT_TRUE(session.ok()) << session.error().to_string();
  auto reply =
      (*session)->get(Filter::subtree("<supervision xmlns=\"urn:o-ran:supervision:1.0\"/>"));
  ASSERT_TRUE(reply.ok()) << reply.error().to_string();
  EXPECT_EQ(reply->data.size(), 1u);
}

TEST(MplaneFaultNames, RoundTrip) {
  for (MplaneFault fault : all_mplane_faults()) {
    auto parsed = parse_mplane_fault(to_string(fault));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, fault);
  }
  EXPECT_FALSE(parse_mplane_fault("no-such-fault").ok());
}

}  // namespace
}  // namespace plugfest::sim
