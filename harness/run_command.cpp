// `plugfest run`: runs profiles against vendor adapters.
#include <iostream>

#include "harness/cli.h"

namespace plugfest::cli {
namespace {

const bool registered = register_subcommand([](CLI::App& app) -> SubcommandAction {
  app.add_subcommand("run", "Run profiles against devices and write a results folder");
  return [] {
    std::cout << "plugfest " << version() << "\n"
              << "No test suite is installed yet: nothing to run.\n";
    return static_cast<int>(kPassed);
  };
});

}  // namespace
}  // namespace plugfest::cli
