#pragma once
// MplaneServer::Impl: the simulated O-RU's server state, shared by the file that runs
// the server (mplane_server.cpp) and the one that answers the NETCONF operations
// (mplane_operations.cpp). Private to this folder.

#include <libnetconf2/messages_server.h>
#include <libnetconf2/session_server.h>
#include <libyang/libyang.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "vendors/sim/mplane/mplane_datastore.h"
#include "vendors/sim/mplane/mplane_server.h"

namespace plugfest::sim {

nc_server_reply* error_reply(const ly_ctx* ctx, NC_ERR tag, NC_ERR_TYPE type,
                             const std::string& message, const std::string& path = "");
// The refuse-all-rpcs fault's answer: an error that has nothing to do with the request,
// so a case that takes any rpc-error for the refusal it expects is caught.
nc_server_reply* unrelated_refusal(const ly_ctx* ctx);
std::string rpc_name(const lyd_node* rpc);  // "module:name"
const lyd_node* child_named(const lyd_node* parent, std::string_view name);
std::string child_value(const lyd_node* parent, std::string_view name);

struct MplaneServer::Impl {
  MplaneServerConfig config;
  std::unique_ptr<MplaneDatastore> store;
  std::string temp_dir;
  std::string host_key_path;
  uint16_t port = 0;
  uint16_t tls_port = 0;
  nc_pollsession* poll = nullptr;
  // New connections: each acceptor takes one connection through its SSH or TLS handshake,
  // authentication and <hello>, so a client that stalls there holds up one acceptor only.
  std::vector<std::thread> acceptors;
  std::vector<std::thread> session_workers;  // RPCs, one session at a time each
  std::thread housekeeping;                  // watchdog, notifications, freeing ended sessions
  std::atomic<bool> stopping{false};
  bool stopped = false;

  std::mutex mutex;  // guards everything below and the datastore
  std::set<nc_session*> subscribers;
  std::vector<nc_session*> ended;  // out of the poll set, freed by the housekeeping thread
  std::vector<std::string> pending_notifications;  // XML, sent by the server thread
  std::optional<std::chrono::steady_clock::time_point> watchdog_deadline;
  std::optional<std::chrono::steady_clock::time_point> next_supervision_notification;
  std::chrono::seconds notification_interval{60};
  std::vector<ActiveCarrier> last_carriers;
  bool calling_home = false;  // guarded by g_active_mutex
  std::map<std::string, uint32_t> locks;  // datastore ("running") -> the session holding it

  bool has(MplaneFault fault) const { return config.faults.count(fault) != 0; }
  const MplaneUser* user(const std::string& name) const {
    for (const auto& candidate : config.users) {
      if (candidate.name == name) return &candidate;
    }
    return nullptr;
  }
  std::string group_of(const nc_session* session) const {
    const char* name = nc_session_get_username(session);
    const MplaneUser* found = name ? user(name) : nullptr;
    return found ? found->group : "";
  }

  void serve_sessions();
  void keep_house();
  void accept_connections();
  // Dials `target` (RFC 8071 over SSH) and keeps calling it home while this server runs;
  // a previous target is dropped.
  Result<void> start_call_home(const CallHomeTarget& target);
  nc_server_reply* handle(lyd_node* rpc, nc_session* session);
  // Evaluates the filter with `lock` released: a costly read holds up no other session.
  nc_server_reply* handle_get(lyd_node* rpc, nc_session* session, bool config_only,
                              std::unique_lock<std::mutex>& lock);
  nc_server_reply* handle_edit(lyd_node* rpc, nc_session* session);
  nc_server_reply* handle_lock(lyd_node* rpc, nc_session* session, bool lock);
  bool serves_datastore(const std::string& datastore) const;
  // An operation-not-supported refusal (error-path the datastore's node in `rpc`) when
  // `datastore` is not one this O-RU serves.
  nc_server_reply* refuse_unserved_datastore(const std::string& rpc, const std::string& datastore);
  // An in-use refusal when `datastore` is locked by a session other than `session`.
  nc_server_reply* refuse_if_locked(const std::string& datastore, const nc_session* session);
  nc_server_reply* handle_kill_session(lyd_node* rpc, nc_session* session);
  // What a session held ends with it (locks, its subscription).
  void forget_session_locked(nc_session* session);
  nc_server_reply* handle_watchdog_reset(lyd_node* rpc);
  nc_server_reply* handle_get_schema(lyd_node* rpc);
  void send_notifications();
  void check_watchdog();
  void publish_carriers_locked();
  void raise_alarm_locked(uint16_t fault_id, const std::string& source, const std::string& severity,
                          const std::string& text);
};

}  // namespace plugfest::sim
