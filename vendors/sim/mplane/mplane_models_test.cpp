// S8: the simulated O-RU serves the project's reduced models under revisions of their own,
// never under an official module's revision, and says so wherever a client looks: the
// model files, <hello>, ietf-yang-library and get-schema.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "interfaces/management/netconf_client.h"
#include "interfaces/management/yang_models.h"
#include "vendors/sim/mplane/mplane_server.h"

namespace plugfest::sim {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every revision date a module file declares, newest (first) first.
std::vector<std::string> revisions_of(const std::string& text) {
  static const std::regex revision(R"re((^|\n)\s*revision\s+"?(\d{4}-\d{2}-\d{2})"?\s*[{;])re");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), revision);
       it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[2]);
  }
  return out;
}

// The official module of that name in the reference folder, if there is one.
std::optional<fs::path> official(const std::string& name) {
  for (const auto& entry : fs::recursive_directory_iterator(PLUGFEST_OFFICIAL_YANG_DIR)) {
    if (entry.path().filename() == name + ".yang") return entry.path();
  }
  return std::nullopt;
}

std::map<std::string, std::string> project_revisions() {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::directory_iterator(std::string(management::project_yang_dir()))) {
    if (entry.path().extension() != ".yang") continue;
    auto revisions = revisions_of(read_text(entry.path()));
    out[entry.path().stem().string()] = revisions.empty() ? "" : revisions.front();
  }
  return out;
}

TEST(ReducedModels, RevisionReaderFindsEveryRevision) {
  EXPECT_EQ(revisions_of("module m {\n  revision \"2024-08-12\" {\n  }\n  revision 2023-01-02;\n"
                         "  description \"no revision 2020-01-01 here\";\n}"),
            (std::vector<std::string>{"2024-08-12", "2023-01-02"}));
}

TEST(ReducedModels, NoneCarriesARevisionOfTheOfficialModule) {
  if (!fs::is_directory(PLUGFEST_OFFICIAL_YANG_DIR)) {
    GTEST_SKIP() << "the official O-RAN YANG modules are not beside this checkout: "
                 << PLUGFEST_OFFICIAL_YANG_DIR;
  }
  int compared = 0;
  for (const auto& [name, revision] : project_revisions()) {
    ASSERT_FALSE(revision.empty()) << name << " has no revision";
    // Whitespace as one space: descriptions wrap anywhere.
    const std::string text = std::regex_replace(
        read_text(fs::path(std::string(management::project_yang_dir())) / (name + ".yang")),
        std::regex("\\s+"), " ");
    EXPECT_NE(text.find("A subset of"), std::string::npos)
        << name << ": its revision does not say it is a subset of the official module";
    auto reference = official(name);
    if (!reference) continue;
    ++compared;
    const auto official_revisions = revisions_of(read_text(*reference));
    ASSERT_FALSE(official_revisions.empty()) << reference->string();
    for (const auto& taken : official_revisions) {
      EXPECT_NE(revision, taken) << name << " is published under the official revision " << taken;
    }
    // It names the official revision it is a subset of.
    EXPECT_NE(text.find("revision " + official_revisions.front()), std::string::npos)
        << name << " does not name the official revision " << official_revisions.front();
  }
  EXPECT_GE(compared, 10);
}

TEST(ReducedModels, HelloYangLibraryAndGetSchemaSayWhatIsServed) {
  MplaneServerConfig config;
  config.users = {{"oru-admin", "admin-secret", "", "sudo"}};
  auto started = MplaneServer::start(std::move(config));
  ASSERT_TRUE(started.ok()) << started.error().to_string();
  management::ConnectOptions options;
  options.port = (*started)->port();
  options.credentials.username = "oru-admin";
  options.credentials.password = "admin-secret";
  auto session = management::NetconfSession::connect(options);
  ASSERT_TRUE(session.ok()) << session.error().to_string();

  const auto ours = project_revisions();
  const std::string uplane = ours.at("o-ran-uplane-conf");
  // <hello> names modules (beside ietf-yang-library's list) as "...?module=M&revision=R".
  int advertised = 0;
  for (const auto& capability : (*session)->capabilities()) {
    const auto at = capability.find("?module=");
    if (at == std::string::npos) continue;
    const auto name_end = capability.find('&', at);
    auto project = ours.find(capability.substr(at + 8, name_end - at - 8));
    if (project == ours.end()) continue;
    ++advertised;
    EXPECT_NE(capability.find("revision=" + project->second), std::string::npos) << capability;
  }
  EXPECT_GE(advertised, 1);

  auto library = (*session)->yang_library();
  ASSERT_TRUE(library.ok()) << library.error().to_string();
  int listed = 0;
  for (const auto& module : *library) {
    auto project = ours.find(module.name);
    if (project == ours.end()) continue;
    ++listed;
    EXPECT_EQ(module.revision, project->second) << module.name;
  }
  EXPECT_GE(listed, 10);

  auto schema = (*session)->get_schema("o-ran-uplane-conf", uplane);
  ASSERT_TRUE(schema.ok()) << schema.error().to_string();
  EXPECT_NE(schema->find("A subset of"), std::string::npos);
  EXPECT_NE(schema->find("revision " + uplane), std::string::npos);
  auto unserved = (*session)->get_schema("o-ran-uplane-conf", "2024-08-12");
  EXPECT_FALSE(unserved.ok()) << "the official revision is served though it is not ours";
}

}  // namespace
}  // namespace plugfest::sim
