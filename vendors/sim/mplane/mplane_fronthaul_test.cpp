// What the simulated O-RU's M-plane tells its fronthaul: the active carriers with their
// endpoints and transport flow, the fronthaul port's MAC, the reception-window counts of
// o-ran-performance-management, and the carrier-activation-ignored fault. Real SSH on
// loopback, the harness's client.

#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "interfaces/management/netconf_client.h"
#include "vendors/sim/mplane/mplane_server.h"

namespace plugfest::sim {
namespace {

using management::Filter;
using management::NetconfSession;

constexpr const char* kActivate =
    "<user-plane-configuration xmlns=\"urn:o-ran:uplane-conf:1.0\"><tx-array-carriers>"
    "<name>tx-carrier-0</name><active>ACTIVE</active></tx-array-carriers><rx-array-carriers>"
    "<name>rx-carrier-0</name><active>ACTIVE</active></rx-array-carriers>"
    "</user-plane-configuration>";

constexpr const char* kMeasureOnTimeAndLate =
    "<performance-measurement-objects xmlns=\"urn:o-ran:performance-management:1.0\">"
    "<rx-window-measurement-objects><measurement-object>RX_ON_TIME</measurement-object>"
    "<active>true</active><object-unit>RU</object-unit><report-info>COUNT</report-info>"
    "</rx-window-measurement-objects><rx-window-measurement-objects>"
    "<measurement-object>RX_LATE</measurement-object><active>true</active>"
    "<object-unit>RU</object-unit></rx-window-measurement-objects>"
    "<rx-window-measurement-objects><measurement-object>RX_EARLY</measurement-object>"
    "<active>false</active></rx-window-measurement-objects></performance-measurement-objects>";

class MplaneFronthaulTest : public ::testing::Test {
 protected:
  void start(std::set<MplaneFault> faults, std::string mac = "") {
    session_.reset();
    server_.reset();
    carriers_.clear();
    MplaneServerConfig config;
    config.users = {{"oru-admin", "admin-secret", "", "sudo"}};
    config.faults = std::move(faults);
    config.fronthaul_mac = std::move(mac);
    config.on_carriers_changed = [this](const std::vector<ActiveCarrier>& carriers) {
      std::lock_guard lock(mutex_);
      carriers_ = carriers;
    };
    config.rx_window_counts = [this]() -> std::optional<RxWindowCounts> {
      std::lock_guard lock(mutex_);
      return counts_;
    };
    auto started = MplaneServer::start(std::move(config));
    ASSERT_TRUE(started.ok()) << started.error().to_string();
    server_ = std::move(*started);
    management::ConnectOptions options;
    options.port = server_->port();
    options.credentials = {"oru-admin", "admin-secret", "", ""};
    auto session = NetconfSession::connect(options);
    ASSERT_TRUE(session.ok()) << session.error().to_string();
    session_ = std::move(*session);
  }

  std::vector<ActiveCarrier> carriers() {
    std::lock_guard lock(mutex_);
    return carriers_;
  }

  std::string text_at(const Filter& filter, const std::string& path) {
    auto reply = session_->get(filter);
    if (!reply.ok() || !reply->ok()) return "?";
    auto found = management::find_all(reply->data, path);
    return found.empty() ? "" : found[0]->text;
  }

  std::unique_ptr<MplaneServer> server_;
  std::unique_ptr<NetconfSession> session_;
  std::mutex mutex_;
  std::vector<ActiveCarrier> carriers_;
  std::optional<RxWindowCounts> counts_;
};

TEST_F(MplaneFronthaulTest, ActiveCarriersCarryTheirEndpointsAndTransportFlow) {
  start({}, "0a:11:22:33:44:55");
  auto reply = session_->edit_config(kActivate);
  ASSERT_TRUE(reply.ok()) << reply.error().to_string();
  ASSERT_TRUE(reply->ok()) << reply->error_summary();
  const auto active = carriers();
  ASSERT_EQ(active.size(), 2u);
  ASSERT_EQ(active[0].endpoints.size(), 1u);
  const ActiveEndpoint& tx = active[0].endpoints[0];
  EXPECT_EQ(tx.name, "tx-endpoint-0");
  EXPECT_EQ(tx.compression_method, "BLOCK_FLOATING_POINT");
  EXPECT_EQ(tx.iq_bitwidth, 9);
  EXPECT_EQ(tx.scs, "KHZ_30");
  EXPECT_EQ(tx.number_of_prb, 273);
  EXPECT_EQ(tx.o_du_port_bitmask, 61440);
  ASSERT_TRUE(tx.flow.has_value());
  EXPECT_EQ(tx.flow->vlan_id, 100);
  EXPECT_EQ(tx.flow->ru_mac, "0a:11:22:33:44:55");  // the port's own MAC, not the factory's
  EXPECT_EQ(tx.flow->odu_mac, "02:00:00:00:00:02");
  EXPECT_EQ(text_at(Filter::xpath("/ietf-interfaces:interfaces/interface[name='eth0']"),
                    "interfaces/interface/mac-address"),
            "0a:11:22:33:44:55");
}

TEST_F(MplaneFronthaulTest, ActiveMeasurementObjectsReportTheFronthaulCounts) {
  start({});
  counts_ = RxWindowCounts{.on_time = 120, .early = 3, .late = 7, .total = 130};
  auto reply = session_->edit_config(kMeasureOnTimeAndLate);
  ASSERT_TRUE(reply.ok()) << reply.error().to_string();
  ASSERT_TRUE(reply->ok()) << reply->error_summary();
  auto objects = session_->get(Filter::subtree(
      "<performance-measurement-objects xmlns=\"urn:o-ran:performance-management:1.0\"/>"));
  ASSERT_TRUE(objects.ok()) << objects.error().to_string();
  ASSERT_TRUE(objects->ok()) << objects->error_summary();
  std::map<std::string, std::string> counted;
  for (const auto* object : management::find_all(
           objects->data, "performance-measurement-objects/rx-window-measurement-objects")) {
    counted[object->text_of("measurement-object")] = object->text_of("count");
    if (object->text_of("active") == "true") {
      EXPECT_EQ(object->text_of("name"), "ru-module");
    }
  }
  EXPECT_EQ(counted["RX_ON_TIME"], "120");
  EXPECT_EQ(counted["RX_LATE"], "7");
  EXPECT_EQ(counted["RX_EARLY"], "");  // not active: nothing reported
  // No running fronthaul: the active objects count nothing.
  {
    std::lock_guard lock(mutex_);
    counts_.reset();
  }
  EXPECT_EQ(text_at(Filter::xpath("/o-ran-performance-management:performance-measurement-objects/"
                                  "rx-window-measurement-objects[measurement-object='RX_ON_TIME']"),
                    "performance-measurement-objects/rx-window-measurement-objects/count"),
            "0");
}

TEST_F(MplaneFronthaulTest, CarrierActivationIgnoredLeavesTheCarriersDisabled) {
  const Filter state = Filter::xpath(
      "/o-ran-uplane-conf:user-plane-configuration/tx-array-carriers[name='tx-carrier-0']/state");
  const std::string path = "user-plane-configuration/tx-array-carriers/state";
  start({});
  ASSERT_TRUE(session_->edit_config(kActivate)->ok());
  EXPECT_EQ(text_at(state, path), "READY");
  EXPECT_EQ(carriers().size(), 2u);

  start({MplaneFault::kCarrierActivationIgnored});
  auto reply = session_->edit_config(kActivate);
  ASSERT_TRUE(reply.ok()) << reply.error().to_string();
  EXPECT_TRUE(reply->ok()) << "the edit itself is accepted: " << reply->error_summary();
  EXPECT_EQ(text_at(state, path), "DISABLED");
  EXPECT_TRUE(carriers().empty());
  EXPECT_TRUE(server_->active_carriers().empty());
}

}  // namespace
}  // namespace plugfest::sim
