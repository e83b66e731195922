#pragma once
// MplaneServer: the simulated O-RU's NETCONF server over SSH - an in-memory datastore
// for the project's O-RAN YANG models, the supervision watchdog, alarms, NACM roles,
// carrier activation, and injectable faults. libnetconf2 keeps its server state per
// process, so one MplaneServer runs at a time in a process.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "interfaces/common/result.h"

namespace plugfest::sim {

// Deviations the simulated O-RU can be told to have, each a negative control for a
// management-plane test case.
enum class MplaneFault {
  kWrongCredentialsAccepted,      // SSH password authentication accepts any password
  kWatchdogIgnored,               // supervision watchdog never expires
  kMissingMandatoryModule,        // o-ran-operations is not implemented
  kInvalidEditAccepted,           // edit-config skips schema validation
  kDuplicateEaxcAccepted,         // two endpoints of one direction may share an eaxc-id
  kAlarmNeverRaised,              // alarms are neither listed nor notified
  kRoleEscalationAllowed,         // NACM grants every role write access
  kCallHomeIgnored,               // asked to call home, the O-RU never dials
  kSubscriptionRefused,           // create-subscription always answers an rpc-error
  kNextUpdateAtStale,             // supervision-watchdog-reset answers next-update-at = now
  kSubtreeFilterIgnored,          // a subtree-filtered get answers everything
  kFmReadDenied,                  // NACM denies the fm-pm group reading o-ran-fm
  kNoSoftwareSlots,               // the software inventory lists no slot
  kWritableRunningNotAdvertised,  // <hello> omits :writable-running, yet running is edited
  kRefuseAllRpcs,                 // every RPC after <hello> gets an unrelated rpc-error
                                  // (operation-failed, application), but get-schema, which
                                  // clients need to connect, and close-session
  kNotificationNotAdvertised,     // <hello> omits :notification:1.0 and :interleave:1.0,
                                  // and create-subscription is operation-not-supported
};

std::string_view to_string(MplaneFault fault);
Result<MplaneFault> parse_mplane_fault(std::string_view name);
std::vector<MplaneFault> all_mplane_faults();

// An M-plane account. group is one of the O-RAN NACM groups: sudo, nms, fm-pm, swm.
struct MplaneUser {
  std::string name;
  std::string password;
  std::string public_key;  // OpenSSH public key line ("ssh-rsa AAAA... comment"), optional
  std::string group = "sudo";
};

// Where the O-RU calls home to (RFC 8071, SSH).
struct CallHomeTarget {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
};

// NETCONF over TLS (RFC 7589) besides SSH: the server's certificate, and the CA whose
// client certificates are accepted; a client certificate's common name names the account
// (cert-to-name map type common-name, for certificates issued by that CA).
struct MplaneTlsConfig {
  std::string server_certificate_path;  // PEM
  std::string server_key_path;          // PEM
  std::string client_ca_path;           // PEM
  uint16_t port = 0;                    // 0 picks a free port; MplaneServer::tls_port() says which
};

// A carrier the O-RU is transmitting or receiving, as the fronthaul side needs it.
struct ActiveCarrier {
  enum class Direction { kTx, kRx };
  Direction direction = Direction::kTx;
  std::string name;
  uint64_t center_of_channel_bandwidth_hz = 0;
  uint64_t channel_bandwidth_hz = 0;
  std::vector<uint16_t> eaxc_ids;  // of the endpoints linked to this carrier
};

struct MplaneServerConfig {
  std::string listen_address = "127.0.0.1";
  uint16_t port = 0;  // 0 picks a free port; MplaneServer::port() says which
  std::vector<MplaneUser> users;
  std::string host_key_path;  // empty: a fresh Ed25519 host key is generated
  std::string yang_dir;       // empty: the project's models
  std::set<MplaneFault> faults;
  std::optional<CallHomeTarget> call_home;
  std::optional<MplaneTlsConfig> tls;
  // How long a new connection has to authenticate, and then to send its <hello>; one that
  // takes longer is dropped. (The SSH key exchange before has libnetconf2's own 10 s.)
  std::chrono::seconds handshake_timeout{10};
  // Called from the server's thread whenever the set of active carriers changes.
  std::function<void(const std::vector<ActiveCarrier>&)> on_carriers_changed;
};

class MplaneServer {
 public:
  static Result<std::unique_ptr<MplaneServer>> start(MplaneServerConfig config);
  ~MplaneServer();
  MplaneServer(const MplaneServer&) = delete;
  MplaneServer& operator=(const MplaneServer&) = delete;

  uint16_t port() const;
  uint16_t tls_port() const;  // 0 without config.tls
  void stop();

  // Calls the harness home at `target` from now on (replacing an earlier target), as
  // config.call_home does at start; nullopt stops calling home.
  Result<void> call_home(const std::optional<CallHomeTarget>& target);

  // Raises an alarm as the O-RU's fault management would (o-ran-fm alarm-notif plus the
  // active alarm list).
  void raise_alarm(uint16_t fault_id, const std::string& fault_source, const std::string& severity,
                   const std::string& text);
  std::vector<ActiveCarrier> active_carriers() const;

  struct Impl;

 private:
  explicit MplaneServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace plugfest::sim
