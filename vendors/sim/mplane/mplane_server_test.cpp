// The simulated O-RU's NETCONF server against the harness's client, over real SSH on
// loopback.

#include "vendors/sim/mplane/mplane_server.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "interfaces/management/netconf_client.h"

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

  std::unique_ptr<MplaneServer> server_;
};

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
  auto reply = session->rpc(
      "<kill-session xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">"
      "<session-id>999</session-id></kill-session>");
  ASSERT_TRUE(reply.ok()) << reply.error().to_string();
  ASSERT_FALSE(reply->ok());
  EXPECT_EQ(reply->errors[0].tag, "operation-not-supported");
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
