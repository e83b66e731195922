#include "interfaces/common/yaml_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace plugfest {
namespace {

std::string refusal(std::string_view text) {
  auto loaded = load_yaml_text(text, "f.yaml");
  EXPECT_FALSE(loaded.ok()) << text;
  return loaded.ok() ? "" : loaded.error().to_string();
}

TEST(YamlFile, AcceptsOrdinaryDocumentWithSharedAnchors) {
  auto loaded = load_yaml_text("base: &b {x: 1}\nuse: *b\nlist: [1, 2]\n", "f.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  EXPECT_EQ((*loaded)["use"]["x"].Scalar(), "1");
  EXPECT_TRUE(load_yaml_text("", "f.yaml").ok());
  EXPECT_TRUE(load_yaml_text("a: 1\n...\n", "f.yaml").ok());
  EXPECT_TRUE(load_yaml_text("\xEF\xBB\xBFname: caf\xC3\xA9\n", "f.yaml").ok());
}

TEST(YamlFile, RefusesRecursiveAliases) {
  EXPECT_EQ(refusal("defaults: &r {self: *r}\n"),
            "f.yaml:1:21: this alias refers to the list or mapping that contains it (anchored "
            "at line 1, column 11); aliases must not recurse");
  EXPECT_NE(refusal("capabilities: &c\n  - a\n  - [*c]\n").find("f.yaml:3:6: this alias refers"),
            std::string::npos);
  EXPECT_NE(refusal("lab: &l\n  x: {y: *l}\n").find("f.yaml:2:10:"), std::string::npos);
}

TEST(YamlFile, BoundsAliasExpansion) {
  // Billion laughs: nine levels of ten aliases each, well under 1 KB.
  std::string text = "a0: &a0 [lol]\n";
  for (int level = 1; level <= 9; ++level) {
    text += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
    for (int k = 0; k < 10; ++k) text += std::string(k ? ", " : "") + "*a" + std::to_string(level - 1);
    text += "]\n";
  }
  ASSERT_LT(text.size(), 1024u);
  EXPECT_NE(refusal(text).find("nodes once its aliases are expanded (the bound for an input file)"),
            std::string::npos);
  EXPECT_NE(refusal(text).find("f.yaml:6:"), std::string::npos);  // where 100000 is passed
  // Few nodes but long values: bytes bound.
  std::string wide = "v: &v " + std::string(60000, 'x') + "\nl: [";
  for (int k = 0; k < 400; ++k) wide += std::string(k ? ", " : "") + "*v";
  wide += "]\n";
  EXPECT_NE(refusal(wide).find("expands to more than 16 MiB of names and values"),
            std::string::npos);
}

TEST(YamlFile, RefusesRepeatedKeysSecondDocumentsAndDeepNesting) {
  EXPECT_EQ(refusal("name: a\nrole: o-ru\nname: b\n"),
            "f.yaml:3:1: this key repeats the key at line 1, column 1");
  EXPECT_EQ(refusal("lab: {x: 1, x: 2}\n"), "f.yaml:1:13: this key repeats the key at line 1, "
                                            "column 7");
  EXPECT_EQ(refusal("a: 1\n---\nb: 2\n"),
            "f.yaml:2:1: a second YAML document starts here; a file holds one document");
  EXPECT_EQ(refusal(std::string(100, '[') + std::string(100, ']')),
            "f.yaml:1:65: lists and mappings nest deeper than 64 levels (the bound for an input "
            "file)");
  EXPECT_EQ(refusal("a: *nowhere\n"),
            "f.yaml:1:4: YAML syntax error: the referenced anchor is not defined");
}

TEST(YamlFile, RefusesTextThatIsNotUtf8) {
  EXPECT_EQ(refusal("name: ok\nrole: o-\xFFru\n"),
            "f.yaml:2:9: the text is not UTF-8 (an invalid byte sequence)");
  EXPECT_EQ(refusal("a: \xC0\xAF\n"), "f.yaml:1:4: the text is not UTF-8 (an invalid byte sequence)");
  EXPECT_EQ(refusal("a: \xED\xA0\x80\n"),
            "f.yaml:1:4: the text is not UTF-8 (an invalid byte sequence)");
  EXPECT_EQ(refusal("name: x\x1b[2Jy\n"),
            "f.yaml:1:8: control character U+001B is not allowed in YAML text");
}

TEST(YamlFile, RefusesControlCharactersWrittenAsEscapes) {
  EXPECT_EQ(refusal("title: \"clear \\e[2J\"\n"),
            "f.yaml:1:8: this value holds a control character (from an escape sequence); values "
            "may hold tabs and line breaks only");
  EXPECT_NE(refusal("name: ok\n\"bell\\a\": 1\n").find("f.yaml:2:1:"), std::string::npos);
  EXPECT_NE(refusal("model: \"\\u009b31m\"\n").find("f.yaml:1:8:"), std::string::npos);
  EXPECT_NE(refusal("model: \"a\\rb\"\n").find("f.yaml:1:8:"), std::string::npos);
  EXPECT_TRUE(load_yaml_text("text: \"tab\\tand\\nline\"\nblock: |\n  one\n  two\n", "f.yaml").ok());
}

class YamlFileOnDisk : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("plugfest-yaml-file-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(YamlFileOnDisk, ReadsOnlyRegularFilesWithinTheBound) {
  auto zero = load_yaml_file("/dev/zero");
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().to_string(),
            "/dev/zero: is a character device; only regular files are read");

  const std::string fifo = (dir_ / "fifo.yaml").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto from_fifo = load_yaml_file(fifo);  // would block forever if it waited for a writer
  ASSERT_FALSE(from_fifo.ok());
  EXPECT_EQ(from_fifo.error().to_string(), fifo + ": is a FIFO; only regular files are read");

  auto folder = load_yaml_file(dir_.string());
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.error().message, "is a folder; only regular files are read");

  const std::string big = (dir_ / "big.yaml").string();
  std::ofstream(big) << "a: " << std::string(2 << 20, 'x') << "\n";
  auto too_big = load_yaml_file(big);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().to_string(), big + ": larger than 1 MiB, the bound for an input file");

  auto missing = load_yaml_file((dir_ / "none.yaml").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "cannot open: No such file or directory");

  const std::string good = (dir_ / "good.yaml").string();
  std::ofstream(good) << "a: 1\n";
  auto loaded = load_yaml_file(good);
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  EXPECT_EQ((*loaded)["a"].Scalar(), "1");
}

}  // namespace
}  // namespace plugfest
