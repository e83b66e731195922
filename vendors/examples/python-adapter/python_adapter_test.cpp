// Launches the example Python adapter as a real process and talks to it.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "interfaces/adapter/adapter_launcher.h"
#include "interfaces/adapter/testing/process_test_support.h"
#include "interfaces/adapter/testing/tls_test_support.h"
#include "interfaces/adapter/tls_probe.h"

namespace plugfest::adapter {
namespace {

using namespace std::chrono_literals;

LaunchOptions python_adapter(const testing::TempDir& dir) {
  LaunchOptions options;
  options.name = "fjordwave-ru";
  options.command = {PYTHON_ADAPTER, "--stubs", PYTHON_ADAPTER_STUBS};
  options.stderr_path = dir / "fjordwave-ru.stderr";
  options.ready_timeout = 30s;
  options.expected_role = Role::kOru;
  return options;
}

TEST(PythonAdapter, LaunchesAndDescribesItsDevice) {
  testing::TempDir dir;
  auto adapter = LaunchedAdapter::launch(python_adapter(dir));
  ASSERT_TRUE(adapter) << adapter.error().to_string();
  auto description = (*adapter)->client().describe();
  ASSERT_TRUE(description) << description.error().to_string();
  EXPECT_EQ(description->device.vendor, "Fjordwave Radio Systems");
  EXPECT_EQ(description->device.model, "FW-RU-2T2R-n78");
  EXPECT_EQ(description->device.role, Role::kOru);
  EXPECT_TRUE(description->device.capabilities.has("compression.bfp.14"));
  EXPECT_TRUE(description->instruments.empty());
  const pid_t pid = (*adapter)->pid();
  adapter->reset();
  EXPECT_TRUE(testing::process_gone(pid));
}

// A session: the adapter's fronthaul endpoint is a real UDP socket whose datagrams show
// up in Counters; its missing instrument is reported, not faked.
TEST(PythonAdapter, CountsFronthaulDatagramsAndReportsMissingInstrument) {
  testing::TempDir dir;
  auto adapter = LaunchedAdapter::launch(python_adapter(dir));
  ASSERT_TRUE(adapter) << adapter.error().to_string();
  auto& client = (*adapter)->client();
  SessionRequest request;
  request.session_id = "s1";
  request.harness_endpoint = UdpEndpoint{"127.0.0.1", 45000};
  auto setup = client.prepare_session(request);
  ASSERT_TRUE(setup) << setup.error().to_string();
  const auto endpoint = std::get<UdpEndpoint>(setup->dut_endpoint);

  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(endpoint.port);
  ::inet_pton(AF_INET, endpoint.host.c_str(), &to.sin_addr);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(::sendto(fd, "x", 1, 0, reinterpret_cast<sockaddr*>(&to), sizeof to), 1);
  }
  ::close(fd);
  std::uint64_t seen = 0;
  for (int i = 0; i < 500 && seen < 3; ++i) {
    auto counters = client.counters("s1");
    ASSERT_TRUE(counters) << counters.error().to_string();
    seen += counters->rx_on_time;
    if (seen < 3) std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(seen, 3u);

  auto observation = client.observe("s1", {Instrument::kDlRadiatedIq, 0, {}});
  ASSERT_TRUE(observation) << observation.error().to_string();
  EXPECT_FALSE(observation->available);
  EXPECT_NE(observation->unavailable_reason.find("no signal analyser"), std::string::npos);

  auto wrong = client.counters("other");
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("unknown session"), std::string::npos);
  ASSERT_TRUE(client.shutdown());
  EXPECT_TRUE(testing::process_gone((*adapter)->pid()));
}

// On a bench port the example serves mutual TLS: a client with a certificate from its CA
// is served, one without is refused in the handshake.
TEST(PythonAdapter, ServesMutualTlsOnATcpPort) {
  testing::TempDir dir;
  testing::TlsCertificates certs(dir);
  ASSERT_TRUE(certs.ok()) << "openssl could not make the test certificates";
  testing::TlsAdapterProcess adapter({PYTHON_ADAPTER, "--stubs", PYTHON_ADAPTER_STUBS}, dir, certs,
                                     true);
  ASSERT_FALSE(adapter.address().empty()) << "adapter.py did not write its port";
  const TlsOptions with_cert{certs.path("ca.pem"), certs.path("client.pem"),
                             certs.path("client.key"), ""};
  ClientOptions options;
  options.name = "fjordwave-ru";
  options.target = adapter.address();
  options.tls = with_cert;
  auto client = AdapterClient::create(options);
  ASSERT_TRUE(client) << client.error().to_string();
  ASSERT_TRUE(wait_until_serving(**client, 20s));
  auto description = (*client)->describe();
  ASSERT_TRUE(description) << description.error().to_string();
  EXPECT_EQ(description->device.vendor, "Fjordwave Radio Systems");
  EXPECT_EQ(diagnose_tls(adapter.address(), with_cert, 2s), "");

  const TlsOptions without_cert{certs.path("ca.pem"), "", "", ""};
  options.tls = without_cert;
  auto anonymous = AdapterClient::create(options);
  ASSERT_TRUE(anonymous);
  EXPECT_FALSE((*anonymous)->describe());
  EXPECT_NE(diagnose_tls(adapter.address(), without_cert, 2s)
                .find("the adapter refused this client in the handshake"),
            std::string::npos);
}

}  // namespace
}  // namespace plugfest::adapter
