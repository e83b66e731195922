// plugfest-adapter-launch-probe: a harness-like process for the no-orphans tests. It
// launches the adapter given after `--`, prints "adapter-pid PID" on stdout, and waits
// for SIGINT or SIGTERM, on which it returns from main (the launcher's destructor stops
// the adapter, as the harness does on Ctrl-C). SIGKILL leaves the cleanup to the guard.
//
//   plugfest-adapter-launch-probe STDERR_FILE -- COMMAND...

#include <signal.h>

#include <cstdio>
#include <iostream>

#include "interfaces/adapter/adapter_launcher.h"

int main(int argc, char** argv) {
  if (argc < 4 || std::string(argv[2]) != "--") {
    std::cerr << "usage: plugfest-adapter-launch-probe STDERR_FILE -- COMMAND...\n";
    return 2;
  }
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  plugfest::adapter::LaunchOptions options;
  options.name = "probe";
  options.stderr_path = argv[1];
  for (int i = 3; i < argc; ++i) options.command.emplace_back(argv[i]);
  auto adapter = plugfest::adapter::LaunchedAdapter::launch(options);
  if (!adapter) {
    std::cerr << adapter.error().to_string() << "\n";
    return 3;
  }
  std::cout << "adapter-pid " << (*adapter)->pid() << std::endl;
  int signal = 0;
  sigwait(&stop_signals, &signal);
  std::cout << "stopping on signal " << signal << std::endl;
  return 0;
}
