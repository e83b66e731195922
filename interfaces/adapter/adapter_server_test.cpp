#include "interfaces/adapter/adapter_server.h"

#include <gtest/gtest.h>

#include <vector>

#include "interfaces/common/testing/temp_dir.h"

namespace plugfest::adapter {
namespace {

Result<std::optional<ServerTls>> tls_of(std::vector<const char*> args) {
  args.insert(args.begin(), "adapter");
  return server_tls_options(static_cast<int>(args.size()), args.data());
}

TEST(ServerTlsOptions, ReadsTheFlagsAndRefusesIncompleteOnes) {
  plugfest::testing::TempDir dir;
  const std::string cert = dir.write("s.pem", "x");
  const std::string key = dir.write("s.key", "x");
  const std::string ca = dir.write("ca.pem", "x");

  auto none = tls_of({"--listen", "unix:/x"});
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);

  auto mutual = tls_of(
      {"--tls-cert", cert.c_str(), ("--tls-key=" + key).c_str(), "--tls-client-ca", ca.c_str()});
  ASSERT_TRUE(mutual) << mutual.error().to_string();
  ASSERT_TRUE(*mutual);
  EXPECT_EQ((*mutual)->cert_file, cert);
  EXPECT_EQ((*mutual)->client_ca_file, ca);

  auto no_key = tls_of({"--tls-cert", cert.c_str(), "--tls-client-ca", ca.c_str()});
  ASSERT_FALSE(no_key);
  EXPECT_NE(no_key.error().message.find("go together"), std::string::npos);
  const std::string missing = (dir.path() / "nope.pem").string();
  auto unreadable = tls_of(
      {"--tls-cert", cert.c_str(), "--tls-key", key.c_str(), "--tls-client-ca", missing.c_str()});
  ASSERT_FALSE(unreadable);
  EXPECT_NE(unreadable.error().to_string().find("--tls-client-ca: cannot read"), std::string::npos);
}

TEST(ServerTlsOptions, OnlyPlaintextTcpIsWarnedAbout) {
  EXPECT_NE(plaintext_listen_warning("0.0.0.0:50051", std::nullopt).find("without TLS"),
            std::string::npos);
  EXPECT_EQ(plaintext_listen_warning("unix:/run/a.sock", std::nullopt), "");
  EXPECT_EQ(plaintext_listen_warning("0.0.0.0:50051", ServerTls{"c", "k", ""}), "");
}

}  // namespace
}  // namespace plugfest::adapter
