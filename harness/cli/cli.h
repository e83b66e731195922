#pragma once
// The `plugfest` command line: parses arguments and dispatches to subcommands.

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace plugfest::cli {

// Exit statuses of the plugfest command (see README): 0 every applicable mandatory
// case passed, 1 some failed, 2 bad input or usage, 3 infrastructure errors only.
enum ExitStatus : int { kPassed = 0, kFailed = 1, kBadInput = 2, kInfrastructure = 3 };

// A subcommand registers its options on `app` and returns the action to run when it
// was selected. Registrations are collected once, before parsing.
using SubcommandAction = std::function<int()>;
using SubcommandRegistrar = std::function<SubcommandAction(CLI::App& app)>;

// Adds a subcommand registrar; called from static initialisers of subcommand files.
bool register_subcommand(SubcommandRegistrar registrar);

// The version string, from `git describe` at build time.
std::string version();

// Runs the command line; returns the process exit status.
int run(int argc, const char* const* argv);

}  // namespace plugfest::cli
