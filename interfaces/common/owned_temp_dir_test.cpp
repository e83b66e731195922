#include "interfaces/common/owned_temp_dir.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include "interfaces/common/testing/temp_dir.h"

namespace plugfest {
namespace {

// Runs the test with TMPDIR pointing at a private folder.
class OwnedTempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* old = std::getenv("TMPDIR");
    if (old) old_ = old;
    ::setenv("TMPDIR", tmp_.path().c_str(), 1);
  }
  void TearDown() override {
    if (old_.empty()) {
      ::unsetenv("TMPDIR");
    } else {
      ::setenv("TMPDIR", old_.c_str(), 1);
    }
  }
  testing::TempDir tmp_;
  std::string old_;
};

TEST_F(OwnedTempDir, SweepsOnlyTheFoldersOfDeadOwners) {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_GT(child, 0);
  ::waitpid(child, nullptr, 0);  // now a pid that names no process

  auto live = make_owned_temp_dir("plugfest-x-");
  ASSERT_TRUE(live) << live.error().to_string();
  EXPECT_EQ(live->parent_path(), tmp_.path());
  const auto dead = tmp_.path() / "plugfest-x-dead";
  std::filesystem::create_directories(dead / "inside");
  std::ofstream(dead / "owner.pid") << child << "\n";
  const auto unowned = tmp_.path() / "plugfest-x-unowned";
  std::filesystem::create_directories(unowned);
  const auto other = tmp_.path() / "something-else";
  std::filesystem::create_directories(other);
  std::ofstream(other / "owner.pid") << child << "\n";

  EXPECT_EQ(sweep_stale_temp_dirs("plugfest-x-"), 1u);
  EXPECT_FALSE(std::filesystem::exists(dead));
  EXPECT_TRUE(std::filesystem::exists(*live));
  EXPECT_TRUE(std::filesystem::exists(unowned));
  EXPECT_TRUE(std::filesystem::exists(other));
}

}  // namespace
}  // namespace plugfest
