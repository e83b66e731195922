#pragma once
// What the M-plane cases share: the sessions of one case (endpoint, accounts, transcripts
// kept as artifacts), the check of an expected refusal, configuring through whichever
// datastore the device offers, and discovery of the device's U-plane instances. A case
// never names an instance of its own simulator; it finds what the device has.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/engine/context.h"
#include "harness/engine/test_case.h"
#include "interfaces/adapter/adapter_client.h"
#include "interfaces/management/netconf_client.h"

namespace plugfest::harness::mplane {

using management::ConnectOptions;
using management::Filter;
using management::NetconfSession;
using management::Reply;
using management::SshCredentials;

inline constexpr const char* kUplaneNs = "urn:o-ran:uplane-conf:1.0";
inline constexpr const char* kSupervisionNs = "urn:o-ran:supervision:1.0";
inline constexpr const char* kLoopback = "127.0.0.1";

// Where the O-RU's NETCONF server is and the accounts the harness may use.
struct MplaneEndpoint {
  std::string host;
  uint16_t port = 830;
  SshCredentials admin;                            // the sudo account
  std::map<std::string, SshCredentials> by_group;  // further accounts by NACM group
  bool calls_home = false;                         // the device agreed to call the harness home
};

// A bound UDP socket nobody reads: PrepareSession needs the harness's fronthaul end, and
// the M-plane cases exchange no fronthaul.
class IdleUdpEnd {
 public:
  IdleUdpEnd();
  ~IdleUdpEnd();
  IdleUdpEnd(const IdleUdpEnd&) = delete;
  IdleUdpEnd& operator=(const IdleUdpEnd&) = delete;
  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

// Sessions of one case; their transcripts become artifacts when the case ends.
class Sessions {
 public:
  explicit Sessions(Context& ctx) : ctx_(ctx) {}
  ~Sessions();

  // The DUT's M-plane: asks the adapter (PrepareSession; with `call_home_to`, asking the
  // device to call the harness home there), else the lab parameters. nullptr when there
  // is none; the case has its error then.
  const MplaneEndpoint* endpoint(std::optional<adapter::CallHomeAddress> call_home_to = {});
  ConnectOptions options(const SshCredentials& credentials) const;
  Result<NetconfSession*> open(const ConnectOptions& options);
  NetconfSession* keep(std::unique_ptr<NetconfSession> session);
  // A session as `credentials`, or nullptr with the case's verdict set: error when
  // nothing answers at the endpoint's TCP port, fail when the device refused the session.
  NetconfSession* open_or_judge(const SshCredentials& credentials, const std::string& who);
  // The administrator's session (open_or_judge with the sudo account).
  NetconfSession* admin();
  // Whether a TCP connection to the endpoint succeeds (nothing more is said).
  bool reachable() const;
  void note_refused(const std::string& line) { refused_ += line + "\n"; }

 private:
  Context& ctx_;
  IdleUdpEnd idle_end_;
  std::optional<MplaneEndpoint> endpoint_;
  std::vector<std::unique_ptr<NetconfSession>> sessions_;
  std::string refused_;
};

void fail(Context& ctx, const std::string& rule, const std::string& message,
          const std::string& where);
// A reply that is a transport failure fails the case; an rpc-error is data.
bool check(Context& ctx, const Result<Reply>& reply, const std::string& what);

// Every <rpc-error> of a reply, with all its fields: "application/invalid-value
// app-tag=... path=...: message".
std::string describe_errors(const Reply& reply);

// The refusal a negative case expects (RFC 6241 clause 4.3, Appendix A). Empty lists
// accept any value; `path_names`, when set, must appear in an error-path the device gives.
struct ExpectedRefusal {
  std::vector<std::string> types;
  std::vector<std::string> tags;
  std::string app_tag;
  std::string path_names;
  std::string describe() const;
};
// Whether one of the reply's errors is the expected refusal.
bool is_refusal(const Reply& reply, const ExpectedRefusal& expected);

// The outcome of changing the configuration the way the device allows it.
struct ConfigChange {
  bool applied = false;
  Reply refusal;  // when not applied: the reply that refused (edit-config or commit)
  std::string step;  // edit-config or commit
};
// Edits running (:writable-running), or the candidate and commits it (:candidate, with a
// confirmed commit that is then confirmed where :confirmed-commit is offered), discarding
// the candidate again when it is refused. nullopt: the session failed or the device
// offers no writable datastore (the case has its verdict then).
std::optional<ConfigChange> configure(Context& ctx, NetconfSession& session,
                                      const std::string& config_xml);

// The U-plane instances a device has (o-ran-uplane-conf), found by get-config and get.
struct UplaneEndpoint {
  std::string name;
  std::string eaxc_id;            // empty: none configured
  management::XmlNode config;     // the endpoint's whole configuration
};
struct UplaneInventory {
  std::vector<std::string> tx_carriers, rx_carriers;
  std::vector<UplaneEndpoint> tx_endpoints;       // configured low-level-tx-endpoints
  std::vector<std::string> static_tx_endpoints;   // what the device offers
  std::map<std::string, std::string> active_of;   // carrier name -> its <active> value
};
// nullopt: the read failed (the case's verdict is set).
std::optional<UplaneInventory> discover_uplane(Context& ctx, NetconfSession& session);

// A session as the fm-pm account, or nullptr (then the case is inconclusive, error or fail).
NetconfSession* fm_session(Context& ctx, Sessions& sessions);

// An M-plane case: needs an M-plane (capability "mplane") and maybe more of it.
TestCase mplane_case(std::string id, std::string title, std::string conformance_test,
                     std::string clause, void (*run)(Context&),
                     std::vector<std::string> requires_capabilities = {"mplane"});

}  // namespace plugfest::harness::mplane
