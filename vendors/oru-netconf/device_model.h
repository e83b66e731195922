#pragma once
// DeviceModel: what plugfest-oru-netconf learns of an O-RU from one <get> of its M-plane
// (ietf-hardware, ietf-interfaces, o-ran-module-cap, o-ran-uplane-conf, o-ran-processing-
// element), and the adapter capabilities that follow from it. Only the device speaks here:
// nothing comes from a vendor's code or from the descriptor's claims.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "interfaces/adapter/device.h"
#include "interfaces/common/result.h"
#include "interfaces/management/filter.h"
#include "interfaces/management/xml_node.h"

namespace plugfest::oru_netconf {

// One ietf-interfaces entry with the o-ran-interfaces leaves the transport flow needs.
struct DeviceInterface {
  std::string name;
  std::string type;  // identity without prefix: ethernetCsmacd, l2vlan
  std::string mac;
  std::string base_interface;
  std::uint16_t vlan_id = 0;
};

struct DeviceBand {
  std::uint16_t band_number = 0;
  std::uint64_t min_frequency_dl_hz = 0;
  std::uint64_t max_frequency_dl_hz = 0;
  std::uint64_t max_bandwidth_dl_hz = 0;
  std::uint64_t max_bandwidth_ul_hz = 0;
};

struct DeviceModel {
  std::string vendor;
  std::string model;
  std::string serial;
  std::string software_version;

  std::uint16_t ru_ports_dl = 0;
  std::uint16_t ru_ports_ul = 0;
  // compression-method-supported of o-ran-module-cap, as method name -> widths, the
  // method named as the adapter protocol does (none, bfp, block-scaling, mu-law, modulation).
  std::map<std::string, std::set<int>> compression;
  bool dynamic_compression = false;
  std::vector<DeviceBand> bands;

  std::set<int> section_types;
  std::set<int> extensions;
  std::set<int> numerologies;  // from the endpoint types' supported frame structures

  std::vector<std::string> static_tx_endpoints;  // in the device's order
  std::vector<std::string> static_rx_endpoints;
  std::string transport_session_type = "ETH-INTERFACE";
  std::map<std::string, DeviceInterface> interfaces;
};

// The subtree filter of the one <get> Describe and PrepareSession read.
management::Filter device_filter();

// Reads a <get> answer. An answer without the modules this needs (module-cap, uplane-conf)
// is an Error naming the missing container.
Result<DeviceModel> read_device_model(const std::vector<management::XmlNode>& data);

// Capability names (with every prefix, as descriptors count them): compression.METHOD.W,
// section_type.N, extension.N, numerology.N, bandwidth.MHZ (the NR bandwidths up to the
// smallest maximum of the bands, for a numerology the endpoints support), antennas.N,
// ethernet, mplane, mplane.netconf-ssh.
adapter::Capabilities capabilities_of(const DeviceModel& device);

// adapter protocol compression method name of an o-ran compression-method enum value, or "".
std::string method_name(const std::string& oran_method);
// The o-ran compression-method enum value of an adapter protocol method name, or "".
std::string oran_method(const std::string& method_name);

}  // namespace plugfest::oru_netconf
