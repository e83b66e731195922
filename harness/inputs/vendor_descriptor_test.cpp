#include "harness/inputs/vendor_descriptor.h"

#include <gtest/gtest.h>

#include "interfaces/common/testing/temp_dir.h"

namespace plugfest::harness {
namespace {

using plugfest::testing::TempDir;

TEST(VendorDescriptor, ReadsEveryField) {
  TempDir dir;
  dir.write("certs/ca.pem", "x");
  dir.write("certs/c.pem", "x");
  dir.write("certs/c.key", "x");
  const auto file = dir.write("ru.yaml", R"(
name: acme-ru-1
role: o-ru
description: Acme 4T4R
address: bench3.lab:50051
tls: {ca: certs/ca.pem, cert: certs/c.pem, key: certs/c.key}
timeouts: {startup: 20s, call: 500ms}
capabilities:
  section_type: [0, 1, 3]
  compression: {bfp: [9, 14]}
  mplane: {call-home: true, fm: false}
  extension: [11]
lab: {mplane: {host: 10.0.0.5, port: 830}, eaxc: [1, 2]}
faults: [late-ul, {drop-prach: {every: 3}}]
)");
  Diagnostics d;
  const auto desc = load_vendor_descriptor(file, d);
  ASSERT_TRUE(desc) << d.to_string();
  EXPECT_EQ(desc->name, "acme-ru-1");
  EXPECT_EQ(desc->role, adapter::Role::kOru);
  EXPECT_EQ(desc->address, "bench3.lab:50051");
  ASSERT_TRUE(desc->tls);
  EXPECT_EQ(desc->tls->ca, (dir.path() / "certs/ca.pem").string());
  EXPECT_EQ(desc->startup_timeout_ms, 20000);
  EXPECT_EQ(desc->call_timeout_ms, 500);
  for (const char* c : {"section_type.0", "section_type.3", "compression.bfp.14", "compression.bfp",
                        "compression", "mplane.call-home", "extension.11"}) {
    EXPECT_TRUE(desc->capabilities.has(c)) << c;
  }
  EXPECT_FALSE(desc->capabilities.has("mplane.fm"));
  EXPECT_EQ(desc->lab.get_int("mplane.port"), 830);
  ASSERT_EQ(desc->faults.size(), 2u);
  EXPECT_EQ(desc->faults[1].name, "drop-prach");
  EXPECT_EQ(desc->faults[1].parameters.get_int("every"), 3);
}

TEST(VendorDescriptor, CommandAsStringOrListRelativeToItsFolder) {
  TempDir dir;
  const auto file = dir.write("du.yaml",
                              "name: du\nrole: o-du\ncommand: [./bin/adapter, -v]\n"
                              "capabilities: [section_type.1]\n");
  Diagnostics d;
  const auto desc = load_vendor_descriptor(file, d);
  ASSERT_TRUE(desc) << d.to_string();
  EXPECT_EQ(desc->command[0], (dir.path() / "bin/adapter").string());
  EXPECT_EQ(desc->command[1], "-v");
  EXPECT_TRUE(desc->capabilities.has("section_type.1"));
}

struct BadCase {
  const char* name;
  const char* yaml;
  const char* where;    // expected file:line:col suffix
  const char* message;  // expected part of the message
};

class BadDescriptor : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadDescriptor, IsRefusedWithPositionAndReason) {
  TempDir dir;
  dir.write("ca.pem", "x");
  const auto file = dir.write("d.yaml", GetParam().yaml);
  Diagnostics d;
  EXPECT_FALSE(load_vendor_descriptor(file, d));
  ASSERT_FALSE(d.ok());
  bool found = false;
  for (const auto& e : d.errors()) {
    if (e.where == file + GetParam().where &&
        e.message.find(GetParam().message) != std::string::npos) {
      found = true;
    }
  }
  EXPECT_TRUE(found) << "wanted " << GetParam().where << " " << GetParam().message << "\ngot\n"
                     << d.to_string();
}

constexpr const char* kOk = "name: a\nrole: o-ru\ncommand: x\n";

INSTANTIATE_TEST_SUITE_P(
    EveryField, BadDescriptor,
    ::testing::Values(
        BadCase{"syntax", "name: [a\n", ":2:1", "YAML syntax error"},
        BadCase{"recursive_capabilities",
                "name: a\nrole: o-ru\ncommand: x\ncapabilities: &c {self: *c}\n", ":4:25",
                "aliases must not recurse"},
        BadCase{"recursive_lab", "name: a\nrole: o-ru\ncommand: x\nlab: &l {m: [*l]}\n", ":4:14",
                "aliases must not recurse"},
        BadCase{"repeated_key", "name: a\nrole: o-ru\ncommand: x\nrole: o-du\n", ":4:1",
                "this key repeats the key at line 2, column 1"},
        BadCase{"second_document", "name: a\nrole: o-ru\ncommand: x\n---\nname: b\n", ":4:1",
                "a second YAML document"},
        BadCase{"not_utf8", "name: a\nrole: o-ru\ncommand: x\ndescription: \xE9t\xE9\n", ":4:14",
                "not UTF-8"},
        BadCase{"not_mapping", "- a\n", ":1:1", "expected a mapping"},
        BadCase{"unknown_key", "name: a\nrole: o-ru\ncommand: x\ncapabilites: [a]\n", ":4:1",
                "did you mean 'capabilities'"},
        BadCase{"name_missing", "role: o-ru\ncommand: x\n", ":1:1", "missing key 'name'"},
        BadCase{"name_list", "name: [a]\nrole: o-ru\ncommand: x\n", ":1:7",
                "expected a non-empty string"},
        BadCase{"name_chars", "name: a b/c\nrole: o-ru\ncommand: x\n", ":1:7", "not a DUT name"},
        BadCase{"role_missing", "name: a\ncommand: x\n", ":1:1", "missing key 'role'"},
        BadCase{"role_typo", "name: a\nrole: o-rru\ncommand: x\n", ":2:7", "did you mean 'o-ru'"},
        BadCase{"description_map", "name: a\nrole: o-ru\ncommand: x\ndescription: {a: 1}\n",
                ":4:14", "key 'description'"},
        BadCase{"neither_command_nor_address", "name: a\nrole: o-ru\n", ":1:1",
                "exactly one of 'command'"},
        BadCase{"both", "name: a\nrole: o-ru\ncommand: x\naddress: h:1\n", ":3:10",
                "exactly one of 'command'"},
        BadCase{"command_map", "name: a\nrole: o-ru\ncommand: {a: 1}\n", ":3:10", "key 'command'"},
        BadCase{"command_empty_list", "name: a\nrole: o-ru\ncommand: []\n", ":3:10",
                "key 'command'"},
        BadCase{"command_nested", "name: a\nrole: o-ru\ncommand: [x, [y]]\n", ":3:14",
                "key 'command'"},
        BadCase{"address_no_port", "name: a\nrole: o-ru\naddress: host\n", ":3:10",
                "expected host:port"},
        BadCase{"address_bad_port", "name: a\nrole: o-ru\naddress: host:99999\n", ":3:10",
                "expected host:port"},
        BadCase{"tls_not_map", "name: a\nrole: o-ru\naddress: h:1\ntls: ca.pem\n", ":4:6",
                "expected a mapping"},
        BadCase{"tls_unknown", "name: a\nrole: o-ru\naddress: h:1\ntls: {ca: ca.pem, crt: x}\n",
                ":4:19", "did you mean 'cert'"},
        BadCase{"tls_missing_ca", "name: a\nrole: o-ru\naddress: h:1\ntls: {}\n", ":4:6",
                "missing key 'ca'"},
        BadCase{"tls_no_file", "name: a\nrole: o-ru\naddress: h:1\ntls: {ca: nope.pem}\n", ":4:11",
                "no such file"},
        BadCase{"tls_cert_without_key",
                "name: a\nrole: o-ru\naddress: h:1\ntls: {ca: ca.pem, cert: ca.pem}\n", ":4:6",
                "go together"},
        BadCase{"tls_with_command", "name: a\nrole: o-ru\ncommand: x\ntls: {ca: ca.pem}\n", ":4:6",
                "only meaningful with 'address'"},
        BadCase{"overrides_not_map",
                "name: a\nrole: o-ru\ncommand: x\ncapability_overrides: [extension.11]\n", ":4:23",
                "expected a mapping of capability names"},
        BadCase{"overrides_bad_state",
                "name: a\nrole: o-ru\ncommand: x\ncapabilities: [extension.11]\n"
                "capability_overrides: {extension.11: suported}\n",
                ":5:38", "did you mean 'supported'"},
        BadCase{"overrides_bad_name",
                "name: a\nrole: o-ru\ncommand: x\ncapability_overrides: {ext 11: supported}\n",
                ":4:24", "not a capability name"},
        BadCase{"overrides_supported_unclaimed",
                "name: a\nrole: o-ru\ncommand: x\ncapabilities: [udp]\n"
                "capability_overrides: {extension.11: supported}\n",
                ":5:24", "not claimed under 'capabilities'"},
        BadCase{"overrides_unsupported_claimed",
                "name: a\nrole: o-ru\ncommand: x\ncapabilities: [udp]\n"
                "capability_overrides: {udp: unsupported}\n",
                ":5:24", "but claimed under 'capabilities'"},
        BadCase{"timeouts_unknown", "name: a\nrole: o-ru\ncommand: x\ntimeouts: {start: 1}\n",
                ":4:12", "did you mean 'startup'"},
        BadCase{"timeouts_bad", "name: a\nrole: o-ru\ncommand: x\ntimeouts: {call: fast}\n",
                ":4:18", "expected a positive duration"},
        BadCase{"capabilities_empty", "name: a\nrole: o-ru\ncommand: x\ncapabilities:\n", ":4:1",
                "key 'capabilities'"},
        BadCase{"capabilities_bad_name",
                "name: a\nrole: o-ru\ncommand: x\ncapabilities: [section type]\n", ":4:16",
                "not a capability name"},
        BadCase{"lab_list", "name: a\nrole: o-ru\ncommand: x\nlab: [a]\n", ":4:6",
                "key 'lab': expected a mapping"},
        BadCase{"lab_list_of_maps", "name: a\nrole: o-ru\ncommand: x\nlab: {a: [{b: 1}]}\n",
                ":4:11", "list items must be scalars"},
        BadCase{"faults_map", "name: a\nrole: o-ru\ncommand: x\nfaults: {a: 1}\n", ":4:9",
                "expected a list of fault names"},
        BadCase{"faults_bad_item", "name: a\nrole: o-ru\ncommand: x\nfaults: [[a]]\n", ":4:10",
                "expected a fault name"},
        BadCase{"faults_bad_name", "name: a\nrole: o-ru\ncommand: x\nfaults: [late ul]\n", ":4:10",
                "not a fault name"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(VendorDescriptor, ReadsCapabilityOverridesInOrder) {
  TempDir dir;
  const auto file = dir.write("ru.yaml",
                              "name: ru\nrole: o-ru\ncommand: x\n"
                              "capabilities: {extension: [11], section_type: [1]}\n"
                              "capability_overrides:\n  extension.11: supported\n"
                              "  section_type.0: unsupported\n");
  Diagnostics d;
  const auto desc = load_vendor_descriptor(file, d);
  ASSERT_TRUE(desc) << d.to_string();
  ASSERT_EQ(desc->capability_overrides.size(), 2u);
  EXPECT_EQ(desc->capability_overrides[0].name, "extension.11");
  EXPECT_TRUE(desc->capability_overrides[0].supported);
  EXPECT_EQ(desc->capability_overrides[1].name, "section_type.0");
  EXPECT_FALSE(desc->capability_overrides[1].supported);
}

TEST(VendorDescriptor, OnlyATcpAddressWithoutTlsIsPlaintext) {
  VendorDescriptor d;
  d.address = "bench3.lab:50051";
  EXPECT_NE(plaintext_adapter_warning(d).find("bench3.lab:50051 is reached without TLS"),
            std::string::npos);
  d.tls = TlsFiles{"/ca.pem", "/c.pem", "/c.key"};
  EXPECT_EQ(plaintext_adapter_warning(d), "");
  d.tls.reset();
  d.address = "unix:/run/adapter.sock";
  EXPECT_EQ(plaintext_adapter_warning(d), "");
  d.address.clear();
  d.command = {"./adapter"};
  EXPECT_EQ(plaintext_adapter_warning(d), "");
}

TEST(VendorDescriptor, TheBaseOfTheBadCasesIsValid) {
  TempDir dir;
  const auto file = dir.write("d.yaml", kOk);
  Diagnostics d;
  EXPECT_TRUE(load_vendor_descriptor(file, d)) << d.to_string();
}

// A descriptor read through a relative path launches the same program from any folder:
// its relative command is resolved once, against the descriptor's own folder.
TEST(VendorDescriptor, RelativeCommandIsResolvedOnceAgainstItsFolder) {
  TempDir dir;
  dir.write("vendors/ex/d.yaml", "name: d\nrole: o-ru\ncommand: [./adapter.py, --x]\n");
  const auto old = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  Diagnostics diagnostics;
  const auto d = load_vendor_descriptor("vendors/ex/d.yaml", diagnostics);
  std::filesystem::current_path(old);
  ASSERT_TRUE(d) << diagnostics.to_string();
  const auto folder = std::filesystem::canonical(dir.path()) / "vendors/ex";
  EXPECT_EQ(std::filesystem::path(d->base_dir), folder);
  EXPECT_EQ(std::filesystem::path(d->command[0]), folder / "adapter.py");
  EXPECT_EQ(d->command[1], "--x");
}

}  // namespace
}  // namespace plugfest::harness
