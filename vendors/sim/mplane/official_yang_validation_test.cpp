// The simulated O-RU's <get> answer, validated by yanglint (an external oracle) against
// the official O-RAN and IETF modules when they are available next to the project.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "interfaces/management/netconf_client.h"
#include "vendors/sim/mplane/mplane_server.h"

namespace plugfest::sim {
namespace {

namespace fs = std::filesystem;

TEST(OfficialYangValidation, GetOutputIsValidAgainstTheOfficialModules) {
  // PLUGFEST_OFFICIAL_YANG_DIR in the environment points elsewhere (a checkout whose
  // neighbour folder is not the reference set).
  const char* override_dir = std::getenv("PLUGFEST_OFFICIAL_YANG_DIR");
  const fs::path official = override_dir ? override_dir : PLUGFEST_OFFICIAL_YANG_DIR;
  const std::string yanglint = PLUGFEST_YANGLINT;
  if (!fs::exists(official / "o-ran" / "o-ran-uplane-conf.yang")) {
    GTEST_SKIP() << "official O-RAN modules not found at " << official
                 << ": validation against them skipped";
  }
  if (yanglint.empty()) GTEST_SKIP() << "yanglint not installed: validation skipped";

  MplaneServerConfig config;
  config.users = {{"oru-admin", "admin-secret", "", "sudo"}};
  auto server = MplaneServer::start(config);
  ASSERT_TRUE(server.ok()) << server.error().to_string();
  management::ConnectOptions options;
  options.port = (*server)->port();
  options.credentials = {"oru-admin", "admin-secret", "", ""};
  auto session = management::NetconfSession::connect(options);
  ASSERT_TRUE(session.ok()) << session.error().to_string();
  // A measurement object turned on, so its result (name and count) is validated too.
  auto measured = (*session)->edit_config(
      "<performance-measurement-objects xmlns=\"urn:o-ran:performance-management:1.0\">"
      "<rx-window-measurement-objects><measurement-object>RX_ON_TIME</measurement-object>"
      "<active>true</active><object-unit>RU</object-unit><report-info>COUNT</report-info>"
      "</rx-window-measurement-objects></performance-measurement-objects>");
  ASSERT_TRUE(measured.ok()) << measured.error().to_string();
  ASSERT_TRUE(measured->ok()) << measured->error_summary();
  auto reply = (*session)->get();
  ASSERT_TRUE(reply.ok()) << reply.error().to_string();
  ASSERT_TRUE(reply->ok()) << reply->error_summary();

  fs::path dir = fs::temp_directory_path() / ("plugfest-yanglint-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path data = dir / "get.xml";
  std::ofstream(data) << management::to_xml(reply->data);

  // Every module whose data the O-RU returns, in its official form.
  std::string modules;
  for (const char* name :
       {"o-ran/o-ran-hardware", "ietf/ietf-hardware", "ietf/iana-hardware",
        "o-ran/o-ran-uplane-conf", "o-ran/o-ran-module-cap", "o-ran/o-ran-processing-element",
        "o-ran/o-ran-supervision", "o-ran/o-ran-fm", "o-ran/o-ran-software-management",
        "o-ran/o-ran-usermgmt", "o-ran/o-ran-operations", "o-ran/o-ran-interfaces",
        "o-ran/o-ran-performance-management",
        "ietf/ietf-interfaces", "ietf/iana-if-type", "ietf/ietf-netconf-acm",
        "ietf/ietf-yang-library", "ietf/ietf-datastores"}) {
    modules += " " + (official / (std::string(name) + ".yang")).string();
  }
  // Full datastore validation (-t data) with the features this O-RU claims.
  fs::path log = dir / "yanglint.log";
  std::string command = yanglint + " -p " + (official / "o-ran").string() + " -p " +
                        (official / "ietf").string() +
                        " -F ietf-interfaces: -F ietf-hardware:hardware-state -t data" + modules +
                        " " + data.string() + " > " + log.string() + " 2>&1";
  int status = std::system(command.c_str());
  std::ifstream log_file(log);
  std::string output((std::istreambuf_iterator<char>(log_file)), std::istreambuf_iterator<char>());
  EXPECT_EQ(status, 0) << "yanglint rejected the O-RU's <get> data:\n" << output;
  EXPECT_EQ(output.find("err"), std::string::npos) << output;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace plugfest::sim
