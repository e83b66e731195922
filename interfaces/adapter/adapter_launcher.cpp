#include "interfaces/adapter/adapter_launcher.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <future>
#include <thread>

#include "interfaces/adapter/adapter_server.h"
#include "interfaces/common/owned_temp_dir.h"

extern char** environ;

namespace plugfest::adapter {

namespace {
constexpr const char* kSocketDirPrefix = "plugfest-adapter-";
}  // namespace

namespace {

using Clock = std::chrono::steady_clock;

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = strsignal(sig);
    return "killed by signal " + std::to_string(sig) + " (" + (name ? name : "?") + ")";
  }
  return "ended with wait status " + std::to_string(status);
}

// Resolves argv[0] against PATH before fork (execvp is not async-signal-safe).
Result<std::string> resolve_program(const std::string& program) {
  if (program.empty()) return Error{"empty command", "adapter command"};
  if (program.find('/') != std::string::npos) {
    if (::access(program.c_str(), X_OK) != 0) {
      return Error{"not an executable file: " + std::string(std::strerror(errno)), program};
    }
    return program;
  }
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!dirs.empty()) {
    const auto colon = dirs.find(':');
    const std::string dir(dirs.substr(0, colon));
    dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return Error{"not found in PATH", program};
}

// Keeps strings alive and exposes them as a null-terminated char* array for execve.
class CStringArray {
 public:
  void add(std::string value) { strings_.push_back(std::move(value)); }
  char* const* get() {
    pointers_.clear();
    for (auto& s : strings_) pointers_.push_back(s.data());
    pointers_.push_back(nullptr);
    return pointers_.data();
  }

 private:
  std::deque<std::string> strings_;
  std::vector<char*> pointers_;
};

// Child side of fork: only async-signal-safe calls until execve.
[[noreturn]] void exec_adapter(pid_t harness, const char* program, char* const* argv,
                               char* const* envp, const char* stderr_path, const char* cwd) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != harness) ::_exit(127);  // The harness died before prctl.
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (const int sig : {SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT}) ::signal(sig, SIG_DFL);
  const int err = ::open(stderr_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
  const int null = ::open("/dev/null", O_RDWR);
  if (err < 0 || null < 0) ::_exit(126);
  ::dup2(null, 0);
  ::dup2(null, 1);
  ::dup2(err, 2);
  if (cwd[0] != '\0' && ::chdir(cwd) != 0) {
    constexpr char kMessage[] = "plugfest: cannot change to the adapter's working directory\n";
    [[maybe_unused]] auto n = ::write(2, kMessage, sizeof kMessage - 1);
    ::_exit(126);
  }
  ::execve(program, argv, envp);
  constexpr char kMessage[] = "plugfest: cannot execute the adapter command\n";
  [[maybe_unused]] auto n = ::write(2, kMessage, sizeof kMessage - 1);
  ::_exit(127);
}

// Guard side of fork: waits for the harness to go away (EOF on the pipe: every copy of
// its write end closed, which the kernel does when the harness dies, however it dies),
// then kills the adapter's process group.
[[noreturn]] void guard_adapter(int read_end, pid_t group) {
  // Keep nothing else of the harness open, notably other guards' pipe ends.
  if (read_end != 3) {
    ::dup2(read_end, 3);
    read_end = 3;
  }
  ::close_range(4, ~0U, 0);
  // Ctrl-C in a terminal reaches the harness's process group, guard included: the guard
  // must stay until the harness has cleaned up.
  for (const int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) ::signal(sig, SIG_IGN);
  char byte;
  ssize_t n;
  do {
    n = ::read(read_end, &byte, 1);
  } while (n > 0 || (n < 0 && errno == EINTR));
  ::kill(-group, SIGKILL);
  ::_exit(0);
}

// Runs `fork_child` on a thread that lives as long as the process. PR_SET_PDEATHSIG fires
// when the *thread* that forked the child ends, so an adapter forked from a short-lived
// worker thread (the harness connects to DUTs in parallel) would be killed as soon as
// that thread finished. The thread is deliberately never joined.
pid_t run_on_lasting_thread(const std::function<pid_t()>& fork_child) {
  struct LastingThread {
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<std::packaged_task<pid_t()>> tasks;
    LastingThread() {
      std::thread([this] {
        while (true) {
          std::unique_lock lock(mutex);
          wake.wait(lock, [this] { return !tasks.empty(); });
          auto task = std::move(tasks.front());
          tasks.pop_front();
          lock.unlock();
          task();
        }
      }).detach();
    }
  };
  static auto* lasting = new LastingThread();  // Never destroyed: outlives every adapter.
  std::packaged_task<pid_t()> task(fork_child);
  auto pid = task.get_future();
  {
    std::lock_guard lock(lasting->mutex);
    lasting->tasks.push_back(std::move(task));
  }
  lasting->wake.notify_one();
  return pid.get();
}

}  // namespace

std::string tail_of_file(const std::filesystem::path& path, std::size_t max_lines) {
  std::ifstream in(path);
  std::deque<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(std::move(line));
    if (lines.size() > max_lines) lines.pop_front();
  }
  std::string out;
  for (const auto& line : lines) {
    if (!out.empty()) out += " | ";
    out += line;
  }
  return out;
}

Result<std::unique_ptr<LaunchedAdapter>> LaunchedAdapter::launch(LaunchOptions options) {
  const std::string where = "adapter " + options.name;
  if (options.command.empty()) return Error{"no command to launch", where};
  if (options.stderr_path.empty()) return Error{"no file for the adapter's stderr", where};
  auto program = resolve_program(options.command.front());
  if (!program) return Error{"cannot launch: " + program.error().to_string(), where};

  std::unique_ptr<LaunchedAdapter> adapter(new LaunchedAdapter());
  std::error_code ec;
  std::filesystem::create_directories(options.stderr_path.parent_path(), ec);
  if (options.socket_dir.empty()) {
    // Folders of harnesses that were killed before they could remove them go first (once
    // per process). Unix socket paths are limited to 107 bytes: keep the folder short.
    static const std::size_t swept = sweep_stale_temp_dirs(kSocketDirPrefix);
    (void)swept;
    auto dir = make_owned_temp_dir(kSocketDirPrefix);
    if (!dir) return Error{"cannot create a socket directory: " + dir.error().message, where};
    adapter->owned_socket_dir_ = *dir;
    options.socket_dir = *dir;
  }
  const std::filesystem::path socket_path = options.socket_dir / (options.name + ".sock");
  std::filesystem::remove(socket_path, ec);
  adapter->listen_address_ = "unix:" + socket_path.string();

  CStringArray argv;
  for (const auto& arg : options.command) argv.add(arg);
  argv.add("--listen");
  argv.add(adapter->listen_address_);
  CStringArray envp;
  const std::string listen_var = std::string(kListenEnvironmentVariable) + "=";
  for (char** e = environ; *e != nullptr; ++e) {
    if (!std::string_view(*e).starts_with(listen_var)) envp.add(*e);
  }
  envp.add(listen_var + adapter->listen_address_);
  for (const auto& [key, value] : options.environment) envp.add(key + "=" + value);
  const std::string stderr_path = options.stderr_path.string();
  const std::string cwd = options.working_directory.string();
  char* const* argv_ptr = argv.get();
  char* const* envp_ptr = envp.get();

  const auto started = Clock::now();
  const pid_t harness = ::getpid();
  int fork_errno = 0;
  const pid_t pid = run_on_lasting_thread([&]() -> pid_t {
    const pid_t child = ::fork();
    if (child == 0) {
      exec_adapter(harness, program->c_str(), argv_ptr, envp_ptr, stderr_path.c_str(), cwd.c_str());
    }
    fork_errno = errno;
    return child;
  });
  if (pid < 0) return Error{"fork failed: " + std::string(std::strerror(fork_errno)), where};
  ::setpgid(pid, pid);  // Also done by the child; whichever runs first wins the race.
  adapter->pid_ = pid;
  adapter->options_ = std::move(options);

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) == 0) {
    const pid_t guard = ::fork();
    if (guard == 0) guard_adapter(pipe_fds[0], pid);
    ::close(pipe_fds[0]);
    if (guard > 0) {
      adapter->guard_pid_ = guard;
      adapter->guard_pipe_ = pipe_fds[1];
    } else {
      ::close(pipe_fds[1]);
    }
  }

  ClientOptions client_options;
  client_options.name = adapter->options_.name;
  client_options.target = adapter->listen_address_;
  client_options.call_timeout = adapter->options_.call_timeout;
  client_options.expected_role = adapter->options_.expected_role;
  auto client = AdapterClient::create(std::move(client_options));
  if (!client) return client.error();
  adapter->client_ = std::move(*client);

  if (auto healthy = adapter->wait_healthy(); !healthy) {
    adapter->stop();
    return healthy.error();
  }
  adapter->startup_time_ = Clock::now() - started;
  return adapter;
}

Result<void> LaunchedAdapter::wait_healthy() {
  using std::chrono::milliseconds;
  const auto deadline = Clock::now() + options_.ready_timeout;
  const std::string socket_path = listen_address_.substr(5);
  const std::string where = "adapter " + options_.name;
  while (Clock::now() < deadline) {
    if (options_.cancelled && options_.cancelled->load()) {
      return Error{"cancelled while waiting for the adapter to become healthy", where};
    }
    if (auto ended = exit_description()) {
      return Error{"the adapter " + *ended + " before becoming healthy; stderr (" +
                       options_.stderr_path.string() + "): " + tail_of_file(options_.stderr_path),
                   where};
    }
    struct stat st {};
    if (::stat(socket_path.c_str(), &st) != 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      continue;
    }
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    auto serving = client_->check_health(std::clamp(left, milliseconds(1), milliseconds(200)));
    if (serving && *serving) return {};
    std::this_thread::sleep_for(std::chrono::milliseconds(serving ? 5 : 2));
  }
  return Error{"not healthy within " + std::to_string(options_.ready_timeout.count()) +
                   " ms (no SERVING answer from grpc.health.v1.Health/Check on " + listen_address_ +
                   "); stderr (" + options_.stderr_path.string() +
                   "): " + tail_of_file(options_.stderr_path),
               where};
}

std::optional<std::string> LaunchedAdapter::exit_description() {
  std::lock_guard lock(wait_mutex_);
  if (!wait_status_ && pid_ > 0) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) wait_status_ = status;
  }
  if (!wait_status_) return std::nullopt;
  return describe_wait_status(*wait_status_);
}

Error LaunchedAdapter::explain(const Error& error) {
  // A crash shows up as an unreachable socket a moment before the process is reaped.
  std::optional<std::string> ended;
  for (int i = 0; i < 50 && !(ended = exit_description()); ++i) {
    if (error.message.find("unreachable") == std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  std::string message = error.message;
  if (ended) message += "; the adapter process " + *ended;
  const std::string tail = tail_of_file(options_.stderr_path);
  if (!tail.empty()) message += "; stderr (" + options_.stderr_path.string() + "): " + tail;
  return Error{message, error.where};
}

void LaunchedAdapter::stop() {
  if (pid_ > 0 && !exit_description()) {
    ::kill(-pid_, SIGTERM);
    const auto deadline = Clock::now() + options_.stop_grace;
    while (!exit_description() && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    // Whatever is left of the group (the adapter, or children it started) goes now.
    ::kill(-pid_, SIGKILL);
    std::lock_guard lock(wait_mutex_);
    if (!wait_status_) {
      int status = 0;
      if (::waitpid(pid_, &status, 0) == pid_) wait_status_ = status;
    }
  } else if (pid_ > 0) {
    ::kill(-pid_, SIGKILL);  // Children the adapter left behind in its group.
  }
  if (guard_pid_ > 0) {
    ::kill(guard_pid_, SIGKILL);
    ::waitpid(guard_pid_, nullptr, 0);
    guard_pid_ = -1;
  }
  if (guard_pipe_ >= 0) {
    ::close(guard_pipe_);
    guard_pipe_ = -1;
  }
  if (!owned_socket_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(owned_socket_dir_, ec);
    owned_socket_dir_.clear();
  }
}

LaunchedAdapter::~LaunchedAdapter() { stop(); }

}  // namespace plugfest::adapter
