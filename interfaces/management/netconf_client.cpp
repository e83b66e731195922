#include "interfaces/management/netconf_client.h"

#include <libnetconf2/log.h>
#include <libnetconf2/messages_client.h>
#include <libnetconf2/netconf.h>
#include <libnetconf2/session_client.h>
#include <libnetconf2/session_client_ch.h>
#include <libyang/libyang.h>

#include <cstring>
#include <mutex>

#include "interfaces/management/libyang_xml.h"
#include "interfaces/management/listening_socket.h"
#include "interfaces/management/netconf_log.h"

namespace plugfest::management {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kBaseNs = "urn:ietf:params:xml:ns:netconf:base:1.0";
constexpr const char* kYangLibraryNs = "urn:ietf:params:xml:ns:yang:ietf-yang-library";

void init_client_library() {
  static std::once_flag once;
  std::call_once(once, [] {
    install_netconf_log();
    nc_client_init();
  });
}

// The whole chain of library errors since the operation began, oldest (the cause) first.
std::string library_error(const std::string& fallback) { return take_netconf_error(fallback); }

// Puts what libnetconf2 showed of the messages of one call into the transcript, in wire
// order. A message it did not show (debug verbosity lowered by someone else, or a message
// that never completed) is said to be missing, and `built` (what the client asked the
// library to send) is recorded in its place, marked as such.
// Returns how many messages the library showed.
std::size_t record_wire(Transcript& transcript, WireCapture& capture,
                        const std::string& built_sent, bool expect_received) {
  std::size_t shown = 0;
  bool any_sent = false, any_received = false;
  for (auto& message : capture.take()) {
    (message.sent ? any_sent : any_received) = true;
    ++shown;
    transcript.add(message.sent ? TranscriptDirection::kSent : TranscriptDirection::kReceived,
                   std::move(message.text), message.at);
  }
  if (!built_sent.empty() && !any_sent) {
    transcript.add(TranscriptDirection::kEvent,
                   "libnetconf2 did not show the request it sent; the request as the client "
                   "built it follows, not the bytes on the wire");
    transcript.add(TranscriptDirection::kSent, built_sent);
  }
  if (expect_received && !any_received) {
    transcript.add(TranscriptDirection::kEvent,
                   "libnetconf2 showed no message received for this operation");
  }
  return shown;
}

char* password_callback(const char*, const char*, void* priv) {
  return strdup(static_cast<const std::string*>(priv)->c_str());
}

// The lab bench decides which devices are trusted; the host key is accepted and its
// check left to the bench's own policy.
int accept_host_key(const char*, ssh_session, void*) { return 0; }

// Applies the credentials to this thread's libnetconf2 client options. The password
// string must outlive the connection attempt.
void apply_credentials(const SshCredentials& credentials, const std::string* password,
                       bool call_home) {
  auto set_pref = call_home ? nc_client_ssh_ch_set_auth_pref : nc_client_ssh_set_auth_pref;
  auto key_count = call_home ? nc_client_ssh_ch_get_keypair_count : nc_client_ssh_get_keypair_count;
  auto del_key = call_home ? nc_client_ssh_ch_del_keypair : nc_client_ssh_del_keypair;
  while (key_count() > 0) del_key(0);
  bool use_key = !credentials.private_key_path.empty();
  set_pref(NC_SSH_AUTH_INTERACTIVE, -1);
  set_pref(NC_SSH_AUTH_PUBLICKEY, use_key ? 2 : -1);
  set_pref(NC_SSH_AUTH_PASSWORD, credentials.password.empty() ? -1 : 1);
  if (call_home) {
    nc_client_ssh_ch_set_username(credentials.username.c_str());
    nc_client_ssh_ch_set_auth_password_clb(password_callback, const_cast<std::string*>(password));
    nc_client_ssh_ch_set_auth_hostkey_check_clb(accept_host_key, nullptr);
    if (use_key) {
      nc_client_ssh_ch_add_keypair(credentials.public_key_path.c_str(),
                                   credentials.private_key_path.c_str());
    }
  } else {
    nc_client_ssh_set_username(credentials.username.c_str());
    nc_client_ssh_set_auth_password_clb(password_callback, const_cast<std::string*>(password));
    nc_client_ssh_set_auth_hostkey_check_clb(accept_host_key, nullptr);
    if (use_key) {
      nc_client_ssh_add_keypair(credentials.public_key_path.c_str(),
                                credentials.private_key_path.c_str());
    }
  }
}

std::string filter_xml(const Filter& filter) {
  switch (filter.kind) {
    case Filter::Kind::kNone:
      return "";
    case Filter::Kind::kSubtree:
      return "<filter type=\"subtree\">" + filter.content + "</filter>";
    case Filter::Kind::kXpath:
      return "<filter type=\"xpath\" select=\"" + xml_escape(filter.content) + "\"/>";
  }
  return "";
}

NC_DATASTORE to_library(Datastore datastore) {
  switch (datastore) {
    case Datastore::kRunning:
      return NC_DATASTORE_RUNNING;
    case Datastore::kCandidate:
      return NC_DATASTORE_CANDIDATE;
    case Datastore::kStartup:
      return NC_DATASTORE_STARTUP;
  }
  return NC_DATASTORE_RUNNING;
}

std::string datastore_xml(Datastore datastore) {
  return "<" + std::string(to_string(datastore)) + "/>";
}

RpcError to_rpc_error(const XmlNode& node) {
  return {node.text_of("error-type"),    node.text_of("error-tag"),  node.text_of("error-severity"),
          node.text_of("error-app-tag"), node.text_of("error-path"), node.text_of("error-message")};
}

// The connect's messages: the client's <hello>, the server's, and whatever libnetconf2
// exchanged before handing the session over (its <get-schema> and yang-library reads).
void record_connect(Transcript& transcript, WireCapture& capture, const NetconfSession& session,
                    const std::string& note) {
  auto messages = capture.take();
  bool hello_seen = false;
  for (const auto& message : messages) hello_seen |= !message.sent;
  for (auto& message : messages) {
    transcript.add(message.sent ? TranscriptDirection::kSent : TranscriptDirection::kReceived,
                   std::move(message.text), message.at);
  }
  if (!hello_seen) {
    transcript.add(TranscriptDirection::kEvent,
                   "libnetconf2 did not show the messages of the connect; the server's <hello> "
                   "rebuilt from the capabilities it listed follows, not the bytes received");
    std::string hello = "<hello xmlns=\"" + std::string(kBaseNs) + "\"><capabilities>";
    for (const auto& capability : session.capabilities()) {
      hello += "<capability>" + xml_escape(capability) + "</capability>";
    }
    hello += "</capabilities><session-id>" + std::to_string(session.session_id()) +
             "</session-id></hello>";
    transcript.add(TranscriptDirection::kReceived, hello);
  }
  transcript.add(TranscriptDirection::kEvent, note);
}

}  // namespace

struct NetconfSession::Impl {
  nc_session* session = nullptr;
  std::chrono::milliseconds rpc_timeout{10000};
};

std::string_view to_string(Datastore datastore) {
  switch (datastore) {
    case Datastore::kRunning:
      return "running";
    case Datastore::kCandidate:
      return "candidate";
    case Datastore::kStartup:
      return "startup";
  }
  return "running";
}

std::string Reply::error_summary() const {
  std::string out;
  for (const auto& error : errors) {
    if (!out.empty()) out += "; ";
    out += error.tag;
    if (!error.message.empty()) out += ": " + error.message;
    if (!error.path.empty()) out += " (at " + error.path + ")";
  }
  return out;
}

NetconfSession::NetconfSession(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

NetconfSession::~NetconfSession() {
  if (impl_ && impl_->session) nc_session_free(impl_->session, nullptr);
}

Result<std::unique_ptr<NetconfSession>> NetconfSession::connect(const ConnectOptions& options) {
  init_client_library();
  const std::string transport = options.tls ? "TLS" : "SSH";
  std::string where = (options.tls ? "tls://" : options.credentials.username + "@") + options.host +
                      ":" + std::to_string(options.port);
  std::string password = options.credentials.password;
  if (options.tls) {
    if (nc_client_tls_set_cert_key_paths(options.tls->certificate_path.c_str(),
                                         options.tls->private_key_path.c_str()) != 0 ||
        nc_client_tls_set_trusted_ca_paths(options.tls->trusted_ca_path.c_str(), nullptr) != 0) {
      return Error{"TLS credentials refused: " + library_error("bad certificate or key paths"),
                   where};
    }
  } else {
    apply_credentials(options.credentials, &password, false);
  }
  nc_client_set_schema_searchpath(options.schema_cache_dir.empty()
                                      ? nullptr
                                      : options.schema_cache_dir.c_str());
  clear_netconf_errors();
  WireCapture capture;
  auto start = Clock::now();
  nc_session* raw = options.tls ? nc_connect_tls(options.host.c_str(), options.port, nullptr)
                                : nc_connect_ssh(options.host.c_str(), options.port, nullptr);
  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
  if (!raw) {
    return Error{"NETCONF over " + transport + " failed: " + library_error("connect failed"),
                 where};
  }
  auto impl = std::make_unique<Impl>();
  impl->session = raw;
  impl->rpc_timeout = options.rpc_timeout;
  std::unique_ptr<NetconfSession> session(new NetconfSession(std::move(impl)));
  session->setup_time_ = elapsed;
  record_connect(session->transcript_, capture, *session,
                 "session " + std::to_string(session->session_id()) + " to " + where +
                     " established in " + std::to_string(elapsed.count()) + " us");
  session->timings_.push_back({"connect", elapsed});
  return session;
}

uint32_t NetconfSession::session_id() const { return nc_session_get_id(impl_->session); }

std::vector<std::string> NetconfSession::capabilities() const {
  std::vector<std::string> out;
  const char* const* list = nc_session_get_cpblts(impl_->session);
  for (int i = 0; list && list[i]; ++i) out.emplace_back(list[i]);
  return out;
}

bool NetconfSession::has_capability(std::string_view uri) const {
  for (const auto& capability : capabilities()) {
    if (capability.compare(0, uri.size(), uri) == 0 &&
        (capability.size() == uri.size() || capability[uri.size()] == '?')) {
      return true;
    }
  }
  return false;
}

namespace {

// Sends `rpc` (already built) and waits for its reply. The transcript gets the messages
// as libnetconf2 wrote and read them; `sent_xml` (the operation as the client asked for
// it) is recorded only where the library did not show what it sent.
Result<Reply> exchange(nc_session* session, nc_rpc* rpc, const std::string& operation,
                       const std::string& sent_xml, std::chrono::milliseconds timeout,
                       Transcript& transcript, std::vector<OperationTiming>& timings) {
  clear_netconf_errors();
  if (!rpc) return Error{"cannot build the request: " + library_error("bad arguments"), operation};
  std::unique_ptr<nc_rpc, void (*)(nc_rpc*)> owned(rpc, nc_rpc_free);
  WireCapture capture;
  auto start = Clock::now();
  uint64_t message_id = 0;
  int wait = static_cast<int>(timeout.count());
  const auto built = [&] {
    return "<rpc xmlns=\"" + std::string(kBaseNs) + "\" message-id=\"" +
           std::to_string(message_id) + "\">" + sent_xml + "</rpc>";
  };
  if (nc_send_rpc(session, rpc, wait, &message_id) != NC_MSG_RPC) {
    std::string why = library_error("session down");
    record_wire(transcript, capture, built(), false);
    transcript.add(TranscriptDirection::kEvent, "sending " + operation + " failed: " + why);
    return Error{"sending failed: " + why, operation};
  }
  lyd_node* envelope = nullptr;
  lyd_node* output = nullptr;
  NC_MSG_TYPE type = nc_recv_reply(session, rpc, message_id, wait, &envelope, &output);
  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
  std::unique_ptr<lyd_node, void (*)(lyd_node*)> envelope_owner(envelope, lyd_free_all);
  std::unique_ptr<lyd_node, void (*)(lyd_node*)> output_owner(output, lyd_free_all);
  if (type == NC_MSG_WOULDBLOCK) {
    record_wire(transcript, capture, built(), false);
    transcript.add(TranscriptDirection::kEvent,
                   "no reply within " + std::to_string(timeout.count()) + " ms");
    return Error{"no reply within " + std::to_string(timeout.count()) + " ms", operation};
  }
  if (type != NC_MSG_REPLY && type != NC_MSG_REPLY_ERR_MSGID) {
    std::string why = library_error("reply could not be parsed");
    record_wire(transcript, capture, built(), true);
    transcript.add(TranscriptDirection::kEvent, "no valid reply: " + why);
    return Error{"no valid reply: " + why, operation};
  }
  record_wire(transcript, capture, built(), true);
  timings.push_back({operation, elapsed});

  Reply reply;
  reply.elapsed = elapsed;
  for (const auto& child : xml_from_libyang_siblings(envelope ? lyd_child(envelope) : nullptr)) {
    if (child.name == "rpc-error") reply.errors.push_back(to_rpc_error(child));
  }
  if (output) {
    for (auto& node : xml_from_libyang_siblings(lyd_child(output))) {
      // <get>/<get-config> answer inside <data>: hand back its content.
      if (node.name == "data" && (operation == "get" || operation == "get-config")) {
        for (auto& inner : node.children) reply.data.push_back(std::move(inner));
      } else {
        reply.data.push_back(std::move(node));
      }
    }
  }
  return reply;
}

}  // namespace

Result<Reply> NetconfSession::get(const Filter& filter) {
  std::string content = filter.kind == Filter::Kind::kNone ? "" : filter.content;
  nc_rpc* rpc = nc_rpc_get(content.empty() ? nullptr : content.c_str(), NC_WD_UNKNOWN,
                           NC_PARAMTYPE_DUP_AND_FREE);
  return exchange(impl_->session, rpc, "get", "<get>" + filter_xml(filter) + "</get>",
                  impl_->rpc_timeout, transcript_, timings_);
}

Result<Reply> NetconfSession::get_config(const Filter& filter, Datastore source) {
  std::string content = filter.kind == Filter::Kind::kNone ? "" : filter.content;
  nc_rpc* rpc = nc_rpc_getconfig(to_library(source), content.empty() ? nullptr : content.c_str(),
                                 NC_WD_UNKNOWN, NC_PARAMTYPE_DUP_AND_FREE);
  return exchange(impl_->session, rpc, "get-config",
                  "<get-config><source>" + datastore_xml(source) + "</source>" +
                      filter_xml(filter) + "</get-config>",
                  impl_->rpc_timeout, transcript_, timings_);
}

Result<Reply> NetconfSession::edit_config(const std::string& config_xml,
                                          EditOperation default_operation, Datastore target) {
  NC_RPC_EDIT_DFLTOP op = NC_RPC_EDIT_DFLTOP_MERGE;
  std::string op_name = "merge";
  if (default_operation == EditOperation::kReplace) {
    op = NC_RPC_EDIT_DFLTOP_REPLACE;
    op_name = "replace";
  } else if (default_operation == EditOperation::kNone) {
    op = NC_RPC_EDIT_DFLTOP_NONE;
    op_name = "none";
  }
  std::string content =
      "<config xmlns=\"" + std::string(kBaseNs) + "\">" + config_xml + "</config>";
  // libnetconf2 puts the <config> element around the content itself.
  const bool validate = has_capability(kValidateCapability) ||
                        has_capability("urn:ietf:params:netconf:capability:validate:1.0");
  nc_rpc* rpc = nc_rpc_edit(to_library(target), op,
                            validate ? NC_RPC_EDIT_TESTOPT_TESTSET : NC_RPC_EDIT_TESTOPT_UNKNOWN,
                            NC_RPC_EDIT_ERROPT_STOP, config_xml.c_str(), NC_PARAMTYPE_DUP_AND_FREE);
  return exchange(impl_->session, rpc, "edit-config",
                  "<edit-config><target>" + datastore_xml(target) + "</target><default-operation>" +
                      op_name + "</default-operation>" +
                      (validate ? "<test-option>test-then-set</test-option>" : "") +
                      "<error-option>stop-on-error</error-option>" + content + "</edit-config>",
                  impl_->rpc_timeout, transcript_, timings_);
}

Result<Reply> NetconfSession::commit(std::optional<std::chrono::seconds> confirm_timeout) {
  nc_rpc* rpc = nc_rpc_commit(confirm_timeout ? 1 : 0,
                              confirm_timeout ? static_cast<uint32_t>(confirm_timeout->count()) : 0,
                              nullptr, nullptr, NC_PARAMTYPE_CONST);
  std::string sent = "<commit/>";
  if (confirm_timeout) {
    sent = "<commit><confirmed/><confirm-timeout>" + std::to_string(confirm_timeout->count()) +
           "</confirm-timeout></commit>";
  }
  return exchange(impl_->session, rpc, "commit", sent, impl_->rpc_timeout, transcript_, timings_);
}

Result<Reply> NetconfSession::discard_changes() {
  return exchange(impl_->session, nc_rpc_discard(), "discard-changes", "<discard-changes/>",
                  impl_->rpc_timeout, transcript_, timings_);
}

Result<Reply> NetconfSession::lock(Datastore target) {
  return exchange(impl_->session, nc_rpc_lock(to_library(target)), "lock",
                  "<lock><target>" + datastore_xml(target) + "</target></lock>", impl_->rpc_timeout,
                  transcript_, timings_);
}

Result<Reply> NetconfSession::unlock(Datastore target) {
  return exchange(impl_->session, nc_rpc_unlock(to_library(target)), "unlock",
                  "<unlock><target>" + datastore_xml(target) + "</target></unlock>",
                  impl_->rpc_timeout, transcript_, timings_);
}

Result<Reply> NetconfSession::rpc(const std::string& operation_xml) {
  auto parsed = parse_xml(operation_xml);
  if (!parsed) return parsed.error();
  if (parsed->size() != 1) return Error{"expected exactly one operation element", "rpc"};
  nc_rpc* rpc = nc_rpc_act_generic_xml(operation_xml.c_str(), NC_PARAMTYPE_DUP_AND_FREE);
  return exchange(impl_->session, rpc, parsed->front().name, operation_xml, impl_->rpc_timeout,
                  transcript_, timings_);
}

Result<Reply> NetconfSession::subscribe(const std::string& stream, const Filter& filter) {
  std::string content = filter.kind == Filter::Kind::kNone ? "" : filter.content;
  nc_rpc* rpc = nc_rpc_subscribe(stream.c_str(), content.empty() ? nullptr : content.c_str(),
                                 nullptr, nullptr, NC_PARAMTYPE_DUP_AND_FREE);
  return exchange(impl_->session, rpc, "create-subscription",
                  "<create-subscription xmlns=\"urn:ietf:params:xml:ns:netconf:notification:1.0\">"
                  "<stream>" +
                      xml_escape(stream) + "</stream>" + filter_xml(filter) +
                      "</create-subscription>",
                  impl_->rpc_timeout, transcript_, timings_);
}

Result<std::optional<Notification>> NetconfSession::next_notification(
    std::chrono::milliseconds timeout) {
  lyd_node* envelope = nullptr;
  lyd_node* content = nullptr;
  clear_netconf_errors();
  WireCapture capture;
  NC_MSG_TYPE type =
      nc_recv_notif(impl_->session, static_cast<int>(timeout.count()), &envelope, &content);
  // A notification libnetconf2 had already read while waiting for a reply is in the
  // transcript there, in the order it arrived.
  record_wire(transcript_, capture, "", false);
  std::unique_ptr<lyd_node, void (*)(lyd_node*)> envelope_owner(envelope, lyd_free_all);
  std::unique_ptr<lyd_node, void (*)(lyd_node*)> content_owner(content, lyd_free_all);
  if (type == NC_MSG_WOULDBLOCK) return std::optional<Notification>{};
  if (type != NC_MSG_NOTIF) {
    return Error{"receiving a notification failed: " + library_error("session down"),
                 "notification"};
  }
  Notification notification;
  for (const auto& child : xml_from_libyang_siblings(envelope ? lyd_child(envelope) : nullptr)) {
    if (child.name == "eventTime") notification.event_time = child.text;
  }
  // The notification's top node may be a container (for a nested YANG notification); the
  // innermost notification node is what the caller asks about.
  const lyd_node* node = content;
  while (node && node->schema && node->schema->nodetype != LYS_NOTIF) node = lyd_child(node);
  if (!node) node = content;
  if (node) notification.content = xml_from_libyang(node);
  return std::optional<Notification>(std::move(notification));
}

Result<std::vector<YangModule>> NetconfSession::yang_library() {
  auto reply = get(Filter::subtree("<yang-library xmlns=\"" + std::string(kYangLibraryNs) +
                                   "\"/><modules-state xmlns=\"" + kYangLibraryNs + "\"/>"));
  if (!reply) return reply.error();
  if (!reply->ok())
    return Error{"<get> of ietf-yang-library failed: " + reply->error_summary(),
                 "ietf-yang-library"};
  std::vector<YangModule> modules;
  auto add = [&](const XmlNode& node, bool implemented) {
    YangModule module{
        node.text_of("name"), node.text_of("revision"), node.text_of("namespace"), {}, implemented};
    for (const XmlNode* feature : node.find_all("feature"))
      module.features.push_back(feature->text);
    for (const auto& known : modules) {
      if (known.name == module.name && known.revision == module.revision) return;
    }
    modules.push_back(std::move(module));
  };
  for (const XmlNode* node : find_all(reply->data, "yang-library/module-set/module"))
    add(*node, true);
  for (const XmlNode* node : find_all(reply->data, "yang-library/module-set/import-only-module")) {
    add(*node, false);
  }
  for (const XmlNode* node : find_all(reply->data, "modules-state/module")) {
    add(*node, node->text_of("conformance-type") != "import");
  }
  if (modules.empty()) return Error{"the device lists no modules", "ietf-yang-library"};
  return modules;
}

Result<std::string> NetconfSession::get_schema(const std::string& identifier,
                                               const std::string& revision) {
  nc_rpc* rpc = nc_rpc_getschema(identifier.c_str(), revision.empty() ? nullptr : revision.c_str(),
                                 "yang", NC_PARAMTYPE_DUP_AND_FREE);
  auto reply = exchange(impl_->session, rpc, "get-schema",
                        "<get-schema xmlns=\"urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring\">"
                        "<identifier>" +
                            xml_escape(identifier) + "</identifier>" +
                            (revision.empty() ? "" : "<version>" + revision + "</version>") +
                            "<format>yang</format></get-schema>",
                        impl_->rpc_timeout, transcript_, timings_);
  if (!reply) return reply.error();
  if (!reply->ok()) return Error{reply->error_summary(), "get-schema " + identifier};
  for (const auto& node : reply->data) {
    if (node.name == "data") return node.text;
  }
  return Error{"reply carries no <data>", "get-schema " + identifier};
}

Result<void> NetconfSession::close() {
  if (!impl_->session) return {};
  // nc_session_free sends <close-session> itself and waits for the reply.
  {
    WireCapture capture;
    nc_session_free(impl_->session, nullptr);
    if (record_wire(transcript_, capture, "", false) == 0) {
      transcript_.add(TranscriptDirection::kEvent,
                      "libnetconf2 showed no <close-session> exchange (the session may have been "
                      "down already)");
    }
  }
  impl_->session = nullptr;
  transcript_.add(TranscriptDirection::kEvent, "session closed");
  return {};
}

Result<std::unique_ptr<CallHomeListener>> CallHomeListener::listen(const std::string& address,
                                                                   uint16_t port,
                                                                   SshCredentials credentials) {
  init_client_library();
  uint16_t bound = 0;
  for (int attempt = 0; attempt < 5 && bound == 0; ++attempt) {
    uint16_t candidate = port;
    if (candidate == 0) {
      auto free_port = pick_free_tcp_port(address);
      if (!free_port) return free_port.error();
      candidate = *free_port;
    }
    if (nc_client_ssh_ch_add_bind_listen(address.c_str(), candidate) == 0) bound = candidate;
    if (port != 0) break;
  }
  if (bound == 0) {
    return Error{"cannot listen for call home: " + library_error("bind failed"),
                 address + ":" + std::to_string(port)};
  }
  std::unique_ptr<CallHomeListener> listener(new CallHomeListener());
  listener->address_ = address;
  listener->port_ = bound;
  listener->credentials_ = std::move(credentials);
  return listener;
}

CallHomeListener::~CallHomeListener() { nc_client_ssh_ch_del_bind(address_.c_str(), port_); }

Result<std::unique_ptr<NetconfSession>> CallHomeListener::accept(
    std::chrono::milliseconds timeout) {
  std::string password = credentials_.password;
  apply_credentials(credentials_, &password, true);
  clear_netconf_errors();
  WireCapture capture;
  auto start = Clock::now();
  nc_session* raw = nullptr;
  int result = nc_accept_callhome(static_cast<int>(timeout.count()), nullptr, &raw);
  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
  std::string where = address_ + ":" + std::to_string(port_);
  if (result == 0)
    return Error{"no call home within " + std::to_string(timeout.count()) + " ms", where};
  if (result < 0 || !raw)
    return Error{"call home failed: " + library_error("handshake failed"), where};
  auto impl = std::make_unique<NetconfSession::Impl>();
  impl->session = raw;
  std::unique_ptr<NetconfSession> session(new NetconfSession(std::move(impl)));
  session->setup_time_ = elapsed;
  record_connect(
      session->transcript_, capture, *session,
      "call home accepted on " + where + " from " +
          std::string(nc_session_get_host(raw) ? nc_session_get_host(raw) : "?") + ", session " +
          std::to_string(session->session_id()));
  session->timings_.push_back({"call-home", elapsed});
  return session;
}

}  // namespace plugfest::management
