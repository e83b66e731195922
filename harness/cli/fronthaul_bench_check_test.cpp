#include "harness/cli/fronthaul_bench_check.h"

#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "interfaces/common/testing/temp_dir.h"

namespace plugfest::cli {
namespace {

using harness::Diagnostics;
using plugfest::testing::TempDir;

harness::Parameters params(const std::string& yaml) {
  return harness::Parameters::from_yaml("p.yaml", YAML::Load(yaml));
}

TEST(FronthaulBenchCheck, TheLargestMessageIsTheWholeCarrierInOneUplaneSection) {
  // eCPRI common header 4, ecpriPcid + ecpriSeqid 4, U-plane header 4, section header 4,
  // then 28 octets per PRB at BFP 9 (27 of IQ, one udCompParam).
  EXPECT_EQ(largest_ecpri_message(params("{carrier_prbs: 51}")).value(), 16u + 51 * 28);
  EXPECT_EQ(largest_ecpri_message(params("{bandwidth_mhz: 100}")).value(), 16u + 273 * 28);
  EXPECT_EQ(largest_ecpri_message(params("{carrier_prbs: 51, compression: {header: dynamic}}"))
                .value(),
            18u + 51 * 28);
  EXPECT_EQ(largest_ecpri_message(params("{carrier_prbs: 10, compression: {method: none, "
                                         "width: 16}}"))
                .value(),
            16u + 10 * 48);
  EXPECT_FALSE(largest_ecpri_message(params("{bandwidth_mhz: 7}")));
}

class BenchInputs : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_.add(harness::TestCase{.id = "cus.ru.fake",
                                    .title = "a CUS case",
                                    .plane = "cus",
                                    .clause = "x",
                                    .role = adapter::Role::kOru,
                                    .run = [](harness::Context&) {}});
    Diagnostics d;
    auto profile = harness::load_profile(
        dir_.write("profile.yaml", "id: p\ntitle: P\nspecification: {document: T, version: '1'}\n"
                                   "defaults: {bandwidth_mhz: 100}\ncases:\n  - id: cus.ru.fake\n"),
        registry_, d);
    ASSERT_TRUE(profile) << d.to_string();
    inputs_.profiles.push_back(*profile);
  }
  Diagnostics check(const std::string& fronthaul) {
    Diagnostics d;
    auto descriptor = harness::load_vendor_descriptor(
        dir_.write("ru.yaml", "name: ru\nrole: o-ru\ncommand: [x]\nlab:\n  fronthaul: " +
                                  fronthaul + "\n"),
        d);
    EXPECT_TRUE(descriptor) << d.to_string();
    if (!descriptor) return d;
    harness::Inputs inputs = inputs_;
    inputs.descriptors.push_back(*descriptor);
    check_fronthaul_bench(inputs, registry_, d);
    return d;
  }

  TempDir dir_;
  harness::Registry registry_;
  harness::Inputs inputs_;
};

TEST_F(BenchInputs, AnMtuBelowTheLargestMessageIsAnErrorNamingBoth) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs CAP_NET_RAW (root) for the other checks to pass";
  const Diagnostics d = check("{transport: ethernet, interface: lo, mtu: 1500}");
  ASSERT_EQ(d.errors().size(), 1u) << d.to_string();
  const std::string text = d.to_string();
  EXPECT_NE(text.find("ru.yaml:5:56: DUT ru: MTU 1500 (fronthaul.mtu) is below the 7660-octet "
                      "eCPRI message that profile p case cus.ru.fake"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("profile.yaml:6:5) needs in one frame"), std::string::npos) << text;
  // Jumbo frames hold it; and UDP is not this check's business.
  EXPECT_TRUE(check("{transport: ethernet, interface: lo, mtu: 9000}").ok());
  EXPECT_TRUE(check("{transport: udp, mtu: 1500}").ok());
}

// A case that requires the compression capability tries every block method the DUT claims.
TEST_F(BenchInputs, AClaimedWiderCompressionRaisesTheNeedOfTheCompressionCase) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs CAP_NET_RAW (root) for the other checks to pass";
  registry_.add(harness::TestCase{.id = "cus.ru.fake-compression",
                                  .title = "every claimed method",
                                  .plane = "cus",
                                  .clause = "x",
                                  .role = adapter::Role::kOru,
                                  .requires_capabilities = {"compression"},
                                  .run = [](harness::Context&) {}});
  Diagnostics d;
  auto profile = harness::load_profile(
      dir_.write("p2.yaml", "id: p2\ntitle: P\nspecification: {document: T, version: '1'}\n"
                            "defaults: {bandwidth_mhz: 100}\ncases:\n  - id: cus.ru.fake-compression\n"),
      registry_, d);
  ASSERT_TRUE(profile) << d.to_string();
  inputs_.profiles = {*profile};
  Diagnostics no_claim = check("{transport: ethernet, interface: lo, mtu: 9000}");
  EXPECT_TRUE(no_claim.ok()) << no_claim.to_string();
  Diagnostics out;
  auto descriptor = harness::load_vendor_descriptor(
      dir_.write("ru.yaml", "name: ru\nrole: o-ru\ncommand: [x]\ncapabilities: {compression: "
                            "{bfp: [9, 14]}}\nlab:\n  fronthaul: {transport: ethernet, "
                            "interface: lo, mtu: 9000}\n"),
      out);
  ASSERT_TRUE(descriptor) << out.to_string();
  harness::Inputs inputs = inputs_;
  inputs.descriptors.push_back(*descriptor);
  check_fronthaul_bench(inputs, registry_, out);
  EXPECT_NE(out.to_string().find("MTU 9000 (fronthaul.mtu) is below the 11755-octet eCPRI "
                                 "message that profile p2 case cus.ru.fake-compression"),
            std::string::npos)
      << out.to_string();
  EXPECT_NE(out.to_string().find("with the claimed compression.bfp.14"), std::string::npos);
}

TEST_F(BenchInputs, AMissingInterfaceIsAnErrorAtItsLine) {
  const Diagnostics d = check("{transport: ethernet, interface: pfnosuch0}");
  const std::string text = d.to_string();
  EXPECT_NE(text.find("ru.yaml:5:47: DUT ru: fronthaul.interface 'pfnosuch0' is no network "
                      "interface of this host"),
            std::string::npos)
      << text;
}

// In a child that dropped CAP_NET_RAW from its effective set, the check says so.
TEST_F(BenchInputs, WithoutCapNetRawTheInterfaceLineNamesTheCapability) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2]{};
    if (::syscall(SYS_capget, &header, data) != 0) ::_exit(3);
    data[0].effective &= ~(1u << CAP_NET_RAW);
    if (::syscall(SYS_capset, &header, data) != 0) ::_exit(3);
    if (has_effective_capability(CAP_NET_RAW).value_or(true)) ::_exit(4);
    const std::string text = check("{transport: ethernet, interface: lo}").to_string();
    const bool named =
        text.find("ru.yaml:5:47: DUT ru: eCPRI over Ethernet on 'lo' needs capability "
                  "CAP_NET_RAW, missing from this process's effective set") != std::string::npos;
    ::_exit(named ? 0 : 5);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "3: capset failed, 4: still effective, 5: not named";
}

}  // namespace
}  // namespace plugfest::cli
