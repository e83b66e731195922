// What a run may trust about a DUT reached through real adapter processes: cases apply by
// what the adapter's Describe reports (the descriptor's claims are compared, every
// difference is a warning, only an explicit override corrects Describe), and an
// `address:` adapter is reached over mutual TLS or with a warning.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "harness/engine/adapter_connector.h"
#include "harness/engine/context.h"
#include "harness/engine/run.h"
#include "harness/engine/test_case.h"
#include "harness/inputs/inputs.h"
#include "interfaces/adapter/adapter_client.h"
#include "interfaces/adapter/testing/tls_test_support.h"

namespace plugfest::harness {
namespace {

using adapter::testing::TempDir;
using adapter::testing::TlsAdapterProcess;
using adapter::testing::TlsCertificates;

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Two cases: one for every O-RU, one only for O-RUs with beamforming extension 11 (which
// the test adapter's Describe never reports).
Registry trust_registry() {
  Registry registry;
  registry.add(TestCase{.id = "trust.any-ru",
                        .title = "Applies to every O-RU",
                        .plane = "cus",
                        .clause = "adapter protocol",
                        .role = adapter::Role::kOru,
                        .run = [](Context& ctx) {
                          auto client =
                              ctx.extension<adapter::AdapterClient>(ctx.dut(), kAdapterExtension);
                          if (!client) return ctx.error("no adapter client");
                          if (auto d = client->describe(); !d) {
                            return ctx.error(d.error().to_string());
                          }
                          ctx.set_verdict(Verdict::kPass);
                        }});
  registry.add(TestCase{.id = "trust.needs-extension-11",
                        .title = "Applies to O-RUs with extension 11",
                        .plane = "cus",
                        .clause = "adapter protocol",
                        .role = adapter::Role::kOru,
                        .requires_capabilities = {"extension.11"},
                        .run = [](Context& ctx) { ctx.set_verdict(Verdict::kPass); }});
  return registry;
}

struct TrustRun {
  Result<RunOutcome> outcome = Error{"not run", ""};
  std::map<std::string, ItemResult> by_case;  // case ID -> result (one DUT)
  std::string terminal;
  std::string report_md;
  std::string report_html;
  std::string manifest_json;
};

// One run of the trust profile against the single descriptor `yaml`.
TrustRun run_one(const TempDir& dir, const std::string& name, const std::string& yaml) {
  const Registry registry = trust_registry();
  const auto inputs_dir = dir / ("inputs-" + name);
  std::filesystem::create_directories(inputs_dir);
  std::ofstream(inputs_dir / "profile.yaml")
      << "id: trust\ntitle: Trust\nspecification: {document: plugfest, version: \"1\"}\n"
         "cases:\n  - id: trust.any-ru\n  - id: trust.needs-extension-11\n";
  std::ofstream(inputs_dir / (name + ".yaml")) << yaml;
  TrustRun run;
  Diagnostics diagnostics;
  auto inputs = load_inputs({inputs_dir.string()}, registry, diagnostics);
  if (!inputs) {
    run.outcome = Error{diagnostics.to_string(), "inputs"};
    return run;
  }
  std::ostringstream terminal;
  TerminalProgress progress(terminal, false);
  RunOptions options;
  options.results_dir = dir / ("results-" + name);
  options.run_id = name;
  options.progress = &progress;
  auto connector = make_adapter_connector();
  run.outcome = run_plan(*inputs, connector.get(), registry, options);
  if (run.outcome) {
    for (const auto& r : run.outcome->results) run.by_case[r.case_id] = r;
  }
  run.terminal = terminal.str();
  run.report_md = read_text(options.results_dir / "report.md");
  run.report_html = read_text(options.results_dir / "report.html");
  run.manifest_json = read_text(options.results_dir / "manifest.json");
  return run;
}

std::string launched_yaml(const std::string& name, const std::string& extra) {
  return "name: " + name + "\nrole: o-ru\ncommand: [" + PLUGFEST_TEST_ADAPTER +
         "]\ntimeouts: {startup: 20s}\n" + extra;
}

// The claims of a descriptor whose test adapter reports exactly these in Describe.
const std::string kDescribedClaims =
    "capabilities:\n  section_type: [1, 3]\n  compression: {bfp: [9], none: [16]}\n"
    "  numerology: [1]\n  bandwidth: [100]\n  udp: true\n";

std::vector<const RunWarning*> warnings_of_kind(const Manifest& manifest, const std::string& kind) {
  std::vector<const RunWarning*> out;
  for (const auto& w : manifest.warnings) {
    if (w.kind == kind) out.push_back(&w);
  }
  return out;
}

TEST(AdapterTrust, ClaimsThatDescribeConfirmsRaiseNoWarning) {
  TempDir dir;
  auto run = run_one(dir, "agreed", launched_yaml("agreed", kDescribedClaims));
  ASSERT_TRUE(run.outcome) << run.outcome.error().to_string();
  EXPECT_TRUE(run.outcome->manifest.warnings.empty()) << run.manifest_json;
  EXPECT_EQ(run.by_case["trust.any-ru"].verdict, Verdict::kPass)
      << run.by_case["trust.any-ru"].reason;
  EXPECT_EQ(run.by_case["trust.needs-extension-11"].verdict, Verdict::kNotApplicable);
  EXPECT_EQ(run.report_md.find("## Warnings"), std::string::npos);
  EXPECT_EQ(run.terminal.find("warning"), std::string::npos) << run.terminal;
}

// The descriptor claims extensions 1 and 11 and section type 0; Describe reports none of
// them: a warning naming each, and the extension-11 case does not apply.
TEST(AdapterTrust, AClaimDescribeDoesNotReportIsAWarningAndDecidesNothing) {
  TempDir dir;
  auto claimed =
      run_one(dir, "claimer",
              launched_yaml("claimer",
                            "capabilities:\n  section_type: [0, 1, 3]\n  extension: [1, 11]\n"
                            "  compression: {bfp: [9], none: [16]}\n  numerology: [1]\n"
                            "  bandwidth: [100]\n  udp: true\n"));
  ASSERT_TRUE(claimed.outcome) << claimed.outcome.error().to_string();
  const auto& manifest = claimed.outcome->manifest;
  const auto missing = warnings_of_kind(manifest, "capabilities-not-described");
  ASSERT_EQ(missing.size(), 1u) << claimed.manifest_json;
  EXPECT_EQ(missing[0]->dut, "claimer");
  for (const char* name : {"extension.1,", "extension.11", "section_type.0"}) {
    EXPECT_NE(missing[0]->message.find(name), std::string::npos) << missing[0]->message;
  }
  EXPECT_TRUE(warnings_of_kind(manifest, "capabilities-not-claimed").empty());
  const auto& na = claimed.by_case["trust.needs-extension-11"];
  EXPECT_EQ(na.verdict, Verdict::kNotApplicable) << na.reason;
  EXPECT_EQ(claimed.by_case["trust.any-ru"].verdict, Verdict::kPass);
  // Recorded: what Describe said and what the cases were judged by.
  ASSERT_EQ(manifest.duts.size(), 1u);
  EXPECT_FALSE(manifest.duts[0].description.capabilities.has("extension.11"));
  EXPECT_TRUE(manifest.duts[0].described_capabilities.has("section_type.3"));
  // Said in the manifest on disk, on the terminal and near the top of both reports.
  EXPECT_NE(claimed.manifest_json.find("\"capabilities-not-described\""), std::string::npos);
  EXPECT_NE(claimed.terminal.find("plugfest: warning: claimer: the descriptor claims"),
            std::string::npos)
      << claimed.terminal;
  EXPECT_LT(claimed.terminal.find("warning"), claimed.terminal.find("items planned"));
  const auto md_warning = claimed.report_md.find("## Warnings");
  ASSERT_NE(md_warning, std::string::npos) << claimed.report_md;
  EXPECT_NE(claimed.report_md.find("extension.11", md_warning), std::string::npos);
  EXPECT_LT(md_warning, claimed.report_md.find("## Conformance"));
  const auto html_warning = claimed.report_html.find("<ul id=\"warnings\">");
  ASSERT_NE(html_warning, std::string::npos);
  EXPECT_NE(claimed.report_html.find("extension.11", html_warning), std::string::npos);
  EXPECT_LT(html_warning, claimed.report_html.find("<h2>Conformance</h2>"));
}

// The same claim with an explicit override: the case applies and the override is recorded.
TEST(AdapterTrust, AnExplicitOverrideMakesTheCaseApplyAndIsRecorded) {
  TempDir dir;
  auto run = run_one(dir, "overridden",
                     launched_yaml("overridden", kDescribedClaims + "  extension: [11]\n"
                                                                    "capability_overrides:\n"
                                                                    "  extension.11: supported\n"));
  ASSERT_TRUE(run.outcome) << run.outcome.error().to_string();
  const auto& manifest = run.outcome->manifest;
  EXPECT_EQ(run.by_case["trust.needs-extension-11"].verdict, Verdict::kPass)
      << run.by_case["trust.needs-extension-11"].reason;
  ASSERT_EQ(manifest.duts.size(), 1u);
  ASSERT_EQ(manifest.duts[0].capability_overrides.size(), 1u);
  EXPECT_EQ(manifest.duts[0].capability_overrides[0].capability, "extension.11");
  EXPECT_TRUE(manifest.duts[0].capability_overrides[0].supported);
  EXPECT_FALSE(manifest.duts[0].capability_overrides[0].described);
  EXPECT_TRUE(manifest.duts[0].description.capabilities.has("extension.11"));
  EXPECT_FALSE(manifest.duts[0].described_capabilities.has("extension.11"));
  // The mismatch is still said, and so is the override.
  EXPECT_EQ(warnings_of_kind(manifest, "capabilities-not-described").size(), 1u);
  const auto overrides = warnings_of_kind(manifest, "capability-override");
  ASSERT_EQ(overrides.size(), 1u);
  EXPECT_NE(overrides[0]->message.find("extension.11 taken as supported"), std::string::npos);
  // Read back from disk as written.
  auto reread = read_manifest(dir / "results-overridden");
  ASSERT_TRUE(reread) << reread.error().to_string();
  ASSERT_EQ(reread->duts[0].capability_overrides.size(), 1u);
  EXPECT_EQ(reread->warnings.size(), manifest.warnings.size());
  EXPECT_NE(run.report_md.find("taken as supported"), std::string::npos);
}

// Describe reports more than the descriptor claims: a warning too; cases apply by Describe.
TEST(AdapterTrust, DescribeReportingMoreThanClaimedIsAWarning) {
  TempDir dir;
  auto run = run_one(dir, "modest", launched_yaml("modest", "capabilities: [section_type.1]\n"));
  ASSERT_TRUE(run.outcome) << run.outcome.error().to_string();
  const auto extra = warnings_of_kind(run.outcome->manifest, "capabilities-not-claimed");
  ASSERT_EQ(extra.size(), 1u) << run.manifest_json;
  for (const char* name : {"section_type.3", "compression.bfp.9", "udp"}) {
    EXPECT_NE(extra[0]->message.find(name), std::string::npos) << extra[0]->message;
  }
  EXPECT_EQ(extra[0]->message.find("section_type.1"), std::string::npos) << extra[0]->message;
  EXPECT_TRUE(warnings_of_kind(run.outcome->manifest, "capabilities-not-described").empty());
  EXPECT_TRUE(run.outcome->manifest.duts[0].description.capabilities.has("section_type.3"));
  EXPECT_NE(run.report_html.find("which the descriptor does not claim"), std::string::npos);
}

// ---- TLS towards `address:` adapters ----

std::string address_yaml(const std::string& name, const std::string& address,
                         const std::string& tls) {
  return "name: " + name + "\nrole: o-ru\naddress: " + address +
         (tls.empty() ? "" : "\ntls: " + tls) + "\ntimeouts: {startup: 3s}\n" + kDescribedClaims;
}

std::string tls_key(const TlsCertificates& certs, const std::string& client) {
  std::string yaml = "{ca: " + certs.path("ca.pem");
  if (!client.empty()) {
    yaml += ", cert: " + certs.path(client + ".pem") + ", key: " + certs.path(client + ".key");
  }
  return yaml + "}";
}

void expect_every_item_a_tls_error(const TrustRun& run, const std::string& why) {
  ASSERT_TRUE(run.outcome) << run.outcome.error().to_string();
  ASSERT_EQ(run.outcome->results.size(), 2u);
  for (const auto& r : run.outcome->results) {
    EXPECT_EQ(r.verdict, Verdict::kError) << r.item_id;
    EXPECT_NE(r.reason.find("TLS"), std::string::npos) << r.reason;
    EXPECT_NE(r.reason.find(why), std::string::npos) << r.reason;
  }
  EXPECT_EQ(run.outcome->exit_status, 3);
}

TEST(AdapterTrust, MutualTlsWithTheRightClientCertificateWorks) {
  TempDir dir;
  TlsCertificates certs(dir);
  ASSERT_TRUE(certs.ok()) << "openssl could not make the test certificates";
  TlsAdapterProcess bench(PLUGFEST_TEST_ADAPTER, dir, certs, true);
  ASSERT_FALSE(bench.address().empty());
  auto run = run_one(dir, "mtls", address_yaml("mtls", bench.address(), tls_key(certs, "client")));
  ASSERT_TRUE(run.outcome) << run.outcome.error().to_string();
  EXPECT_EQ(run.by_case["trust.any-ru"].verdict, Verdict::kPass)
      << run.by_case["trust.any-ru"].reason;
  EXPECT_TRUE(run.outcome->manifest.warnings.empty()) << run.manifest_json;
}

TEST(AdapterTrust, MutualTlsRefusesAClientWithoutACertificate) {
  TempDir dir;
  TlsCertificates certs(dir);
  ASSERT_TRUE(certs.ok()) << "openssl could not make the test certificates";
  TlsAdapterProcess bench(PLUGFEST_TEST_ADAPTER, dir, certs, true);
  ASSERT_FALSE(bench.address().empty());
  expect_every_item_a_tls_error(
      run_one(dir, "nocert", address_yaml("nocert", bench.address(), tls_key(certs, ""))),
      "the descriptor's tls: gives none");
}

TEST(AdapterTrust, MutualTlsRefusesAClientCertificateFromAnotherCa) {
  TempDir dir;
  TlsCertificates certs(dir);
  ASSERT_TRUE(certs.ok()) << "openssl could not make the test certificates";
  TlsAdapterProcess bench(PLUGFEST_TEST_ADAPTER, dir, certs, true);
  ASSERT_FALSE(bench.address().empty());
  expect_every_item_a_tls_error(
      run_one(dir, "foreign",
              address_yaml("foreign", bench.address(), tls_key(certs, "other-client"))),
      "does not accept the client certificate " + certs.path("other-client.pem"));
}

// The harness refuses an adapter whose certificate its CA did not sign.
TEST(AdapterTrust, AnAdapterCertificateFromAnotherCaIsRefused) {
  TempDir dir;
  TlsCertificates certs(dir);
  ASSERT_TRUE(certs.ok()) << "openssl could not make the test certificates";
  TlsAdapterProcess bench(PLUGFEST_TEST_ADAPTER, dir, certs, true);
  ASSERT_FALSE(bench.address().empty());
  const std::string tls = "{ca: " + certs.path("other-ca.pem") +
                          ", cert: " + certs.path("client.pem") +
                          ", key: " + certs.path("client.key") + "}";
  expect_every_item_a_tls_error(
      run_one(dir, "untrusted", address_yaml("untrusted", bench.address(), tls)),
      "the adapter's certificate is not trusted");
}

// The simulator itself serves mutual TLS: reached with the right certificate, refused
// without one.
TEST(AdapterTrust, TheSimulatorServesMutualTls) {
  TempDir dir;
  TlsCertificates certs(dir);
  ASSERT_TRUE(certs.ok()) << "openssl could not make the test certificates";
  const auto sim_descriptor = dir / "sim-ru.yaml";
  std::ofstream(sim_descriptor) << "name: sim-ru\nrole: o-ru\ncommand: [plugfest-sim]\n"
                                << kDescribedClaims;
  TlsAdapterProcess sim({PLUGFEST_SIM, "--descriptor", sim_descriptor.string()}, dir, certs, true);
  ASSERT_FALSE(sim.address().empty()) << "plugfest-sim did not write its port";
  auto run = run_one(dir, "sim", address_yaml("sim", sim.address(), tls_key(certs, "client")));
  ASSERT_TRUE(run.outcome) << run.outcome.error().to_string();
  EXPECT_EQ(run.by_case["trust.any-ru"].verdict, Verdict::kPass)
      << run.by_case["trust.any-ru"].reason;
  EXPECT_TRUE(run.outcome->manifest.warnings.empty()) << run.manifest_json;
  expect_every_item_a_tls_error(
      run_one(dir, "sim-nocert", address_yaml("sim-nocert", sim.address(), tls_key(certs, ""))),
      "refused this client in the handshake");
}

// A plaintext `address:` adapter works, with a warning on the terminal, in the manifest and
// in the reports.
TEST(AdapterTrust, APlaintextAddressAdapterIsAWarning) {
  TempDir dir;
  TlsCertificates certs(dir);
  ASSERT_TRUE(certs.ok()) << "openssl could not make the test certificates";
  TlsAdapterProcess bench({PLUGFEST_TEST_ADAPTER}, dir, certs, false, /*tls=*/false);
  ASSERT_FALSE(bench.address().empty());
  auto run = run_one(dir, "plain", address_yaml("plain", bench.address(), ""));
  ASSERT_TRUE(run.outcome) << run.outcome.error().to_string();
  EXPECT_EQ(run.by_case["trust.any-ru"].verdict, Verdict::kPass)
      << run.by_case["trust.any-ru"].reason;
  const auto plaintext = warnings_of_kind(run.outcome->manifest, "plaintext-adapter");
  ASSERT_EQ(plaintext.size(), 1u) << run.manifest_json;
  EXPECT_NE(plaintext[0]->message.find("without TLS"), std::string::npos);
  EXPECT_NE(run.terminal.find("plugfest: warning: plain: the adapter at " + bench.address() +
                              " is reached without TLS"),
            std::string::npos)
      << run.terminal;
  EXPECT_NE(run.report_md.find("without TLS"), std::string::npos);
  EXPECT_NE(run.report_html.find("without TLS"), std::string::npos);
}

}  // namespace
}  // namespace plugfest::harness
