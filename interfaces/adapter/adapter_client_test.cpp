#include "interfaces/adapter/adapter_client.h"

#include <gtest/gtest.h>

#include "interfaces/adapter/testing/tls_test_support.h"

namespace plugfest::adapter {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;
using testing::TlsAdapterProcess;
using testing::TlsCertificates;

Result<AdapterDescription> describe_over_tls(const std::string& address, TlsOptions tls) {
  ClientOptions options;
  options.name = "bench-ru";
  options.target = address;
  options.tls = std::move(tls);
  options.call_timeout = 10s;
  auto client = AdapterClient::create(options);
  if (!client) return client.error();
  return (*client)->describe();
}

TEST(AdapterClientTls, VerifiesTheServerAgainstTheGivenCa) {
  TempDir dir;
  TlsCertificates certs(dir);
  ASSERT_TRUE(certs.ok()) << "openssl could not make the test certificates";
  TlsAdapterProcess adapter(PLUGFEST_TEST_ADAPTER, dir, certs, false);
  ASSERT_FALSE(adapter.address().empty());

  auto good = describe_over_tls(adapter.address(), {certs.path("ca.pem"), "", "", ""});
  ASSERT_TRUE(good) << good.error().to_string();
  EXPECT_EQ(good->device.vendor, "Plugfest Test Devices");

  auto wrong_ca = describe_over_tls(adapter.address(), {certs.path("other-ca.pem"), "", "", ""});
  ASSERT_FALSE(wrong_ca) << "a server certificate from another CA must be refused";
  EXPECT_NE(wrong_ca.error().to_string().find("Describe: adapter unreachable"), std::string::npos)
      << wrong_ca.error().to_string();
}

TEST(AdapterClientTls, PresentsAClientCertificateWhenTheAdapterRequiresOne) {
  TempDir dir;
  TlsCertificates certs(dir);
  ASSERT_TRUE(certs.ok());
  TlsAdapterProcess adapter(PLUGFEST_TEST_ADAPTER, dir, certs, true);
  ASSERT_FALSE(adapter.address().empty());

  auto without = describe_over_tls(adapter.address(), {certs.path("ca.pem"), "", "", ""});
  EXPECT_FALSE(without) << "the adapter requires a client certificate";

  auto with = describe_over_tls(adapter.address(), {certs.path("ca.pem"), certs.path("client.pem"),
                                                    certs.path("client.key"), ""});
  ASSERT_TRUE(with) << with.error().to_string();
}

TEST(AdapterClientTls, UnreadableCaFileIsAnErrorNamingTheFile) {
  ClientOptions options;
  options.name = "x";
  options.target = "127.0.0.1:1";
  options.tls = TlsOptions{"/nonexistent/ca.pem", "", "", ""};
  auto client = AdapterClient::create(options);
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().where, "/nonexistent/ca.pem");
}

TEST(AdapterClient, NobodyListeningIsAnErrorWithinTheDeadline) {
  TempDir dir;
  ClientOptions options;
  options.name = "ghost";
  options.target = "unix:" + (dir / "nobody.sock").string();
  options.call_timeout = 500ms;
  auto client = AdapterClient::create(options);
  ASSERT_TRUE(client);
  auto description = (*client)->describe();
  ASSERT_FALSE(description);
  EXPECT_EQ(description.error().where, "adapter ghost (" + options.target + ")");
  EXPECT_TRUE(description.error().message.starts_with("Describe: ")) << description.error().message;
}

}  // namespace
}  // namespace plugfest::adapter
