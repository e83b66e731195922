#include "vendors/sim/mplane_session.h"

#include <gtest/gtest.h>

namespace plugfest::sim {
namespace {

using Direction = ActiveCarrier::Direction;

ActiveEndpoint endpoint(const std::string& name, std::uint16_t eaxc) {
  ActiveEndpoint e;
  e.name = name;
  e.eaxc_id = eaxc;
  e.o_du_port_bitmask = 0xc000;
  e.band_sector_bitmask = 0x3f00;
  e.ccid_bitmask = 0x00f0;
  e.ru_port_bitmask = 0x000f;
  e.compression_method = "BLOCK_FLOATING_POINT";
  e.compression_type = "STATIC";
  e.iq_bitwidth = 9;
  e.scs = "KHZ_30";
  e.number_of_prb = 273;
  e.flow = ActiveFlow{"pe", "eth0.6", "0a:00:00:00:00:07", 6, "0a:00:00:00:00:42"};
  return e;
}

std::vector<ActiveCarrier> carriers(std::uint16_t antennas) {
  ActiveCarrier tx{Direction::kTx, "tx", 3550000000, 100000000, {}, {}};
  ActiveCarrier rx{Direction::kRx, "rx", 3550000000, 100000000, {}, {}};
  for (std::uint16_t a = 0; a < antennas; ++a) {
    tx.endpoints.push_back(endpoint("tx-" + std::to_string(a), a));
    rx.endpoints.push_back(endpoint("rx-" + std::to_string(a), a));
    rx.endpoints.push_back(endpoint("prach-" + std::to_string(a), antennas + a));
  }
  std::sort(rx.endpoints.begin(), rx.endpoints.end(),
            [](const auto& a, const auto& b) { return a.eaxc_id < b.eaxc_id; });
  return {tx, rx};
}

TEST(MplaneFronthaulOf, ActiveCarriersMakeTheSessionConfiguration) {
  auto f = fronthaul_of(carriers(4), 100);
  ASSERT_TRUE(f.ok()) << f.error().to_string();
  ASSERT_TRUE(f->has_value());
  const auto& radio = (*f)->radio;
  EXPECT_EQ(radio.antennas, 4);
  EXPECT_EQ(radio.carrier_prbs, 273);
  EXPECT_EQ(radio.numerology, transport::Numerology::kMu1);
  EXPECT_EQ(radio.eaxc_split, (fronthaul::EaxcSplit{2, 6, 4, 4}));
  EXPECT_EQ(radio.dl_compression.static_params.iq_width, 9);
  EXPECT_FALSE(radio.ul_compression.dynamic);
  EXPECT_EQ(radio.dilation, 100);
  EXPECT_EQ((*f)->vlan_id, 6);
  EXPECT_EQ(fronthaul::to_string((*f)->odu_mac), "0a:00:00:00:00:42");
}

TEST(MplaneFronthaulOf, NothingRunsWithoutBothDirections) {
  auto only_tx = carriers(2);
  only_tx.pop_back();
  auto f = fronthaul_of(only_tx, 1);
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->has_value());
  f = fronthaul_of({}, 1);
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->has_value());
}

TEST(MplaneFronthaulOf, WhatThisORuCannotRunIsNamed) {
  auto no_flow = carriers(2);
  no_flow[1].endpoints[0].flow.reset();
  auto f = fronthaul_of(no_flow, 1);
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().message.find("without an Ethernet flow"), std::string::npos);
  EXPECT_NE(f.error().where.find("low-level-rx-endpoints[name='rx-0']"), std::string::npos);

  auto two_flows = carriers(2);
  two_flows[0].endpoints[1].flow->vlan_id = 7;
  f = fronthaul_of(two_flows, 1);
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().message.find("another transport flow"), std::string::npos);

  auto eaxc = carriers(2);
  eaxc[0].endpoints[1].eaxc_id = 9;
  f = fronthaul_of(eaxc, 1);
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().message.find("eaxc-id 9 is not RU port 1"), std::string::npos);

  auto prbs = carriers(2);
  prbs[1].endpoints[0].number_of_prb = 106;
  f = fronthaul_of(prbs, 1);
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().message.find("number-of-prb-per-scs"), std::string::npos);

  auto method = carriers(2);
  method[0].endpoints[0].compression_method = "MODULATION";
  f = fronthaul_of(method, 1);
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().message.find("MODULATION"), std::string::npos);
}

TEST(MplaneSessionTest, WithoutAFronthaulInterfaceActiveCarriersSaySoAndNothingRuns) {
  MplaneSession session("", 1, {});
  session.on_carriers_changed(carriers(2));
  EXPECT_FALSE(session.running());
  EXPECT_NE(session.last_error().find("fronthaul_interface"), std::string::npos);
  EXPECT_FALSE(session.rx_window_counts().has_value());
}

TEST(MplaneSessionTest, InterfaceMacOfLoopbackAndOfNoInterface) {
  auto lo = interface_mac("lo");
  ASSERT_TRUE(lo.ok()) << lo.error().to_string();
  EXPECT_EQ(*lo, "00:00:00:00:00:00");
  auto none = interface_mac("no-such-if0");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().where, "no-such-if0");
}

}  // namespace
}  // namespace plugfest::sim
