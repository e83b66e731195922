#include "harness/cli/cli.h"

#include <gtest/gtest.h>

namespace plugfest::cli {
namespace {

TEST(Cli, VersionComesFromTheBuild) { EXPECT_FALSE(version().empty()); }

TEST(Cli, UnknownOptionIsAUsageError) {
  const char* argv[] = {"plugfest", "--no-such-option"};
  EXPECT_EQ(run(2, argv), kBadInput);
}

TEST(Cli, NoSubcommandIsAUsageError) {
  const char* argv[] = {"plugfest"};
  EXPECT_EQ(run(1, argv), kBadInput);
}

TEST(Cli, RegisteredSubcommandRuns) {
  static bool registered = register_subcommand([](CLI::App& app) -> SubcommandAction {
    app.add_subcommand("cli-test-probe", "test only");
    return [] { return 42; };
  });
  ASSERT_TRUE(registered);
  const char* argv[] = {"plugfest", "cli-test-probe"};
  EXPECT_EQ(run(2, argv), 42);
}

}  // namespace
}  // namespace plugfest::cli
