#pragma once
// NetconfSession: the harness side of the M-plane - a NETCONF 1.1 session over SSH to an
// O-RU (direct connect, or call home where the O-RU dials in), with every operation
// timed and every message kept in a transcript: the bytes libnetconf2 sent and received,
// in wire order, from the client's <hello> (and the library's own schema retrieval at
// connect time) to <close-session>. An Error carries the whole chain of library errors.
// Domain types only; libnetconf2 stays behind this header.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "interfaces/common/result.h"
#include "interfaces/management/filter.h"
#include "interfaces/management/transcript.h"
#include "interfaces/management/xml_node.h"

namespace plugfest::management {

// SSH client credentials: a password, or a key pair (OpenSSH or PEM files).
struct SshCredentials {
  std::string username;
  std::string password;
  std::string public_key_path;
  std::string private_key_path;
};

// NETCONF over TLS (RFC 7589): the client certificate (its common name names the
// account on an O-RAN O-RU), its key, and the CA the server's certificate must chain to.
struct TlsCredentials {
  std::string certificate_path;  // PEM
  std::string private_key_path;  // PEM
  std::string trusted_ca_path;   // PEM
};

struct ConnectOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 830;
  SshCredentials credentials;
  std::optional<TlsCredentials> tls;  // set: NETCONF over TLS instead of SSH
  std::chrono::milliseconds rpc_timeout{10000};
  // Where the modules libnetconf2 retrieves with <get-schema> at connect time are stored,
  // and looked for first (by name@revision) by later sessions. Empty: retrieved every time.
  std::string schema_cache_dir;
};

// One <rpc-error> (RFC 6241 clause 4.3).
struct RpcError {
  std::string type;  // transport, rpc, protocol, application
  std::string tag;   // e.g. access-denied, invalid-value, data-exists
  std::string severity;
  std::string app_tag;
  std::string path;
  std::string message;
};

// What came back for one operation: <ok/>, data, or <rpc-error>s. A device answering
// with an error is a Reply, not an Error: Error is reserved for the session itself
// failing (transport down, timeout, malformed reply).
struct Reply {
  std::vector<XmlNode> data;  // <data> content for get/get-config, output nodes for RPCs
  std::vector<RpcError> errors;
  std::chrono::microseconds elapsed{0};

  bool ok() const { return errors.empty(); }
  std::string error_summary() const;
};

struct Notification {
  std::string event_time;
  XmlNode content;  // the notification's own element (e.g. <alarm-notif>)
};

// A module of the device, as ietf-yang-library lists it.
struct YangModule {
  std::string name;
  std::string revision;
  std::string ns;
  std::vector<std::string> features;
  bool implemented = true;
};

struct OperationTiming {
  std::string operation;
  std::chrono::microseconds elapsed;
};

enum class EditOperation { kMerge, kReplace, kNone };

// The configuration datastores of RFC 6241 (candidate: clause 8.3, startup: 8.7).
enum class Datastore { kRunning, kCandidate, kStartup };
std::string_view to_string(Datastore datastore);

// Capability URIs the client looks for in the device's <hello>.
inline constexpr const char* kCandidateCapability =
    "urn:ietf:params:netconf:capability:candidate:1.0";
inline constexpr const char* kWritableRunningCapability =
    "urn:ietf:params:netconf:capability:writable-running:1.0";
inline constexpr const char* kConfirmedCommitCapability =
    "urn:ietf:params:netconf:capability:confirmed-commit:1.1";
inline constexpr const char* kValidateCapability = "urn:ietf:params:netconf:capability:validate:1.1";
inline constexpr const char* kNotificationCapability =
    "urn:ietf:params:netconf:capability:notification:1.0";

class NetconfSession {
 public:
  ~NetconfSession();
  NetconfSession(const NetconfSession&) = delete;
  NetconfSession& operator=(const NetconfSession&) = delete;

  // Connects over SSH (or TLS, options.tls) and completes the <hello> exchange.
  static Result<std::unique_ptr<NetconfSession>> connect(const ConnectOptions& options);

  uint32_t session_id() const;
  std::vector<std::string> capabilities() const;
  // Whether the <hello> lists `uri` (ignoring any "?parameters" after it).
  bool has_capability(std::string_view uri) const;
  std::chrono::microseconds setup_time() const { return setup_time_; }

  Result<Reply> get(const Filter& filter = Filter::none());
  Result<Reply> get_config(const Filter& filter = Filter::none(),
                           Datastore source = Datastore::kRunning);
  // <test-option>test-then-set</test-option> is sent only to a device that advertises
  // :validate (RFC 6241 clause 8.6); others get no test-option at all.
  Result<Reply> edit_config(const std::string& config_xml,
                            EditOperation default_operation = EditOperation::kMerge,
                            Datastore target = Datastore::kRunning);
  // <commit> of the candidate (RFC 6241 clause 8.3); with `confirm_timeout`, a confirmed
  // commit (clause 8.4) that the device reverts unless confirmed by a plain commit in time.
  Result<Reply> commit(std::optional<std::chrono::seconds> confirm_timeout = std::nullopt);
  Result<Reply> discard_changes();
  Result<Reply> lock(Datastore target);
  Result<Reply> unlock(Datastore target);
  // Any other operation, given as its XML element (e.g. <supervision-watchdog-reset .../>).
  Result<Reply> rpc(const std::string& operation_xml);
  Result<Reply> subscribe(const std::string& stream = "NETCONF", const Filter& filter = {});
  // The next notification, or nullopt when none arrived within `timeout`.
  Result<std::optional<Notification>> next_notification(std::chrono::milliseconds timeout);

  Result<std::vector<YangModule>> yang_library();
  Result<std::string> get_schema(const std::string& identifier, const std::string& revision = "");

  Result<void> close();

  const Transcript& transcript() const { return transcript_; }
  std::vector<OperationTiming> timings() const { return timings_; }

  struct Impl;

 private:
  explicit NetconfSession(std::unique_ptr<Impl> impl);
  friend class CallHomeListener;
  std::unique_ptr<Impl> impl_;
  Transcript transcript_;
  std::vector<OperationTiming> timings_;
  std::chrono::microseconds setup_time_{0};
};

// Listens for an O-RU's call home (RFC 8071): the O-RU opens the TCP connection, the
// harness is still the SSH client. Port 0 picks a free port, readable with port().
class CallHomeListener {
 public:
  static Result<std::unique_ptr<CallHomeListener>> listen(const std::string& address, uint16_t port,
                                                          SshCredentials credentials);
  ~CallHomeListener();
  uint16_t port() const { return port_; }
  // The credentials the next accept() authenticates with (known after listening, when the
  // device names its account only as it agrees to call home).
  void set_credentials(SshCredentials credentials) { credentials_ = std::move(credentials); }
  Result<std::unique_ptr<NetconfSession>> accept(std::chrono::milliseconds timeout);

 private:
  CallHomeListener() = default;
  std::string address_;
  uint16_t port_ = 0;
  SshCredentials credentials_;
};

}  // namespace plugfest::management
