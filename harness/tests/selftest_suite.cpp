// Test-only catalog and in-process fake DUTs for the harness's own tests: linked into the
// test binaries and into `plugfest-selftest` (the real command line with these cases), never
// into `plugfest`.
//
// Fake DUTs are described by their descriptor: lab parameters `fake.*` steer them
// (fake.vendor, fake.model, fake.connect: fail, fake.dead: <reason>, fake.role: o-du).
// Cases read `selftest.*` from their parameters, overridden per DUT by the DUT's lab;
// `selftest.trace: FILE` makes the verdict cases append their item ID to FILE as they start,
// so a test can tell which items ran; `selftest.log_bytes: N` adds a log line of N bytes.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "harness/engine/context.h"
#include "harness/engine/dut.h"
#include "harness/engine/test_case.h"
#include "harness/inputs/vendor_descriptor.h"

namespace plugfest::harness::selftest {
namespace {

class FakeSession : public DutSession {
 public:
  explicit FakeSession(const VendorDescriptor& d) : descriptor_(d) {}
  Result<adapter::DeviceDescription> describe() override {
    adapter::DeviceDescription out;
    out.vendor = descriptor_.lab.get_string("fake.vendor", "Fake Radio Co");
    out.model = descriptor_.lab.get_string("fake.model", "F-" + descriptor_.name);
    out.serial = descriptor_.lab.get_string("fake.serial", "SN-" + descriptor_.name);
    out.software_version = "1.0";
    const std::string role =
        descriptor_.lab.get_string("fake.role", std::string(adapter::to_string(descriptor_.role)));
    out.role = role == "o-du" ? adapter::Role::kOdu : adapter::Role::kOru;
    out.capabilities = descriptor_.capabilities;
    return out;
  }
  std::string failure() const override { return descriptor_.lab.get_string("fake.dead", ""); }
  void close() override {}

 private:
  const VendorDescriptor& descriptor_;
};

class FakeConnector : public DutConnector {
 public:
  Result<std::unique_ptr<DutSession>> connect(const VendorDescriptor& d,
                                              const ConnectOptions&) override {
    if (d.lab.get_string("fake.connect", "ok") == "fail") {
      return Error{"connection refused (fake)", d.address.empty() ? d.name : d.address};
    }
    return std::unique_ptr<DutSession>(std::make_unique<FakeSession>(d));
  }
};

// A parameter of the case, overridden by the DUT's lab parameter of the same name.
std::string setting(Context& ctx, const std::string& name, const std::string& fallback) {
  for (const auto& d : ctx.duts()) {
    if (d.lab().has(name)) return d.lab().get_string(name);
  }
  return ctx.params().get_string(name, fallback);
}

void sleep_cancellable(Context& ctx, long long ms) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < end && !ctx.cancelled()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void verdict_case(Context& ctx) {
  if (const std::string trace = setting(ctx, "selftest.trace", ""); !trace.empty()) {
    std::ofstream(trace, std::ios::app) << ctx.item_id() << "\n";
  }
  const long long sleep_ms = std::stoll(setting(ctx, "selftest.sleep_ms", "0"));
  if (sleep_ms > 0) sleep_cancellable(ctx, sleep_ms);
  ctx.add_measurement("latency", 12.5, "us");
  ctx.add_measurement("packets", 3, "count");
  ctx.log("verdict case ran on " + ctx.item_id());
  if (const auto bytes = std::stoull(setting(ctx, "selftest.log_bytes", "0")); bytes > 0) {
    ctx.log(std::string(std::min<std::size_t>(bytes, 1 << 20), 'x'));
  }
  const std::string verdict = setting(ctx, "selftest.verdict", "pass");
  if (verdict == "pass") {
    ctx.set_verdict(Verdict::kPass);
  } else if (verdict == "warn") {
    ctx.add_finding({"selftest.gap", "TEST 1.1", Severity::kWarning, "sequence gap", "packet 4"});
    ctx.set_verdict(Verdict::kPass);
  } else if (verdict == "fail") {
    ctx.fail({"selftest.bad", "TEST 1.2", Severity::kError, "the DUT misbehaved", "byte 7"});
  } else if (verdict == "inconclusive") {
    ctx.set_verdict(Verdict::kInconclusive, "no instrument");
  } else if (verdict == "error") {
    ctx.error("adapter said no");
  } else if (verdict == "throw") {
    throw std::runtime_error("boom");
  } else if (verdict == "hang") {
    // Ignores cancellation on purpose: the executor must abandon it.
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::stoll(setting(ctx, "selftest.hang_ms", "3000"))));
    ctx.set_verdict(Verdict::kPass);
  }  // "none": returns without a verdict
}

const bool registered = [] {
  register_test_case({.id = "selftest.ru.verdict",
                      .title = "O-RU verdict chosen by its parameters",
                      .plane = "cus",
                      .clause = "TEST 1",
                      .conformance_test = "SELFTEST-CONF 1.1",
                      .role = adapter::Role::kOru,
                      .parameters = {"selftest"},
                      .run = verdict_case});
  register_test_case({.id = "selftest.du.verdict",
                      .title = "O-DU verdict chosen by its parameters",
                      .plane = "cus",
                      .clause = "TEST 2",
                      .role = adapter::Role::kOdu,
                      .parameters = {"selftest"},
                      .run = verdict_case});
  register_test_case({.id = "selftest.ru.needs-bfp",
                      .title = "Applies only to O-RUs with BFP compression",
                      .plane = "cus",
                      .clause = "TEST 3",
                      .role = adapter::Role::kOru,
                      .requires_capabilities = {"compression.bfp"},
                      .parameters = {"selftest"},
                      .run = verdict_case});
  register_test_case({.id = "selftest.mplane.artifact",
                      .title = "Writes an artifact",
                      .plane = "mplane",
                      .clause = "TEST 4",
                      .role = adapter::Role::kOru,
                      .run = [](Context& ctx) {
                        std::ofstream(ctx.artifact("transcript.txt", "NETCONF transcript"))
                            << "<hello/>\n";
                        ctx.set_verdict(Verdict::kPass);
                      }});
  register_test_case({.id = "selftest.pair.verdict",
                      .title = "Pair verdict chosen by the DUTs' lab parameters",
                      .plane = "cus",
                      .clause = "TEST 5",
                      .kind = CaseKind::kInteroperability,
                      .parameters = {"selftest"},
                      .run = verdict_case});
  register_test_case({.id = "selftest.pair.second",
                      .title = "Second pair case",
                      .plane = "cus",
                      .clause = "TEST 6",
                      .kind = CaseKind::kInteroperability,
                      .parameters = {"selftest"},
                      .run = verdict_case});
  register_dut_connector([] { return std::make_unique<FakeConnector>(); });
  return true;
}();

}  // namespace
}  // namespace plugfest::harness::selftest
