#include "vendors/oru-netconf/device_model.h"

#include <algorithm>
#include <cstdlib>

#include "interfaces/transport/slot_clock.h"

namespace plugfest::oru_netconf {
namespace {

using management::XmlNode;

std::uint64_t number(const XmlNode& node, std::string_view path) {
  const std::string text = node.text_of(path);
  return text.empty() ? 0 : std::strtoull(text.c_str(), nullptr, 10);
}

const XmlNode* root_named(const std::vector<XmlNode>& data, std::string_view name) {
  for (const auto& node : data) {
    if (node.name == name) return &node;
  }
  return nullptr;
}

// The local part of an identityref value ("ianaift:l2vlan" -> "l2vlan").
std::string identity(const std::string& value) {
  const auto colon = value.rfind(':');
  return colon == std::string::npos ? value : value.substr(colon + 1);
}

void add_with_prefixes(adapter::Capabilities& caps, const std::string& name) {
  for (auto dot = name.find('.'); dot != std::string::npos; dot = name.find('.', dot + 1)) {
    caps.add(name.substr(0, dot));
  }
  caps.add(name);
}

}  // namespace

std::string method_name(const std::string& oran_method) {
  if (oran_method == "NO_COMPRESSION") return "none";
  if (oran_method == "BLOCK_FLOATING_POINT") return "bfp";
  if (oran_method == "BLOCK_SCALING") return "block-scaling";
  if (oran_method == "U_LAW") return "mu-law";
  if (oran_method == "MODULATION") return "modulation";
  return "";
}

std::string oran_method(const std::string& name) {
  if (name == "none") return "NO_COMPRESSION";
  if (name == "bfp") return "BLOCK_FLOATING_POINT";
  if (name == "block-scaling") return "BLOCK_SCALING";
  if (name == "mu-law") return "U_LAW";
  if (name == "modulation") return "MODULATION";
  return "";
}

management::Filter device_filter() {
  return management::Filter::subtree(
      "<hardware xmlns=\"urn:ietf:params:xml:ns:yang:ietf-hardware\"/>"
      "<interfaces xmlns=\"urn:ietf:params:xml:ns:yang:ietf-interfaces\"/>"
      "<module-capability xmlns=\"urn:o-ran:module-cap:1.0\"/>"
      "<user-plane-configuration xmlns=\"urn:o-ran:uplane-conf:1.0\"/>"
      "<processing-elements xmlns=\"urn:o-ran:processing-element:1.0\"/>"
      "<software-inventory xmlns=\"urn:o-ran:software-management:1.0\"/>");
}

Result<DeviceModel> read_device_model(const std::vector<XmlNode>& data) {
  DeviceModel d;
  const XmlNode* caps = root_named(data, "module-capability");
  if (!caps) {
    return Error{"the O-RU's <get> has no o-ran-module-cap data (module-capability)",
                 "/o-ran-module-cap:module-capability"};
  }
  const XmlNode* uplane = root_named(data, "user-plane-configuration");
  if (!uplane) {
    return Error{"the O-RU's <get> has no o-ran-uplane-conf data (user-plane-configuration)",
                 "/o-ran-uplane-conf:user-plane-configuration"};
  }

  if (const XmlNode* hardware = root_named(data, "hardware")) {
    // The O-RU module: the component of class O-RAN-RADIO, else the first one without parent.
    const XmlNode* module = nullptr;
    for (const XmlNode* c : hardware->find_all("component")) {
      if (identity(c->text_of("class")) == "O-RAN-RADIO") {
        module = c;
        break;
      }
      if (!module && c->text_of("parent").empty()) module = c;
    }
    if (module) {
      d.vendor = module->text_of("mfg-name");
      d.model = module->text_of("model-name");
      d.serial = module->text_of("serial-num");
      d.software_version = module->text_of("software-rev");
    }
  }
  if (const XmlNode* inventory = root_named(data, "software-inventory");
      inventory && d.software_version.empty()) {
    for (const XmlNode* slot : inventory->find_all("software-slot")) {
      if (slot->text_of("running") == "true") d.software_version = slot->text_of("build-version");
    }
  }

  if (const XmlNode* ru = caps->find("ru-capabilities")) {
    d.ru_ports_dl = static_cast<std::uint16_t>(number(*ru, "number-of-ru-ports-dl"));
    d.ru_ports_ul = static_cast<std::uint16_t>(number(*ru, "number-of-ru-ports-ul"));
    d.dynamic_compression = ru->text_of("format-of-iq-sample/dynamic-compression-supported") == "true";
    for (const XmlNode* m : ru->find_all("format-of-iq-sample/compression-method-supported")) {
      const std::string method = method_name(m->text_of("compression-method"));
      const int width = static_cast<int>(number(*m, "iq-bitwidth"));
      if (method.empty() || width < 1 || width > 16) continue;
      d.compression[method].insert(width);
      if (m->text_of("compression-type") == "DYNAMIC") d.dynamic_compression = true;
    }
  }
  for (const XmlNode* b : caps->find_all("band-capabilities")) {
    DeviceBand band;
    band.band_number = static_cast<std::uint16_t>(number(*b, "band-number"));
    band.min_frequency_dl_hz = number(*b, "min-supported-frequency-dl");
    band.max_frequency_dl_hz = number(*b, "max-supported-frequency-dl");
    band.max_bandwidth_dl_hz = number(*b, "max-supported-bandwidth-dl");
    band.max_bandwidth_ul_hz = number(*b, "max-supported-bandwidth-ul");
    d.bands.push_back(band);
  }

  for (const XmlNode* type : uplane->find_all("endpoint-types")) {
    for (const XmlNode* st : type->find_all("supported-section-types")) {
      d.section_types.insert(static_cast<int>(number(*st, "section-type")));
      for (const XmlNode* ext : st->find_all("supported-section-extensions")) {
        d.extensions.insert(std::atoi(ext->text.c_str()));
      }
    }
    for (const XmlNode* fs : type->find_all("supported-frame-structures")) {
      d.numerologies.insert(std::atoi(fs->text.c_str()) & 0x0f);  // low nibble: the SCS
    }
  }
  for (const XmlNode* e : uplane->find_all("static-low-level-tx-endpoints")) {
    d.static_tx_endpoints.push_back(e->text_of("name"));
  }
  for (const XmlNode* e : uplane->find_all("static-low-level-rx-endpoints")) {
    d.static_rx_endpoints.push_back(e->text_of("name"));
  }

  if (const XmlNode* pe = root_named(data, "processing-elements")) {
    if (const std::string type = pe->text_of("transport-session-type"); !type.empty()) {
      d.transport_session_type = type;
    }
  }
  if (const XmlNode* interfaces = root_named(data, "interfaces")) {
    for (const XmlNode* i : interfaces->find_all("interface")) {
      DeviceInterface di;
      di.name = i->text_of("name");
      di.type = identity(i->text_of("type"));
      di.mac = i->text_of("mac-address");
      di.base_interface = i->text_of("base-interface");
      di.vlan_id = static_cast<std::uint16_t>(number(*i, "vlan-id"));
      d.interfaces[di.name] = di;
    }
  }
  return d;
}

adapter::Capabilities capabilities_of(const DeviceModel& device) {
  adapter::Capabilities caps;
  add_with_prefixes(caps, "mplane.netconf-ssh");
  if (device.transport_session_type == "ETH-INTERFACE") caps.add("ethernet");
  for (const auto& [method, widths] : device.compression) {
    for (int width : widths) add_with_prefixes(caps, "compression." + method + "." + std::to_string(width));
  }
  for (int st : device.section_types) add_with_prefixes(caps, "section_type." + std::to_string(st));
  for (int ext : device.extensions) {
    if (ext >= 1 && ext <= 31) add_with_prefixes(caps, "extension." + std::to_string(ext));
  }
  for (int mu : device.numerologies) {
    if (mu <= 4) add_with_prefixes(caps, "numerology." + std::to_string(mu));
  }
  // The widest carrier every band allows in both directions.
  std::uint64_t widest_hz = 0;
  for (const auto& band : device.bands) {
    const std::uint64_t both = std::min(band.max_bandwidth_dl_hz, band.max_bandwidth_ul_hz);
    widest_hz = std::max(widest_hz, both);
  }
  for (int mhz : {5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100, 200, 400}) {
    if (static_cast<std::uint64_t>(mhz) * 1000000 > widest_hz) continue;
    bool fits = false;
    for (int mu : device.numerologies) {
      auto numerology = transport::numerology_from_mu(mu);
      fits = fits || (numerology && transport::nr_carrier_prbs(mhz, *numerology).has_value());
    }
    if (fits) add_with_prefixes(caps, "bandwidth." + std::to_string(mhz));
  }
  // As many antennas as the O-RU has ports and endpoints for, in each direction.
  const std::size_t ports = std::min<std::size_t>(
      {device.ru_ports_dl, device.ru_ports_ul, device.static_tx_endpoints.size(),
       device.static_rx_endpoints.size()});
  for (std::size_t n = 1; n <= ports; n *= 2) add_with_prefixes(caps, "antennas." + std::to_string(n));
  return caps;
}

}  // namespace plugfest::oru_netconf
