#pragma once
// LaunchedAdapter: an adapter process started by the harness from a vendor descriptor's
// command line. The harness chooses the unix socket, waits for the health service,
// keeps the adapter's stderr in a file as evidence, and kills the adapter's whole
// process group when done or when the harness itself dies.
//
// No orphans, even after SIGKILL of the harness: the adapter runs in its own process
// group with PR_SET_PDEATHSIG(SIGKILL), and a small guard process (forked alongside,
// holding only the read end of a pipe whose write end lives in the harness) kills the
// adapter's process group, grandchildren included, as soon as the harness is gone.
// PR_SET_PDEATHSIG fires when the *thread* that forked ends, so the fork happens on a
// thread that lives as long as the process, whichever thread calls launch().

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "interfaces/adapter/adapter_client.h"
#include "interfaces/common/result.h"

namespace plugfest::adapter {

struct LaunchOptions {
  std::string name;                  // The DUT's name, for messages.
  std::vector<std::string> command;  // argv; argv[0] is searched in PATH when it has no '/'.
  std::vector<std::pair<std::string, std::string>> environment;  // Added to the harness's.
  std::filesystem::path working_directory;                       // Empty: the harness's.
  std::filesystem::path stderr_path;  // The adapter's stderr, kept as evidence. Required.
  std::filesystem::path socket_dir;   // Empty: a fresh private directory under $TMPDIR.
  std::chrono::milliseconds ready_timeout{10000};
  std::chrono::milliseconds call_timeout{5000};
  std::chrono::milliseconds stop_grace{1000};  // SIGTERM to SIGKILL.
  std::optional<Role> expected_role;
  // When set and it becomes true (Ctrl-C), waiting for health gives up at once.
  const std::atomic<bool>* cancelled = nullptr;
};

class LaunchedAdapter {
 public:
  // Starts the adapter with `--listen unix:PATH` appended and PLUGFEST_ADAPTER_LISTEN set,
  // and returns once its health service answers SERVING. On failure (cannot start, exits,
  // never healthy within ready_timeout) the process group is already killed and the
  // Error says why, with the tail of its stderr.
  static Result<std::unique_ptr<LaunchedAdapter>> launch(LaunchOptions options);
  ~LaunchedAdapter();  // stop()
  LaunchedAdapter(const LaunchedAdapter&) = delete;
  LaunchedAdapter& operator=(const LaunchedAdapter&) = delete;

  AdapterClient& client() { return *client_; }
  pid_t pid() const { return pid_; }
  const std::filesystem::path& stderr_path() const { return options_.stderr_path; }
  const std::string& listen_address() const { return listen_address_; }
  // Launch to healthy.
  std::chrono::nanoseconds startup_time() const { return startup_time_; }

  // Non-blocking and thread-safe: how the adapter ended ("exited with status 3", "killed by signal
  // 6 (Aborted)"), or nullopt while it runs.
  std::optional<std::string> exit_description();

  // `error` with what became of the process and the last lines of its stderr appended,
  // for verdicts that must say why an adapter stopped answering.
  Error explain(const Error& error);

  // SIGTERM to the process group, SIGKILL after stop_grace, reap. Idempotent.
  void stop();

 private:
  LaunchedAdapter() = default;
  Result<void> wait_healthy();

  LaunchOptions options_;
  std::unique_ptr<AdapterClient> client_;
  std::string listen_address_;
  std::filesystem::path owned_socket_dir_;
  pid_t pid_ = -1;
  pid_t guard_pid_ = -1;
  int guard_pipe_ = -1;
  std::mutex wait_mutex_;  // Guards wait_status_ and reaping pid_.
  std::optional<int> wait_status_;
  std::chrono::nanoseconds startup_time_{0};
};

// The last `max_lines` lines of a text file (for error messages quoting stderr).
std::string tail_of_file(const std::filesystem::path& path, std::size_t max_lines = 5);

}  // namespace plugfest::adapter
