#include "interfaces/adapter/adapter_client.h"

#include <gtest/gtest.h>

#include "interfaces/adapter/testing/process_test_support.h"

namespace plugfest::adapter {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;

// Certificates made at test time with the openssl command line: two CAs, a server
// certificate for 127.0.0.1 / localhost signed by the first, a client certificate too.
class TlsCertificates {
 public:
  explicit TlsCertificates(const TempDir& dir) : dir_(dir) {
    ok_ = make_ca("ca") && make_ca("other-ca") && make_leaf("server", "ca", true) &&
          make_leaf("client", "ca", false);
  }
  bool ok() const { return ok_; }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

 private:
  bool run(const std::string& command) const {
    return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
  }
  bool make_ca(const std::string& name) const {
    return run(
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1"
        " -subj /CN=plugfest-test-" +
        name + " -keyout " + path(name + ".key") + " -out " + path(name + ".pem"));
  }
  bool make_leaf(const std::string& name, const std::string& ca, bool server) const {
    const std::string ext = path(name + ".ext");
    std::ofstream(ext) << (server ? "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                                  : "extendedKeyUsage=clientAuth\n");
    return run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=" +
               name + " -keyout " + path(name + ".key") + " -out " + path(name + ".csr")) &&
           run("openssl x509 -req -days 1 -in " + path(name + ".csr") + " -CA " +
               path(ca + ".pem") + " -CAkey " + path(ca + ".key") + " -CAcreateserial -extfile " +
               ext + " -out " + path(name + ".pem"));
  }

  const TempDir& dir_;
  bool ok_ = false;
};

// A test adapter serving TLS on 127.0.0.1 with a port chosen by the kernel.
class TlsAdapterProcess {
 public:
  TlsAdapterProcess(const TempDir& dir, const TlsCertificates& certs, bool require_client_cert) {
    const auto port_file = dir / "port";
    std::vector<std::string> argv = {PLUGFEST_TEST_ADAPTER,
                                     "--listen",
                                     "127.0.0.1:0",
                                     "--tls-cert",
                                     certs.path("server.pem"),
                                     "--tls-key",
                                     certs.path("server.key"),
                                     "--port-file",
                                     port_file.string()};
    if (require_client_cert) {
      argv.push_back("--tls-client-ca");
      argv.push_back(certs.path("ca.pem"));
    }
    pid_ = testing::spawn(argv);
    const std::string port = testing::wait_for_file(port_file, "\n");
    if (!port.empty()) address_ = "127.0.0.1:" + port.substr(0, port.find('\n'));
  }
  ~TlsAdapterProcess() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  const std::string& address() const { return address_; }

 private:
  pid_t pid_ = -1;
  std::string address_;
};

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
  TlsAdapterProcess adapter(dir, certs, false);
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
  TlsAdapterProcess adapter(dir, certs, true);
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
