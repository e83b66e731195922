#include "harness/inputs/fronthaul_lab.h"

#include <gtest/gtest.h>

#include "harness/inputs/vendor_descriptor.h"
#include "interfaces/common/testing/temp_dir.h"

namespace plugfest::harness {
namespace {

using plugfest::testing::TempDir;

std::string descriptor(const std::string& fronthaul) {
  return "name: ru\nrole: o-ru\ncommand: [x]\nlab:\n  fronthaul: " + fronthaul +
         "\nsimulator: {fronthaul_interface: veth1}\n";
}

TEST(FronthaulLab, EthernetParametersAreReadFromTheDescriptor) {
  TempDir dir;
  Diagnostics d;
  const auto desc = load_vendor_descriptor(
      dir.write("ru.yaml", descriptor("{transport: ethernet, interface: ens1f0, vlan: 6, pcp: 7, "
                                      "dut_mac: \"aa:bb:cc:dd:ee:0f\", mtu: 9000}")),
      d);
  ASSERT_TRUE(desc) << d.to_string();
  const FronthaulLab lab = fronthaul_lab_of(desc->lab);
  EXPECT_EQ(lab.transport, FronthaulTransport::kEthernet);
  EXPECT_EQ(lab.interface, "ens1f0");
  EXPECT_EQ(lab.vlan, 6);
  EXPECT_EQ(lab.pcp, 7);
  ASSERT_TRUE(lab.dut_mac);
  EXPECT_EQ((*lab.dut_mac)[5], 0x0f);
  EXPECT_EQ(lab.mtu, 9000u);
  EXPECT_NE(lab.interface_where.find("ru.yaml:5:"), std::string::npos) << lab.interface_where;
}

TEST(FronthaulLab, UdpIsTheDefaultAndHostStaysAllowed) {
  TempDir dir;
  Diagnostics d;
  const auto desc = load_vendor_descriptor(dir.write("ru.yaml", descriptor("{host: 127.0.0.1}")), d);
  ASSERT_TRUE(desc) << d.to_string();
  EXPECT_EQ(fronthaul_lab_of(desc->lab).transport, FronthaulTransport::kUdp);
  EXPECT_EQ(fronthaul_lab_of(Parameters{}).transport, FronthaulTransport::kUdp);
}

// Each bad value is one error at its own position, saying what was expected.
TEST(FronthaulLab, BadValuesAreErrorsAtTheirPosition) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{transport: ethernt, interface: e0}",
       "ru.yaml:5:26: parameter 'fronthaul.transport': expected udp or ethernet, got 'ethernt'"},
      {"{transport: ethernet}",
       "ru.yaml:5:26: parameter 'fronthaul.transport': ethernet needs 'fronthaul.interface'"},
      {"{transport: ethernet, interface: e0, vlan: 4095}",
       "ru.yaml:5:57: parameter 'fronthaul.vlan': expected a VLAN ID 0-4094"},
      {"{transport: ethernet, interface: e0, vlan: six}",
       "ru.yaml:5:57: parameter 'fronthaul.vlan': expected an integer, got 'six'"},
      {"{transport: ethernet, interface: e0, pcp: 8}",
       "ru.yaml:5:56: parameter 'fronthaul.pcp': expected a priority 0-7"},
      {"{transport: ethernet, interface: e0, dut_mac: aa:bb}",
       "ru.yaml:5:60: parameter 'fronthaul.dut_mac': expected a MAC address"},
      {"{transport: ethernet, interface: e0, mtu: 20}",
       "ru.yaml:5:56: parameter 'fronthaul.mtu': expected an MTU 68-65535"},
      {"{transport: ethernet, interface: e0, vlna: 6}",
       "ru.yaml:5:57: unknown parameter 'fronthaul.vlna' in lab; did you mean 'fronthaul.vlan'?"},
      {"{transport: ethernet, interface: an-interface-name-too-long}",
       "ru.yaml:5:47: parameter 'fronthaul.interface': expected an interface name"},
      {"udp", "ru.yaml:5:14: parameter 'fronthaul': expected a mapping of its members"},
  };
  for (const auto& [fronthaul, expected] : cases) {
    TempDir dir;
    Diagnostics d;
    EXPECT_FALSE(load_vendor_descriptor(dir.write("ru.yaml", descriptor(fronthaul)), d))
        << fronthaul;
    ASSERT_EQ(d.errors().size(), 1u) << fronthaul << "\n" << d.to_string();
    EXPECT_NE(d.to_string().find(expected), std::string::npos)
        << fronthaul << "\n" << d.to_string();
  }
}

TEST(FronthaulLab, TheReaderThrowsNamingThePositionToo) {
  TempDir dir;
  const std::string file = dir.write("x.yaml", "fronthaul: {transport: ethernet, vlan: 9999}\n");
  const Parameters lab = Parameters::from_yaml(file, YAML::LoadFile(file));
  try {
    (void)fronthaul_lab_of(lab);
    ADD_FAILURE() << "no error";
  } catch (const ParameterError& e) {
    EXPECT_NE(std::string(e.what()).find("x.yaml:1:24: parameter 'fronthaul.transport'"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace plugfest::harness
