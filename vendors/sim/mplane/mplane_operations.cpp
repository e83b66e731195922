// The simulated O-RU's answers to the NETCONF operations of RFC 6241 on its datastores:
// get, get-config, edit-config, lock, unlock and kill-session.
#include <cstdlib>
#include <iterator>

#include "interfaces/management/filter.h"
#include "interfaces/management/libyang_xml.h"
#include "vendors/sim/mplane/mplane_server_impl.h"

namespace plugfest::sim {

nc_server_reply* error_reply(const ly_ctx* ctx, NC_ERR tag, NC_ERR_TYPE type,
                             const std::string& message, const std::string& path) {
  lyd_node* error = nc_err(ctx, tag, type);
  nc_err_set_msg(error, message.c_str(), "en");
  if (!path.empty()) nc_err_set_path(error, path.c_str());
  return nc_server_reply_err(error);
}

nc_server_reply* unrelated_refusal(const ly_ctx* ctx) {
  return error_reply(ctx, NC_ERR_OP_FAILED, NC_ERR_TYPE_APP,
                     "the O-RU is busy (injected fault: every request is refused)");
}

std::string rpc_name(const lyd_node* rpc) {
  return std::string(rpc->schema->module->name) + ":" + rpc->schema->name;
}

const lyd_node* child_named(const lyd_node* parent, std::string_view name) {
  for (const lyd_node* child = lyd_child(parent); child; child = child->next) {
    if (child->schema && name == child->schema->name) return child;
  }
  return nullptr;
}

std::string child_value(const lyd_node* parent, std::string_view name) {
  const lyd_node* child = child_named(parent, name);
  return child && child->schema->nodetype & LYD_NODE_TERM ? lyd_get_value(child) : "";
}

namespace {

// The datastore named in an operation's <target> or <source> ("running", "candidate").
std::string datastore_in(const lyd_node* rpc, std::string_view container) {
  const lyd_node* holder = child_named(rpc, container);
  const lyd_node* chosen = holder ? lyd_child(holder) : nullptr;
  return chosen && chosen->schema ? chosen->schema->name : "";
}

}  // namespace

nc_server_reply* MplaneServer::Impl::handle_get(lyd_node* rpc, nc_session* session,
                                                bool config_only,
                                                std::unique_lock<std::mutex>& lock) {
  ly_ctx* ctx = store->context();
  if (config_only) {
    if (auto* refused = refuse_unserved_datastore("get-config", datastore_in(rpc, "source"))) {
      return refused;
    }
  }
  const lyd_node* filter_node = child_named(rpc, "filter");
  management::Filter filter;
  if (filter_node) {
    const lyd_meta* type = lyd_find_meta(filter_node->meta, nullptr, "ietf-netconf:type");
    const lyd_meta* select = lyd_find_meta(filter_node->meta, nullptr, "ietf-netconf:select");
    if ((type && std::string_view(lyd_get_meta_value(type)) == "xpath") || (!type && select)) {
      if (!select) {
        return error_reply(ctx, NC_ERR_MISSING_ATTR, NC_ERR_TYPE_PROT,
                           "xpath filter without select");
      }
      filter = management::Filter::xpath(lyd_get_meta_value(select));
    } else if (!has(MplaneFault::kSubtreeFilterIgnored)) {
      filter = management::Filter::subtree(
          management::to_xml(management::xml_from_libyang(filter_node).children));
    }
  }
  if (!config_only) {
    store->set_rx_window_counts(config.rx_window_counts ? config.rx_window_counts()
                                                        : std::nullopt);
  }
  lyd_node* snapshot = store->snapshot(config_only, group_of(session));
  lock.unlock();
  auto data = store->filtered(snapshot, filter);
  if (!data) {
    // A filter beyond the per-request bound: the O-RU declines the work (RFC 6241
    // resource-denied); a malformed one is a bad value of <filter>.
    const bool costly = data.error().message.rfind("too costly", 0) == 0;
    return error_reply(ctx, costly ? NC_ERR_RES_DENIED : NC_ERR_INVALID_VALUE,
                       costly ? NC_ERR_TYPE_APP : NC_ERR_TYPE_PROT, data.error().message,
                       data.error().where);
  }
  lyd_node* output = nullptr;
  lyd_dup_single(rpc, nullptr, 0, &output);
  lyd_new_any(output, nullptr, "data", *data, 1, LYD_ANYDATA_DATATREE, 1, nullptr);
  return nc_server_reply_data(output, NC_WD_EXPLICIT, NC_PARAMTYPE_FREE);
}


// The datastores this O-RU serves follow what its <hello> says: libnetconf2 advertises
// :candidate and :startup from the ietf-netconf features of the context, so a datastore
// is served exactly when its feature is enabled (running always is).
bool MplaneServer::Impl::serves_datastore(const std::string& datastore) const {
  if (datastore == "running") return true;
  if (datastore != "candidate" && datastore != "startup") return false;
  const lys_module* netconf = ly_ctx_get_module_implemented(store->context(), "ietf-netconf");
  return netconf && lys_feature_value(netconf, datastore.c_str()) == LY_SUCCESS;
}

nc_server_reply* MplaneServer::Impl::refuse_unserved_datastore(const std::string& rpc,
                                                               const std::string& datastore) {
  if (serves_datastore(datastore)) return nullptr;
  const std::string container = rpc == "get-config" ? "source" : "target";
  lyd_node* error = nc_err(store->context(), NC_ERR_OP_NOT_SUPPORTED, NC_ERR_TYPE_PROT);
  nc_err_set_msg(error,
                 ("this O-RU has no " + datastore + " datastore (its <hello> does not advertise :" +
                  datastore + ")")
                     .c_str(),
                 "en");
  nc_err_set_path(error, ("/ietf-netconf:" + rpc + "/" + container + "/" + datastore).c_str());
  return nc_server_reply_err(error);
}

nc_server_reply* MplaneServer::Impl::refuse_if_locked(const std::string& datastore,
                                                      const nc_session* session) {
  auto held = locks.find(datastore);
  if (held == locks.end() || held->second == nc_session_get_id(session)) return nullptr;
  return error_reply(store->context(), NC_ERR_IN_USE, NC_ERR_TYPE_PROT,
                     "the " + datastore + " datastore is locked by session " +
                         std::to_string(held->second));
}

// RFC 6241 7.5 / 7.6: one session at a time holds a datastore's lock; the others may
// neither lock it nor change it until it is released (by unlock or the session's end).
nc_server_reply* MplaneServer::Impl::handle_lock(lyd_node* rpc, nc_session* session, bool lock) {
  ly_ctx* ctx = store->context();
  const std::string datastore = datastore_in(rpc, "target");
  const uint32_t id = nc_session_get_id(session);
  if (auto* refused = refuse_unserved_datastore(lock ? "lock" : "unlock", datastore)) {
    return refused;
  }
  auto held = locks.find(datastore);
  if (lock) {
    if (held != locks.end()) {
      lyd_node* error = nc_err(ctx, NC_ERR_LOCK_DENIED, held->second);
      nc_err_set_msg(error,
                     ("the " + datastore + " datastore is already locked by session " +
                      std::to_string(held->second))
                         .c_str(),
                     "en");
      return nc_server_reply_err(error);
    }
    locks[datastore] = id;
    return nc_server_reply_ok();
  }
  if (held == locks.end() || held->second != id) {
    return error_reply(ctx, NC_ERR_OP_FAILED, NC_ERR_TYPE_PROT,
                       "this session holds no lock on the " + datastore + " datastore");
  }
  locks.erase(held);
  return nc_server_reply_ok();
}

// RFC 6241 7.9: the other session ends at once, its locks released; the server thread
// frees it at its next poll.
nc_server_reply* MplaneServer::Impl::handle_kill_session(lyd_node* rpc, nc_session* session) {
  ly_ctx* ctx = store->context();
  const std::string wanted = child_value(rpc, "session-id");
  const uint32_t own = nc_session_get_id(session);
  if (wanted == std::to_string(own)) {
    return error_reply(ctx, NC_ERR_INVALID_VALUE, NC_ERR_TYPE_PROT,
                       "a session cannot kill itself (use close-session)",
                       "/ietf-netconf:kill-session/session-id");
  }
  for (uint16_t i = 0;; ++i) {
    nc_session* victim = nc_ps_get_session(poll, i);
    if (!victim) break;
    if (std::to_string(nc_session_get_id(victim)) != wanted) continue;
    forget_session_locked(victim);
    nc_session_set_term_reason(victim, NC_SESSION_TERM_KILLED);
    nc_session_set_killed_by(victim, own);
    nc_session_set_status(victim, NC_STATUS_INVALID);
    return nc_server_reply_ok();
  }
  return error_reply(ctx, NC_ERR_INVALID_VALUE, NC_ERR_TYPE_PROT,
                     "no session " + wanted + " on this O-RU",
                     "/ietf-netconf:kill-session/session-id");
}

void MplaneServer::Impl::forget_session_locked(nc_session* session) {
  subscribers.erase(session);
  const uint32_t id = nc_session_get_id(session);
  for (auto it = locks.begin(); it != locks.end();) {
    it = it->second == id ? locks.erase(it) : std::next(it);
  }
}

nc_server_reply* MplaneServer::Impl::handle_edit(lyd_node* rpc, nc_session* session) {
  ly_ctx* ctx = store->context();
  // S2: an edit of a datastore the <hello> does not advertise is refused, never applied
  // to running.
  const std::string target = datastore_in(rpc, "target");
  if (auto* refused = refuse_unserved_datastore("edit-config", target)) return refused;
  if (auto* refused = refuse_if_locked(target, session)) return refused;
  const lyd_node* config_node = child_named(rpc, "config");
  if (!config_node) {
    return error_reply(ctx, NC_ERR_MISSING_ELEM, NC_ERR_TYPE_PROT, "edit-config without <config>");
  }
  char* text = nullptr;
  lyd_any_value_str(config_node, &text);
  std::string config_xml = text ? text : "";
  free(text);
  std::string default_operation = child_value(rpc, "default-operation");
  auto outcome = store->edit(config_xml, default_operation.empty() ? "merge" : default_operation,
                             group_of(session));
  if (!outcome) {
    const auto& error = outcome.error();
    auto quoted = [&](std::size_t from) {
      const auto open = error.message.find('"', from);
      const auto close = error.message.find('"', open + 1);
      return error.message.substr(open + 1, close - open - 1);
    };
    if (error.message.rfind("unknown element", 0) == 0) {
      lyd_node* unknown = nc_err(ctx, NC_ERR_UNKNOWN_ELEM, NC_ERR_TYPE_APP, quoted(0).c_str());
      nc_err_set_msg(unknown, error.message.c_str(), "en");
      nc_err_set_path(unknown, error.where.c_str());
      return nc_server_reply_err(unknown);
    }
    if (error.message.rfind("unknown namespace", 0) == 0) {
      const std::string ns = quoted(0);
      const auto element_at = error.message.find("of element");
      lyd_node* unknown = nc_err(ctx, NC_ERR_UNKNOWN_NS, NC_ERR_TYPE_APP,
                                 quoted(element_at).c_str(), ns.c_str());
      nc_err_set_msg(unknown, error.message.c_str(), "en");
      nc_err_set_path(unknown, error.where.c_str());
      return nc_server_reply_err(unknown);
    }
    NC_ERR tag = NC_ERR_INVALID_VALUE;
    if (error.message.rfind("access denied", 0) == 0) tag = NC_ERR_ACCESS_DENIED;
    if (error.message.rfind("data exists", 0) == 0) tag = NC_ERR_DATA_EXISTS;
    if (error.message.rfind("data missing", 0) == 0) tag = NC_ERR_DATA_MISSING;
    return error_reply(ctx, tag, NC_ERR_TYPE_APP, error.message, error.where);
  }
  publish_carriers_locked();
  return nc_server_reply_ok();
}

}  // namespace plugfest::sim
