#include "vendors/sim/mplane/mplane_server.h"

#include <libnetconf2/log.h>
#include <libnetconf2/messages_server.h>
#include <libnetconf2/netconf.h>
#include <libnetconf2/session_server.h>
#include <libnetconf2/session_server_ch.h>
#include <libssh/libssh.h>
#include <libyang/libyang.h>
#include <libyang/plugins_types.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "interfaces/common/owned_temp_dir.h"
#include "interfaces/management/filter.h"
#include "interfaces/management/libyang_xml.h"
#include "interfaces/management/listening_socket.h"
#include "interfaces/management/netconf_log.h"
#include "interfaces/management/transcript.h"
#include "interfaces/management/yang_models.h"
#include "vendors/sim/mplane/mplane_datastore.h"
#include "vendors/sim/mplane/mplane_server_impl.h"

namespace plugfest::sim {
namespace {

using Clock = std::chrono::steady_clock;
using management::XmlNode;

constexpr const char* kEndpoint = "main";
constexpr const char* kTlsEndpoint = "tls";
constexpr const char* kCallHomeClient = "harness";

// Connections that may be in their handshake at once: each holds one acceptor until it has
// said <hello> or failed, which takes at most the SSH key exchange (libnetconf2's own
// 10 s) plus config.handshake_timeout for authentication and as much for <hello>. A client
// that stalls costs its own acceptor that long and delays nobody else.
constexpr int kAcceptors = 8;

uint16_t timeout_seconds(std::chrono::seconds timeout) {
  return static_cast<uint16_t>(std::clamp<std::chrono::seconds::rep>(timeout.count(), 1, 3600));
}
// Sessions whose RPCs are answered at the same time.
constexpr int kSessionWorkers = 4;

// libnetconf2's server is process-wide; its callbacks reach the running server here.
std::mutex g_active_mutex;
MplaneServer::Impl* g_active = nullptr;

std::string now_date_and_time(std::chrono::seconds ahead = std::chrono::seconds(0)) {
  return management::format_timestamp(std::chrono::system_clock::now() + ahead);
}

}  // namespace


namespace {

nc_server_reply* dispatch_rpc(lyd_node* rpc, nc_session* session) {
  // The active server outlives every session: stop() frees sessions before clearing it.
  return g_active ? g_active->handle(rpc, session)
                  : nc_server_reply_err(nc_err(LYD_CTX(rpc), NC_ERR_OP_FAILED, NC_ERR_TYPE_APP));
}

nc_server_reply* dispatch_get_schema(lyd_node* rpc, nc_session*) {
  return g_active->handle_get_schema(rpc);
}

// get-schema's <format> is an identityref, which XML qualifies with a namespace prefix
// declared in the message. Widely used clients (python3-ncclient) send "yang" in an element
// whose default namespace is not ietf-netconf-monitoring's, or "ietf-netconf-monitoring:yang"
// with the module name as prefix; servers in the field accept both. The format leaf's type
// therefore reads a value XML cannot resolve once more the way JSON does (unprefixed: the
// leaf's own module; prefixed: a module name). An identity that still does not resolve to
// a schema-format is refused as before.
lyplg_type_store_clb g_identityref_store = nullptr;
lyplg_type g_lenient_identityref{};

LY_ERR lenient_identityref_store(const ly_ctx* ctx, const lysc_type* type, const void* value,
                                 size_t value_len, uint32_t options, LY_VALUE_FORMAT format,
                                 void* prefix_data, uint32_t hints, const lysc_node* ctx_node,
                                 lyd_value* storage, lys_glob_unres* unres, ly_err_item** err) {
  // The plugin frees a dynamic value on failure: keep it for the second reading, free it here.
  const uint32_t kept = options & ~LYPLG_TYPE_STORE_DYNAMIC;
  LY_ERR result = g_identityref_store(ctx, type, value, value_len, kept, format, prefix_data,
                                      hints, ctx_node, storage, unres, err);
  if (result != LY_SUCCESS && format == LY_VALUE_XML) {
    ly_err_item* second_err = nullptr;
    if (g_identityref_store(ctx, type, value, value_len, kept, LY_VALUE_JSON, nullptr, hints,
                            ctx_node, storage, unres, &second_err) == LY_SUCCESS) {
      if (err && *err) ly_err_free(*err);
      if (err) *err = nullptr;
      result = LY_SUCCESS;
    } else {
      ly_err_free(second_err);
    }
  }
  if (options & LYPLG_TYPE_STORE_DYNAMIC) free(const_cast<void*>(value));
  return result;
}

void read_schema_format_leniently(ly_ctx* ctx) {
  const lysc_node* format =
      lys_find_path(ctx, nullptr, "/ietf-netconf-monitoring:get-schema/format", 0);
  if (!format || format->nodetype != LYS_LEAF) return;
  lysc_type* type = reinterpret_cast<const lysc_node_leaf*>(format)->type;
  if (!type || type->basetype != LY_TYPE_IDENT || !type->plugin) return;
  if (type->plugin != &g_lenient_identityref) {
    g_identityref_store = type->plugin->store;
    g_lenient_identityref = *type->plugin;
    g_lenient_identityref.store = lenient_identityref_store;
    type->plugin = &g_lenient_identityref;
  }
}

int password_check(const nc_session* session, const char* password, void*) {
  const char* name = nc_session_get_username(session);
  const MplaneUser* user = name ? g_active->user(name) : nullptr;
  if (!user || !password) return 1;
  if (g_active->has(MplaneFault::kWrongCredentialsAccepted)) return 0;
  return !user->password.empty() && user->password == password ? 0 : 1;
}

int public_key_check(const nc_session* session, ssh_key key, void*) {
  const char* name = nc_session_get_username(session);
  const MplaneUser* user = name ? g_active->user(name) : nullptr;
  if (!user || user->public_key.empty()) return 1;
  // "ssh-rsa AAAA... comment": the second field is the key.
  std::string line = user->public_key;
  auto first_space = line.find(' ');
  if (first_space == std::string::npos) return 1;
  std::string base64 = line.substr(first_space + 1);
  base64 = base64.substr(0, base64.find(' '));
  ssh_key known = nullptr;
  if (ssh_pki_import_pubkey_base64(base64.c_str(),
                                   ssh_key_type_from_name(line.substr(0, first_space).c_str()),
                                   &known) != SSH_OK) {
    return 1;
  }
  int differs = ssh_key_cmp(known, key, SSH_KEY_CMP_PUBLIC);
  ssh_key_free(known);
  return differs ? 1 : 0;
}

int host_key(const char*, void* user_data, char** privkey_path, char** privkey_data,
             NC_SSH_KEY_TYPE* privkey_type) {
  *privkey_path = strdup(static_cast<std::string*>(user_data)->c_str());
  *privkey_data = nullptr;
  *privkey_type = NC_SSH_KEY_UNKNOWN;
  return 0;
}

// The server's own folder (host key); those of simulators killed before they could remove
// theirs are swept first.
Result<std::string> make_temp_dir() {
  sweep_stale_temp_dirs("plugfest-mplane-");
  auto dir = make_owned_temp_dir("plugfest-mplane-");
  if (!dir) return dir.error();
  return dir->string();
}

Result<std::string> generate_host_key(const std::string& dir) {
  ssh_key key = nullptr;
  // Ed25519: generated in microseconds, where RSA takes a noticeable share of a start.
  if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK) {
    return Error{"cannot generate an Ed25519 host key", "libssh"};
  }
  std::string path = dir + "/ssh_host_ed25519_key";
  int rc = ssh_pki_export_privkey_file(key, nullptr, nullptr, nullptr, path.c_str());
  ssh_key_free(key);
  if (rc != SSH_OK) return Error{"cannot write the host key", path};
  return path;
}

// Listens on `endpoint` at `wanted` or, for 0, at a free port; the port, or 0.
uint16_t listen_on(const char* endpoint, const std::string& address, uint16_t wanted) {
  // libnetconf2 refuses port 0: pick a free one, and pick again if it was taken meanwhile.
  for (int attempt = 0; attempt < 5; ++attempt) {
    uint16_t port = wanted;
    if (port == 0) {
      auto free_port = management::pick_free_tcp_port(address);
      if (!free_port) return 0;
      port = *free_port;
    }
    if (nc_server_endpt_set_port(endpoint, port) == 0) return port;
    if (wanted != 0) return 0;
  }
  return 0;
}

// "04:aa:bb:..." (SHA-256), the fingerprint form libnetconf2's cert-to-name entries take.
Result<std::string> sha256_fingerprint(const std::string& pem_path) {
  FILE* file = std::fopen(pem_path.c_str(), "r");
  if (!file) return Error{"cannot read the certificate", pem_path};
  X509* certificate = PEM_read_X509(file, nullptr, nullptr, nullptr);
  std::fclose(file);
  if (!certificate) return Error{"not a PEM certificate", pem_path};
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const int ok = X509_digest(certificate, EVP_sha256(), digest, &length);
  X509_free(certificate);
  if (ok != 1) return Error{"cannot compute the SHA-256 fingerprint", pem_path};
  std::string out = "04";
  char byte[4];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(byte, sizeof byte, ":%02x", digest[i]);
    out += byte;
  }
  return out;
}

int server_certificate(const char*, void* user_data, char** cert_path, char** cert_data,
                       char** privkey_path, char** privkey_data, NC_SSH_KEY_TYPE* privkey_type) {
  const auto* tls = static_cast<const MplaneTlsConfig*>(user_data);
  *cert_path = strdup(tls->server_certificate_path.c_str());
  *cert_data = nullptr;
  *privkey_path = strdup(tls->server_key_path.c_str());
  *privkey_data = nullptr;
  *privkey_type = NC_SSH_KEY_UNKNOWN;
  return 0;
}

// Trusted client certificates beyond the CA: none. libnetconf2 refuses TLS clients when
// this callback is not set.
int no_trusted_certificates(const char*, void*, char*** cert_paths, int* cert_path_count,
                            char*** cert_data, int* cert_data_count) {
  *cert_paths = nullptr;
  *cert_path_count = 0;
  *cert_data = nullptr;
  *cert_data_count = 0;
  return 0;
}

}  // namespace

Result<std::unique_ptr<MplaneServer>> MplaneServer::start(MplaneServerConfig config) {
  std::lock_guard active_lock(g_active_mutex);
  if (g_active) return Error{"an M-plane server already runs in this process", "mplane"};
  if (config.users.empty()) return Error{"no M-plane users configured", "mplane.users"};
  for (const auto& user : config.users) {
    if (!is_nacm_group(user.group)) {
      return Error{"unknown NACM group '" + user.group + "' (sudo, nms, fm-pm or swm)",
                   "mplane.users." + user.name};
    }
  }
  management::install_netconf_log();
  auto impl = std::make_unique<Impl>();
  impl->config = std::move(config);
  auto store = MplaneDatastore::create(impl->config.yang_dir.empty()
                                           ? std::string(management::project_yang_dir())
                                           : impl->config.yang_dir,
                                       impl->config.faults, impl->config.users,
                                       impl->config.fronthaul_mac);
  if (!store) return store.error();
  impl->store = std::move(store.value());

  auto dir = make_temp_dir();
  if (!dir) return dir.error();
  impl->temp_dir = *dir;
  impl->host_key_path = impl->config.host_key_path;
  if (impl->host_key_path.empty()) {
    auto key = generate_host_key(impl->temp_dir);
    if (!key) return key.error();
    impl->host_key_path = *key;
  }

  ly_ctx* ctx = impl->store->context();
  // libnetconf2's own get-schema handler double-frees in this version: ours goes first.
  const lysc_node* get_schema =
      lys_find_path(ctx, nullptr, "/ietf-netconf-monitoring:get-schema", 0);
  if (get_schema) {
    const_cast<lysc_node*>(get_schema)->priv = reinterpret_cast<void*>(dispatch_get_schema);
  }
  read_schema_format_leniently(ctx);
  nc_set_global_rpc_clb(dispatch_rpc);
  if (nc_server_init(ctx) != 0) return Error{"libnetconf2 server initialisation failed", "mplane"};
  g_active = impl.get();
  // RFC 5277: create-subscription is served, and RPCs are answered while subscribed.
  if (!impl->has(MplaneFault::kNotificationNotAdvertised)) {
    nc_server_set_capability("urn:ietf:params:netconf:capability:notification:1.0");
    nc_server_set_capability("urn:ietf:params:netconf:capability:interleave:1.0");
  }

  auto fail = [&](const std::string& what) -> Result<std::unique_ptr<MplaneServer>> {
    g_active = nullptr;
    nc_server_destroy();
    std::filesystem::remove_all(impl->temp_dir);
    return Error{what, impl->config.listen_address + ":" + std::to_string(impl->config.port)};
  };
  nc_server_set_hello_timeout(timeout_seconds(impl->config.handshake_timeout));
  nc_server_ssh_set_hostkey_clb(host_key, &impl->host_key_path, nullptr);
  nc_server_ssh_set_passwd_auth_clb(password_check, nullptr, nullptr);
  nc_server_ssh_set_pubkey_auth_clb(public_key_check, nullptr, nullptr);
  if (nc_server_add_endpt(kEndpoint, NC_TI_LIBSSH) != 0 ||
      nc_server_ssh_endpt_add_hostkey(kEndpoint, "hostkey", -1) != 0 ||
      nc_server_ssh_endpt_set_auth_methods(kEndpoint,
                                           NC_SSH_AUTH_PASSWORD | NC_SSH_AUTH_PUBLICKEY) != 0 ||
      nc_server_ssh_endpt_set_auth_timeout(kEndpoint,
                                           timeout_seconds(impl->config.handshake_timeout)) != 0 ||
      nc_server_endpt_set_address(kEndpoint, impl->config.listen_address.c_str()) != 0) {
    return fail("cannot set up the NETCONF over SSH endpoint");
  }
  impl->port = listen_on(kEndpoint, impl->config.listen_address, impl->config.port);
  if (impl->port == 0) return fail("cannot listen for NETCONF over SSH");
  if (const auto& tls = impl->config.tls) {
    auto fingerprint = sha256_fingerprint(tls->client_ca_path);
    if (!fingerprint) {
      nc_server_del_endpt(kEndpoint, NC_TI_LIBSSH);
      return fail("TLS client CA: " + fingerprint.error().message);
    }
    nc_server_tls_set_server_cert_clb(server_certificate, &*impl->config.tls, nullptr);
    nc_server_tls_set_trusted_cert_list_clb(no_trusted_certificates, nullptr, nullptr);
    if (nc_server_add_endpt(kTlsEndpoint, NC_TI_OPENSSL) != 0 ||
        nc_server_endpt_set_address(kTlsEndpoint, impl->config.listen_address.c_str()) != 0 ||
        nc_server_tls_endpt_set_server_cert(kTlsEndpoint, "server") != 0 ||
        nc_server_tls_endpt_set_trusted_ca_paths(kTlsEndpoint, tls->client_ca_path.c_str(),
                                                 nullptr) != 0 ||
        nc_server_tls_endpt_add_ctn(kTlsEndpoint, 1, fingerprint->c_str(), NC_TLS_CTN_COMMON_NAME,
                                    nullptr) != 0 ||
        (impl->tls_port = listen_on(kTlsEndpoint, impl->config.listen_address, tls->port)) == 0) {
      nc_server_del_endpt(kTlsEndpoint, NC_TI_OPENSSL);
      nc_server_del_endpt(kEndpoint, NC_TI_LIBSSH);
      return fail("cannot listen for NETCONF over TLS");
    }
  }

  impl->poll = nc_ps_new();
  if (impl->config.call_home) {
    if (auto called = impl->start_call_home(*impl->config.call_home); !called) {
      if (impl->calling_home) nc_server_ch_del_client(kCallHomeClient);
      nc_ps_free(impl->poll);
      return fail(called.error().message);
    }
  }
  Impl* raw = impl.get();
  for (int i = 0; i < kSessionWorkers; ++i) {
    impl->session_workers.emplace_back([raw] { raw->serve_sessions(); });
  }
  impl->housekeeping = std::thread([raw] { raw->keep_house(); });
  for (int i = 0; i < kAcceptors; ++i) {
    impl->acceptors.emplace_back([raw] { raw->accept_connections(); });
  }
  return std::unique_ptr<MplaneServer>(new MplaneServer(std::move(impl)));
}

Result<void> MplaneServer::Impl::start_call_home(const CallHomeTarget& target) {
  if (calling_home) nc_server_ch_del_client(kCallHomeClient);
  calling_home = false;
  if (has(MplaneFault::kCallHomeIgnored)) return {};
  if (nc_server_ch_add_client(kCallHomeClient) != 0) {
    return Error{"cannot add the call-home client", "mplane.call-home"};
  }
  calling_home = true;
  if (nc_server_ch_client_add_endpt(kCallHomeClient, kEndpoint, NC_TI_LIBSSH) != 0 ||
      nc_server_ch_client_endpt_set_address(kCallHomeClient, kEndpoint, target.host.c_str()) != 0 ||
      nc_server_ch_client_endpt_set_port(kCallHomeClient, kEndpoint, target.port) != 0 ||
      nc_server_ssh_ch_client_endpt_add_hostkey(kCallHomeClient, kEndpoint, "hostkey", -1) != 0 ||
      nc_server_ssh_ch_client_endpt_set_auth_methods(
          kCallHomeClient, kEndpoint, NC_SSH_AUTH_PASSWORD | NC_SSH_AUTH_PUBLICKEY) != 0 ||
      nc_server_ssh_ch_client_endpt_set_auth_timeout(
          kCallHomeClient, kEndpoint, timeout_seconds(config.handshake_timeout)) != 0 ||
      nc_server_ch_client_set_conn_type(kCallHomeClient, NC_CH_PERSIST) != 0 ||
      nc_connect_ch_client_dispatch(kCallHomeClient, [](const char*, nc_session* session) {
        std::lock_guard lock(g_active->mutex);
        return nc_ps_add_session(g_active->poll, session);
      }) != 0) {
    return Error{"cannot configure call home to " + target.host + ":" + std::to_string(target.port),
                 "mplane.call-home"};
  }
  return {};
}

Result<void> MplaneServer::call_home(const std::optional<CallHomeTarget>& target) {
  std::lock_guard active_lock(g_active_mutex);
  if (target) return impl_->start_call_home(*target);
  if (impl_->calling_home) nc_server_ch_del_client(kCallHomeClient);
  impl_->calling_home = false;
  return {};
}

MplaneServer::MplaneServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MplaneServer::~MplaneServer() { stop(); }

uint16_t MplaneServer::port() const { return impl_->port; }
uint16_t MplaneServer::tls_port() const { return impl_->tls_port; }

void MplaneServer::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->stopping = true;
  for (auto& thread : impl_->acceptors) thread.join();
  for (auto& thread : impl_->session_workers) thread.join();
  if (impl_->housekeeping.joinable()) impl_->housekeeping.join();
  for (nc_session* session : impl_->ended) nc_session_free(session, nullptr);
  impl_->ended.clear();
  std::lock_guard active_lock(g_active_mutex);
  if (impl_->calling_home) nc_server_ch_del_client(kCallHomeClient);
  impl_->calling_home = false;
  nc_ps_clear(impl_->poll, 1, nullptr);
  nc_ps_free(impl_->poll);
  impl_->poll = nullptr;
  nc_server_del_endpt(kEndpoint, NC_TI_LIBSSH);
  if (impl_->tls_port != 0) nc_server_del_endpt(kTlsEndpoint, NC_TI_OPENSSL);
  nc_server_destroy();
  g_active = nullptr;
  std::error_code ignored;
  std::filesystem::remove_all(impl_->temp_dir, ignored);
}

void MplaneServer::raise_alarm(uint16_t fault_id, const std::string& fault_source,
                               const std::string& severity, const std::string& text) {
  std::lock_guard lock(impl_->mutex);
  impl_->raise_alarm_locked(fault_id, fault_source, severity, text);
}

std::vector<ActiveCarrier> MplaneServer::active_carriers() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->store->active_carriers();
}

// One acceptor. libnetconf2 lets one of them wait for a connection at a time (the others
// wait on its lock, costing no CPU) and releases that lock once it has taken one, so the
// next acceptor listens while this one takes the connection through its handshake.
void MplaneServer::Impl::accept_connections() {
  while (!stopping) {
    nc_session* fresh = nullptr;
    NC_MSG_TYPE accepted = nc_accept(50, &fresh);
    if (accepted == NC_MSG_HELLO && fresh) {
      std::lock_guard lock(mutex);
      nc_ps_add_session(poll, fresh);
    } else if (fresh) {
      nc_session_free(fresh, nullptr);
    }
  }
}

// One of the workers that answer RPCs: libnetconf2 hands each a session with a request
// waiting, so a slow request holds up its own session only. An ended session leaves the
// poll set here and is freed by the housekeeping thread, the one that sends notifications
// to sessions, so no session is freed while a notification is written to it.
void MplaneServer::Impl::serve_sessions() {
  while (!stopping) {
    nc_session* polled = nullptr;
    int result = nc_ps_poll(poll, 20, &polled);
    if (result & (NC_PSPOLL_SESSION_TERM | NC_PSPOLL_SESSION_ERROR)) {
      if (polled) {
        std::lock_guard lock(mutex);
        forget_session_locked(polled);
        nc_ps_del_session(poll, polled);
        ended.push_back(polled);
      }
    }
    if (result & NC_PSPOLL_NOSESSIONS) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void MplaneServer::Impl::keep_house() {
  while (!stopping) {
    check_watchdog();
    send_notifications();
    std::vector<nc_session*> to_free;
    {
      std::lock_guard lock(mutex);
      to_free.swap(ended);
    }
    for (nc_session* session : to_free) nc_session_free(session, nullptr);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

nc_server_reply* MplaneServer::Impl::handle(lyd_node* rpc, nc_session* session) {
  std::unique_lock lock(mutex);
  ly_ctx* ctx = store->context();
  if (has(MplaneFault::kRefuseAllRpcs)) return unrelated_refusal(ctx);
  std::string name = rpc_name(rpc);
  std::string group = group_of(session);
  if (!has(MplaneFault::kRoleEscalationAllowed) && !nacm_may_execute(group, name)) {
    return error_reply(ctx, NC_ERR_ACCESS_DENIED, NC_ERR_TYPE_APP,
                       "group '" + group + "' may not execute " + name);
  }
  if (name == "ietf-netconf:get") return handle_get(rpc, session, false, lock);
  if (name == "ietf-netconf:get-config") return handle_get(rpc, session, true, lock);
  if (name == "ietf-netconf:edit-config") return handle_edit(rpc, session);
  if (name == "ietf-netconf:lock") return handle_lock(rpc, session, true);
  if (name == "ietf-netconf:unlock") return handle_lock(rpc, session, false);
  if (name == "ietf-netconf:kill-session") return handle_kill_session(rpc, session);
  if (name == "notifications:create-subscription") {
    if (has(MplaneFault::kNotificationNotAdvertised)) {
      return error_reply(ctx, NC_ERR_OP_NOT_SUPPORTED, NC_ERR_TYPE_PROT,
                         "this O-RU does not offer notifications (no :notification:1.0)");
    }
    if (has(MplaneFault::kSubscriptionRefused)) {
      return error_reply(ctx, NC_ERR_OP_FAILED, NC_ERR_TYPE_APP, "subscriptions are unavailable");
    }
    if (!child_value(rpc, "startTime").empty()) {
      return error_reply(ctx, NC_ERR_OP_NOT_SUPPORTED, NC_ERR_TYPE_PROT, "replay is not supported");
    }
    std::string stream = child_value(rpc, "stream");
    if (!stream.empty() && stream != "NETCONF") {
      return error_reply(ctx, NC_ERR_INVALID_VALUE, NC_ERR_TYPE_APP,
                         "unknown stream '" + stream + "' (only NETCONF)");
    }
    if (subscribers.count(session)) {
      return error_reply(ctx, NC_ERR_IN_USE, NC_ERR_TYPE_PROT,
                         "this session already has a subscription");
    }
    subscribers.insert(session);
    nc_session_inc_notif_status(session);
    return nc_server_reply_ok();
  }
  if (name == "o-ran-supervision:supervision-watchdog-reset") return handle_watchdog_reset(rpc);
  return error_reply(ctx, NC_ERR_OP_NOT_SUPPORTED, NC_ERR_TYPE_PROT,
                     name + " is not supported by this O-RU");
}

nc_server_reply* MplaneServer::Impl::handle_watchdog_reset(lyd_node* rpc) {
  std::string interval_text = child_value(rpc, "supervision-notification-interval");
  std::string guard_text = child_value(rpc, "guard-timer-overhead");
  auto interval = std::chrono::seconds(interval_text.empty() ? 60 : std::stoi(interval_text));
  auto guard = std::chrono::seconds(guard_text.empty() ? 10 : std::stoi(guard_text));
  auto now = Clock::now();
  notification_interval = interval;
  next_supervision_notification = now + interval;
  watchdog_deadline = now + interval + guard;
  lyd_node* output = nullptr;
  lyd_dup_single(rpc, nullptr, 0, &output);
  const auto next = has(MplaneFault::kNextUpdateAtStale) ? std::chrono::seconds(0) : interval;
  lyd_new_term(output, nullptr, "next-update-at", now_date_and_time(next).c_str(), 1, nullptr);
  return nc_server_reply_data(output, NC_WD_EXPLICIT, NC_PARAMTYPE_FREE);
}

nc_server_reply* MplaneServer::Impl::handle_get_schema(lyd_node* rpc) {
  std::lock_guard lock(mutex);
  ly_ctx* ctx = store->context();
  std::string identifier = child_value(rpc, "identifier");
  std::string version = child_value(rpc, "version");
  // The identity, resolved ("ietf-netconf-monitoring:yang" however the client spelt it).
  std::string format = child_value(rpc, "format");
  if (!format.empty() && format != "ietf-netconf-monitoring:yang") {
    return error_reply(ctx, NC_ERR_INVALID_VALUE, NC_ERR_TYPE_APP, "only the yang format is served",
                       "/ietf-netconf-monitoring:get-schema/format");
  }
  const lys_module* module = version.empty()
                                 ? ly_ctx_get_module_implemented(ctx, identifier.c_str())
                                 : ly_ctx_get_module(ctx, identifier.c_str(), version.c_str());
  if (!module && version.empty()) module = ly_ctx_get_module_latest(ctx, identifier.c_str());
  if (!module) {
    return error_reply(ctx, NC_ERR_INVALID_VALUE, NC_ERR_TYPE_APP,
                       "no schema '" + identifier + (version.empty() ? "" : "@" + version) + "'",
                       "/ietf-netconf-monitoring:get-schema/identifier");
  }
  char* text = nullptr;
  lys_print_mem(&text, module, LYS_OUT_YANG, 0);
  lyd_node* output = nullptr;
  lyd_dup_single(rpc, nullptr, 0, &output);
  lyd_new_any(output, nullptr, "data", text, 1, LYD_ANYDATA_STRING, 1, nullptr);
  return nc_server_reply_data(output, NC_WD_EXPLICIT, NC_PARAMTYPE_FREE);
}

void MplaneServer::Impl::check_watchdog() {
  std::lock_guard lock(mutex);
  auto now = Clock::now();
  if (next_supervision_notification && now >= *next_supervision_notification) {
    pending_notifications.push_back(
        "<supervision-notification xmlns=\"urn:o-ran:supervision:1.0\"/>");
    *next_supervision_notification += notification_interval;
  }
  if (!watchdog_deadline || now < *watchdog_deadline || has(MplaneFault::kWatchdogIgnored)) return;
  // Supervision lost (O-RAN WG4 M-plane, supervision failure): stop radiating.
  watchdog_deadline.reset();
  next_supervision_notification.reset();
  store->deactivate_all_carriers();
  raise_alarm_locked(26, "o-ru", "MAJOR", "Supervision watchdog expired: carriers deactivated");
  publish_carriers_locked();
}

void MplaneServer::Impl::raise_alarm_locked(uint16_t fault_id, const std::string& source,
                                            const std::string& severity, const std::string& text) {
  if (has(MplaneFault::kAlarmNeverRaised)) return;
  auto alarm = store->add_active_alarm(fault_id, source, severity, text, now_date_and_time());
  if (alarm) pending_notifications.push_back(*alarm);
}

void MplaneServer::Impl::publish_carriers_locked() {
  auto carriers = store->active_carriers();
  if (carriers == last_carriers) return;
  last_carriers = carriers;
  if (config.on_carriers_changed) config.on_carriers_changed(carriers);
}

void MplaneServer::Impl::send_notifications() {
  std::vector<std::string> batch;
  std::vector<nc_session*> targets;
  {
    std::lock_guard lock(mutex);
    batch.swap(pending_notifications);
    targets.assign(subscribers.begin(), subscribers.end());
  }
  if (batch.empty() || targets.empty()) return;
  ly_ctx* ctx = store->context();
  for (const auto& xml : batch) {
    ly_in* in = nullptr;
    ly_in_new_memory(xml.c_str(), &in);
    lyd_node* tree = nullptr;
    LY_ERR parsed = lyd_parse_op(ctx, nullptr, in, LYD_XML, LYD_TYPE_NOTIF_YANG, &tree, nullptr);
    ly_in_free(in, 0);
    if (parsed != LY_SUCCESS) continue;
    std::string time = now_date_and_time();
    nc_server_notif* notif = nc_server_notif_new(tree, time.data(), NC_PARAMTYPE_DUP_AND_FREE);
    for (nc_session* session : targets) nc_server_notif_send(session, notif, 1000);
    nc_server_notif_free(notif);
    lyd_free_all(tree);
  }
}

}  // namespace plugfest::sim
