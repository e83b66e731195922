#pragma once
// Domain types of an adapter session (adapter protocol plugfest.adapter.v1 without its
// generated types): what Describe answers, how a session is prepared, stimuli,
// observations and counters.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "interfaces/adapter/device.h"
#include "interfaces/fronthaul/compression_params.h"

namespace plugfest::adapter {

// The adapter protocol version this harness speaks (adapter.proto, PROTOCOL_VERSION_1).
inline constexpr std::uint32_t kProtocolVersion = 1;

// Optional instruments an adapter may offer through Observe.
enum class Instrument { kDlRadiatedIq, kUlDecodedIq };

inline std::string_view to_string(Instrument instrument) {
  return instrument == Instrument::kDlRadiatedIq ? "dl-radiated-iq" : "ul-decoded-iq";
}

// What Describe answered, validated: the device plus the adapter's instruments.
struct AdapterDescription {
  std::uint32_t protocol_version = kProtocolVersion;
  DeviceDescription device;
  std::set<Instrument> instruments;

  friend bool operator==(const AdapterDescription&, const AdapterDescription&) = default;
};

// eCPRI over UDP.
struct UdpEndpoint {
  std::string host;
  std::uint16_t port = 0;
  friend bool operator==(const UdpEndpoint&, const UdpEndpoint&) = default;
};

// eCPRI over raw Ethernet (ethertype 0xAEFE); vlan_id 0 means untagged.
struct EthernetEndpoint {
  std::string interface;
  std::string mac;
  std::uint16_t vlan_id = 0;
  std::uint8_t priority = 0;
  friend bool operator==(const EthernetEndpoint&, const EthernetEndpoint&) = default;
};

using FronthaulEndpoint = std::variant<UdpEndpoint, EthernetEndpoint>;

// Bit widths of the 16-bit eAxC ID: DU port, BandSector, CC, RU port.
struct EaxcBitSplit {
  std::uint8_t du_port_bits = 2;
  std::uint8_t band_sector_bits = 6;
  std::uint8_t cc_bits = 4;
  std::uint8_t ru_port_bits = 4;
  friend bool operator==(const EaxcBitSplit&, const EaxcBitSplit&) = default;
};

// A compression setting and whether udCompHdr is static (configured) or dynamic (sent).
struct CompressionMode {
  fronthaul::CompressionParams params;
  bool static_header = false;
  friend bool operator==(const CompressionMode&, const CompressionMode&) = default;
};

// Where the harness listens for NETCONF call home (RFC 8071).
struct CallHomeAddress {
  std::string host;
  std::uint16_t port = 0;
  friend bool operator==(const CallHomeAddress&, const CallHomeAddress&) = default;
};

// What the harness asks of PrepareSession.
struct SessionRequest {
  std::string session_id;
  FronthaulEndpoint harness_endpoint;
  EaxcBitSplit eaxc_split;
  std::uint8_t numerology = 1;
  std::uint16_t carrier_prbs = 273;
  std::uint16_t antenna_ports = 4;
  CompressionMode dl_compression;
  CompressionMode ul_compression;
  // Where the harness listens for the device's NETCONF call home, when it asks for one.
  std::optional<CallHomeAddress> management_call_home;
  friend bool operator==(const SessionRequest&, const SessionRequest&) = default;
};

enum class ManagementAuth { kPassword, kPublicKey, kTlsCertificate };

// An M-plane account of the device; group is its NACM group (sudo, nms, fm-pm, swm).
struct ManagementAccount {
  std::string user;
  std::string password;
  std::string group;
  friend bool operator==(const ManagementAccount&, const ManagementAccount&) = default;
};

// Where and how to reach the device's NETCONF server.
struct ManagementEndpoint {
  std::string host;
  std::uint16_t port = 830;
  std::string user;
  ManagementAuth auth = ManagementAuth::kPassword;
  std::string password;
  bool call_home = false;
  std::vector<ManagementAccount> accounts;  // further accounts, for access-control cases
  friend bool operator==(const ManagementEndpoint&, const ManagementEndpoint&) = default;
};

// What PrepareSession answered, validated.
struct SessionSetup {
  FronthaulEndpoint dut_endpoint;
  std::optional<ManagementEndpoint> management;
  friend bool operator==(const SessionSetup&, const SessionSetup&) = default;
};

// A slot on the air-interface timeline (SFN 0..1023).
struct SlotPoint {
  std::uint16_t frame = 0;
  std::uint8_t subframe = 0;
  std::uint8_t slot = 0;
  friend bool operator==(const SlotPoint&, const SlotPoint&) = default;
};

// O-DU stimulus: schedule a DL test pattern.
struct DlTestPattern {
  std::string pattern;
  std::uint16_t start_prb = 0;
  std::uint16_t num_prbs = 273;
  std::uint32_t num_slots = 0;  // 0 = until Reset.
  std::uint64_t seed = 0;
  friend bool operator==(const DlTestPattern&, const DlTestPattern&) = default;
};

enum class SignalKind { kZeros, kTone, kQpskRandom };

// O-RU stimulus: the UL signal one antenna receives from the air.
struct UlAirSignal {
  std::uint16_t antenna = 0;
  SignalKind kind = SignalKind::kQpskRandom;
  std::uint16_t subcarrier = 0;
  std::uint64_t seed = 0;
  double power_dbfs = -12.0;
  friend bool operator==(const UlAirSignal&, const UlAirSignal&) = default;
};

using Stimulus = std::variant<DlTestPattern, UlAirSignal>;

// What to observe with an instrument.
struct ObservationRequest {
  Instrument instrument = Instrument::kDlRadiatedIq;
  std::uint16_t antenna = 0;
  SlotPoint slot;
};

// The IQ of one OFDM symbol: interleaved I, Q as 16-bit full-scale values.
struct IqSymbol {
  std::uint8_t symbol = 0;
  std::uint16_t start_prb = 0;
  std::vector<std::int16_t> iq;
  friend bool operator==(const IqSymbol&, const IqSymbol&) = default;
};

// An instrument's answer: the symbols, or why nothing is available.
struct Observation {
  bool available = false;
  std::string unavailable_reason;
  std::vector<IqSymbol> symbols;
  friend bool operator==(const Observation&, const Observation&) = default;
};

// Fronthaul reception counters of the device.
struct FronthaulCounters {
  std::uint64_t rx_on_time = 0;
  std::uint64_t rx_early = 0;
  std::uint64_t rx_late = 0;
  std::uint64_t rx_dropped = 0;
  std::uint64_t rx_malformed = 0;
  std::uint64_t tx_total = 0;
  friend bool operator==(const FronthaulCounters&, const FronthaulCounters&) = default;
};

}  // namespace plugfest::adapter
