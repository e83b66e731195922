#include "harness/results/manifest.h"

#include <gtest/gtest.h>

#include "interfaces/common/testing/temp_dir.h"

namespace plugfest::harness {
namespace {

Manifest minimal() {
  Manifest m;
  m.harness_version = "v1";
  m.run_id = "run-1";
  m.created = "2026-01-01T00:00:00Z";
  m.host = "bench";
  return m;
}

// The warnings and what each DUT's Describe said, with the overrides, survive the file.
TEST(Manifest, WarningsDescribedCapabilitiesAndOverridesAreReadBack) {
  plugfest::testing::TempDir dir;
  Manifest m = minimal();
  ManifestDut ru;
  ru.name = "ru";
  ru.descriptor = "/d/ru.yaml";
  ru.description.capabilities = {"extension", "extension.11", "udp"};
  ru.described_capabilities = {"udp"};
  ru.capability_overrides = {{"extension.11", true, false}};
  m.duts = {ru};
  m.warnings = {{"capabilities-not-described", "ru", "the descriptor claims extension.11"},
                {"plaintext-adapter", "ru", "the adapter at h:1 is reached without TLS"}};
  ASSERT_TRUE(write_manifest(dir.path(), m));
  auto back = read_manifest(dir.path());
  ASSERT_TRUE(back) << back.error().to_string();
  ASSERT_EQ(back->warnings.size(), 2u);
  EXPECT_EQ(back->warnings[1].kind, "plaintext-adapter");
  EXPECT_EQ(back->warnings[1].dut, "ru");
  EXPECT_EQ(back->warnings[1].message, m.warnings[1].message);
  ASSERT_EQ(back->duts.size(), 1u);
  EXPECT_EQ(back->duts[0].described_capabilities, ru.described_capabilities);
  EXPECT_EQ(back->duts[0].description.capabilities, ru.description.capabilities);
  ASSERT_EQ(back->duts[0].capability_overrides.size(), 1u);
  EXPECT_EQ(back->duts[0].capability_overrides[0].capability, "extension.11");
  EXPECT_TRUE(back->duts[0].capability_overrides[0].supported);
  EXPECT_FALSE(back->duts[0].capability_overrides[0].described);
}

// A manifest from before warnings existed reads with none; a malformed warning is an error.
TEST(Manifest, WarningsAreOptionalButMustBeWellFormed) {
  auto json = to_json(minimal());
  json.erase("warnings");
  auto old = manifest_from_json(json);
  ASSERT_TRUE(old) << old.error().to_string();
  EXPECT_TRUE(old->warnings.empty());
  json["warnings"] = nlohmann::json::array({{{"kind", "x"}}});
  auto bad = manifest_from_json(json);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("malformed manifest"), std::string::npos);
}

}  // namespace
}  // namespace plugfest::harness
