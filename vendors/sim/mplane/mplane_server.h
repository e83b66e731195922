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
  kCarrierActivationIgnored,      // carriers set ACTIVE are accepted but stay DISABLED,
                                  // and no fronthaul starts
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

// The Ethernet transport flow of a processing element (o-ran-processing-element eth-flow).
struct ActiveFlow {
  std::string processing_element;
  std::string interface_name;
  std::string ru_mac;  // as configured, "aa:bb:cc:dd:ee:ff"
  uint16_t vlan_id = 0;
  std::string odu_mac;
  friend bool operator==(const ActiveFlow&, const ActiveFlow&) = default;
};

// A low-level endpoint linked to an active carrier, with what the fronthaul needs of it.
struct ActiveEndpoint {
  std::string name;
  uint16_t eaxc_id = 0;
  // e-axcid bitmasks: O-DU port, band sector, CC, RU port.
  uint16_t o_du_port_bitmask = 0;
  uint16_t band_sector_bitmask = 0;
  uint16_t ccid_bitmask = 0;
  uint16_t ru_port_bitmask = 0;
  std::string compression_method;  // NO_COMPRESSION, BLOCK_FLOATING_POINT, ...; empty: none set
  std::string compression_type;    // STATIC or DYNAMIC
  uint8_t iq_bitwidth = 0;
  std::string scs;                 // of the first number-of-prb-per-scs entry, e.g. KHZ_30
  uint16_t number_of_prb = 0;
  std::optional<ActiveFlow> flow;  // of the link's processing element, when it has one
  friend bool operator==(const ActiveEndpoint&, const ActiveEndpoint&) = default;
};

// A carrier the O-RU is transmitting or receiving, as the fronthaul side needs it.
struct ActiveCarrier {
  enum class Direction { kTx, kRx };
  Direction direction = Direction::kTx;
  std::string name;
  uint64_t center_of_channel_bandwidth_hz = 0;
  uint64_t channel_bandwidth_hz = 0;
  std::vector<uint16_t> eaxc_ids;  // of the endpoints linked to this carrier
  std::vector<ActiveEndpoint> endpoints;  // the same endpoints, in eaxc-id order
  friend bool operator==(const ActiveCarrier&, const ActiveCarrier&) = default;
};

// Reception-window counts of the running fronthaul (o-ran-performance-management
// rx-window-measurement-objects, object unit RU).
struct RxWindowCounts {
  uint64_t on_time = 0;
  uint64_t early = 0;
  uint64_t late = 0;
  uint64_t corrupt = 0;
  uint64_t duplicate = 0;
  uint64_t dropped = 0;  // RX_ERR_DROP
  uint64_t total = 0;
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
  // Called from the server's thread whenever the set of active carriers changes (the
  // server's lock held: the callee must not call back into the server).
  std::function<void(const std::vector<ActiveCarrier>&)> on_carriers_changed;
  // Asked before each <get> for the running fronthaul's reception counts (the server's
  // lock held, as above); unset or nullopt: every active measurement object counts 0.
  std::function<std::optional<RxWindowCounts>()> rx_window_counts;
  // The MAC of the O-RU's fronthaul port, as ietf-interfaces and the factory transport
  // flow report it; empty: the factory data's own (02:00:00:00:00:01).
  std::string fronthaul_mac;
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
