#include "interfaces/management/schema_compile.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace plugfest::management {
namespace {

TEST(SchemaCompile, ValidModulesWithImportsCompile) {
  ModuleTexts texts = {
      {"a",
       "module a { yang-version 1.1; namespace \"urn:a\"; prefix a; import b { prefix b; }"
       " leaf x { type b:t; } }"},
      {"b",
       "module b { yang-version 1.1; namespace \"urn:b\"; prefix b; typedef t { type string; } }"}};
  auto result = compile_in_child(texts, {"a"});
  EXPECT_TRUE(result.ok()) << result.error().to_string();
}

TEST(SchemaCompile, BrokenModuleIsAnErrorNamingIt) {
  ModuleTexts texts = {
      {"a", "module a { namespace \"urn:a\"; prefix a; leaf x { type nosuch; } }"}};
  auto result = compile_in_child(texts, {"a"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().where, "module a");
  EXPECT_FALSE(result.error().message.empty());
}

TEST(SchemaCompile, MissingModuleIsAnError) {
  auto result = compile_in_child({}, {"absent"});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("did not provide"), std::string::npos);
}

// The official o-ran-performance-management crashes libyang 2.1.30: the crash must come
// back as an Error, and this process must live on.
TEST(SchemaCompile, CrashingModuleBecomesAnError) {
  const char* override_dir = std::getenv("PLUGFEST_OFFICIAL_YANG_DIR");
  std::filesystem::path official = override_dir ? override_dir : PLUGFEST_OFFICIAL_YANG_DIR;
  if (!std::filesystem::exists(official / "o-ran" / "o-ran-performance-management.yang")) {
    GTEST_SKIP() << "official modules not found at " << official;
  }
  ModuleTexts texts;
  for (const char* folder : {"o-ran", "ietf"}) {
    for (const auto& entry : std::filesystem::directory_iterator(official / folder)) {
      std::ifstream file(entry.path());
      std::stringstream text;
      text << file.rdbuf();
      texts[entry.path().stem().string()] = text.str();
    }
  }
  auto result = compile_in_child(texts, {"o-ran-performance-management"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().where, "module o-ran-performance-management");
  std::cout << "reported: " << result.error().to_string() << "\n";
}

}  // namespace
}  // namespace plugfest::management
