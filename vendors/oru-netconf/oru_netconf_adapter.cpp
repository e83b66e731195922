#include "vendors/oru-netconf/oru_netconf_adapter.h"

#include <chrono>
#include <iostream>
#include <thread>

namespace plugfest::oru_netconf {
namespace {

using management::Filter;
using management::XmlNode;

constexpr const char* kPmCapability = "urn:o-ran:performance-management:1.0";

std::string describe_errors(const management::Reply& reply) {
  std::string out;
  for (const auto& e : reply.errors) {
    if (!out.empty()) out += "; ";
    out += e.tag.empty() ? "rpc-error" : e.tag;
    if (!e.app_tag.empty()) out += " (" + e.app_tag + ")";
    if (!e.path.empty()) out += " at " + e.path;
    if (!e.message.empty()) out += ": " + e.message;
  }
  return out;
}

Filter carrier_state_filter() {
  return Filter::subtree(std::string("<user-plane-configuration xmlns=\"urn:o-ran:uplane-conf:1.0\">"
                                     "<tx-array-carriers><name>") +
                         kTxCarrier + "</name><state/></tx-array-carriers><rx-array-carriers><name>" +
                         kRxCarrier + "</name><state/></rx-array-carriers></user-plane-configuration>");
}

Filter rx_window_filter() {
  return Filter::subtree(
      "<performance-measurement-objects xmlns=\"urn:o-ran:performance-management:1.0\">"
      "<rx-window-measurement-objects/></performance-measurement-objects>");
}

}  // namespace

Result<RxWindowReading> read_rx_window(const std::vector<XmlNode>& data) {
  RxWindowReading r;
  std::set<std::string> seen;
  for (const XmlNode* object :
       management::find_all(data, "performance-measurement-objects/rx-window-measurement-objects")) {
    const std::string name = object->text_of("measurement-object");
    if (object->text_of("active") != "true") continue;
    const std::string count = object->text_of("count");
    if (count.empty()) continue;
    const std::uint64_t value = std::strtoull(count.c_str(), nullptr, 10);
    seen.insert(name);
    if (name == "RX_ON_TIME") r.on_time = value;
    if (name == "RX_EARLY") r.early = value;
    if (name == "RX_LATE") r.late = value;
    if (name == "RX_CORRUPT") r.corrupt = value;
    if (name == "RX_ERR_DROP") r.dropped = value;
    if (name == "RX_TOTAL") r.total = value;
  }
  std::string missing;
  for (const char* wanted : {"RX_ON_TIME", "RX_EARLY", "RX_LATE"}) {
    if (!seen.count(wanted)) missing += (missing.empty() ? "" : ", ") + std::string(wanted);
  }
  if (!missing.empty()) {
    return Error{"the O-RU reports no count for the active rx-window measurement objects " +
                     missing,
                 "/o-ran-performance-management:performance-measurement-objects/"
                 "rx-window-measurement-objects"};
  }
  return r;
}

OruNetconfAdapter::~OruNetconfAdapter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (supervisor_.joinable()) supervisor_.join();
  std::lock_guard lock(mutex_);
  if (auto cleaned = cleanup_locked(); !cleaned) {
    std::cerr << "plugfest-oru-netconf: cleanup: " << cleaned.error().to_string() << std::endl;
  }
}

Result<management::NetconfSession*> OruNetconfAdapter::netconf_locked() {
  if (netconf_) return netconf_.get();
  management::ConnectOptions options;
  options.host = descriptor_.host;
  options.port = descriptor_.port;
  options.credentials.username = descriptor_.user;
  options.credentials.password = descriptor_.password;
  auto session = management::NetconfSession::connect(options);
  if (!session) {
    return Error{"cannot reach the O-RU's NETCONF server: " + session.error().message,
                 descriptor_.host + ":" + std::to_string(descriptor_.port)};
  }
  netconf_ = std::move(*session);
  return netconf_.get();
}

Result<management::Reply> OruNetconfAdapter::checked_locked(Result<management::Reply> reply,
                                                            const std::string& what) {
  if (!reply) {
    netconf_.reset();  // the next call connects afresh
    return Error{what + ": " + reply.error().message, reply.error().where};
  }
  if (!reply->ok()) {
    const std::string path = reply->errors.front().path;
    return Error{what + ": the O-RU answered " + describe_errors(*reply),
                 path.empty() ? descriptor_.host + ":" + std::to_string(descriptor_.port) : path};
  }
  return reply;
}

Result<void> OruNetconfAdapter::edit_locked(const std::string& config, const std::string& what) {
  if (config.empty()) return {};
  auto netconf = netconf_locked();
  if (!netconf) return netconf.error();
  auto reply = checked_locked((*netconf)->edit_config(config), what);
  if (!reply) return reply.error();
  return {};
}

Result<DeviceModel> OruNetconfAdapter::read_device_locked() {
  auto netconf = netconf_locked();
  if (!netconf) return netconf.error();
  auto reply = checked_locked((*netconf)->get(device_filter()), "reading the O-RU's capabilities");
  if (!reply) return reply.error();
  return read_device_model(reply->data);
}

Result<adapter::AdapterDescription> OruNetconfAdapter::describe() {
  std::lock_guard lock(mutex_);
  auto device = read_device_locked();
  if (!device) return device.error();
  adapter::AdapterDescription d;
  d.device.role = adapter::Role::kOru;
  d.device.vendor = device->vendor.empty() ? "unknown" : device->vendor;
  d.device.model = device->model.empty() ? "unknown" : device->model;
  d.device.serial = device->serial;
  d.device.software_version = device->software_version.empty() ? "unknown" : device->software_version;
  d.device.capabilities = capabilities_of(*device);
  return d;  // no instruments
}

Result<void> OruNetconfAdapter::await_carriers_locked(const SessionPlan& /*plan*/) {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(descriptor_.activation_timeout_ms);
  std::string tx_state;
  std::string rx_state;
  while (true) {
    auto netconf = netconf_locked();
    if (!netconf) return netconf.error();
    auto reply = checked_locked((*netconf)->get(carrier_state_filter()), "reading carrier state");
    if (!reply) return reply.error();
    tx_state = rx_state = "";
    for (const XmlNode* c : management::find_all(reply->data, "user-plane-configuration/tx-array-carriers")) {
      if (c->text_of("name") == kTxCarrier) tx_state = c->text_of("state");
    }
    for (const XmlNode* c : management::find_all(reply->data, "user-plane-configuration/rx-array-carriers")) {
      if (c->text_of("name") == kRxCarrier) rx_state = c->text_of("state");
    }
    if (tx_state == "READY" && rx_state == "READY") return {};
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const bool tx_bad = tx_state != "READY";
  const std::string carrier = tx_bad ? kTxCarrier : kRxCarrier;
  const std::string state = tx_bad ? tx_state : rx_state;
  return Error{"carrier '" + carrier + "' was set ACTIVE but its state is " +
                   (state.empty() ? "not reported" : state) + " after " +
                   std::to_string(descriptor_.activation_timeout_ms) + " ms (READY expected)",
               std::string("/o-ran-uplane-conf:user-plane-configuration/") +
                   (tx_bad ? "tx-array-carriers" : "rx-array-carriers") + "[name='" + carrier +
                   "']/state"};
}

Result<RxWindowReading> OruNetconfAdapter::read_counters_locked() {
  auto netconf = netconf_locked();
  if (!netconf) return netconf.error();
  auto reply = checked_locked((*netconf)->get(rx_window_filter()),
                              "reading the reception-window measurements");
  if (!reply) return reply.error();
  return read_rx_window(reply->data);
}

Result<adapter::SessionSetup> OruNetconfAdapter::prepare_session(
    const adapter::SessionRequest& request) {
  std::lock_guard lock(mutex_);
  if (auto cleaned = cleanup_locked(); !cleaned) {
    return Error{"removing the previous session's configuration: " + cleaned.error().message,
                 cleaned.error().where};
  }
  auto device = read_device_locked();
  if (!device) return device.error();
  auto netconf = netconf_locked();
  if (!netconf) return netconf.error();
  auto before = checked_locked((*netconf)->get_config(prior_config_filter()),
                               "reading the O-RU's configuration");
  if (!before) return before.error();
  // YANG 1.1 modules are listed in ietf-yang-library only, older ones in the <hello>.
  bool measures = (*netconf)->has_capability(kPmCapability);
  if (auto library = (*netconf)->yang_library(); library && !measures) {
    for (const auto& module : *library) {
      measures = measures || (module.name == "o-ran-performance-management" && module.implemented);
    }
  }
  auto plan = plan_session(*device, read_prior_config(before->data), request, descriptor_, measures);
  if (!plan) return plan.error();

  auto session = std::make_unique<Session>();
  session->id = request.session_id;
  session->plan = *plan;
  // From here on the device holds part of the session: a failure cleans it up.
  session_ = std::move(session);
  auto fail = [this](const Error& error) -> Error {
    if (auto cleaned = cleanup_locked(); !cleaned) {
      return Error{error.message + " (and cleaning up: " + cleaned.error().message + ")",
                   error.where};
    }
    return error;
  };
  if (auto ok = edit_locked(plan->configure, "configuring the fronthaul session"); !ok) {
    return fail(ok.error());
  }
  session_->configured = true;
  if (auto ok = edit_locked(plan->activate, "activating the carriers"); !ok) return fail(ok.error());
  if (auto ok = await_carriers_locked(*plan); !ok) return fail(ok.error());
  if (plan->measures) {
    auto baseline = read_counters_locked();
    if (!baseline) return fail(baseline.error());
    session_->baseline = *baseline;
  }

  start_supervision_locked();

  adapter::SessionSetup setup;
  const auto& harness = std::get<adapter::EthernetEndpoint>(request.harness_endpoint);
  setup.dut_endpoint = adapter::EthernetEndpoint{plan->interface_name, plan->ru_mac, plan->vlan_id,
                                                 harness.priority};
  setup.management = adapter::ManagementEndpoint{descriptor_.host,
                                                 descriptor_.port,
                                                 descriptor_.user,
                                                 adapter::ManagementAuth::kPassword,
                                                 descriptor_.password,
                                                 false,
                                                 {}};
  return setup;
}

void OruNetconfAdapter::start_supervision_locked() {
  if (supervisor_.joinable()) return;
  supervisor_ = std::thread([this] { supervise(); });
}

void OruNetconfAdapter::supervise() {
  const std::string reset =
      "<supervision-watchdog-reset xmlns=\"urn:o-ran:supervision:1.0\">"
      "<supervision-notification-interval>" +
      std::to_string(descriptor_.supervision_interval_s) +
      "</supervision-notification-interval><guard-timer-overhead>" +
      std::to_string(descriptor_.supervision_guard_s) +
      "</guard-timer-overhead></supervision-watchdog-reset>";
  const auto period = std::chrono::milliseconds(descriptor_.supervision_interval_s * 500);
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (session_) {
      auto netconf = netconf_locked();
      auto reply = netconf ? checked_locked((*netconf)->rpc(reset), "supervision-watchdog-reset")
                           : Result<management::Reply>(netconf.error());
      if (!reply) {
        std::cerr << "plugfest-oru-netconf: " << reply.error().to_string() << std::endl;
      }
    }
    wake_.wait_for(lock, period, [this] { return stopping_; });
  }
}

Result<OruNetconfAdapter::Session*> OruNetconfAdapter::find_locked(const std::string& session_id) {
  if (!session_ || session_->id != session_id) {
    return Error{"no prepared session '" + session_id + "'", "session"};
  }
  return session_.get();
}

Result<std::optional<adapter::SlotPoint>> OruNetconfAdapter::stimulate(
    const std::string& session_id, const adapter::Stimulus& stimulus) {
  std::lock_guard lock(mutex_);
  auto session = find_locked(session_id);
  if (!session) return session.error();
  if (std::holds_alternative<adapter::DlTestPattern>(stimulus)) {
    return Error{"a DL test pattern is for an O-DU; this is an O-RU", "stimulate"};
  }
  return Error{"no UL air-signal source: feeding an O-RU a UL signal over the air needs a signal "
               "generator at its antenna ports, which plugfest-oru-netconf does not have",
               adapter::kUnimplemented};
}

Result<adapter::Observation> OruNetconfAdapter::observe(const std::string& session_id,
                                                        const adapter::ObservationRequest& request) {
  std::lock_guard lock(mutex_);
  auto session = find_locked(session_id);
  if (!session) return session.error();
  adapter::Observation observation;
  observation.unavailable_reason =
      "plugfest-oru-netconf has no " + std::string(adapter::to_string(request.instrument)) +
      " instrument: the radiated IQ needs a signal analyser at the O-RU's antenna ports";
  return observation;
}

Result<adapter::FronthaulCounters> OruNetconfAdapter::counters(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  auto session = find_locked(session_id);
  if (!session) return session.error();
  if (!(*session)->plan.measures) {
    return Error{"the O-RU does not implement o-ran-performance-management (its <hello> does not "
                 "name it), so it reports no reception-window counts",
                 "counters"};
  }
  auto now = read_counters_locked();
  if (!now) return now.error();
  const RxWindowReading& base = (*session)->baseline;
  auto since = [](std::uint64_t now_value, std::uint64_t base_value) {
    return now_value >= base_value ? now_value - base_value : now_value;  // counts restarted
  };
  adapter::FronthaulCounters c;
  c.rx_on_time = since(now->on_time, base.on_time);
  c.rx_early = since(now->early, base.early);
  c.rx_late = since(now->late, base.late);
  c.rx_malformed = since(now->corrupt, base.corrupt);
  c.rx_dropped = since(now->dropped, base.dropped);
  return c;
}

Result<void> OruNetconfAdapter::reset(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  auto session = find_locked(session_id);
  if (!session) return session.error();
  // The session's configuration stays; its counts start again from here.
  if ((*session)->plan.measures) {
    auto now = read_counters_locked();
    if (!now) return now.error();
    (*session)->baseline = *now;
  }
  return {};
}

Result<void> OruNetconfAdapter::cleanup() {
  std::lock_guard lock(mutex_);
  return cleanup_locked();
}

Result<void> OruNetconfAdapter::cleanup_locked() {
  if (!session_) return {};
  const SessionPlan plan = session_->plan;
  const bool configured = session_->configured;
  session_.reset();
  // Deactivate first (the O-RU stops radiating), then remove; both are tried even when
  // the first fails, and the first failure is reported.
  Result<void> deactivated;
  if (configured) deactivated = edit_locked(plan.deactivate, "deactivating the carriers");
  auto removed = edit_locked(plan.cleanup, "removing the session's configuration");
  if (!deactivated) return deactivated.error();
  if (!removed) return removed.error();
  return {};
}

}  // namespace plugfest::oru_netconf
