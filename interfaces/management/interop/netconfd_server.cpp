#include "interfaces/management/interop/netconfd_server.h"

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "interfaces/management/listening_socket.h"

namespace plugfest::management::testing {
namespace {

constexpr const char* kNetconfd = "/usr/sbin/netconfd";
constexpr const char* kSubsystem = "/usr/sbin/netconf-subsystem";
constexpr const char* kSshd = "/usr/sbin/sshd";
constexpr const char* kKeygen = "/usr/bin/ssh-keygen";
constexpr const char* kYumaModules = "/usr/share/yuma/modules";

// Starts `argv` in a process group of its own with stdout and stderr to `log`.
pid_t spawn_logged(const std::vector<std::string>& argv, const std::string& log,
                   const std::string& home = "") {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd < 0) ::_exit(126);
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, STDIN_FILENO);
    if (!home.empty()) ::setenv("HOME", home.c_str(), 1);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

int run(const std::vector<std::string>& argv, const std::string& log) {
  const pid_t pid = spawn_logged(argv, log);
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Waits until `done` holds or `pid` exits; false on exit or after 20 s.
template <typename Done>
bool wait_until(pid_t pid, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    if (::waitpid(pid, nullptr, WNOHANG) == pid) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

void stop_process(pid_t pid, int signal) {
  if (pid <= 0) return;
  ::kill(pid, signal);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    const pid_t reaped = ::waitpid(pid, nullptr, WNOHANG);
    if (reaped == pid || reaped < 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
}

}  // namespace

std::optional<std::string> NetconfdServer::unavailable() {
  for (const char* program : {kNetconfd, kSubsystem, kSshd, kKeygen}) {
    if (::access(program, X_OK) != 0) {
      return std::string(program) + " is not installed (Debian packages netconfd, openssh-server)";
    }
  }
  return std::nullopt;
}

Result<std::unique_ptr<NetconfdServer>> NetconfdServer::start(const NetconfdOptions& options) {
  if (auto why = unavailable()) return Error{*why, "netconfd"};
  std::unique_ptr<NetconfdServer> server(new NetconfdServer());
  const auto& dir = server->dir_;
  if (dir.path().empty()) return Error{"cannot create a temporary directory", "netconfd"};
  const std::string setup_log = dir.file("setup.log");

  const passwd* me = ::getpwuid(::geteuid());
  if (!me) return Error{"the user running the test has no account entry", "netconfd"};
  server->user_ = me->pw_name;
  server->private_key_ = dir.file("client_key");
  server->public_key_ = server->private_key_ + ".pub";
  for (const auto& key : {dir.file("host_key"), server->private_key_}) {
    if (run({kKeygen, "-q", "-t", "ed25519", "-N", "", "-f", key}, setup_log) != 0)
      return Error{"ssh-keygen failed: " + read_file(setup_log), key};
  }
  std::filesystem::copy_file(server->public_key_, dir.file("authorized_keys"));

  auto port = pick_free_tcp_port("127.0.0.1");
  if (!port) return port.error();
  server->port_ = *port;
  const std::string socket = dir.file("ncxserver.sock");
  const std::string home = dir.file("home");
  std::filesystem::create_directories(dir / "home/.yuma");
  std::filesystem::create_directories(dir / "schemas");

  // netconfd looks for imported modules in its modpath: the test's folders first.
  std::string modpath;
  for (const auto& folder : options.module_dirs) modpath += folder.string() + ":";
  modpath += kYumaModules;
  std::vector<std::string> argv = {kNetconfd,
                                   "--no-startup",
                                   "--superuser=" + server->user_,
                                   "--target=" + options.target,
                                   "--port=" + std::to_string(server->port_),
                                   "--ncxserver-sockname=" + socket,
                                   "--modpath=" + modpath,
                                   "--log=" + dir.file("netconfd.log"),
                                   "--log-level=info"};
  for (const auto& module : options.modules) argv.push_back("--module=" + module);
  server->netconfd_ = spawn_logged(argv, dir.file("netconfd.out"), home);
  if (!wait_until(server->netconfd_, [&] { return std::filesystem::exists(socket); })) {
    server->netconfd_ = -1;
    return Error{"netconfd did not start: " + server->log(), "netconfd"};
  }

  // netconf-subsystem finds netconfd's socket by the port the SSH client connected to.
  std::ofstream(dir / "sshd_config")
      << "ListenAddress 127.0.0.1\n"
      << "Port " << server->port_ << "\n"
      << "HostKey " << dir.file("host_key") << "\n"
      << "PidFile " << dir.file("sshd.pid") << "\n"
      << "AuthorizedKeysFile " << dir.file("authorized_keys") << "\n"
      << "StrictModes no\nUsePAM no\nPubkeyAuthentication yes\nPasswordAuthentication yes\n"
      << "KbdInteractiveAuthentication no\nPermitRootLogin yes\nLogLevel VERBOSE\n"
      << "Subsystem netconf " << kSubsystem << " --ncxserver-sockname=" << server->port_ << "@"
      << socket << "\n";
  // sshd running as root separates privileges into this folder; it is there whenever the
  // openssh-server service ran once, not on a machine that never started it.
  if (::geteuid() == 0) ::mkdir("/run/sshd", 0755);
  const std::string sshd_log = dir.file("sshd.log");
  server->sshd_ =
      spawn_logged({kSshd, "-D", "-e", "-f", dir.file("sshd_config")}, sshd_log);
  if (!wait_until(server->sshd_, [&] {
        return read_file(sshd_log).find("Server listening") != std::string::npos;
      })) {
    server->sshd_ = -1;
    return Error{"sshd did not start: " + read_file(sshd_log), "sshd"};
  }
  return server;
}

NetconfdServer::~NetconfdServer() { stop(); }

void NetconfdServer::stop() {
  // sshd's children (one per connection) share its process group.
  if (sshd_ > 0) ::kill(-sshd_, SIGTERM);
  stop_process(sshd_, SIGTERM);
  stop_process(netconfd_, SIGINT);
  sshd_ = netconfd_ = -1;
}

ConnectOptions NetconfdServer::options() const {
  ConnectOptions options;
  options.host = "127.0.0.1";
  options.port = port_;
  options.credentials = {user_, "", public_key_, private_key_};
  options.rpc_timeout = std::chrono::milliseconds(10000);
  options.schema_cache_dir = dir_.file("schemas");
  return options;
}

std::string NetconfdServer::log() const {
  return read_file(dir_ / "netconfd.log") + read_file(dir_ / "netconfd.out");
}

bool NetconfdServer::alive() const {
  if (netconfd_ > 0 && ::waitpid(netconfd_, nullptr, WNOHANG) != 0) netconfd_ = -1;
  return netconfd_ > 0;
}

}  // namespace plugfest::management::testing
