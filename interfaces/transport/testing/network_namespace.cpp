#include "interfaces/transport/testing/network_namespace.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>

namespace plugfest::transport::testing {
namespace {

bool run(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

std::atomic<int> made{0};

}  // namespace

Result<std::unique_ptr<VethNamespaces>> VethNamespaces::create() {
  if (::geteuid() != 0) return Error{"needs root to create network namespaces", "veth"};
  if (!run("ip -V")) return Error{"needs iproute2 ('ip' not found)", "veth"};
  std::unique_ptr<VethNamespaces> pair(new VethNamespaces);
  // Several pairs may live in one process at once: the second and later get a number.
  const int n = made++;
  const std::string id = std::to_string(::getpid()) + (n > 0 ? "n" + std::to_string(n) : "");
  pair->id_ = id;
  pair->ns_a_ = "plugfest-" + id + "-a";
  pair->ns_b_ = "plugfest-" + id + "-b";
  pair->if_a_ = "pfv" + id + "a";
  pair->if_b_ = "pfv" + id + "b";
  // Left over from a killed run with the same process id.
  run("ip netns del " + pair->ns_a_);
  run("ip netns del " + pair->ns_b_);
  pair->created_a_ = run("ip netns add " + pair->ns_a_);
  pair->created_b_ = pair->created_a_ && run("ip netns add " + pair->ns_b_);
  if (!pair->created_b_) return Error{"'ip netns add' failed (no CAP_SYS_ADMIN?)", "veth"};
  const bool linked = run("ip link add " + pair->if_a_ + " netns " + pair->ns_a_ +
                          " type veth peer name " + pair->if_b_ + " netns " + pair->ns_b_) &&
                      run("ip -n " + pair->ns_a_ + " link set " + pair->if_a_ + " up") &&
                      run("ip -n " + pair->ns_b_ + " link set " + pair->if_b_ + " up");
  if (!linked) return Error{"cannot create or raise the veth pair", "veth"};
  return pair;
}

bool VethNamespaces::shell(const std::string& command) { return run(command); }

Result<void> VethNamespaces::set_mtu(int mtu) {
  const std::string m = std::to_string(mtu);
  if (!run("ip -n " + ns_a_ + " link set " + if_a_ + " mtu " + m) ||
      !run("ip -n " + ns_b_ + " link set " + if_b_ + " mtu " + m)) {
    return Error{"cannot set the MTU to " + m, "veth"};
  }
  return {};
}

Result<std::string> VethNamespaces::add_namespace(const std::string& suffix) {
  const std::string name = "plugfest-" + id_ + "-" + suffix;
  run("ip netns del " + name);
  if (!run("ip netns add " + name)) return Error{"'ip netns add' failed", name};
  extra_namespaces_.push_back(name);
  return name;
}

Result<std::pair<std::string, std::string>> VethNamespaces::add_link(const std::string& ns_a,
                                                                     const std::string& ns_b,
                                                                     const std::string& suffix) {
  const std::string a = "pfv" + id_ + suffix + "a";
  const std::string b = "pfv" + id_ + suffix + "b";
  if (a.size() > 15) return Error{"interface name too long", a};
  const bool linked =
      run("ip link add " + a + " netns " + ns_a + " type veth peer name " + b + " netns " + ns_b) &&
      run("ip -n " + ns_a + " link set " + a + " up") &&
      run("ip -n " + ns_b + " link set " + b + " up");
  if (!linked) return Error{"cannot create or raise the veth pair", a};
  return std::make_pair(a, b);
}

VethNamespaces::~VethNamespaces() {
  for (const std::string& ns : extra_namespaces_) run("ip netns del " + ns);
  if (created_a_) run("ip netns del " + ns_a_);
  if (created_b_) run("ip netns del " + ns_b_);
}

Result<void> VethNamespaces::run_in(const std::string& ns, const std::function<void()>& fn) {
  const int home = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (home < 0) return Error{"cannot open this thread's network namespace", ns};
  const int target = ::open(("/run/netns/" + ns).c_str(), O_RDONLY | O_CLOEXEC);
  if (target < 0) {
    ::close(home);
    return Error{"no such network namespace", ns};
  }
  const bool entered = ::setns(target, CLONE_NEWNET) == 0;
  ::close(target);
  if (entered) fn();
  const bool back = ::setns(home, CLONE_NEWNET) == 0;
  ::close(home);
  if (!entered) return Error{"setns failed", ns};
  if (!back) return Error{"cannot return to the original network namespace", ns};
  return {};
}

}  // namespace plugfest::transport::testing
