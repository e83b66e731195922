#pragma once
// Test support: two network namespaces joined by a veth pair, so raw-Ethernet tests run
// on a real link without touching the host's interfaces. Needs root and iproute2.

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "interfaces/common/result.h"

namespace plugfest::transport::testing {

class VethNamespaces {
 public:
  // An error says why the namespaces cannot be made here (not root, no iproute2...).
  static Result<std::unique_ptr<VethNamespaces>> create();
  ~VethNamespaces();  // deletes both namespaces, which removes the veth pair
  VethNamespaces(const VethNamespaces&) = delete;
  VethNamespaces& operator=(const VethNamespaces&) = delete;

  const std::string& namespace_a() const { return ns_a_; }
  const std::string& namespace_b() const { return ns_b_; }
  const std::string& interface_a() const { return if_a_; }
  const std::string& interface_b() const { return if_b_; }

  // Sets the MTU of both ends of the pair.
  Result<void> set_mtu(int mtu);
  // One more namespace, deleted with the pair; its name.
  Result<std::string> add_namespace(const std::string& suffix);
  // One more veth pair, end a in namespace ns_a and end b in ns_b (both up); the names of
  // its ends. They go when their namespaces go.
  Result<std::pair<std::string, std::string>> add_link(const std::string& ns_a,
                                                       const std::string& ns_b,
                                                       const std::string& suffix);
  // Runs a shell command (output discarded): whether it succeeded.
  static bool shell(const std::string& command);

  // Runs fn on the calling thread switched into the namespace, then switches back. Sockets
  // fn opens stay in that namespace.
  static Result<void> run_in(const std::string& ns, const std::function<void()>& fn);

 private:
  VethNamespaces() = default;
  std::string id_, ns_a_, ns_b_, if_a_, if_b_;
  std::vector<std::string> extra_namespaces_;
  bool created_a_ = false, created_b_ = false;
};

}  // namespace plugfest::transport::testing
