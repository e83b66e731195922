#include "harness/cli/cli.h"

#include <plugfest/version.h>

#include <iostream>

namespace plugfest::cli {
namespace {

std::vector<SubcommandRegistrar>& registrars() {
  static std::vector<SubcommandRegistrar> list;
  return list;
}

}  // namespace

bool register_subcommand(SubcommandRegistrar registrar) {
  registrars().push_back(std::move(registrar));
  return true;
}

std::string version() { return kVersion; }

int run(int argc, const char* const* argv) {
  CLI::App app{"plugfest - O-RAN interoperability and conformance test harness"};
  app.set_version_flag("--version", "plugfest " + version());
  app.require_subcommand(0, 1);

  std::vector<std::pair<CLI::App*, SubcommandAction>> actions;
  for (const auto& registrar : registrars()) {
    const auto before = app.get_subcommands({}).size();
    SubcommandAction action = registrar(app);
    const auto after = app.get_subcommands({});
    if (after.size() > before) actions.emplace_back(after.back(), std::move(action));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kPassed : kBadInput;
  }

  for (auto& [sub, action] : actions) {
    if (sub->parsed()) return action();
  }
  // Bare `plugfest`: a usage error, answered with the help text.
  std::cout << app.help() << "\nNo subcommand given.\n";
  return kBadInput;
}

}  // namespace plugfest::cli
