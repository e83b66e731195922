#pragma once
// Test support: Debian's NETCONF server (yuma123 netconfd) reached the standard way, over
// SSH through an sshd of the test's own (loopback port, own configuration and host key,
// the `netconf` subsystem), for tests of plugfest's client and cases against a server
// nobody here wrote. The account is the user running the test, authenticated with a key
// pair made at start; netconfd makes it superuser. Both processes are stopped at the end
// (netconfd by SIGINT, the only signal it shuts down on).
//
// netconfd 2.13 crashes answering <get-schema> in a second session, so a test that opens
// several sessions gives them the same ConnectOptions::schema_cache_dir (options() does):
// the first session's retrievals are stored there and later sessions load them locally.

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "interfaces/common/result.h"
#include "interfaces/common/testing/temp_dir.h"
#include "interfaces/management/netconf_client.h"

namespace plugfest::management::testing {

struct NetconfdOptions {
  // netconfd's edit target: "candidate" (:candidate, commit) or "running"
  // (:writable-running).
  std::string target = "running";
  // Modules to load (--module), looked up in `module_dirs` and yuma's own modules.
  std::vector<std::string> modules;
  std::vector<std::filesystem::path> module_dirs;
};

class NetconfdServer {
 public:
  // Why netconfd cannot be run here (a program missing), or nullopt.
  static std::optional<std::string> unavailable();

  static Result<std::unique_ptr<NetconfdServer>> start(const NetconfdOptions& options);
  ~NetconfdServer();
  NetconfdServer(const NetconfdServer&) = delete;
  NetconfdServer& operator=(const NetconfdServer&) = delete;

  uint16_t port() const { return port_; }
  const std::string& user() const { return user_; }
  const std::string& private_key() const { return private_key_; }
  const std::string& public_key() const { return public_key_; }
  // Options for a session as the test user, with the shared schema cache.
  ConnectOptions options() const;
  // netconfd's own log so far (for a failing test's message).
  std::string log() const;
  // Whether netconfd still runs (it has not crashed).
  bool alive() const;

 private:
  NetconfdServer() = default;
  void stop();
  plugfest::testing::TempDir dir_;
  mutable pid_t netconfd_ = -1;  // -1 once stopped or found exited
  pid_t sshd_ = -1;
  uint16_t port_ = 0;
  std::string user_, private_key_, public_key_;
};

}  // namespace plugfest::management::testing
