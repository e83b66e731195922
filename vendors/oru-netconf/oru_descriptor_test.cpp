#include "vendors/oru-netconf/oru_descriptor.h"

#include <gtest/gtest.h>

#include "interfaces/common/yaml_file.h"

namespace plugfest::oru_netconf {
namespace {

Result<OruDescriptor> parse(const std::string& text) {
  auto node = load_yaml_text(text, "oru.yaml");
  if (!node) return node.error();
  return oru_descriptor_from_yaml("oru.yaml", *node);
}

TEST(OruDescriptor, ReadsTheMplaneAndFronthaulKeys) {
  auto d = parse(
      "name: acme-ru\nrole: o-ru\nlab:\n  mplane: {host: 192.0.2.1, port: 1830, user: u, "
      "password: p, fronthaul_interface: eth0, center_frequency_hz: 3600000000}\n"
      "  fronthaul: {transport: ethernet, vlan: 6, dut_mac: \"aa:bb:cc:dd:ee:ff\"}\n");
  ASSERT_TRUE(d.ok()) << d.error().to_string();
  EXPECT_EQ(d->host, "192.0.2.1");
  EXPECT_EQ(d->port, 1830);
  EXPECT_EQ(d->fronthaul_interface, "eth0");
  EXPECT_EQ(d->center_frequency_hz, 3600000000u);
  EXPECT_EQ(d->vlan, 6);
  EXPECT_EQ(d->dut_mac, "aa:bb:cc:dd:ee:ff");
  EXPECT_EQ(d->activation_timeout_ms, 5000u);
}

TEST(OruDescriptor, BadInputIsLocatedAndNamed) {
  auto missing = parse("name: x\nrole: o-ru\nlab:\n  mplane: {host: h, user: u, password: p}\n");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("lab.mplane.fronthaul_interface"), std::string::npos);
  EXPECT_EQ(missing.error().where, "oru.yaml:4:11");

  auto port = parse(
      "lab:\n  mplane: {host: h, port: 99999, user: u, password: p, fronthaul_interface: e}\n");
  ASSERT_FALSE(port.ok());
  EXPECT_NE(port.error().message.find("lab.mplane.port"), std::string::npos);
  EXPECT_EQ(port.error().where, "oru.yaml:2:27");

  auto mac = parse(
      "lab:\n  mplane: {host: h, user: u, password: p, fronthaul_interface: e}\n"
      "  fronthaul: {dut_mac: nonsense}\n");
  ASSERT_FALSE(mac.ok());
  EXPECT_NE(mac.error().message.find("not a MAC address"), std::string::npos);

  auto role = parse("role: o-du\nlab: {}\n");
  ASSERT_FALSE(role.ok());
  EXPECT_NE(role.error().message.find("drives an o-ru"), std::string::npos);

  EXPECT_FALSE(parse("name: x\n").ok());
}

}  // namespace
}  // namespace plugfest::oru_netconf
