// The CUS-plane suites over eCPRI on raw Ethernet, against plugfest-sim processes: in a
// network namespace of its own, each simulated DUT has its own veth pair (the harness on
// one end, the simulator's `simulator.fronthaul_interface` on the other, VLAN 6, PCP 7).
// The MTU is 16000: the simulator sends each symbol's U-plane for the whole carrier in one
// message, and at BFP 14 (a method the reference O-RU claims, which the compression case
// tries) 273 PRBs take 11,755 octets. The O-RU and O-DU CUS profiles run against the
// reference devices over Ethernet and, in the same run, over UDP: both pass every case. A subset of the fault x
// case detection matrix holds over Ethernet: every fronthaul fault of the simulator is
// caught by a case it explains, and the null devices pass nothing. A harness interface
// taken down during a case makes that item `error` naming it, and the next item passes.
// tshark decodes every Ethernet evidence pcap (link type 1) as O-RAN fronthaul with the
// settings written beside it; the references' captures have no malformed frame.
// Needs root (namespaces, CAP_NET_RAW); skipped otherwise.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "harness/cases/cus/detection_expectations.h"
#include "harness/cases/cus/fronthaul_fixture.h"
#include "harness/engine/context.h"
#include "harness/engine/executor.h"
#include "harness/engine/planner.h"
#include "harness/inputs/profile.h"
#include "harness/inputs/vendor_descriptor.h"
#include "interfaces/common/testing/temp_dir.h"
#include "interfaces/transport/wireshark_profile.h"

namespace plugfest::harness {
namespace {

namespace fs = std::filesystem;

bool sh(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

// One network namespace holding `pairs` veth pairs fhK (the harness's) / simK (the
// simulator's); the calling thread works inside it until the object goes.
class EthernetBench {
 public:
  static Result<std::unique_ptr<EthernetBench>> create(std::size_t pairs) {
    if (::geteuid() != 0) return Error{"needs root for network namespaces", "bench"};
    if (!sh("ip -V")) return Error{"needs iproute2", "bench"};
    std::unique_ptr<EthernetBench> bench(new EthernetBench);
    bench->ns_ = "plugfest-eth-" + std::to_string(::getpid());
    sh("ip netns del " + bench->ns_);
    if (!sh("ip netns add " + bench->ns_)) return Error{"'ip netns add' failed", "bench"};
    bench->created_ = true;
    const std::string in = "ip -n " + bench->ns_ + " ";
    if (!sh(in + "link set lo up")) return Error{"cannot raise lo", "bench"};
    for (std::size_t k = 0; k < pairs; ++k) {
      const std::string h = "fh" + std::to_string(k), s = "sim" + std::to_string(k);
      if (!sh(in + "link add " + h + " type veth peer name " + s) ||
          !sh(in + "link set " + h + " mtu 16000") || !sh(in + "link set " + s + " mtu 16000") ||
          !sh(in + "link set " + h + " up") || !sh(in + "link set " + s + " up")) {
        return Error{"cannot create veth pair " + h + "/" + s, "bench"};
      }
    }
    bench->home_ = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    const int target = ::open(("/run/netns/" + bench->ns_).c_str(), O_RDONLY | O_CLOEXEC);
    const bool entered = target >= 0 && ::setns(target, CLONE_NEWNET) == 0;
    if (target >= 0) ::close(target);
    if (!entered) return Error{"cannot enter the namespace", bench->ns_};
    return bench;
  }
  ~EthernetBench() {
    if (home_ >= 0) {
      (void)::setns(home_, CLONE_NEWNET);
      ::close(home_);
    }
    if (created_) sh("ip netns del " + ns_);
  }
  const std::string& ns() const { return ns_; }
  // Brings the harness's end of pair k down or up.
  bool set_harness_link(std::size_t k, bool up) const {
    return sh("ip -n " + ns_ + " link set fh" + std::to_string(k) + (up ? " up" : " down"));
  }

 private:
  EthernetBench() = default;
  std::string ns_;
  bool created_ = false;
  int home_ = -1;
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A copy of a reference descriptor named `name` with `faults`, over Ethernet on veth pair
// `pair` (or over UDP as shipped when pair is negative).
std::string copy_descriptor(const plugfest::testing::TempDir& dir, const fs::path& reference,
                            const std::string& name, const std::string& faults, int pair) {
  std::string text = read_text(reference);
  const auto name_at = text.find("\nname: ");
  text.replace(name_at, text.find('\n', name_at + 1) - name_at, "\nname: " + name);
  text = text.substr(0, text.find("\nfaults:")) + "\nfaults: [" + faults + "]\n";
  if (pair >= 0) {
    const std::string k = std::to_string(pair);
    const std::string udp = "  fronthaul: {host: 127.0.0.1}";
    text.replace(text.find(udp), udp.size(),
                 "  fronthaul: {host: 127.0.0.1, transport: ethernet, interface: fh" + k +
                     ", vlan: 6, pcp: 7, mtu: 16000}");
    text += "simulator: {fronthaul_interface: sim" + k + "}\n";
  }
  const std::string file = name + ".yaml";
  const std::string shipped = reference.filename().string();
  text.replace(text.find(shipped), shipped.size(), file);
  return dir.write(file, text);
}

struct Dut {
  VendorDescriptor descriptor;
  std::string fault;  // "" for a reference
  bool ethernet = false;
  int pair = -1;
  std::unique_ptr<LaunchedDut> session;
  adapter::DeviceDescription description;
};

struct Outcome {
  Verdict verdict = Verdict::kNone;
  bool warned = false;
  std::string reason;
  double seconds = 0;
  bool detected() const {
    return verdict == Verdict::kFail || (verdict == Verdict::kPass && warned);
  }
};

std::string cell(const Outcome& o) {
  switch (o.verdict) {
    case Verdict::kPass:
      return o.warned ? "WARN" : "pass";
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

// What tshark says of the frames of `pcap` read with the settings folder `config` (none
// when empty): how many there are, how many it decodes as O-RAN FH CUS, how many carry the
// VLAN 6 tag and ethertype 0xAEFE, and how many are malformed or have an error-level expert
// item.
struct Decoded {
  long frames = 0, oran = 0, tagged = 0, malformed = 0;
};
Decoded tshark(const fs::path& pcap, const fs::path& config) {
  Decoded out;
  const std::string settings =
      config.empty() ? "" : "WIRESHARK_CONFIG_DIR=" + config.string() + " ";
  const std::string command = settings + PLUGFEST_TSHARK + " -r " + pcap.string() +
                              " -T fields -E occurrence=f -e frame.protocols -e vlan.id"
                              " -e vlan.etype 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return {-1, -1, -1, -1};
  char line[4096];
  while (std::fgets(line, sizeof line, pipe) != nullptr) {
    const std::string text = line;
    ++out.frames;
    if (text.find(":oran_fh_cus") != std::string::npos) ++out.oran;
    if (text.find("\t6\t0xaefe") != std::string::npos) ++out.tagged;
  }
  ::pclose(pipe);
  const std::string bad = settings + PLUGFEST_TSHARK + " -r " + pcap.string() +
                          " -Y '_ws.malformed || _ws.expert.severity == \"Error\"' 2>/dev/null"
                          " | wc -l";
  pipe = ::popen(bad.c_str(), "r");
  if (pipe == nullptr || std::fscanf(pipe, "%ld", &out.malformed) != 1) out.malformed = -1;
  if (pipe != nullptr) ::pclose(pipe);
  return out;
}

TEST(EthernetDetection, ReferencesPassAsOverUdpAndEveryFaultIsCaughtOverEthernet) {
  const fs::path root = PLUGFEST_SOURCE_DIR;
  const fs::path reference_ru = root / "vendors/descriptors/reference-o-ru.yaml";
  const fs::path reference_du = root / "vendors/descriptors/reference-o-du.yaml";
  plugfest::testing::TempDir dir;

  // DUT list: name, reference, fault, Ethernet?
  struct Planned {
    std::string name;
    const fs::path* reference;
    std::string fault;
    bool ethernet;
  };
  std::vector<Planned> wanted = {{"udp.reference-ru", &reference_ru, "", false},
                                 {"udp.reference-du", &reference_du, "", false},
                                 {"eth.reference-ru", &reference_ru, "", true},
                                 {"eth.reference-du", &reference_du, "", true},
                                 {"eth.link-down-ru", &reference_ru, "", true},
                                 {"eth.ru.silent", &reference_ru, "silent", true},
                                 {"eth.du.silent", &reference_du, "silent", true}};
  for (const auto& f : kOruFaults) wanted.push_back({"eth.ru." + f, &reference_ru, f, true});
  for (const auto& f : kOduFaults) wanted.push_back({"eth.du." + f, &reference_du, f, true});
  std::size_t pairs = 0;
  for (const auto& w : wanted) pairs += w.ethernet ? 1 : 0;

  auto bench = EthernetBench::create(pairs);
  if (!bench) GTEST_SKIP() << "no Ethernet bench here: " << bench.error().message;

  setenv(cases::kTimeDilationVariable, "200", 0);
  const std::string path =
      fs::path(PLUGFEST_SIM).parent_path().string() + ":" + std::getenv("PATH");
  setenv("PATH", path.c_str(), 1);
  std::vector<Dut> duts(wanted.size());
  int next_pair = 0;
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    const auto& w = wanted[i];
    duts[i].fault = w.fault;
    duts[i].ethernet = w.ethernet;
    duts[i].pair = w.ethernet ? next_pair++ : -1;
    Diagnostics diagnostics;
    auto d = load_vendor_descriptor(
        copy_descriptor(dir, *w.reference, w.name, w.fault, duts[i].pair), diagnostics);
    ASSERT_TRUE(d) << diagnostics.to_string();
    duts[i].descriptor = *d;
  }
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
  for (const char* p : {"o-ru-cus-conformance.yaml", "o-du-cus-conformance.yaml"}) {
    std::string text = read_text(root / "profiles" / p);
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
  // References: every case. A fault: the cases it explains. A null device: two cases.
  // The link-down O-RU: two cases, one after the other.
  std::map<std::size_t, std::size_t> taken;  // per DUT
  std::vector<const PlanItem*> items, link_down_items;
  for (const auto& item : plan) {
    if (item.not_applicable || item.duts.size() != 1) continue;
    const Dut& d = duts[item.duts[0]];
    const std::string& name = d.descriptor.name;
    if (name == "eth.link-down-ru") {
      if (link_down_items.size() < 2 && item.test_case->id.find(".ul.") != std::string::npos)
        link_down_items.push_back(&item);
      continue;
    }
    bool keep = d.fault.empty();
    if (d.fault == "silent") {
      keep = taken[item.duts[0]] < 2;
    } else if (!d.fault.empty()) {
      const auto& explains =
          d.descriptor.role == adapter::Role::kOru ? kOruExplains : kOduExplains;
      keep = explains.at(d.fault).count(item.test_case->id) != 0;
    }
    if (!keep) continue;
    ++taken[item.duts[0]];
    items.push_back(&item);
  }
  ASSERT_EQ(link_down_items.size(), 2u);

  std::map<std::string, std::map<std::string, Outcome>> matrix;  // case -> DUT -> outcome
  std::mutex matrix_mutex;
  std::vector<std::size_t> rerun;
  const auto unexpected = [&](const Dut& d, const Outcome& o) {
    if (o.verdict == Verdict::kError) return true;
    if (d.fault.empty()) return o.verdict != Verdict::kPass || o.warned;
    return false;
  };
  const auto run_one = [&](const PlanItem& item) {
    const Dut& dut = duts[item.duts[0]];
    std::vector<DutContext> contexts{
        {dut.descriptor.name, &dut.descriptor, dut.description, dut.session.get()}};
    const auto started = std::chrono::steady_clock::now();
    Context ctx(item.id, *item.test_case, item.parameters, contexts, dir.path() / "results",
                item.evidence_dir, started + std::chrono::seconds(60));
    try {
      item.test_case->run(ctx);
    } catch (const std::exception& e) {
      ctx.error(e.what());
    }
    ItemResult result;
    ctx.fill(result);
    return Outcome{result.verdict, result.has_warnings(), result.reason,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
                       .count()};
  };
  const auto run_items = [&](const std::vector<std::size_t>& which, unsigned jobs) {
    std::vector<TaskSpec> tasks;
    for (auto i : which) tasks.push_back({items[i]->duts, std::chrono::seconds(60)});
    ExecutorOptions options;
    options.jobs = jobs;
    execute(
        tasks,
        [&](std::size_t task, const std::atomic<bool>&) {
          const PlanItem& item = *items[which[task]];
          const Outcome o = run_one(item);
          std::lock_guard lock(matrix_mutex);
          const Dut& d = duts[item.duts[0]];
          matrix[item.test_case->id][d.descriptor.name] = o;
          if (unexpected(d, o)) rerun.push_back(which[task]);
        },
        [&](std::size_t task, TaskEnding ending, const std::string& message) {
          if (ending == TaskEnding::kCompleted) return;
          std::lock_guard lock(matrix_mutex);
          ADD_FAILURE() << items[which[task]]->id << " did not complete: " << message;
        },
        options);
  };
  std::vector<std::size_t> all(items.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;

  // Meanwhile, on its own pair: the harness's interface goes down during the first case.
  const Dut& link_dut = duts[link_down_items[0]->duts[0]];
  Outcome downed, after;
  std::thread link_down([&] {
    // As soon as the case opened its port (its capture exists), the link goes.
    const fs::path capture =
        dir.path() / "results" / link_down_items[0]->evidence_dir / "fronthaul.pcap";
    std::thread cut([&] {
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      while (!fs::exists(capture) && std::chrono::steady_clock::now() < give_up)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      EXPECT_TRUE(bench->get()->set_harness_link(static_cast<std::size_t>(link_dut.pair), false));
    });
    downed = run_one(*link_down_items[0]);
    cut.join();
    EXPECT_TRUE(bench->get()->set_harness_link(static_cast<std::size_t>(link_dut.pair), true));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    after = run_one(*link_down_items[1]);
  });
  run_items(all, 10);
  link_down.join();
  // A timing verdict measured while the machine starved a simulator is measured again,
  // alone, as the UDP matrix does.
  for (int round = 0; round < 2 && !rerun.empty(); ++round) {
    auto again = std::move(rerun);
    rerun.clear();
    for (auto i : again) {
      const auto& o = matrix[items[i]->test_case->id][duts[items[i]->duts[0]].descriptor.name];
      std::cout << "measured again: " << items[i]->id << " (was " << cell(o) << ": " << o.reason
                << ")\n";
    }
    run_items(again, 1);
  }
  for (auto& d : duts) d.session->close();

  // Print the matrix: cases x DUTs that ran them.
  std::ostringstream out;
  out << "\nCUS cases over Ethernet (eth.*) and UDP (udp.*):\n";
  for (const auto& [c, row] : matrix) {
    out << "  " << c << ":";
    for (const auto& [name, o] : row)
      out << " " << name << "=" << cell(o) << "(" << static_cast<int>(o.seconds) << "s)";
    out << "\n";
  }
  out << "  link down during " << link_down_items[0]->test_case->id << ": " << cell(downed) << " "
      << downed.reason << "\n  then " << link_down_items[1]->test_case->id << ": " << cell(after)
      << "\n";
  std::cout << out.str();

  // References: every case passes over Ethernet as over UDP.
  std::size_t compared = 0;
  for (const auto& [c, row] : matrix) {
    for (const char* role : {"ru", "du"}) {
      const auto udp = row.find(std::string("udp.reference-") + role);
      const auto eth = row.find(std::string("eth.reference-") + role);
      if (udp == row.end() && eth == row.end()) continue;
      ASSERT_TRUE(udp != row.end() && eth != row.end()) << c << " ran over one transport only";
      EXPECT_EQ(cell(udp->second), "pass") << c << " over UDP: " << udp->second.reason;
      EXPECT_EQ(cell(eth->second), cell(udp->second))
          << c << " over Ethernet: " << eth->second.reason;
      ++compared;
    }
  }
  EXPECT_GE(compared, 15u);
  // Every fault is caught by a case it explains; no case errs on it.
  for (const auto& d : duts) {
    if (d.fault.empty() || d.fault == "silent") continue;
    bool caught = false;
    for (const auto& [c, row] : matrix) {
      const auto it = row.find(d.descriptor.name);
      if (it == row.end()) continue;
      EXPECT_NE(it->second.verdict, Verdict::kError)
          << c << " against " << d.descriptor.name << ": " << it->second.reason;
      caught = caught || it->second.detected();
    }
    EXPECT_TRUE(caught) << d.descriptor.name << ": no case caught it over Ethernet";
  }
  // The null devices pass nothing.
  for (const char* name : {"eth.ru.silent", "eth.du.silent"}) {
    std::size_t ran = 0;
    for (const auto& [c, row] : matrix) {
      const auto it = row.find(name);
      if (it == row.end()) continue;
      ++ran;
      EXPECT_NE(it->second.verdict, Verdict::kPass) << c << " passed " << name;
      EXPECT_NE(it->second.verdict, Verdict::kError) << c << " against " << name << ": "
                                                     << it->second.reason;
    }
    EXPECT_EQ(ran, 2u) << name;
  }
  // The interface that went down: that item errs naming it; the next one passes.
  EXPECT_EQ(downed.verdict, Verdict::kError) << downed.reason;
  EXPECT_NE(downed.reason.find("fh" + std::to_string(link_dut.pair) + " went down"),
            std::string::npos)
      << downed.reason;
  EXPECT_EQ(cell(after), "pass") << after.reason;

  // tshark: every Ethernet capture decodes as O-RAN fronthaul with its settings; the
  // references' (and the null devices' and link-down's) have no malformed frame.
  if (std::string(PLUGFEST_TSHARK).empty()) {
    std::cout << "tshark not installed: the captures were not decoded\n";
    return;
  }
  // One tshark run per group of captures with the same settings (the preferences differ
  // with the IQ width of the case), the faulty devices' apart: the captures of a group are
  // concatenated (mergecap -a) first, which keeps the test short.
  std::map<std::pair<std::string, bool>, std::vector<fs::path>> groups;
  std::size_t pcaps = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir.path() / "results")) {
    if (entry.path().extension() != ".pcap") continue;
    const fs::path& pcap = entry.path();
    const std::string dut = pcap.parent_path().filename().string();
    if (dut.rfind("eth.", 0) != 0) continue;
    ++pcaps;
    bool faulty = false;
    for (const auto& d : duts)
      faulty = faulty || (d.descriptor.name == dut && !d.fault.empty() && d.fault != "silent");
    const std::string preferences =
        read_text(transport::wireshark_profile_dir(pcap) / "preferences");
    ASSERT_FALSE(preferences.empty()) << pcap << " has no Wireshark settings beside it";
    groups[{preferences, faulty}].push_back(pcap);
  }
  std::size_t group_number = 0;
  for (const auto& [key, files] : groups) {
    const auto& [preferences, faulty] = key;
    const fs::path merged = dir.path() / ("group-" + std::to_string(group_number++) + ".pcap");
    std::string command = "mergecap -a -F pcap -w " + merged.string();
    for (const auto& f : files) command += " " + f.string();
    ASSERT_TRUE(sh(command)) << command;
    const fs::path config = transport::wireshark_profile_dir(files.front());
    const Decoded d = tshark(merged, config);
    std::cout << "tshark: " << files.size() << (faulty ? " faulty devices'" : "")
              << " captures, " << d.frames << " frames, " << d.oran << " O-RAN FH CUS, "
              << d.tagged << " VLAN 6 eCPRI, " << d.malformed << " malformed or in error\n";
    EXPECT_EQ(d.tagged, d.frames) << files.front();
    if (faulty) continue;  // a fault that breaks the eCPRI header is malformed to Wireshark too
    EXPECT_GT(d.frames, 0) << files.front();
    EXPECT_EQ(d.oran, d.frames) << files.front() << "\n  " << transport::wireshark_command(merged);
    EXPECT_EQ(d.malformed, 0) << files.front() << "\n  "
                              << "WIRESHARK_CONFIG_DIR=" << config.string() << " wireshark -r "
                              << merged.string();
    if (group_number == 1) {
      std::cout << "tshark settings used (" << config.string() << "/preferences):\n"
                << preferences;
    }
    // For the record: what Wireshark's defaults make of the same frames.
    const Decoded plain = tshark(merged, {});
    std::cout << "  without the settings: " << plain.oran << " of " << plain.frames
              << " frames O-RAN FH CUS, " << plain.malformed << " malformed or in error\n";
  }
  EXPECT_GT(pcaps, 40u);
}

}  // namespace
}  // namespace plugfest::harness
