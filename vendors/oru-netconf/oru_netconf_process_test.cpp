// The O-RU CUS-plane profile against plugfest-sim as a device, through the standard O-RU
// adapter (M-plane only, eCPRI over Ethernet), gives the verdicts it gives through
// plugfest-sim's own adapter, but for the cases that need an instrument the standard
// adapter lacks, which end inconclusive naming it. An M-plane fault of the device (carriers
// never become READY) fails PrepareSession and makes every item `error`.
//
// Wiring: one network namespace holding both ends of a veth pair, the harness on one and
// the device on the other, NETCONF and gRPC on the namespace's loopback. Needs root.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

extern char** environ;

namespace plugfest::oru_netconf {
namespace {

namespace fs = std::filesystem;

const std::string kDilation = "200";

std::string slurp(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int shell(const std::string& command) {
  const int status = std::system((command + " >/dev/null 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A namespace with a veth pair inside it and its loopback up; deleted (pair and all) on
// destruction.
class Bench {
 public:
  static std::unique_ptr<Bench> create(std::string& why) {
    if (::geteuid() != 0) {
      why = "needs root for a network namespace and a veth pair";
      return nullptr;
    }
    if (shell("ip -V") != 0) {
      why = "iproute2 (ip) is not installed";
      return nullptr;
    }
    auto bench = std::unique_ptr<Bench>(new Bench());
    const std::string id = std::to_string(::getpid() % 100000);
    bench->ns = "pfonc" + id;
    bench->harness_if = "pfh" + id;
    bench->dut_if = "pfd" + id;
    shell("ip netns del " + bench->ns);
    bench->created = shell("ip netns add " + bench->ns) == 0;
    const std::string in = "ip -n " + bench->ns + " ";
    if (!bench->created ||
        shell(in + "link add " + bench->harness_if + " type veth peer name " + bench->dut_if) != 0 ||
        shell(in + "link set lo up") != 0 ||
        shell(in + "link set " + bench->harness_if + " mtu 9000 up") != 0 ||
        shell(in + "link set " + bench->dut_if + " mtu 9000 up") != 0) {
      why = "cannot make the namespace and veth pair here";
      return nullptr;
    }
    return bench;
  }
  ~Bench() {
    if (created) shell("ip netns del " + ns);
  }
  std::string ns, harness_if, dut_if;

 private:
  Bench() = default;
  bool created = false;
};

// A process in the bench's namespace with the dilation both ends share, output to `log`.
pid_t spawn_in(const Bench& bench, const std::vector<std::string>& command, const fs::path& log) {
  std::vector<std::string> args = {"ip",  "netns", "exec", bench.ns, "env",
                                   "PLUGFEST_TIME_DILATION=" + kDilation};
  args.insert(args.end(), command.begin(), command.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  if (posix_spawnp(&pid, "ip", &actions, nullptr, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

struct Outcome {
  std::string verdict;
  std::string reason;
};

// Case ID -> verdict and reason, from a results folder's journal.
std::map<std::string, Outcome> verdicts(const fs::path& results) {
  std::map<std::string, Outcome> out;
  std::ifstream in(results / "journal.jsonl");
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.contains("item")) continue;
    std::string item = j["item"].get<std::string>();
    item = item.substr(item.find('/') + 1);
    item = item.substr(0, item.find('@'));
    out[item] = {j.value("verdict", ""), j.value("reason", "")};
  }
  return out;
}

// BFP 14 and no compression are left out: a whole 273-PRB symbol of either (11751, 13104
// octets) does not fit one 9000-octet jumbo frame.
constexpr const char* kCapabilities = R"(capabilities:
  section_type: [0, 1, 3]
  extension: [1, 11]
  compression: {bfp: [9]}
  numerology: [1]
  bandwidth: [100]
  antennas: [4]
  ethernet: true
)";

class OruNetconfProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    bench_ = Bench::create(why);
    if (!bench_) GTEST_SKIP() << why;
    dir_ = fs::temp_directory_path() / ("plugfest-oru-netconf-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    stop_device();
    if (!dir_.empty() && !HasFailure()) fs::remove_all(dir_);
  }

  std::string lab_fronthaul() const {
    return "  fronthaul: {transport: ethernet, interface: " + bench_->harness_if +
           ", vlan: 6, pcp: 7}\n  timing: {dilation: " + kDilation + "}\n";
  }

  // plugfest-sim as a device: its NETCONF server on port 8300 of the namespace, its
  // fronthaul on the veth's device end, configured through the M-plane only.
  void start_device(const std::string& faults) {
    const fs::path file = dir_ / "device.yaml";
    std::ofstream(file) << "name: sim-device\nrole: o-ru\n" << kCapabilities
                        << "lab:\n  timing: {dilation: " << kDilation
                        << "}\n  mplane: {host: 127.0.0.1, port: 8300, user: oranuser, "
                           "password: o-ran-sim}\nsimulator: {fronthaul_interface: "
                        << bench_->dut_if << "}\nfaults: [" << faults << "]\n";
    device_log_ = dir_ / ("device-" + (faults.empty() ? std::string("reference") : faults) + ".log");
    device_ = spawn_in(*bench_,
                       {PLUGFEST_SIM, "--descriptor", file.string(), "--listen",
                        "unix:" + (dir_ / "device.sock").string()},
                       device_log_);
    ASSERT_GT(device_, 0);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (slurp(device_log_).find("serving on") == std::string::npos) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << slurp(device_log_);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  void stop_device() {
    if (device_ <= 0) return;
    ::kill(device_, SIGTERM);
    wait_exit(device_);
    device_ = -1;
  }

  // The standard adapter's descriptor for the device above.
  fs::path standard_descriptor() {
    const fs::path file = dir_ / "mplane-ru.yaml";
    std::ofstream(file) << "name: mplane-ru\nrole: o-ru\ncommand: [" << PLUGFEST_ORU_NETCONF
                        << ", --descriptor, " << file.string() << "]\n" << kCapabilities
                        << "  mplane: [netconf-ssh]\nlab:\n" << lab_fronthaul()
                        << "  mplane: {host: 127.0.0.1, port: 8300, user: oranuser, password: "
                           "o-ran-sim, fronthaul_interface: eth0, activation_timeout_ms: 2000}\n";
    return file;
  }

  // plugfest-sim behind its own adapter, on the same veth end.
  fs::path own_descriptor() {
    const fs::path file = dir_ / "own-ru.yaml";
    std::ofstream(file) << "name: own-ru\nrole: o-ru\ncommand: [" << PLUGFEST_SIM
                        << ", --descriptor, " << file.string() << "]\n" << kCapabilities
                        << "lab:\n" << lab_fronthaul() << "simulator: {fronthaul_interface: "
                        << bench_->dut_if << "}\nfaults: []\n";
    return file;
  }

  std::map<std::string, Outcome> run(const fs::path& descriptor, const std::string& name) {
    const fs::path results = dir_ / name;
    const pid_t pid = spawn_in(*bench_,
                               {PLUGFEST_CLI, "run", PLUGFEST_ORU_PROFILE, descriptor.string(),
                                "-o", results.string(), "--progress", "plain"},
                               dir_ / (name + ".log"));
    EXPECT_GT(pid, 0);
    const int status = wait_exit(pid);
    EXPECT_LE(status, 3) << slurp(dir_ / (name + ".log"));
    return verdicts(results);
  }

  std::unique_ptr<Bench> bench_;
  fs::path dir_;
  pid_t device_ = -1;
  fs::path device_log_;
};

std::string table(const std::map<std::string, Outcome>& a, const std::map<std::string, Outcome>& b) {
  std::string out;
  for (const auto& [id, o] : a) {
    const auto other = b.find(id);
    out += id + ": own " + o.verdict + " | standard " +
           (other == b.end() ? "-" : other->second.verdict + " (" + other->second.reason + ")") +
           "\n";
  }
  return out;
}

TEST_F(OruNetconfProcess, StandardAdapterGivesTheOwnAdaptersVerdictsWhereTheInstrumentsAllow) {
  const auto own = run(own_descriptor(), "own");
  start_device("");
  const auto standard = run(standard_descriptor(), "standard");
  stop_device();
  std::cout << table(own, standard);
  ASSERT_GE(own.size(), 10u) << slurp(dir_ / "own.log");
  ASSERT_EQ(standard.size(), own.size()) << slurp(dir_ / "standard.log") << slurp(device_log_);
  // Cases that need an instrument the standard adapter does not have, and which.
  const std::map<std::string, std::string> needs_instrument = {
      {"cus.ru.dl.st1-radiated-iq", "dl-radiated-iq"},
      {"cus.ru.compression.claimed-methods", "UL air-signal source"}};
  int compared = 0;
  for (const auto& [id, o] : own) {
    EXPECT_EQ(o.verdict, "pass") << id << " through plugfest-sim's own adapter: " << o.reason;
    const auto s = standard.find(id);
    ASSERT_NE(s, standard.end()) << id;
    if (const auto instrument = needs_instrument.find(id); instrument != needs_instrument.end()) {
      EXPECT_EQ(s->second.verdict, "inconclusive") << id << ": " << s->second.reason;
      EXPECT_NE(s->second.reason.find(instrument->second), std::string::npos)
          << id << ": " << s->second.reason;
      continue;
    }
    ++compared;
    EXPECT_EQ(s->second.verdict, o.verdict) << id << ": " << s->second.reason;
  }
  EXPECT_GE(compared, 8);
}

TEST_F(OruNetconfProcess, CarriersThatNeverBecomeReadyMakeEveryItemAnError) {
  start_device("carrier-activation-ignored");
  const auto standard = run(standard_descriptor(), "faulty");
  stop_device();
  ASSERT_GE(standard.size(), 10u) << slurp(dir_ / "faulty.log");
  for (const auto& [id, o] : standard) {
    EXPECT_EQ(o.verdict, "error") << id << ": " << o.reason;
    EXPECT_NE(o.reason.find("plugfest-tx-carrier"), std::string::npos) << id << ": " << o.reason;
    EXPECT_NE(o.reason.find("DISABLED"), std::string::npos) << id << ": " << o.reason;
  }
}

}  // namespace
}  // namespace plugfest::oru_netconf
