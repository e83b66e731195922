// The fault x case detection matrix: every CUS-plane and interoperability case runs
// against the simulated vendors as real processes, launched from the shipped descriptors
// (the conformant reference pair, the fictional vendors) and from one variant of the
// reference per simulator fault, through the harness's executor (one item per DUT at a
// time, as `plugfest run` does). Every case must pass against the reference and fail (a
// warning for the sequence-ID cases, whose gaps are warnings) against at least one fault;
// every fault must be caught by at least one case; and every failure must be one the
// DUT's declared faults explain. The null devices (fault `silent`: an O-RU and an O-DU
// that answer the adapter protocol but send and count nothing) are the negative control
// of every case: none may pass against them, and each must say the reason the case
// expects. A conformant pair described without Observe instruments (`lab: {observe: false}`)
// must pass every case but those that need an instrument, which must be inconclusive
// saying which. The matrix is printed.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "harness/cases/cus/detection_expectations.h"
#include "harness/cases/cus/fronthaul_fixture.h"
#include "harness/engine/context.h"
#include "harness/engine/executor.h"
#include "harness/engine/planner.h"
#include "harness/inputs/profile.h"
#include "interfaces/common/testing/temp_dir.h"
#include "harness/inputs/vendor_descriptor.h"
#include "interfaces/adapter/adapter_launcher.h"

namespace plugfest::harness {
namespace {

namespace fs = std::filesystem;

// What each case must say against the null device of its role (fault `silent`: no
// fronthaul, no counts, no Observe instrument): a part of the reason that names the cause.
const std::map<std::string, std::string> kNullOruReasons = {
    {"cus.ru.compression.claimed-methods", "cus.ru.compression.no-answer"},
    {"cus.ru.dl.beamforming-extensions", "counters counted 0 of the"},
    {"cus.ru.dl.reception-window-counters", "cus.ru.dl.counter-"},
    {"cus.ru.dl.st1-radiated-iq", "lacks the Observe instrument dl-radiated-iq"},
    {"cus.ru.prach.st3-response", "cus.ru.prach.unanswered"},
    {"cus.ru.st0.idle-without-uplane", "cus.ru.ul.symbol-unanswered"},
    {"cus.ru.ul.eaxc", "cus.ru.ul.no-answer"},
    {"cus.ru.ul.headers", "cus.ru.ul.no-answer"},
    {"cus.ru.ul.sequence-id", "cus.ru.ul.no-answer"},
    {"cus.ru.ul.st1-coverage", "cus.ru.ul.symbol-unanswered"},
    {"cus.ru.ul.ta4-window", "cus.ru.ul.no-answer"},
    {"iot.cus.end-to-end-iq", "iot.cus.no-uplink"},
    {"iot.cus.stream-validation", "iot.cus.no-uplink"},
};
const std::map<std::string, std::string> kNullOduReasons = {
    {"cus.du.dl.compression", "cus.du.silent"},
    {"cus.du.dl.cplane-timing", "cus.du.silent"},
    {"cus.du.dl.udcomphdr-zero", "cus.du.silent"},
    {"cus.du.headers", "cus.du.silent"},
    {"cus.du.prach.requests", "cus.du.silent"},
    {"cus.du.sequence-id", "cus.du.silent"},
    {"cus.du.ul.decoded-iq", "lacks the Observe instrument ul-decoded-iq"},
    {"cus.du.uplane-within-cplane", "cus.du.silent"},
    {"iot.cus.end-to-end-iq", "iot.cus.no-downlink"},
    {"iot.cus.stream-validation", "iot.cus.no-downlink"},
};

// The cases that need an Observe instrument: what they say against a conformant device
// that has none.
const std::map<std::string, std::string> kBlindReasons = {
    {"cus.ru.dl.st1-radiated-iq", "lacks the Observe instrument dl-radiated-iq"},
    {"cus.du.ul.decoded-iq", "lacks the Observe instrument ul-decoded-iq"},
    {"iot.cus.end-to-end-iq", "missing Observe instrument"},
};
// Cases that pass such a device on other evidence: the evidence they must name.
const std::map<std::string, std::string> kBlindPassEvidence = {
    {"cus.ru.dl.beamforming-extensions", "DL messages counted as received"},
};

struct Dut {
  VendorDescriptor descriptor;
  std::vector<std::string> faults;  // as the descriptor declares them
  bool partner = false;             // a reference copy, only an interoperability partner
  std::unique_ptr<LaunchedDut> session;
  adapter::DeviceDescription description;
  bool observes = true;             // describes its Observe instrument
  bool reference() const { return faults.empty() && observes; }
  bool blind() const { return faults.empty() && !observes; }
  bool null_device() const { return faults == std::vector<std::string>{"silent"}; }
};

// Reference instances per role the interoperability items share out (a pair holds both
// DUTs for its whole run, so one reference partner would run them one by one).
constexpr std::size_t kPartnersPerRole = 4;

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The names in a descriptor's one-line `faults: [a, b]`.
std::vector<std::string> declared_faults(const std::string& text) {
  std::vector<std::string> out;
  const auto at = text.find("\nfaults: [");
  if (at == std::string::npos) return out;
  std::stringstream list(text.substr(at + 10, text.find(']', at) - at - 10));
  for (std::string name; std::getline(list, name, ',');) {
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    if (!name.empty()) out.push_back(name);
  }
  return out;
}

// Writes a copy of a reference descriptor with a new name and these faults.
std::string copy_descriptor(const plugfest::testing::TempDir& dir, const std::string& reference,
                            const std::string& name, const std::string& faults,
                            bool observes = true) {
  std::string text = read_text(reference);
  if (!observes) text.replace(text.find("\nlab:\n"), 6, "\nlab:\n  observe: false\n");
  const auto name_at = text.find("\nname: ");
  const auto name_end = text.find('\n', name_at + 1);
  text.replace(name_at, name_end - name_at, "\nname: " + name);
  const auto faults_at = text.find("\nfaults:");
  text = text.substr(0, faults_at) + "\nfaults: [" + faults + "]\n";
  // The command names the descriptor file relative to its folder.
  const std::string file = name + ".yaml";
  const auto cmd = text.find(fs::path(reference).filename().string());
  if (cmd != std::string::npos)
    text.replace(cmd, fs::path(reference).filename().string().size(), file);
  return dir.write(file, text);
}

std::string cell(Verdict v, bool warned) {
  if (v == Verdict::kPass && warned) return "WARN";
  switch (v) {
    case Verdict::kPass:
      return "pass";
    case Verdict::kFail:
      return "FAIL";
    case Verdict::kInconclusive:
      return "inc";
    case Verdict::kError:
      return "ERR";
    default:
      return "?";
  }
}

struct Outcome {
  Verdict verdict = Verdict::kNone;
  bool warned = false;
  std::string reason;
  bool detected() const {
    return verdict == Verdict::kFail || (verdict == Verdict::kPass && warned);
  }
};

TEST(DetectionMatrix, EveryCaseFailsOnSomeFaultAndPassesOnTheReference) {
  const fs::path root = PLUGFEST_SOURCE_DIR;
  plugfest::testing::TempDir dir;
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(root / "vendors/descriptors")) {
    files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  const std::string reference_ru = (root / "vendors/descriptors/reference-o-ru.yaml").string();
  const std::string reference_du = (root / "vendors/descriptors/reference-o-du.yaml").string();
  for (const auto& f : kOruFaults)
    files.push_back(copy_descriptor(dir, reference_ru, "ru." + f, f));
  for (const auto& f : kOduFaults)
    files.push_back(copy_descriptor(dir, reference_du, "du." + f, f));
  files.push_back(copy_descriptor(dir, reference_ru, "ru.silent", "silent"));
  files.push_back(copy_descriptor(dir, reference_du, "du.silent", "silent"));
  files.push_back(copy_descriptor(dir, reference_ru, "ru.no-observe", "", false));
  files.push_back(copy_descriptor(dir, reference_du, "du.no-observe", "", false));
  const std::size_t first_partner = files.size();
  for (std::size_t k = 1; k < kPartnersPerRole; ++k) {
    files.push_back(copy_descriptor(dir, reference_ru, "reference-ru." + std::to_string(k), ""));
    files.push_back(copy_descriptor(dir, reference_du, "reference-du." + std::to_string(k), ""));
  }

  // Both ends stretch the slot clock further than the descriptors' x100 (unless the
  // environment already says how much): this test runs a few hundred items, several at a
  // time, on a machine that may be busy with other tests.
  setenv(cases::kTimeDilationVariable, "200", 0);
  // The descriptors launch `plugfest-sim` from PATH.
  const std::string path =
      fs::path(PLUGFEST_SIM).parent_path().string() + ":" + std::getenv("PATH");
  setenv("PATH", path.c_str(), 1);
  std::vector<Dut> duts(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    Diagnostics diagnostics;
    auto d = load_vendor_descriptor(files[i], diagnostics);
    ASSERT_TRUE(d) << diagnostics.to_string();
    duts[i].descriptor = *d;
    duts[i].faults = declared_faults(read_text(files[i]));
    duts[i].observes = read_text(files[i]).find("\n  observe: false") == std::string::npos;
    duts[i].partner = i >= first_partner;
  }
  // The interoperability partners of each role: the reference and its copies.
  std::map<adapter::Role, std::vector<std::size_t>> partners;
  for (std::size_t i = 0; i < duts.size(); ++i) {
    if (duts[i].reference()) partners[duts[i].descriptor.role].push_back(i);
  }
  // Launched from this thread: an adapter dies with the thread that launched it.
  for (auto& dut : duts) {
    adapter::LaunchOptions options;
    options.name = dut.descriptor.name;
    options.command = dut.descriptor.command;
    options.working_directory = dut.descriptor.base_dir;
    options.stderr_path = dir.path() / (dut.descriptor.name + ".stderr");
    options.expected_role = dut.descriptor.role;
    options.ready_timeout = std::chrono::seconds(30);
    auto launched = adapter::LaunchedAdapter::launch(options);
    ASSERT_TRUE(launched) << dut.descriptor.name << ": " << launched.error().message;
    dut.session = std::make_unique<LaunchedDut>(std::move(*launched));
    auto described = dut.session->describe();
    ASSERT_TRUE(described) << dut.descriptor.name << ": " << described.error().message;
    dut.description = *described;
  }

  const auto& registry = Registry::instance();
  std::vector<Profile> profiles;
  for (const char* p : {"o-ru-cus-conformance.yaml", "o-du-cus-conformance.yaml",
                        "iot-nr-tdd-100mhz-4t4r-bfp9.yaml"}) {
    // The shipped profiles, with an O-DU pattern of one TDD period (DDDSU: every slot
    // kind, one UL slot with PRACH) instead of two, to keep a few hundred items short.
    std::string text = read_text((root / "profiles" / p).string());
    if (const auto at = text.find("\n  slots: 10\n"); at != std::string::npos) {
      text.replace(at, 13, "\n  slots: 5\n");
    }
    Diagnostics diagnostics;
    auto profile = load_profile(dir.write(p, text), registry, diagnostics);
    ASSERT_TRUE(profile) << diagnostics.to_string();
    profiles.push_back(std::move(*profile));
  }
  std::vector<PlannedDut> planned;
  for (const auto& d : duts) {
    planned.push_back({d.descriptor.name, d.descriptor.role, d.description.capabilities});
  }
  const auto plan = make_plan(profiles, planned, registry, {});
  // Interoperability: the reference pair, and each other side with one reference partner.
  const auto wanted = [&](const PlanItem& item) {
    if (item.duts.size() == 1) return !duts[item.duts[0]].partner;
    const std::size_t du = item.duts[0], ru = item.duts[1];
    if (duts[du].reference() && duts[ru].reference()) return !duts[du].partner && !duts[ru].partner;
    if (!duts[du].reference() && !duts[ru].reference()) return false;
    const std::size_t faulty = duts[du].reference() ? ru : du;
    const std::size_t other = faulty == du ? ru : du;
    const auto& pool = partners[duts[other].descriptor.role];
    return pool[faulty % pool.size()] == other;
  };
  std::vector<const PlanItem*> items;
  for (const auto& item : plan) {
    if (!item.not_applicable && wanted(item)) items.push_back(&item);
  }

  // case -> column -> outcome; a column is a DUT, and a pair's column is its faulty side's.
  // The cases a DUT's declared faults may make fail (faults of other planes explain none).
  const auto explained_for = [&](const Dut& d) {
    const auto& explains = d.descriptor.role == adapter::Role::kOru ? kOruExplains : kOduExplains;
    Cases out;
    for (const auto& f : d.faults) {
      const auto it = explains.find(f);
      if (it != explains.end()) out.insert(it->second.begin(), it->second.end());
    }
    return out;
  };
  // An outcome the DUT's faults do not account for: an error, a reference that does not
  // pass cleanly, or a failure no declared fault explains.
  const auto unexpected = [&](const Dut& d, const std::string& c, const Outcome& o) {
    if (d.null_device()) {
      const auto& reasons =
          d.descriptor.role == adapter::Role::kOru ? kNullOruReasons : kNullOduReasons;
      const auto it = reasons.find(c);
      return o.verdict == Verdict::kPass || it == reasons.end() ||
             o.reason.find(it->second) == std::string::npos;
    }
    if (o.verdict == Verdict::kError) return true;
    if (d.reference()) return o.verdict != Verdict::kPass || o.warned;
    if (d.blind()) {
      const auto it = kBlindReasons.find(c);
      if (it == kBlindReasons.end()) {
        const auto evidence = kBlindPassEvidence.find(c);
        return o.verdict != Verdict::kPass || o.warned ||
               (evidence != kBlindPassEvidence.end() &&
                o.reason.find(evidence->second) == std::string::npos);
      }
      return o.verdict != Verdict::kInconclusive || o.reason.find(it->second) == std::string::npos;
    }
    return o.detected() && !explained_for(d).count(c);
  };

  // case -> column -> outcome; a column is a DUT, and a pair's column is its faulty side's.
  std::map<std::string, std::map<std::string, Outcome>> matrix;
  std::mutex matrix_mutex;
  std::vector<std::size_t> rerun;  // items with an unexpected outcome
  const auto body = [&](std::size_t item_index) {
    const PlanItem& item = *items[item_index];
    std::vector<DutContext> contexts;
    for (auto index : item.duts) {
      contexts.push_back({duts[index].descriptor.name, &duts[index].descriptor,
                          duts[index].description, duts[index].session.get()});
    }
    Context ctx(item.id, *item.test_case, item.parameters, contexts, dir.path() / "results",
                item.evidence_dir, std::chrono::steady_clock::now() + std::chrono::seconds(60));
    try {
      item.test_case->run(ctx);
    } catch (const std::exception& e) {
      ctx.error(e.what());
    }
    ItemResult result;
    ctx.fill(result);
    const Outcome outcome{result.verdict, result.has_warnings(), result.reason};
    // A pair's outcome goes to its faulty side, or to both sides of the reference pair.
    std::size_t faulty = 0;
    for (auto index : item.duts) faulty += duts[index].reference() ? 0 : 1;
    std::lock_guard lock(matrix_mutex);
    bool surprising = false;
    for (auto index : item.duts) {
      if (faulty > 0 && duts[index].reference()) continue;
      matrix[item.test_case->id][duts[index].descriptor.name] = outcome;
      surprising = surprising || unexpected(duts[index], item.test_case->id, outcome);
    }
    if (surprising) rerun.push_back(item_index);
  };
  // Items run like `plugfest run` runs them: several at a time, one per DUT.
  const auto run_items = [&](const std::vector<std::size_t>& which, unsigned jobs) {
    std::vector<TaskSpec> tasks;
    for (auto i : which) tasks.push_back({items[i]->duts, std::chrono::seconds(60)});
    ExecutorOptions options;
    options.jobs = jobs;
    execute(
        tasks, [&](std::size_t task, const std::atomic<bool>&) { body(which[task]); },
        [&](std::size_t task, TaskEnding ending, const std::string& message) {
          if (ending == TaskEnding::kCompleted) return;
          std::lock_guard lock(matrix_mutex);
          ADD_FAILURE() << items[which[task]]->id << " did not complete: " << message;
        },
        options);
  };
  std::vector<std::size_t> all(items.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  run_items(all, 10);  // mostly waiting on the dilated slot clock
  // A timing verdict measured while the machine starved a simulator of CPU for longer
  // than the dilated window is measured again, alone, up to three times; a delay can only
  // make a conformant device look worse, and a real fault fails every time. What stays is
  // asserted.
  for (int round = 0; round < 3 && !rerun.empty(); ++round) {
    auto again = std::move(rerun);
    rerun.clear();
    for (auto i : again) std::cout << "measured again: " << items[i]->id << "\n";
    run_items(again, 1);
  }
  for (auto& d : duts) d.session->close();

  // Print: cases as rows, DUTs as columns (references first, then vendors, then faults).
  std::vector<const Dut*> columns;
  for (const auto& d : duts) {
    if (d.reference() && !d.partner) columns.push_back(&d);
  }
  for (const auto& d : duts) {
    if (!d.reference()) columns.push_back(&d);
  }
  std::size_t width = 0;
  for (const auto& [c, row] : matrix) width = std::max(width, c.size());
  std::ostringstream out;
  out << "\nfault x case detection matrix (FAIL/WARN: detected, pass: not affected, -: not "
         "applicable; iot.* rows: the DUT paired with the other role's reference)\n";
  for (std::size_t k = 0; k < columns.size(); ++k) {
    const Dut& d = *columns[k];
    std::string faults;
    for (const auto& f : d.faults) faults += (faults.empty() ? "" : ", ") + f;
    out << "  " << std::setw(2) << k + 1 << " " << d.descriptor.name
        << (d.blind()        ? " (no fault, no Observe instrument)"
            : faults.empty() ? " (no fault)"
                             : " [" + faults + "]")
        << "\n";
  }
  out << std::left << std::setw(static_cast<int>(width)) << "case" << std::right;
  for (std::size_t k = 0; k < columns.size(); ++k) out << std::setw(5) << k + 1;
  out << "\n";
  for (const auto& [c, row] : matrix) {
    out << std::left << std::setw(static_cast<int>(width)) << c << std::right;
    for (const Dut* d : columns) {
      const auto it = row.find(d->descriptor.name);
      out << std::setw(5) << (it == row.end() ? "-" : cell(it->second.verdict, it->second.warned));
    }
    out << "\n";
  }
  std::cout << out.str();

  // Assert.
  std::set<std::string> detected_cases;
  for (const Dut* d : columns) {
    bool caught = false;
    for (const auto& [c, row] : matrix) {
      const auto it = row.find(d->descriptor.name);
      if (it == row.end()) continue;
      const Outcome& o = it->second;
      EXPECT_FALSE(unexpected(*d, c, o))
          << c << " against " << d->descriptor.name << ": " << cell(o.verdict, o.warned) << " "
          << o.reason
          << (d->null_device() ? " (a null device passes nothing, and says why)"
              : d->blind()       ? " (without instruments: pass, or inconclusive saying which)"
              : d->reference()   ? ""
                                 : " (none of its faults explains it)");
      if (d->reference() || d->blind() || !o.detected()) continue;
      caught = true;
      // A case's negative control is a fault it detects; the null devices do not count.
      if (!d->null_device()) detected_cases.insert(c);
    }
    if (!d->reference() && !d->blind()) {
      EXPECT_TRUE(caught) << d->descriptor.name << ": no case caught it";
    }
  }
  for (const auto& [c, row] : matrix) {
    EXPECT_TRUE(detected_cases.count(c)) << c << " fails against no simulator fault";
  }
  for (const auto& test_case : registry.all()) {
    if (test_case->plane != "cus") continue;
    EXPECT_TRUE(matrix.count(test_case->id)) << test_case->id << " never ran";
    // Every case meets the null device of each role it runs against.
    for (const auto* name : {"ru.silent", "du.silent"}) {
      const auto& reasons = std::string(name) == "ru.silent" ? kNullOruReasons : kNullOduReasons;
      if (!reasons.count(test_case->id)) continue;
      EXPECT_TRUE(matrix.count(test_case->id) && matrix.at(test_case->id).count(name))
          << test_case->id << " never met " << name;
    }
  }
  // The null devices' expectations name only cases that exist.
  for (const auto* reasons : {&kNullOruReasons, &kNullOduReasons}) {
    for (const auto& [c, reason] : *reasons) {
      EXPECT_TRUE(matrix.count(c)) << c << " is no case that ran";
    }
  }
  // The null devices' outcomes, for whoever reads the log.
  for (const auto* name : {"ru.silent", "du.silent"}) {
    for (const auto& [c, row] : matrix) {
      const auto it = row.find(name);
      if (it == row.end()) continue;
      std::cout << name << " " << c << ": " << cell(it->second.verdict, it->second.warned) << " "
                << it->second.reason << "\n";
    }
  }
}

}  // namespace
}  // namespace plugfest::harness
