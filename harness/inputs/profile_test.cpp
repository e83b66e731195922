#include "harness/inputs/profile.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "interfaces/common/testing/temp_dir.h"

namespace plugfest::harness {
namespace {

using plugfest::testing::TempDir;

// The catalog as the input readers see it: case IDs and their declared parameters.
class FakeCatalog : public CaseCatalog {
 public:
  explicit FakeCatalog(std::map<std::string, std::vector<ParameterDeclaration>> cases)
      : cases_(std::move(cases)) {}
  std::vector<std::string> ids() const override {
    std::vector<std::string> out;
    for (const auto& [id, parameters] : cases_) out.push_back(id);
    return out;
  }
  const std::vector<ParameterDeclaration>* parameters_of(const std::string& id) const override {
    const auto it = cases_.find(id);
    return it == cases_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, std::vector<ParameterDeclaration>> cases_;
};

FakeCatalog test_catalog() {
  return FakeCatalog(
      {{"cus.ru.ul.prb-coverage", {}},
       {"cus.ru.prach",
        {{"prach_window", ParameterType::kInteger},
         {"signal", ParameterType::kGroup},
         {"signal.power_dbfs", ParameterType::kNumber},
         {"signal.expected", ParameterType::kBool},
         {"signal.names", ParameterType::kList}}}});
}

TEST(Profile, ReadsFieldsIncludesAndOverrides) {
  TempDir dir;
  dir.write("common/base.yaml", R"(
defaults:
  numerology: 0
  compression: {method: bfp, width: 9, header: static}
cases:
  - id: cus.ru.prach
    status: optional
)");
  const auto file = dir.write("p.yaml", R"(
id: ru-conf
title: RU conformance
specification: {document: O-RAN.WG4.CONF.0, version: "10.0", url: "https://www.o-ran.org/"}
include: [common/base.yaml]
defaults:
  numerology: 1
cases:
  - id: cus.ru.ul.prb-coverage
    requires: [section_type.1, "!extension.11"]
    parameters: {compression: {width: 14}}
    timeout: 250ms
  - id: cus.ru.prach
    status: conditional
    parameters: {prach_window: 3}
)");
  const FakeCatalog r = test_catalog();
  Diagnostics d;
  const auto p = load_profile(file, r, d);
  ASSERT_TRUE(p) << d.to_string();
  EXPECT_EQ(p->id, "ru-conf");
  EXPECT_EQ(p->specification.version, "10.0");
  EXPECT_EQ(p->defaults.get_int("numerology"), 1);
  EXPECT_EQ(p->defaults.get_string("compression.method"), "bfp");
  ASSERT_EQ(p->cases.size(), 2u);
  // The included case keeps its place, replaced by the including file's entry.
  EXPECT_EQ(p->cases[0].id, "cus.ru.prach");
  EXPECT_EQ(p->cases[0].status, CaseStatus::kConditional);
  EXPECT_EQ(p->cases[1].timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(p->cases[1].parameters.get_int("compression.width"), 14);
  EXPECT_EQ(p->cases[1].requires_capabilities.terms().size(), 2u);
  ASSERT_EQ(p->included_files.size(), 1u);
}

struct BadCase {
  const char* name;
  const char* yaml;
  const char* where;
  const char* message;
};

class BadProfile : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadProfile, IsRefusedWithPositionAndReason) {
  TempDir dir;
  dir.write("loop.yaml", "include: [loop.yaml]\n");
  const auto file = dir.write("p.yaml", GetParam().yaml);
  const FakeCatalog r = test_catalog();
  Diagnostics d;
  EXPECT_FALSE(load_profile(file, r, d));
  bool found = false;
  for (const auto& e : d.errors()) {
    const bool where_ok = std::string(GetParam().where).empty()
                              ? true
                              : e.where.find(GetParam().where) != std::string::npos;
    if (where_ok && e.message.find(GetParam().message) != std::string::npos) found = true;
  }
  EXPECT_TRUE(found) << "wanted " << GetParam().where << " " << GetParam().message << "\ngot\n"
                     << d.to_string();
}

#define HEAD "id: p\ntitle: t\nspecification: {document: D, version: '1'}\n"

INSTANTIATE_TEST_SUITE_P(
    EveryField, BadProfile,
    ::testing::Values(
        BadCase{"syntax", "id: p\n  title: [\n", "p.yaml:", "YAML syntax error"},
        BadCase{"recursive_defaults", HEAD "defaults: &r {self: *r}\n", "p.yaml:4:21",
                "aliases must not recurse"},
        BadCase{"repeated_key", HEAD "defaults: {numerology: 1, numerology: 2}\n", "p.yaml:4:27",
                "this key repeats the key at line 4, column 12"},
        BadCase{"second_document", HEAD "---\nid: q\n", "p.yaml:4:1", "a second YAML document"},
        BadCase{"unknown_key", HEAD "casse: []\n", "p.yaml:4:1", "did you mean 'cases'"},
        BadCase{"id_missing", "title: t\nspecification: {document: D, version: '1'}\n",
                "p.yaml:1:1", "missing key 'id'"},
        BadCase{"id_bad", "id: a/b\ntitle: t\nspecification: {document: D, version: '1'}\n",
                "p.yaml:1:5", "not a profile ID"},
        BadCase{"title_missing", "id: p\nspecification: {document: D, version: '1'}\n",
                "p.yaml:1:1", "missing key 'title'"},
        BadCase{"title_map", "id: p\ntitle: {a: 1}\nspecification: {document: D, version: '1'}\n",
                "p.yaml:2:8", "key 'title'"},
        BadCase{"spec_missing", "id: p\ntitle: t\n", "p.yaml:1:1", "missing key 'specification'"},
        BadCase{"spec_not_map", "id: p\ntitle: t\nspecification: D\n", "p.yaml:3:16",
                "expected a mapping"},
        BadCase{"spec_version_missing", "id: p\ntitle: t\nspecification: {document: D}\n",
                "p.yaml:3:16", "missing key 'version'"},
        BadCase{"spec_unknown", "id: p\ntitle: t\nspecification: {document: D, versoin: '1'}\n",
                "p.yaml:3:30", "did you mean 'version'"},
        BadCase{"spec_url", "id: p\ntitle: t\nspecification: {document: D, version: '1', url: x}\n",
                "p.yaml:3:49", "expected an http(s) URL"},
        BadCase{"include_missing", HEAD "include: [nope.yaml]\n", "p.yaml:4:10", "no such file"},
        BadCase{"include_map", HEAD "include: {a: 1}\n", "p.yaml:4:10",
                "expected a list of strings"},
        BadCase{"include_loop", HEAD "include: [loop.yaml]\n", "loop.yaml:1:10", "includes itself"},
        BadCase{"defaults_list", HEAD "defaults: [1]\n", "p.yaml:4:11", "expected a mapping"},
        BadCase{"defaults_unknown", HEAD "defaults: {numerolgy: 1}\n", "p.yaml:4:23",
                "did you mean 'numerology'"},
        BadCase{"defaults_numerology", HEAD "defaults: {numerology: 9}\n", "p.yaml:4:24",
                "expected an integer 0-6"},
        BadCase{"defaults_width", HEAD "defaults: {compression: {width: 17}}\n", "p.yaml:4:33",
                "expected an integer 1-16"},
        BadCase{"defaults_method", HEAD "defaults: {compression: {method: zip}}\n", "p.yaml:4:34",
                "parameter 'compression.method'"},
        BadCase{"defaults_header", HEAD "defaults: {compression: {header: both}}\n", "p.yaml:4:34",
                "static or dynamic"},
        BadCase{"bandwidth_list", HEAD "defaults: {bandwidth_mhz: [100]}\n", "p.yaml:4:27",
                "parameter 'bandwidth_mhz': expected an integer, got a list"},
        BadCase{"slots_word", HEAD "defaults: {slots: \"ten\"}\n", "p.yaml:4:19",
                "parameter 'slots': expected an integer, got 'ten'"},
        BadCase{"slots_range", HEAD "defaults: {slots: 0}\n", "p.yaml:4:19",
                "parameter 'slots': expected an integer 1-100000, got '0'"},
        BadCase{"dilation_word", HEAD "defaults: {time_dilation: fast}\n", "p.yaml:4:27",
                "parameter 'time_dilation': expected a number, got 'fast'"},
        BadCase{"eaxc_scalar", HEAD "defaults: {eaxc: 16}\n", "p.yaml:4:18",
                "parameter 'eaxc': expected a mapping of its members, got '16'"},
        BadCase{"timing_window_word", HEAD "defaults: {timing: {ta4_max_us: soon}}\n",
                "p.yaml:4:33", "parameter 'timing.ta4_max_us': expected an integer, got 'soon'"},
        BadCase{"prach_expected_word", HEAD "defaults: {prach: {expected: maybe}}\n",
                "p.yaml:4:30", "parameter 'prach.expected': expected true or false"},
        BadCase{"declared_number_word",
                HEAD "cases: [{id: cus.ru.prach, parameters: {signal: {power_dbfs: loud}}}]\n",
                "p.yaml:4:62", "parameter 'signal.power_dbfs': expected a number, got 'loud'"},
        BadCase{"declared_bool_word",
                HEAD "cases: [{id: cus.ru.prach, parameters: {signal: {expected: 2}}}]\n",
                "p.yaml:4:60", "parameter 'signal.expected': expected true or false, got '2'"},
        BadCase{"declared_list_nested",
                HEAD "cases: [{id: cus.ru.prach, parameters: {signal: {names: [[a]]}}}]\n",
                "p.yaml:4:57", "parameter 'signal.names': expected a list of scalars"},
        BadCase{"declared_in_defaults", HEAD "defaults: {prach_window: [3]}\n", "p.yaml:4:26",
                "parameter 'prach_window': expected an integer, got a list"},
        BadCase{"cases_map", HEAD "cases: {a: 1}\n", "p.yaml:4:8", "expected a list"},
        BadCase{"case_not_map", HEAD "cases: [cus.ru.prach]\n", "p.yaml:4:9", "expected a mapping"},
        BadCase{"case_unknown_key", HEAD "cases: [{id: cus.ru.prach, staus: optional}]\n",
                "p.yaml:4:28", "did you mean 'status'"},
        BadCase{"case_id_missing", HEAD "cases: [{status: optional}]\n", "p.yaml:4:9",
                "missing key 'id'"},
        BadCase{"case_id_unknown", HEAD "cases: [{id: cus.ru.prac}]\n", "p.yaml:4:14",
                "did you mean 'cus.ru.prach'"},
        BadCase{"case_status", HEAD "cases: [{id: cus.ru.prach, status: mandatroy}]\n",
                "p.yaml:4:36", "did you mean 'mandatory'"},
        BadCase{"case_parameters_list", HEAD "cases: [{id: cus.ru.prach, parameters: [1]}]\n",
                "p.yaml:4:40", "expected a mapping"},
        BadCase{"case_parameters_unknown",
                "id: p\ntitle: t\nspecification: {document: D, version: '1'}\ncases:\n"
                "  - id: cus.ru.ul.prb-coverage\n    parameters: {prach_window: 3}\n",
                "p.yaml:6:32", "unknown parameter 'prach_window'"},
        BadCase{"case_timeout", HEAD "cases: [{id: cus.ru.prach, timeout: 0}]\n", "p.yaml:4:37",
                "expected a positive duration"},
        BadCase{"case_requires", HEAD "cases: [{id: cus.ru.prach, requires: [a b]}]\n",
                "p.yaml:4:38", "not a capability expression"},
        BadCase{"case_requires_map", HEAD "cases: [{id: cus.ru.prach, requires: {a: 1}}]\n",
                "p.yaml:4:38", "expected a list of strings"},
        BadCase{"case_twice", HEAD "cases: [{id: cus.ru.prach}, {id: cus.ru.prach}]\n",
                "p.yaml:4:29", "listed twice"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Profile, ValuesOfTheDeclaredTypesPass) {
  TempDir dir;
  const auto file = dir.write(
      "p.yaml", HEAD "defaults: {bandwidth_mhz: 100, slots: '10', time_dilation: 2.5, "
                     "prach: {expected: no}, timing: {ta4_max_us: 75}}\n"
                     "cases: [{id: cus.ru.prach, parameters: {prach_window: 3, signal: "
                     "{power_dbfs: -12.5, expected: true, names: [a, b], other: [x]}}}]\n");
  const FakeCatalog r = test_catalog();
  Diagnostics d;
  const auto p = load_profile(file, r, d);
  ASSERT_TRUE(p) << d.to_string();
  EXPECT_EQ(p->defaults.get_int("slots"), 10);
  EXPECT_EQ(p->cases[0].parameters.get_double("signal.power_dbfs"), -12.5);
}

TEST(Profile, AliasExpansionIsBounded) {
  TempDir dir;
  std::string text = HEAD "defaults:\n  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level <= 8; ++level) {
    text += "  l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
    for (int k = 0; k < 10; ++k) text += (k ? ", *l" : "*l") + std::to_string(level - 1);
    text += "]\n";
  }
  const auto file = dir.write("p.yaml", text);
  const FakeCatalog r = test_catalog();
  Diagnostics d;
  EXPECT_FALSE(load_profile(file, r, d));
  ASSERT_EQ(d.errors().size(), 1u);
  EXPECT_NE(d.errors()[0].where.find("p.yaml:9:"), std::string::npos) << d.to_string();
  EXPECT_NE(d.errors()[0].message.find("once its aliases are expanded"), std::string::npos);
}

TEST(Profile, IncludesStayInsideTheProfilesFolderAndQuoteNothingOfOtherFiles) {
  TempDir dir;
  dir.write("etc/shadow", "root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n");
  dir.write("profiles/notes.yaml", "root:*:19000:0:99999:7:::\n");
  dir.write("profiles/other.yaml", "password: hunter2\n");
  std::filesystem::create_symlink(dir / "etc/shadow", dir / "profiles/link.yaml");
  const FakeCatalog r = test_catalog();
  const auto refused = [&](const std::string& include) {
    const auto file = dir.write("profiles/p.yaml", HEAD "include: [" + include + "]\n");
    Diagnostics d;
    EXPECT_FALSE(load_profile(file, r, d)) << include;
    const std::string text = d.to_string();
    EXPECT_EQ(text.find("root"), std::string::npos) << text;
    EXPECT_EQ(text.find("hunter2"), std::string::npos) << text;
    EXPECT_EQ(text.find("password"), std::string::npos) << text;
    return text;
  };
  const std::string folder = (dir / "profiles").string();
  EXPECT_EQ(refused("../etc/shadow"),
            "error: " + folder + "/p.yaml:4:10: key 'include': '../etc/shadow' is outside the "
            "profile's folder " + folder + "; includes must stay inside it\n");
  EXPECT_NE(refused("link.yaml").find("'link.yaml' is outside the profile's folder"),
            std::string::npos);
  EXPECT_NE(refused("/dev/zero").find("'/dev/zero' is outside the profile's folder"),
            std::string::npos);
  // A line ending in ':' makes it a mapping of one key: it is still not a profile.
  EXPECT_EQ(refused("notes.yaml"),
            "error: " + folder + "/notes.yaml: an included file must be a profile (with cases, "
            "defaults, specification or include at the top)\n");
  dir.write("profiles/words.yaml", "root is the first account\n");
  EXPECT_EQ(refused("words.yaml"),
            "error: " + folder + "/words.yaml:1:1: expected a mapping at the top of the file, got "
            "text\n");
  EXPECT_EQ(refused("other.yaml"),
            "error: " + folder + "/other.yaml: an included file must be a profile (with cases, "
            "defaults, specification or include at the top)\n");
}

TEST(Profile, UnknownCaseWithEmptyCatalogSaysNothingIsInstalled) {
  TempDir dir;
  const auto file = dir.write("p.yaml", HEAD "cases: [{id: cus.ru.prach}]\n");
  const FakeCatalog empty({});
  Diagnostics d;
  EXPECT_FALSE(load_profile(file, empty, d));
  ASSERT_EQ(d.errors().size(), 1u);
  EXPECT_NE(d.errors()[0].message.find("no test cases are installed"), std::string::npos);
}

}  // namespace
}  // namespace plugfest::harness
