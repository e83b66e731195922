// The simulated O-RU's NETCONF server under clients that stall or ask too much: connections
// that never authenticate, a TCP connection that never speaks, and filters whose cost has
// no bound must not hold up an ordinary session. Real SSH on loopback; every bound below is
// a timeout of a few seconds, well under what a stalled client may take.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libssh/libssh.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "interfaces/management/netconf_client.h"
#include "vendors/sim/mplane/mplane_server.h"

namespace plugfest::sim {
namespace {

using Clock = std::chrono::steady_clock;
using management::ConnectOptions;
using management::Filter;
using management::NetconfSession;
using management::Reply;

// What an ordinary session must never wait for behind others: well under the handshake
// timeout a stalled client may use.
constexpr auto kBound = std::chrono::seconds(5);

MplaneServerConfig config_with_timeout(std::chrono::seconds handshake) {
  MplaneServerConfig config;
  config.users = {{"oru-admin", "admin-secret", "", "sudo"}, {"oru-fm", "fm-secret", "", "fm-pm"}};
  config.handshake_timeout = handshake;
  return config;
}

std::unique_ptr<NetconfSession> connect(const MplaneServer& server, const std::string& user,
                                        const std::string& password) {
  ConnectOptions options;
  options.port = server.port();
  options.credentials.username = user;
  options.credentials.password = password;
  auto session = NetconfSession::connect(options);
  EXPECT_TRUE(session.ok()) << session.error().to_string();
  return session.ok() ? std::move(session.value()) : nullptr;
}

// An SSH client that completes the key exchange and then never authenticates.
struct UnauthenticatedClient {
  ssh_session ssh = ssh_new();
  explicit UnauthenticatedClient(uint16_t port) {
    const unsigned int p = port;
    ssh_options_set(ssh, SSH_OPTIONS_HOST, "127.0.0.1");
    ssh_options_set(ssh, SSH_OPTIONS_PORT, &p);
    ssh_options_set(ssh, SSH_OPTIONS_USER, "oru-admin");
    long timeout = 20;
    ssh_options_set(ssh, SSH_OPTIONS_TIMEOUT, &timeout);
  }
  bool open() { return ssh_connect(ssh) == SSH_OK; }
  // True once the server has dropped the connection (read returns end of stream).
  bool dropped_within(std::chrono::seconds limit) {
    const auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
      // A request the server must answer, or a closed socket.
      if (ssh_userauth_none(ssh, nullptr) == SSH_AUTH_ERROR || !ssh_is_connected(ssh)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }
  ~UnauthenticatedClient() {
    ssh_disconnect(ssh);
    ssh_free(ssh);
  }
};

// A TCP connection that never sends a byte.
int silent_connection(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

TEST(MplaneServerConcurrency, StalledConnectionsDoNotDelayAnAuthenticatedClient) {
  // A long handshake timeout: were connections taken one after another, the client below
  // would wait at least 30 s behind the three that never authenticate.
  auto started = MplaneServer::start(config_with_timeout(std::chrono::seconds(30)));
  ASSERT_TRUE(started.ok()) << started.error().to_string();
  auto& server = **started;
  std::vector<std::unique_ptr<UnauthenticatedClient>> stalled;
  for (int i = 0; i < 3; ++i) {
    stalled.push_back(std::make_unique<UnauthenticatedClient>(server.port()));
    ASSERT_TRUE(stalled.back()->open()) << ssh_get_error(stalled.back()->ssh);
  }
  const int silent = silent_connection(server.port());
  ASSERT_GE(silent, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the server has taken it

  const auto begin = Clock::now();
  auto session = connect(server, "oru-admin", "admin-secret");
  ASSERT_TRUE(session);
  auto reply = session->get(Filter::xpath("/ietf-hardware:hardware/component/name"));
  const auto took = Clock::now() - begin;
  ASSERT_TRUE(reply.ok()) << reply.error().to_string();
  EXPECT_TRUE(reply->ok()) << reply->error_summary();
  EXPECT_FALSE(management::find_all(reply->data, "hardware/component/name").empty());
  EXPECT_LT(took, kBound) << "hello and <get> took "
                          << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                          << " ms behind stalled connections";
  close(silent);
}

TEST(MplaneServerConcurrency, AConnectionThatNeverAuthenticatesIsDropped) {
  auto started = MplaneServer::start(config_with_timeout(std::chrono::seconds(1)));
  ASSERT_TRUE(started.ok()) << started.error().to_string();
  UnauthenticatedClient stalled((*started)->port());
  ASSERT_TRUE(stalled.open()) << ssh_get_error(stalled.ssh);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_TRUE(stalled.dropped_within(std::chrono::seconds(8)))
      << "an unauthenticated connection outlived the handshake timeout";
}

std::string get_with_xpath(const std::string& select) {
  return "<get xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><filter type=\"xpath\" "
         "select=\"" +
         select + "\"/></get>";
}

TEST(MplaneServerConcurrency, AFilterBeyondTheCostBoundIsRefusedWithResourceDenied) {
  auto started = MplaneServer::start(config_with_timeout(std::chrono::seconds(10)));
  ASSERT_TRUE(started.ok()) << started.error().to_string();
  auto fm = connect(**started, "oru-fm", "fm-secret");
  ASSERT_TRUE(fm);
  const auto begin = Clock::now();
  auto refused = fm->rpc(get_with_xpath("//*[//*[//*[//*]]]"));
  ASSERT_TRUE(refused.ok()) << refused.error().to_string();
  EXPECT_LT(Clock::now() - begin, kBound);
  ASSERT_EQ(refused->errors.size(), 1u);
  EXPECT_EQ(refused->errors[0].tag, "resource-denied");
  EXPECT_EQ(refused->errors[0].type, "application");
  EXPECT_EQ(refused->errors[0].path, "/ietf-netconf:get/filter");
  EXPECT_NE(refused->errors[0].message.find("too costly"), std::string::npos)
      << refused->errors[0].message;

  // So does a subtree filter of thousands of content-match nodes (each one an XPath).
  std::string subtree =
      "<get xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><filter type=\"subtree\">"
      "<hardware xmlns=\"urn:ietf:params:xml:ns:yang:ietf-hardware\">";
  for (int i = 0; i < 5000; ++i) {
    subtree += "<component><name>c" + std::to_string(i) + "</name></component>";
  }
  subtree += "</hardware></filter></get>";
  auto many = fm->rpc(subtree);
  ASSERT_TRUE(many.ok()) << many.error().to_string();
  ASSERT_EQ(many->errors.size(), 1u);
  EXPECT_EQ(many->errors[0].tag, "resource-denied");

  // An ordinary filter of the same session is answered.
  auto ordinary = fm->get(Filter::xpath("/ietf-hardware:hardware/component[name='ru-module']"));
  ASSERT_TRUE(ordinary.ok()) << ordinary.error().to_string();
  EXPECT_TRUE(ordinary->ok()) << ordinary->error_summary();
}

TEST(MplaneServerConcurrency, OneSessionsCostlyReadsDoNotHoldUpAnother) {
  auto started = MplaneServer::start(config_with_timeout(std::chrono::seconds(10)));
  ASSERT_TRUE(started.ok()) << started.error().to_string();
  auto fm = connect(**started, "oru-fm", "fm-secret");
  auto admin = connect(**started, "oru-admin", "admin-secret");
  ASSERT_TRUE(fm && admin);
  // The fm-pm session keeps asking for the most a request may cost, and more.
  std::atomic<bool> done{false};
  auto hog = std::async(std::launch::async, [&] {
    int answered = 0;
    while (!done && answered < 200) {
      auto reply = fm->rpc(get_with_xpath(answered % 2 ? "//*[//*[//*]]" : "//*[count(//*) > 1]"));
      if (!reply.ok()) break;
      ++answered;
    }
    return answered;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  for (int i = 0; i < 5; ++i) {
    const auto begin = Clock::now();
    auto reply = admin->get_config();
    const auto took = Clock::now() - begin;
    ASSERT_TRUE(reply.ok()) << reply.error().to_string();
    EXPECT_TRUE(reply->ok()) << reply->error_summary();
    EXPECT_LT(took, kBound) << "the admin's get-config waited behind the fm-pm session's reads";
  }
  done = true;
  EXPECT_GT(hog.get(), 0);
}

}  // namespace
}  // namespace plugfest::sim
