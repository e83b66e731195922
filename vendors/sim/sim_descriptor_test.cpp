#include "vendors/sim/sim_descriptor.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace plugfest::sim {
namespace {

namespace fs = std::filesystem;

class Descriptor : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("plugfest-simdesc-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& text) {
    const fs::path path = dir_ / "d.yaml";
    std::ofstream(path) << text;
    return path.string();
  }
  fs::path dir_;
};

TEST_F(Descriptor, ReadsIdentityCapabilitiesFaultsAndLab) {
  auto d = load_sim_descriptor(
      write("name: acme-ru\nrole: o-ru\ndescription: Acme RU\n"
            "capabilities: {section_type: [1, 3], compression: {bfp: [9]}, udp: true}\n"
            "lab: {vendor: Acme, serial: X1, timing: {dilation: 50}, fronthaul: {host: '::1'}}\n"
            "faults: [ul-late, {seqid-gap: {every: 3}}]\n"));
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_EQ(d->device.role, adapter::Role::kOru);
  EXPECT_EQ(d->device.vendor, "Acme");
  EXPECT_EQ(d->device.model, "Acme RU");
  EXPECT_EQ(d->device.serial, "X1");
  EXPECT_TRUE(d->device.capabilities.has("compression.bfp.9"));
  EXPECT_TRUE(d->device.capabilities.has("compression.bfp"));
  EXPECT_TRUE(d->device.capabilities.has("section_type.3"));
  EXPECT_TRUE(d->device.capabilities.has("udp"));
  EXPECT_TRUE(d->faults.has(Fault::kUlLate));
  EXPECT_TRUE(d->faults.has(Fault::kSeqIdGap));
  EXPECT_EQ(d->dilation, 50);
  EXPECT_TRUE(d->observe);
  auto blind = load_sim_descriptor(write("name: x\nrole: o-du\nlab: {observe: false}\n"));
  ASSERT_TRUE(blind) << blind.error().to_string();
  EXPECT_FALSE(blind->observe);
  EXPECT_EQ(d->fronthaul_host, "::1");
}

TEST_F(Descriptor, MplaneSettingsAndMplaneFaults) {
  auto d =
      load_sim_descriptor(write("name: x\nrole: o-ru\nlab: {mplane: {user: admin, password: pw}}\n"
                                "faults: [seqid-gap, wrong-credentials-accepted]\n"));
  ASSERT_TRUE(d) << d.error().to_string();
  ASSERT_TRUE(d->mplane);
  EXPECT_EQ(d->mplane->user, "admin");
  EXPECT_TRUE(d->faults.has(Fault::kSeqIdGap));
  EXPECT_EQ(d->mplane->faults.count(MplaneFault::kWrongCredentialsAccepted), 1u);
  // One account per other NACM group by default, or the ones given.
  ASSERT_EQ(d->mplane->accounts.size(), 3u);
  EXPECT_EQ(d->mplane->accounts[1].name, "admin-fm-pm");
  EXPECT_EQ(d->mplane->accounts[1].password, "pw-fm-pm");
  EXPECT_EQ(d->mplane->accounts[1].group, "fm-pm");
  auto given = load_sim_descriptor(
      write("name: x\nrole: o-ru\nlab: {mplane: {accounts: [{user: fm, password: f, group: "
            "fm-pm}]}}\n"));
  ASSERT_TRUE(given) << given.error().to_string();
  ASSERT_EQ(given->mplane->accounts.size(), 1u);
  EXPECT_EQ(given->mplane->accounts[0].name, "fm");
  EXPECT_FALSE(load_sim_descriptor(
      write("name: x\nrole: o-ru\nlab: {mplane: {accounts: [{user: fm, group: root}]}}\n")));
  // Without an M-plane an M-plane fault is unknown; an O-DU has none.
  EXPECT_FALSE(load_sim_descriptor(write("name: x\nrole: o-ru\nfaults: [watchdog-ignored]\n")));
  EXPECT_FALSE(load_sim_descriptor(write("name: x\nrole: o-du\nlab: {mplane: {}}\n")));
}

TEST_F(Descriptor, SilentIsTheNullDeviceOfEitherRoleAndStandsAlone) {
  for (const char* role : {"o-ru", "o-du"}) {
    auto d = load_sim_descriptor(write(std::string("name: x\nrole: ") + role +
                                       "\nfaults: [silent]\n"));
    ASSERT_TRUE(d) << d.error().to_string();
    EXPECT_TRUE(d->faults.has(Fault::kSilent));
  }
  // M-plane faults may go with it; fronthaul faults would have nothing to change.
  EXPECT_TRUE(load_sim_descriptor(
      write("name: x\nrole: o-ru\nlab: {mplane: {}}\nfaults: [silent, watchdog-ignored]\n")));
  auto mixed = load_sim_descriptor(write("name: x\nrole: o-ru\nfaults: [silent, ul-late]\n"));
  ASSERT_FALSE(mixed);
  EXPECT_NE(mixed.error().message.find("silent"), std::string::npos);
  EXPECT_NE(mixed.error().where.find(":3:"), std::string::npos);
}

TEST_F(Descriptor, BadInputSaysWhereAndWhat) {
  auto unknown = load_sim_descriptor(write("name: x\nrole: o-ru\nfaults: [ul-lat]\n"));
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("ul-late"), std::string::npos);
  EXPECT_NE(unknown.error().where.find(":3:"), std::string::npos);
  auto wrong_role = load_sim_descriptor(write("name: x\nrole: o-du\nfaults: [ul-late]\n"));
  ASSERT_FALSE(wrong_role);
  EXPECT_NE(wrong_role.error().message.find("o-du"), std::string::npos);
  EXPECT_FALSE(load_sim_descriptor(write("name: x\nrole: radio\n")));
  EXPECT_FALSE(load_sim_descriptor(write("[not, a, mapping]")));
  EXPECT_FALSE(load_sim_descriptor((dir_ / "missing.yaml").string()));
  EXPECT_FALSE(load_sim_descriptor(write("name: x\nrole: o-ru\nlab: {timing: {dilation: 0.1}}\n")));
}

TEST(ShippedDescriptors, EveryDescriptorLoads) {
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(PLUGFEST_DESCRIPTORS)) {
    if (entry.path().extension() != ".yaml") continue;
    auto d = load_sim_descriptor(entry.path().string());
    EXPECT_TRUE(d) << entry.path() << ": " << d.error().to_string();
    ++count;
  }
  EXPECT_GE(count, 5u);
}

TEST_F(Descriptor, HostileYamlIsRefusedWithItsPosition) {
  auto recursive = load_sim_descriptor(write("name: a\nrole: o-ru\ncapabilities: &c [*c]\n"));
  ASSERT_FALSE(recursive);
  EXPECT_EQ(recursive.error().where, (dir_ / "d.yaml").string() + ":3:19");
  EXPECT_NE(recursive.error().message.find("aliases must not recurse"), std::string::npos);

  auto lab = load_sim_descriptor(write("name: a\nrole: o-ru\nlab: &l {mplane: *l}\n"));
  ASSERT_FALSE(lab);
  EXPECT_EQ(lab.error().where, (dir_ / "d.yaml").string() + ":3:18");

  auto repeated = load_sim_descriptor(write("name: a\nrole: o-ru\nrole: o-du\n"));
  ASSERT_FALSE(repeated);
  EXPECT_EQ(repeated.error().to_string(), (dir_ / "d.yaml").string() +
                                              ":3:1: cannot read the descriptor: this key "
                                              "repeats the key at line 2, column 1");

  auto device = load_sim_descriptor("/dev/zero");
  ASSERT_FALSE(device);
  EXPECT_EQ(device.error().to_string(),
            "/dev/zero: cannot read the descriptor: is a character device; only regular files "
            "are read");
}

TEST_F(Descriptor, SimulatorFronthaulInterfaceIsReadAndCheckedWithItsPosition) {
  auto d = load_sim_descriptor(
      write("name: r\nrole: o-ru\nsimulator: {fronthaul_interface: veth1}\n"));
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_EQ(d->fronthaul_interface, "veth1");
  auto none = load_sim_descriptor(write("name: r\nrole: o-ru\n"));
  ASSERT_TRUE(none);
  EXPECT_EQ(none->fronthaul_interface, "");
  auto unknown = load_sim_descriptor(
      write("name: r\nrole: o-ru\nsimulator:\n  fronthaul_iface: veth1\n"));
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().to_string().find(":4:3: key 'simulator.fronthaul_iface': unknown"),
            std::string::npos)
      << unknown.error().to_string();
  auto too_long = load_sim_descriptor(
      write("name: r\nrole: o-ru\nsimulator: {fronthaul_interface: a-very-long-interface}\n"));
  ASSERT_FALSE(too_long);
  EXPECT_NE(too_long.error().to_string().find(":3:34: key 'simulator.fronthaul_interface'"),
            std::string::npos)
      << too_long.error().to_string();
}

}  // namespace
}  // namespace plugfest::sim
