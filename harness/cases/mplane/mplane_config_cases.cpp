// The M-plane cases that change the O-RU's configuration and expect a refusal: an
// account without write access (NACM), a value outside the schema, a duplicate eAxC ID.
// Each first shows that the device accepts the valid form of the same change in the same
// case (the precondition), then that it refuses the invalid form with the error the
// specification names; any other refusal is no evidence. Instances are the device's own,
// found by discovery; what the harness creates it removes again.

#include <optional>
#include <string>
#include <vector>

#include "harness/cases/mplane/mplane_support.h"
#include "harness/engine/test_case.h"

namespace plugfest::harness::mplane {
namespace {

using management::XmlNode;

std::string uplane(const std::string& content) {
  return std::string("<user-plane-configuration xmlns=\"") + kUplaneNs + "\">" + content +
         "</user-plane-configuration>";
}

std::string carrier_active(const std::string& carrier, const std::string& active) {
  return uplane("<tx-array-carriers><name>" + management::xml_escape(carrier) + "</name><active>" +
                management::xml_escape(active) + "</active></tx-array-carriers>");
}

// A tx carrier of the device and its current <active> value, with the no-op edit that
// sets it to that value applied by `session`: the precondition that this configuration
// is writable at all. nullopt: not established (the verdict is set).
std::optional<std::pair<std::string, std::string>> writable_carrier(Context& ctx,
                                                                    NetconfSession& session) {
  auto inventory = discover_uplane(ctx, session);
  if (!inventory) return std::nullopt;
  if (inventory->tx_carriers.empty()) {
    ctx.set_verdict(Verdict::kInconclusive, "the device configures no tx array carrier");
    return std::nullopt;
  }
  const std::string carrier = inventory->tx_carriers.front();
  const std::string active = inventory->active_of[carrier];
  if (active.empty()) {
    ctx.set_verdict(Verdict::kInconclusive, "tx array carrier '" + carrier + "' has no <active>");
    return std::nullopt;
  }
  auto change = configure(ctx, session, carrier_active(carrier, active));
  if (!change) return std::nullopt;
  if (!change->applied) {
    ctx.set_verdict(Verdict::kInconclusive,
                    "precondition not met: the sudo account cannot set <active> of tx array "
                    "carrier '" + carrier + "' to its own value " + active + " (" + change->step +
                        ": " + describe_errors(change->refusal) + ")");
    return std::nullopt;
  }
  return std::pair{carrier, active};
}

// fm-pm may read but not configure (O-RAN NACM groups): its edit is refused with
// access-denied (RFC 8341 clause 3.4.5; RFC 6241 Appendix A).
void access_control_negative(Context& ctx) {
  Sessions sessions(ctx);
  NetconfSession* admin = sessions.admin();
  if (!admin) return;
  auto target = writable_carrier(ctx, *admin);
  if (!target) return;
  NetconfSession* fm = fm_session(ctx, sessions);
  if (!fm) return;
  const std::string where = "o-ran-uplane-conf:user-plane-configuration/tx-array-carriers/active";
  auto change = configure(ctx, *fm, carrier_active(target->first, target->second));
  if (!change) return;
  if (change->applied) {
    fail(ctx, "mplane.nacm.fm-write-allowed",
         "the fm-pm account could write the U-plane configuration", where);
    return;
  }
  const ExpectedRefusal expected{{"application", "protocol"}, {"access-denied"}, "", ""};
  if (!is_refusal(change->refusal, expected)) {
    fail(ctx, "mplane.nacm.wrong-refusal",
         "the fm-pm edit was refused, but not as NACM denies access: expected " +
             expected.describe() + ", got " + describe_errors(change->refusal),
         where);
    return;
  }
  ctx.set_verdict(Verdict::kPass);
}

// An enumeration value outside the schema is refused as invalid-value (RFC 6241
// Appendix A), naming the leaf where the device gives an error-path.
void configurability(Context& ctx) {
  Sessions sessions(ctx);
  NetconfSession* session = sessions.admin();
  if (!session) return;
  auto target = writable_carrier(ctx, *session);
  if (!target) return;
  const std::string where = "o-ran-uplane-conf:user-plane-configuration/tx-array-carriers/active";
  auto change = configure(ctx, *session, carrier_active(target->first, "FULL-POWER"));
  if (!change) return;
  if (change->applied) {
    fail(ctx, "mplane.config.invalid-value-accepted",
         "the device accepted <active>FULL-POWER</active>, a value outside the enumeration", where);
    (void)configure(ctx, *session, carrier_active(target->first, target->second));
    return;
  }
  const ExpectedRefusal expected{
      {"application", "protocol"}, {"invalid-value", "bad-element"}, "", "active"};
  if (!is_refusal(change->refusal, expected)) {
    fail(ctx, "mplane.config.wrong-refusal",
         "the invalid value was refused, but not as invalid: expected " + expected.describe() +
             ", got " + describe_errors(change->refusal),
         where);
    return;
  }
  ctx.set_verdict(Verdict::kPass);
}

XmlNode with_name(XmlNode endpoint, const std::string& name) {
  for (auto& child : endpoint.children) {
    if (child.name == "name") child.text = name;
  }
  return endpoint;
}

// Two endpoints of one direction sharing an eAxC ID make the fronthaul ambiguous: an
// edit that gives a second tx endpoint the eaxc-id one already uses is refused. The
// second endpoint is one the device offers (static-low-level-tx-endpoints) and has not
// configured, created by copying the first's configuration, or else a configured one.
void duplicate_eaxc(Context& ctx) {
  Sessions sessions(ctx);
  NetconfSession* session = sessions.admin();
  if (!session) return;
  auto inventory = discover_uplane(ctx, *session);
  if (!inventory) return;
  const UplaneEndpoint* used = nullptr;
  for (const auto& endpoint : inventory->tx_endpoints) {
    if (!endpoint.eaxc_id.empty()) {
      used = &endpoint;
      break;
    }
  }
  if (!used) {
    ctx.set_verdict(Verdict::kInconclusive,
                    "precondition not met: no configured tx endpoint has an eaxc-id in use");
    return;
  }
  std::string second;
  bool created = false;
  for (const auto& name : inventory->static_tx_endpoints) {
    bool configured = false;
    for (const auto& endpoint : inventory->tx_endpoints) configured |= endpoint.name == name;
    if (!configured) {
      second = name;
      created = true;
      break;
    }
  }
  std::string previous;
  for (const auto& endpoint : inventory->tx_endpoints) {
    if (second.empty() && endpoint.name != used->name) {
      second = endpoint.name;
      previous = endpoint.eaxc_id;
    }
  }
  if (second.empty()) {
    ctx.set_verdict(Verdict::kInconclusive,
                    "precondition not met: the device has no second tx endpoint to give eaxc-id " +
                        used->eaxc_id);
    return;
  }
  const std::string edit =
      created ? uplane(management::to_xml(with_name(used->config, second)))
              : uplane("<low-level-tx-endpoints><name>" + management::xml_escape(second) +
                       "</name><e-axcid><eaxc-id>" + used->eaxc_id +
                       "</eaxc-id></e-axcid></low-level-tx-endpoints>");
  const std::string where =
      "o-ran-uplane-conf:user-plane-configuration/low-level-tx-endpoints[name='" + second +
      "']/e-axcid/eaxc-id";
  auto change = configure(ctx, *session, edit);
  if (!change) return;
  if (change->applied) {
    fail(ctx, "mplane.config.duplicate-eaxc-accepted",
         "tx endpoints '" + used->name + "' and '" + second + "' were allowed to share eaxc-id " +
             used->eaxc_id,
         where);
    // Postamble: remove what the harness created, or restore what it changed.
    (void)configure(ctx, *session,
                    created ? uplane("<low-level-tx-endpoints xmlns:nc=\"urn:ietf:params:xml:ns:"
                                     "netconf:base:1.0\" nc:operation=\"delete\"><name>" +
                                     management::xml_escape(second) +
                                     "</name></low-level-tx-endpoints>")
                            : uplane("<low-level-tx-endpoints><name>" +
                                     management::xml_escape(second) + "</name><e-axcid><eaxc-id>" +
                                     previous + "</eaxc-id></e-axcid></low-level-tx-endpoints>"));
    return;
  }
  // A YANG unique statement would answer data-not-unique (RFC 7950 clause 15.1); a device
  // checking it otherwise answers invalid-value. Either names the eaxc-id.
  const ExpectedRefusal as_invalid{{"application"}, {"invalid-value"}, "", "eaxc-id"};
  const ExpectedRefusal as_unique{{"application"}, {"operation-failed"}, "data-not-unique", ""};
  if (!is_refusal(change->refusal, as_invalid) && !is_refusal(change->refusal, as_unique)) {
    fail(ctx, "mplane.config.wrong-refusal",
         "the duplicate eaxc-id was refused, but not as a duplicate: expected " +
             as_invalid.describe() + " (or " + as_unique.describe() + "), got " +
             describe_errors(change->refusal),
         where);
    return;
  }
  ctx.set_verdict(Verdict::kPass);
}

const bool registered = [] {
  const std::vector<TestCase> cases = {
      mplane_case("mplane.ru.access-control-negative", "NACM: fm-pm account may not configure",
                  "O-RAN.WG4.CONF 3.1.8.4", "RFC 8341 3.4.5", access_control_negative),
      mplane_case("mplane.ru.configurability", "edit-config rejects a value outside the schema",
                  "O-RAN.WG4.CONF 3.1.10.2", "RFC 6241 Appendix A (invalid-value)",
                  configurability),
      mplane_case("mplane.ru.duplicate-eaxc", "edit-config rejects a duplicate eAxC ID",
                  "O-RAN.WG4.CONF 3.1.10.2", "o-ran-uplane-conf e-axcid", duplicate_eaxc),
  };
  bool ok = true;
  for (const auto& test_case : cases) ok &= register_test_case(test_case);
  return ok;
}();

}  // namespace
}  // namespace plugfest::harness::mplane
