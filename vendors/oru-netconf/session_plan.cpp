#include "vendors/oru-netconf/session_plan.h"

#include <algorithm>

#include "interfaces/fronthaul/message.h"
#include "interfaces/transport/slot_clock.h"

namespace plugfest::oru_netconf {
namespace {

using management::XmlNode;
using management::xml_escape;

constexpr const char* kNetconfNs = "urn:ietf:params:xml:ns:netconf:base:1.0";
constexpr const char* kUplaneNs = "urn:o-ran:uplane-conf:1.0";
constexpr const char* kPeNs = "urn:o-ran:processing-element:1.0";
constexpr const char* kInterfacesNs = "urn:ietf:params:xml:ns:yang:ietf-interfaces";
constexpr const char* kOranInterfacesNs = "urn:o-ran:interfaces:1.0";
constexpr const char* kPmNs = "urn:o-ran:performance-management:1.0";

std::string leaf(const std::string& name, const std::string& value) {
  return "<" + name + ">" + xml_escape(value) + "</" + name + ">";
}
std::string leaf(const std::string& name, std::uint64_t value) {
  return leaf(name, std::to_string(value));
}

// A top-level container of `ns` holding `inner`, with the nc prefix declared for operations.
std::string container(const char* name, const char* ns, const std::string& inner) {
  if (inner.empty()) return "";
  return std::string("<") + name + " xmlns=\"" + ns + "\" xmlns:nc=\"" + kNetconfNs + "\">" +
         inner + "</" + name + ">";
}

// A list entry to take out: only its key, with nc:operation="remove".
std::string removal(const std::string& list, const std::string& key, const std::string& value) {
  return "<" + list + " nc:operation=\"remove\">" + leaf(key, value) + "</" + list + ">";
}

// A saved list entry written back in place of what the plan made of it.
std::string restoration(const XmlNode& entry) {
  std::string xml = management::to_xml(entry);
  const auto name_end = xml.find_first_of(" />", 1);
  xml.insert(name_end, std::string(" xmlns:nc=\"") + kNetconfNs + "\" nc:operation=\"replace\"");
  return xml;
}

const XmlNode* prior_entry(const std::vector<XmlNode>& entries, const std::string& key_leaf,
                           const std::string& key) {
  for (const auto& e : entries) {
    if (e.text_of(key_leaf) == key) return &e;
  }
  return nullptr;
}

Result<std::string> compression_xml(const DeviceModel& device, const adapter::CompressionMode& mode,
                                    const char* direction) {
  const std::string named = fronthaul::method_name(mode.params.method);
  const std::string method = named == "other" ? "" : named;
  const auto supported = device.compression.find(method);
  if (method.empty() || supported == device.compression.end() ||
      !supported->second.count(mode.params.iq_width)) {
    std::string offered;
    for (const auto& [m, widths] : device.compression) {
      for (int w : widths) offered += (offered.empty() ? "" : ", ") + m + " " + std::to_string(w);
    }
    return Error{std::string(direction) + " compression " + (method.empty() ? "?" : method) + " " +
                     std::to_string(mode.params.iq_width) +
                     " is not one the O-RU supports (o-ran-module-cap compression-method-supported: " +
                     (offered.empty() ? "none listed" : offered) + ")",
                 "/o-ran-module-cap:module-capability/ru-capabilities/format-of-iq-sample"};
  }
  if (!mode.static_header && !device.dynamic_compression) {
    return Error{std::string(direction) +
                     " compression with a udCompHdr in every section (dynamic) was asked, but the "
                     "O-RU supports static compression only",
                 "/o-ran-module-cap:module-capability/ru-capabilities/format-of-iq-sample/"
                 "dynamic-compression-supported"};
  }
  return "<compression>" + leaf("iq-bitwidth", mode.params.iq_width) +
         leaf("compression-type", mode.static_header ? "STATIC" : "DYNAMIC") +
         leaf("compression-method", oran_method(method)) + "</compression>";
}

std::uint16_t mask(int bits, int shift) {
  return static_cast<std::uint16_t>(((1u << bits) - 1u) << shift);
}

std::string eaxc_xml(const adapter::EaxcBitSplit& split, std::uint16_t ru_port) {
  const fronthaul::EaxcSplit s{split.du_port_bits, split.band_sector_bits, split.cc_bits,
                               split.ru_port_bits};
  const int ru = split.ru_port_bits;
  const int cc = split.cc_bits;
  const int bs = split.band_sector_bits;
  const int du = split.du_port_bits;
  return "<e-axcid>" + leaf("o-du-port-bitmask", mask(du, 16 - du)) +
         leaf("band-sector-bitmask", mask(bs, ru + cc)) + leaf("ccid-bitmask", mask(cc, ru)) +
         leaf("ru-port-bitmask", mask(ru, 0)) +
         leaf("eaxc-id", fronthaul::EaxcId{0, 0, 0, ru_port}.to_wire(s)) + "</e-axcid>";
}

}  // namespace

management::Filter prior_config_filter() {
  return management::Filter::subtree(
      std::string("<user-plane-configuration xmlns=\"") + kUplaneNs +
      "\"><low-level-tx-endpoints/><low-level-rx-endpoints/></user-plane-configuration>"
      "<performance-measurement-objects xmlns=\"" + kPmNs +
      "\"><rx-window-measurement-objects/></performance-measurement-objects>");
}

PriorConfig read_prior_config(const std::vector<XmlNode>& data) {
  PriorConfig prior;
  for (const auto& root : data) {
    for (const auto& child : root.children) {
      if (child.name == "low-level-tx-endpoints") prior.tx_endpoints.push_back(child);
      if (child.name == "low-level-rx-endpoints") prior.rx_endpoints.push_back(child);
      if (child.name == "rx-window-measurement-objects") prior.measurements.push_back(child);
    }
  }
  return prior;
}

Result<SessionPlan> plan_session(const DeviceModel& device, const PriorConfig& prior,
                                 const adapter::SessionRequest& request,
                                 const OruDescriptor& descriptor, bool has_performance_management) {
  SessionPlan plan;
  const auto* harness = std::get_if<adapter::EthernetEndpoint>(&request.harness_endpoint);
  if (!harness) {
    return Error{"plugfest-oru-netconf configures the O-RU's Ethernet fronthaul "
                 "(o-ran-processing-element eth-flow); the harness gave a UDP endpoint "
                 "(set lab.fronthaul.transport: ethernet)",
                 "harness_endpoint"};
  }
  if (device.transport_session_type != "ETH-INTERFACE") {
    return Error{"the O-RU's transport-session-type is " + device.transport_session_type +
                     "; this adapter configures ETH-INTERFACE flows only",
                 "/o-ran-processing-element:processing-elements/transport-session-type"};
  }
  plan.vlan_id = harness->vlan_id != 0 ? harness->vlan_id : descriptor.vlan;
  if (plan.vlan_id == 0) {
    return Error{"an O-RAN Ethernet flow names a VLAN (eth-flow vlan-id); give the bench's "
                 "lab.fronthaul.vlan",
                 "harness_endpoint.ethernet.vlan_id"};
  }

  // The flow's interface: the fronthaul interface itself on that VLAN, a VLAN interface
  // over it, or one made for the session.
  const auto base = device.interfaces.find(descriptor.fronthaul_interface);
  if (base == device.interfaces.end()) {
    std::string names;
    for (const auto& [name, i] : device.interfaces) names += (names.empty() ? "" : ", ") + name;
    return Error{"the O-RU has no interface '" + descriptor.fronthaul_interface +
                     "' (lab.mplane.fronthaul_interface); ietf-interfaces lists: " +
                     (names.empty() ? "none" : names),
                 "/ietf-interfaces:interfaces"};
  }
  const DeviceInterface* flow_interface = nullptr;
  if (base->second.vlan_id == plan.vlan_id) flow_interface = &base->second;
  for (const auto& [name, i] : device.interfaces) {
    if (!flow_interface && i.base_interface == base->first && i.vlan_id == plan.vlan_id) {
      flow_interface = &i;
    }
  }
  std::string configure_interfaces;
  if (flow_interface) {
    plan.interface_name = flow_interface->name;
    plan.ru_mac = flow_interface->mac;
  } else {
    plan.interface_name = base->first + "." + std::to_string(plan.vlan_id);
    if (device.interfaces.count(plan.interface_name)) {
      return Error{"interface '" + plan.interface_name + "' exists but is not VLAN " +
                       std::to_string(plan.vlan_id) + " over " + base->first,
                   "/ietf-interfaces:interfaces/interface[name='" + plan.interface_name + "']"};
    }
    plan.creates_interface = true;
    plan.ru_mac = base->second.mac.empty() ? descriptor.dut_mac : base->second.mac;
    configure_interfaces =
        "<interface>" + leaf("name", plan.interface_name) +
        "<type xmlns:ianaift=\"urn:ietf:params:xml:ns:yang:iana-if-type\">ianaift:l2vlan</type>" +
        leaf("enabled", "true") + "<base-interface xmlns=\"" + kOranInterfacesNs + "\">" +
        xml_escape(base->first) + "</base-interface><vlan-id xmlns=\"" + kOranInterfacesNs +
        "\">" + std::to_string(plan.vlan_id) + "</vlan-id><mac-address xmlns=\"" +
        kOranInterfacesNs + "\">" + xml_escape(plan.ru_mac) + "</mac-address></interface>";
  }
  if (plan.ru_mac.empty()) {
    return Error{"interface '" + plan.interface_name +
                     "' reports no mac-address (o-ran-interfaces), so the flow has no RU MAC",
                 "/ietf-interfaces:interfaces/interface[name='" + plan.interface_name + "']"};
  }

  // Carrier: the bandwidth of that many PRBs at that numerology, inside a band.
  auto numerology = transport::numerology_from_mu(request.numerology);
  if (!numerology) return Error{numerology.error().message, "numerology"};
  if (!device.numerologies.empty() && !device.numerologies.count(request.numerology)) {
    return Error{"numerology " + std::to_string(request.numerology) +
                     " is not in the O-RU's endpoint types' supported-frame-structures",
                 "/o-ran-uplane-conf:user-plane-configuration/endpoint-types"};
  }
  for (int mhz : {5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100, 200, 400}) {
    auto prbs = transport::nr_carrier_prbs(mhz, *numerology);
    if (prbs && *prbs == request.carrier_prbs) plan.bandwidth_hz = std::uint64_t(mhz) * 1000000;
  }
  if (plan.bandwidth_hz == 0) {
    return Error{"no NR channel bandwidth has " + std::to_string(request.carrier_prbs) +
                     " PRBs at " + std::to_string(transport::subcarrier_spacing_khz(*numerology)) +
                     " kHz",
                 "carrier_prbs"};
  }
  if (device.bands.empty()) {
    return Error{"the O-RU lists no band-capabilities", "/o-ran-module-cap:module-capability"};
  }
  const DeviceBand& band = device.bands.front();
  plan.center_frequency_hz = descriptor.center_frequency_hz.value_or(
      (band.min_frequency_dl_hz + band.max_frequency_dl_hz) / 2 / 100000 * 100000);
  if (plan.center_frequency_hz < band.min_frequency_dl_hz + plan.bandwidth_hz / 2 ||
      plan.center_frequency_hz + plan.bandwidth_hz / 2 > band.max_frequency_dl_hz ||
      plan.bandwidth_hz > std::min(band.max_bandwidth_dl_hz, band.max_bandwidth_ul_hz)) {
    return Error{"a " + std::to_string(plan.bandwidth_hz / 1000000) + " MHz carrier at " +
                     std::to_string(plan.center_frequency_hz) + " Hz does not fit band " +
                     std::to_string(band.band_number) + " of the O-RU",
                 "/o-ran-module-cap:module-capability/band-capabilities"};
  }

  // Endpoints: one per antenna and direction, PRACH where static endpoints remain.
  const std::uint16_t antennas = request.antenna_ports;
  if (device.static_tx_endpoints.size() < antennas || device.static_rx_endpoints.size() < antennas) {
    return Error{std::to_string(antennas) + " antennas asked, the O-RU has " +
                     std::to_string(device.static_tx_endpoints.size()) + " static tx and " +
                     std::to_string(device.static_rx_endpoints.size()) + " static rx endpoints",
                 "/o-ran-uplane-conf:user-plane-configuration"};
  }
  auto dl = compression_xml(device, request.dl_compression, "DL");
  if (!dl) return dl.error();
  auto ul = compression_xml(device, request.ul_compression, "UL");
  if (!ul) return ul.error();
  const int mu = request.numerology;
  const std::uint16_t cp_other = static_cast<std::uint16_t>(576 >> mu);
  const std::string common =
      leaf("cp-length", cp_other + 64) + leaf("cp-length-other", cp_other) +
      leaf("offset-to-absolute-frequency-center",
           std::to_string(-static_cast<int>(request.carrier_prbs) * 6)) +
      "<number-of-prb-per-scs>" +
      leaf("scs", "KHZ_" + std::to_string(transport::subcarrier_spacing_khz(*numerology))) +
      leaf("number-of-prb", request.carrier_prbs) + "</number-of-prb-per-scs>";
  const bool prach = device.static_rx_endpoints.size() >= 2u * antennas;
  std::string uplane;
  std::string cleanup_uplane;
  auto endpoint = [&](const char* list, const std::string& name, const std::string& compression,
                      std::uint16_t ru_port, const std::vector<XmlNode>& before) {
    uplane += std::string("<") + list + ">" + leaf("name", name) + compression + common +
              eaxc_xml(request.eaxc_split, ru_port) + "</" + list + ">";
    const XmlNode* saved = prior_entry(before, "name", name);
    cleanup_uplane += saved ? restoration(*saved) : removal(list, "name", name);
  };
  auto link = [&](const char* list, const std::string& name, const char* carrier_leaf,
                  const char* carrier, const char* endpoint_leaf, const std::string& endpoint_name) {
    uplane += std::string("<") + list + ">" + leaf("name", name) +
              leaf("processing-element", kProcessingElement) + leaf(carrier_leaf, carrier) +
              leaf(endpoint_leaf, endpoint_name) + "</" + list + ">";
    cleanup_uplane = removal(list, "name", name) + cleanup_uplane;
  };
  for (std::uint16_t a = 0; a < antennas; ++a) {
    plan.tx_endpoints.push_back(device.static_tx_endpoints[a]);
    endpoint("low-level-tx-endpoints", device.static_tx_endpoints[a], *dl, a, prior.tx_endpoints);
    link("low-level-tx-links", "plugfest-tx-link-" + std::to_string(a), "tx-array-carrier",
         kTxCarrier, "low-level-tx-endpoint", device.static_tx_endpoints[a]);
  }
  for (std::uint16_t a = 0; a < (prach ? 2 * antennas : antennas); ++a) {
    const bool is_prach = a >= antennas;
    plan.rx_endpoints.push_back(device.static_rx_endpoints[a]);
    endpoint("low-level-rx-endpoints", device.static_rx_endpoints[a], *ul, a, prior.rx_endpoints);
    link("low-level-rx-links",
         (is_prach ? "plugfest-prach-link-" : "plugfest-rx-link-") +
             std::to_string(is_prach ? a - antennas : a),
         "rx-array-carrier", kRxCarrier, "low-level-rx-endpoint", device.static_rx_endpoints[a]);
  }
  auto carrier = [&](const char* list, const char* name, const char* active,
                     const std::string& extra) {
    return std::string("<") + list + ">" + leaf("name", name) +
           leaf("center-of-channel-bandwidth", plan.center_frequency_hz) +
           leaf("channel-bandwidth", plan.bandwidth_hz) + leaf("active", active) + extra + "</" +
           list + ">";
  };
  const std::string carrier_common =
      leaf("type", "NR") + leaf("downlink-radio-frame-offset", 0) + leaf("downlink-sfn-offset", 0);
  const std::string tx_extra = carrier_common + leaf("gain", "0.0");
  const std::string rx_extra =
      carrier_common + leaf("gain-correction", "0.0") + leaf("n-ta-offset", 0);
  uplane += carrier("tx-array-carriers", kTxCarrier, "INACTIVE", tx_extra) +
            carrier("rx-array-carriers", kRxCarrier, "INACTIVE", rx_extra);
  cleanup_uplane = removal("tx-array-carriers", "name", kTxCarrier) +
                   removal("rx-array-carriers", "name", kRxCarrier) + cleanup_uplane;
  auto switch_carriers = [&](const char* active) {
    return container("user-plane-configuration", kUplaneNs,
                     std::string("<tx-array-carriers>") + leaf("name", kTxCarrier) +
                         leaf("active", active) + "</tx-array-carriers><rx-array-carriers>" +
                         leaf("name", kRxCarrier) + leaf("active", active) +
                         "</rx-array-carriers>");
  };
  plan.activate = switch_carriers("ACTIVE");
  plan.deactivate = switch_carriers("INACTIVE");

  const std::string flow = "<ru-elements>" + leaf("name", kProcessingElement) +
                           "<transport-flow>" + leaf("interface-name", plan.interface_name) +
                           "<eth-flow>" + leaf("ru-mac-address", plan.ru_mac) +
                           leaf("vlan-id", plan.vlan_id) + leaf("o-du-mac-address", harness->mac) +
                           "</eth-flow></transport-flow></ru-elements>";

  std::string measurements;
  std::string cleanup_measurements;
  plan.measures = has_performance_management;
  if (plan.measures) {
    for (const char* object : kRxWindowObjects) {
      measurements += "<rx-window-measurement-objects>" + leaf("measurement-object", object) +
                      leaf("active", "true") + leaf("object-unit", "RU") +
                      leaf("report-info", "COUNT") + "</rx-window-measurement-objects>";
      const XmlNode* saved = prior_entry(prior.measurements, "measurement-object", object);
      cleanup_measurements += saved ? restoration(*saved)
                                    : removal("rx-window-measurement-objects",
                                              "measurement-object", object);
    }
  }

  plan.configure = container("interfaces", kInterfacesNs, configure_interfaces) +
                   container("processing-elements", kPeNs, flow) +
                   container("user-plane-configuration", kUplaneNs, uplane) +
                   container("performance-measurement-objects", kPmNs, measurements);
  plan.cleanup =
      container("user-plane-configuration", kUplaneNs, cleanup_uplane) +
      container("processing-elements", kPeNs,
                removal("ru-elements", "name", kProcessingElement)) +
      container("interfaces", kInterfacesNs,
                plan.creates_interface ? removal("interface", "name", plan.interface_name) : "") +
      container("performance-measurement-objects", kPmNs, cleanup_measurements);
  return plan;
}

}  // namespace plugfest::oru_netconf
