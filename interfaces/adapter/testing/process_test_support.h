#pragma once
// Helpers for tests that run adapters as real processes: a private temporary directory,
// starting a program, waiting for a file, and checking that a process is gone.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "interfaces/common/testing/temp_dir.h"

namespace plugfest::adapter::testing {

using plugfest::testing::TempDir;

// Starts `argv` with stdout redirected to `stdout_path` (empty: inherited) and standard
// input from `stdin_fd` (negative: inherited); returns the pid.
inline pid_t spawn(const std::vector<std::string>& argv, const std::string& stdout_path = "",
                   int stdin_fd = -1) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (!stdout_path.empty()) {
      if (!std::freopen(stdout_path.c_str(), "w", stdout)) ::_exit(126);
    }
    if (stdin_fd >= 0 && ::dup2(stdin_fd, STDIN_FILENO) < 0) ::_exit(126);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

// Waits until `path` exists and contains `needle` (or anything, when empty); returns the
// content, or "" after `timeout`.
inline std::string wait_for_file(const std::filesystem::path& path, const std::string& needle = "",
                                 std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    const std::string content = text.str();
    if (!content.empty() && (needle.empty() || content.find(needle) != std::string::npos)) {
      return content;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return "";
}

// True once `pid` no longer exists (reaping it when it is our child or was reparented to
// us as subreaper); false if it still runs after `timeout`.
inline bool process_gone(pid_t pid, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    ::waitpid(pid, nullptr, WNOHANG);
    if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
    // A zombie whose parent does not reap it is gone for our purposes.
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string content((std::istreambuf_iterator<char>(stat)), {});
    const auto paren = content.rfind(')');
    if (paren != std::string::npos && paren + 2 < content.size() && content[paren + 2] == 'Z') {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

}  // namespace plugfest::adapter::testing
