#include "interfaces/adapter/translate.h"

#include <charconv>
#include <cstdint>
#include <limits>

namespace plugfest::adapter {
namespace {

// Builds the Error for one bad field of one message.
Error field_error(std::string_view message_type, const std::string& field,
                  const std::string& problem) {
  return Error{field + ": " + problem, std::string(message_type)};
}

std::string range_problem(std::uint64_t value, std::uint64_t min, std::uint64_t max) {
  return std::to_string(value) + " is outside " + std::to_string(min) + ".." + std::to_string(max);
}

// Checks min <= value <= max; on failure fills `error` and returns false.
bool in_range(std::uint64_t value, std::uint64_t min, std::uint64_t max,
              std::string_view message_type, const std::string& field,
              std::optional<Error>& error) {
  if (value >= min && value <= max) return true;
  error = field_error(message_type, field, range_problem(value, min, max));
  return false;
}

std::optional<std::uint64_t> parse_number(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// ---- endpoints ----

v1::FronthaulEndpoint endpoint_to_proto(const FronthaulEndpoint& endpoint) {
  v1::FronthaulEndpoint out;
  if (const auto* udp = std::get_if<UdpEndpoint>(&endpoint)) {
    out.mutable_udp()->set_host(udp->host);
    out.mutable_udp()->set_port(udp->port);
  } else {
    const auto& eth = std::get<EthernetEndpoint>(endpoint);
    auto* e = out.mutable_ethernet();
    e->set_interface(eth.interface);
    e->set_mac(eth.mac);
    e->set_vlan_id(eth.vlan_id);
    e->set_priority(eth.priority);
  }
  return out;
}

bool valid_mac(std::string_view mac) {
  if (mac.size() != 17) return false;
  for (std::size_t i = 0; i < mac.size(); ++i) {
    const char c = mac[i];
    if (i % 3 == 2) {
      if (c != ':') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

Result<FronthaulEndpoint> endpoint_from_proto(const v1::FronthaulEndpoint& in,
                                              std::string_view type, const std::string& field) {
  std::optional<Error> error;
  switch (in.transport_case()) {
    case v1::FronthaulEndpoint::kUdp: {
      if (in.udp().host().empty()) return field_error(type, field + ".udp.host", "empty");
      if (!in_range(in.udp().port(), 1, 65535, type, field + ".udp.port", error)) return *error;
      return FronthaulEndpoint{
          UdpEndpoint{in.udp().host(), static_cast<std::uint16_t>(in.udp().port())}};
    }
    case v1::FronthaulEndpoint::kEthernet: {
      const auto& e = in.ethernet();
      if (e.interface().empty()) return field_error(type, field + ".ethernet.interface", "empty");
      if (!valid_mac(e.mac())) {
        return field_error(type, field + ".ethernet.mac",
                           "\"" + e.mac() + "\" is not a MAC address like aa:bb:cc:dd:ee:ff");
      }
      if (!in_range(e.vlan_id(), 0, 4094, type, field + ".ethernet.vlan_id", error)) return *error;
      if (!in_range(e.priority(), 0, 7, type, field + ".ethernet.priority", error)) return *error;
      return FronthaulEndpoint{EthernetEndpoint{e.interface(), e.mac(),
                                                static_cast<std::uint16_t>(e.vlan_id()),
                                                static_cast<std::uint8_t>(e.priority())}};
    }
    default:
      return field_error(type, field, "missing: neither udp nor ethernet is set");
  }
}

// ---- compression ----

v1::Compression compression_to_proto(const CompressionMode& mode) {
  v1::Compression out;
  out.set_method(static_cast<v1::CompressionMethod>(mode.params.method));
  out.set_iq_width(mode.params.iq_width);
  out.set_static_header(mode.static_header);
  return out;
}

Result<CompressionMode> compression_from_proto(const v1::Compression& in, std::string_view type,
                                               const std::string& field) {
  std::optional<Error> error;
  if (!in_range(static_cast<std::uint64_t>(in.method()), 0, 4, type, field + ".method", error)) {
    return *error;
  }
  if (!in_range(in.iq_width(), 1, 16, type, field + ".iq_width", error)) return *error;
  return CompressionMode{{static_cast<fronthaul::CompressionMethod>(in.method()),
                          static_cast<std::uint8_t>(in.iq_width())},
                         in.static_header()};
}

// ---- slots ----

void slot_to_proto(const SlotPoint& slot, v1::SlotPoint* out) {
  out->set_frame(slot.frame);
  out->set_subframe(slot.subframe);
  out->set_slot(slot.slot);
}

Result<SlotPoint> slot_from_proto(const v1::SlotPoint& in, std::string_view type,
                                  const std::string& field) {
  std::optional<Error> error;
  if (!in_range(in.frame(), 0, 1023, type, field + ".frame", error)) return *error;
  if (!in_range(in.subframe(), 0, 9, type, field + ".subframe", error)) return *error;
  if (!in_range(in.slot(), 0, 15, type, field + ".slot", error)) return *error;
  return SlotPoint{static_cast<std::uint16_t>(in.frame()), static_cast<std::uint8_t>(in.subframe()),
                   static_cast<std::uint8_t>(in.slot())};
}

Result<Instrument> instrument_from_proto(v1::Instrument in, std::string_view type,
                                         const std::string& field) {
  switch (in) {
    case v1::INSTRUMENT_DL_RADIATED_IQ:
      return Instrument::kDlRadiatedIq;
    case v1::INSTRUMENT_UL_DECODED_IQ:
      return Instrument::kUlDecodedIq;
    default:
      return field_error(type, field, "unknown instrument " + std::to_string(in));
  }
}

v1::Instrument instrument_to_proto(Instrument in) {
  return in == Instrument::kDlRadiatedIq ? v1::INSTRUMENT_DL_RADIATED_IQ
                                         : v1::INSTRUMENT_UL_DECODED_IQ;
}

}  // namespace

// ---- capability names ----

std::string capability_name_problem(std::string_view name) {
  if (name.empty()) return "empty name";
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    parts.push_back(name.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  for (const auto part : parts) {
    if (part.empty()) return "\"" + std::string(name) + "\" has an empty dotted part";
    for (const char c : part) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) {
        return "\"" + std::string(name) + "\" is not a lowercase dotted name ([a-z0-9_-] parts)";
      }
    }
  }
  const auto number_problem = [&](std::string_view text, std::uint64_t min,
                                  std::uint64_t max) -> std::string {
    const auto value = parse_number(text);
    if (!value)
      return "\"" + std::string(name) + "\": \"" + std::string(text) + "\" is not a number";
    if (*value < min || *value > max) {
      return "\"" + std::string(name) + "\": " + range_problem(*value, min, max);
    }
    return "";
  };
  const std::string_view head = parts.front();
  if (head == "section_type" && parts.size() == 2) {
    const auto value = parse_number(parts[1]);
    const bool known = value && (*value == 0 || *value == 1 || *value == 3 || *value == 5 ||
                                 *value == 6 || *value == 7);
    if (!known) return "\"" + std::string(name) + "\": section type is not one of 0, 1, 3, 5, 6, 7";
    return "";
  }
  if (head == "extension" && parts.size() == 2) return number_problem(parts[1], 1, 31);
  if (head == "numerology" && parts.size() == 2) return number_problem(parts[1], 0, 4);
  if (head == "bandwidth" && parts.size() == 2) return number_problem(parts[1], 1, 400);
  if (head == "compression" && parts.size() == 3) {
    static constexpr std::string_view kMethods[] = {"none", "bfp", "block-scaling", "mu-law",
                                                    "modulation"};
    bool known = false;
    for (const auto method : kMethods) known = known || parts[1] == method;
    if (!known) {
      return "\"" + std::string(name) +
             "\": compression method is not one of none, bfp, block-scaling, mu-law, modulation";
    }
    return number_problem(parts[2], 1, 16);
  }
  return "";
}

// ---- Describe ----

v1::DescribeResponse to_proto(const AdapterDescription& description) {
  v1::DescribeResponse out;
  out.set_protocol_version(static_cast<v1::ProtocolVersion>(description.protocol_version));
  const auto& device = description.device;
  out.set_vendor(device.vendor);
  out.set_model(device.model);
  out.set_serial(device.serial);
  out.set_software_version(device.software_version);
  out.set_role(device.role == Role::kOru ? v1::ROLE_O_RU : v1::ROLE_O_DU);
  for (const auto& name : device.capabilities.names()) out.add_capabilities(name);
  for (const auto instrument : description.instruments) {
    out.add_instruments(instrument_to_proto(instrument));
  }
  return out;
}

Result<AdapterDescription> from_proto(const v1::DescribeResponse& in) {
  constexpr std::string_view kType = "DescribeResponse";
  if (in.protocol_version() != static_cast<int>(kProtocolVersion)) {
    return field_error(kType, "protocol_version",
                       "the adapter speaks version " + std::to_string(in.protocol_version()) +
                           ", this harness speaks version " + std::to_string(kProtocolVersion));
  }
  AdapterDescription out;
  out.protocol_version = kProtocolVersion;
  auto& device = out.device;
  if (in.vendor().empty()) return field_error(kType, "vendor", "empty");
  if (in.model().empty()) return field_error(kType, "model", "empty");
  if (in.software_version().empty()) return field_error(kType, "software_version", "empty");
  device.vendor = in.vendor();
  device.model = in.model();
  device.serial = in.serial();
  device.software_version = in.software_version();
  switch (in.role()) {
    case v1::ROLE_O_RU:
      device.role = Role::kOru;
      break;
    case v1::ROLE_O_DU:
      device.role = Role::kOdu;
      break;
    default:
      return field_error(kType, "role",
                         std::to_string(in.role()) + " is neither ROLE_O_RU nor ROLE_O_DU");
  }
  if (in.capabilities().empty()) {
    return field_error(kType, "capabilities", "empty: a device must claim at least one");
  }
  for (int i = 0; i < in.capabilities_size(); ++i) {
    const auto problem = capability_name_problem(in.capabilities(i));
    if (!problem.empty()) {
      return field_error(kType, "capabilities[" + std::to_string(i) + "]", problem);
    }
    device.capabilities.add(in.capabilities(i));
  }
  for (int i = 0; i < in.instruments_size(); ++i) {
    auto instrument =
        instrument_from_proto(in.instruments(i), kType, "instruments[" + std::to_string(i) + "]");
    if (!instrument) return instrument.error();
    out.instruments.insert(*instrument);
  }
  return out;
}

// ---- PrepareSession ----

v1::PrepareSessionRequest to_proto(const SessionRequest& request) {
  v1::PrepareSessionRequest out;
  out.set_session_id(request.session_id);
  *out.mutable_harness_endpoint() = endpoint_to_proto(request.harness_endpoint);
  auto* split = out.mutable_eaxc_split();
  split->set_du_port_bits(request.eaxc_split.du_port_bits);
  split->set_band_sector_bits(request.eaxc_split.band_sector_bits);
  split->set_cc_bits(request.eaxc_split.cc_bits);
  split->set_ru_port_bits(request.eaxc_split.ru_port_bits);
  out.set_numerology(request.numerology);
  out.set_carrier_prbs(request.carrier_prbs);
  out.set_antenna_ports(request.antenna_ports);
  *out.mutable_dl_compression() = compression_to_proto(request.dl_compression);
  *out.mutable_ul_compression() = compression_to_proto(request.ul_compression);
  if (request.management_call_home) {
    out.mutable_management_call_home()->set_host(request.management_call_home->host);
    out.mutable_management_call_home()->set_port(request.management_call_home->port);
  }
  return out;
}

Result<SessionRequest> from_proto(const v1::PrepareSessionRequest& in) {
  constexpr std::string_view kType = "PrepareSessionRequest";
  std::optional<Error> error;
  SessionRequest out;
  if (in.session_id().empty()) return field_error(kType, "session_id", "empty");
  out.session_id = in.session_id();
  auto endpoint = endpoint_from_proto(in.harness_endpoint(), kType, "harness_endpoint");
  if (!endpoint) return endpoint.error();
  out.harness_endpoint = *endpoint;
  const auto& split = in.eaxc_split();
  const std::uint64_t bits = std::uint64_t{split.du_port_bits()} + split.band_sector_bits() +
                             split.cc_bits() + split.ru_port_bits();
  if (bits != 16) {
    return field_error(kType, "eaxc_split",
                       "widths add up to " + std::to_string(bits) + " bits, not 16");
  }
  out.eaxc_split = {static_cast<std::uint8_t>(split.du_port_bits()),
                    static_cast<std::uint8_t>(split.band_sector_bits()),
                    static_cast<std::uint8_t>(split.cc_bits()),
                    static_cast<std::uint8_t>(split.ru_port_bits())};
  if (!in_range(in.numerology(), 0, 4, kType, "numerology", error)) return *error;
  if (!in_range(in.carrier_prbs(), 1, 273, kType, "carrier_prbs", error)) return *error;
  if (!in_range(in.antenna_ports(), 1, 64, kType, "antenna_ports", error)) return *error;
  out.numerology = static_cast<std::uint8_t>(in.numerology());
  out.carrier_prbs = static_cast<std::uint16_t>(in.carrier_prbs());
  out.antenna_ports = static_cast<std::uint16_t>(in.antenna_ports());
  auto dl = compression_from_proto(in.dl_compression(), kType, "dl_compression");
  if (!dl) return dl.error();
  auto ul = compression_from_proto(in.ul_compression(), kType, "ul_compression");
  if (!ul) return ul.error();
  out.dl_compression = *dl;
  out.ul_compression = *ul;
  if (in.has_management_call_home()) {
    const auto& ch = in.management_call_home();
    if (ch.host().empty()) return field_error(kType, "management_call_home.host", "empty");
    if (!in_range(ch.port(), 1, 65535, kType, "management_call_home.port", error)) return *error;
    out.management_call_home = CallHomeAddress{ch.host(), static_cast<std::uint16_t>(ch.port())};
  }
  return out;
}

v1::PrepareSessionResponse to_proto(const SessionSetup& setup) {
  v1::PrepareSessionResponse out;
  *out.mutable_dut_endpoint() = endpoint_to_proto(setup.dut_endpoint);
  if (setup.management) {
    const auto& m = *setup.management;
    auto* mp = out.mutable_management();
    mp->set_host(m.host);
    mp->set_port(m.port);
    mp->set_user(m.user);
    mp->set_auth(m.auth == ManagementAuth::kPassword    ? v1::MANAGEMENT_AUTH_PASSWORD
                 : m.auth == ManagementAuth::kPublicKey ? v1::MANAGEMENT_AUTH_PUBLIC_KEY
                                                        : v1::MANAGEMENT_AUTH_TLS_CERTIFICATE);
    mp->set_password(m.password);
    mp->set_call_home(m.call_home);
    for (const auto& account : m.accounts) {
      auto* a = mp->add_accounts();
      a->set_user(account.user);
      a->set_password(account.password);
      a->set_group(account.group);
    }
  }
  return out;
}

Result<SessionSetup> from_proto(const v1::PrepareSessionResponse& in) {
  constexpr std::string_view kType = "PrepareSessionResponse";
  std::optional<Error> error;
  auto endpoint = endpoint_from_proto(in.dut_endpoint(), kType, "dut_endpoint");
  if (!endpoint) return endpoint.error();
  SessionSetup out{*endpoint, std::nullopt};
  if (!in.has_management()) return out;
  const auto& m = in.management();
  ManagementEndpoint management;
  if (m.host().empty() && !m.call_home()) {
    return field_error(kType, "management.host", "empty (and call_home is false)");
  }
  if (!m.call_home() && !in_range(m.port(), 1, 65535, kType, "management.port", error)) {
    return *error;
  }
  switch (m.auth()) {
    case v1::MANAGEMENT_AUTH_PASSWORD:
      management.auth = ManagementAuth::kPassword;
      break;
    case v1::MANAGEMENT_AUTH_PUBLIC_KEY:
      management.auth = ManagementAuth::kPublicKey;
      break;
    case v1::MANAGEMENT_AUTH_TLS_CERTIFICATE:
      management.auth = ManagementAuth::kTlsCertificate;
      break;
    default:
      return field_error(kType, "management.auth",
                         std::to_string(m.auth()) + " is not a known method");
  }
  management.host = m.host();
  management.port = static_cast<std::uint16_t>(m.port());
  management.user = m.user();
  management.password = m.password();
  management.call_home = m.call_home();
  for (int i = 0; i < m.accounts_size(); ++i) {
    const auto& a = m.accounts(i);
    if (a.user().empty()) {
      return field_error(kType, "management.accounts[" + std::to_string(i) + "].user", "empty");
    }
    management.accounts.push_back({a.user(), a.password(), a.group()});
  }
  out.management = management;
  return out;
}

// ---- Stimulate ----

v1::StimulateRequest to_proto(const std::string& session_id, const Stimulus& stimulus) {
  v1::StimulateRequest out;
  out.set_session_id(session_id);
  if (const auto* dl = std::get_if<DlTestPattern>(&stimulus)) {
    auto* p = out.mutable_dl_test_pattern();
    p->set_pattern(dl->pattern);
    p->set_start_prb(dl->start_prb);
    p->set_num_prbs(dl->num_prbs);
    p->set_num_slots(dl->num_slots);
    p->set_seed(dl->seed);
  } else {
    const auto& ul = std::get<UlAirSignal>(stimulus);
    auto* s = out.mutable_ul_air_signal();
    s->set_antenna(ul.antenna);
    s->set_kind(ul.kind == SignalKind::kZeros  ? v1::SIGNAL_KIND_ZEROS
                : ul.kind == SignalKind::kTone ? v1::SIGNAL_KIND_TONE
                                               : v1::SIGNAL_KIND_QPSK_RANDOM);
    s->set_subcarrier(ul.subcarrier);
    s->set_seed(ul.seed);
    s->set_power_dbfs(ul.power_dbfs);
  }
  return out;
}

Result<Stimulus> from_proto(const v1::StimulateRequest& in) {
  constexpr std::string_view kType = "StimulateRequest";
  std::optional<Error> error;
  switch (in.stimulus_case()) {
    case v1::StimulateRequest::kDlTestPattern: {
      const auto& p = in.dl_test_pattern();
      if (p.pattern().empty()) return field_error(kType, "dl_test_pattern.pattern", "empty");
      if (!in_range(p.num_prbs(), 1, 273, kType, "dl_test_pattern.num_prbs", error)) return *error;
      if (!in_range(p.start_prb(), 0, 273 - p.num_prbs(), kType, "dl_test_pattern.start_prb",
                    error)) {
        return *error;
      }
      return Stimulus{DlTestPattern{p.pattern(), static_cast<std::uint16_t>(p.start_prb()),
                                    static_cast<std::uint16_t>(p.num_prbs()), p.num_slots(),
                                    p.seed()}};
    }
    case v1::StimulateRequest::kUlAirSignal: {
      const auto& s = in.ul_air_signal();
      if (!in_range(s.antenna(), 0, 63, kType, "ul_air_signal.antenna", error)) return *error;
      if (!in_range(s.subcarrier(), 0, 273 * 12 - 1, kType, "ul_air_signal.subcarrier", error)) {
        return *error;
      }
      if (!(s.power_dbfs() <= 0.0)) {
        return field_error(kType, "ul_air_signal.power_dbfs",
                           std::to_string(s.power_dbfs()) + " dBFS is above full scale (0)");
      }
      SignalKind kind;
      switch (s.kind()) {
        case v1::SIGNAL_KIND_ZEROS:
          kind = SignalKind::kZeros;
          break;
        case v1::SIGNAL_KIND_TONE:
          kind = SignalKind::kTone;
          break;
        case v1::SIGNAL_KIND_QPSK_RANDOM:
          kind = SignalKind::kQpskRandom;
          break;
        default:
          return field_error(kType, "ul_air_signal.kind", std::to_string(s.kind()) + " is unknown");
      }
      return Stimulus{UlAirSignal{static_cast<std::uint16_t>(s.antenna()), kind,
                                  static_cast<std::uint16_t>(s.subcarrier()), s.seed(),
                                  s.power_dbfs()}};
    }
    default:
      return field_error(kType, "stimulus", "missing: neither dl_test_pattern nor ul_air_signal");
  }
}

v1::StimulateResponse to_proto(const std::optional<SlotPoint>& first_slot) {
  v1::StimulateResponse out;
  if (first_slot) slot_to_proto(*first_slot, out.mutable_first_slot());
  return out;
}

Result<std::optional<SlotPoint>> from_proto(const v1::StimulateResponse& in) {
  if (!in.has_first_slot()) return std::optional<SlotPoint>{};
  auto slot = slot_from_proto(in.first_slot(), "StimulateResponse", "first_slot");
  if (!slot) return slot.error();
  return std::optional<SlotPoint>{*slot};
}

// ---- Observe ----

v1::ObserveRequest to_proto(const std::string& session_id, const ObservationRequest& request) {
  v1::ObserveRequest out;
  out.set_session_id(session_id);
  out.set_instrument(instrument_to_proto(request.instrument));
  out.set_antenna(request.antenna);
  slot_to_proto(request.slot, out.mutable_slot());
  return out;
}

Result<ObservationRequest> from_proto(const v1::ObserveRequest& in) {
  constexpr std::string_view kType = "ObserveRequest";
  std::optional<Error> error;
  auto instrument = instrument_from_proto(in.instrument(), kType, "instrument");
  if (!instrument) return instrument.error();
  if (!in_range(in.antenna(), 0, 63, kType, "antenna", error)) return *error;
  auto slot = slot_from_proto(in.slot(), kType, "slot");
  if (!slot) return slot.error();
  return ObservationRequest{*instrument, static_cast<std::uint16_t>(in.antenna()), *slot};
}

v1::ObserveResponse to_proto(const Observation& observation) {
  v1::ObserveResponse out;
  out.set_available(observation.available);
  out.set_unavailable_reason(observation.unavailable_reason);
  for (const auto& symbol : observation.symbols) {
    auto* s = out.add_symbols();
    s->set_symbol(symbol.symbol);
    s->set_start_prb(symbol.start_prb);
    s->mutable_iq()->Reserve(static_cast<int>(symbol.iq.size()));
    for (const auto value : symbol.iq) s->add_iq(value);
  }
  return out;
}

Result<Observation> from_proto(const v1::ObserveResponse& in) {
  constexpr std::string_view kType = "ObserveResponse";
  std::optional<Error> error;
  Observation out;
  out.available = in.available();
  out.unavailable_reason = in.unavailable_reason();
  if (!out.available) {
    if (out.unavailable_reason.empty()) {
      return field_error(kType, "unavailable_reason", "empty although available is false");
    }
    return out;
  }
  out.symbols.reserve(static_cast<std::size_t>(in.symbols_size()));
  for (int i = 0; i < in.symbols_size(); ++i) {
    const auto& s = in.symbols(i);
    const std::string field = "symbols[" + std::to_string(i) + "]";
    if (!in_range(s.symbol(), 0, 13, kType, field + ".symbol", error)) return *error;
    if (!in_range(s.start_prb(), 0, 272, kType, field + ".start_prb", error)) return *error;
    if (s.iq_size() % 24 != 0) {
      return field_error(kType, field + ".iq",
                         std::to_string(s.iq_size()) + " values are not whole PRBs (24 per PRB)");
    }
    IqSymbol symbol{
        static_cast<std::uint8_t>(s.symbol()), static_cast<std::uint16_t>(s.start_prb()), {}};
    symbol.iq.reserve(static_cast<std::size_t>(s.iq_size()));
    for (int k = 0; k < s.iq_size(); ++k) {
      const std::int32_t value = s.iq(k);
      if (value < std::numeric_limits<std::int16_t>::min() ||
          value > std::numeric_limits<std::int16_t>::max()) {
        return field_error(kType, field + ".iq[" + std::to_string(k) + "]",
                           std::to_string(value) + " is outside -32768..32767");
      }
      symbol.iq.push_back(static_cast<std::int16_t>(value));
    }
    out.symbols.push_back(std::move(symbol));
  }
  return out;
}

// ---- Counters ----

v1::CountersResponse to_proto(const FronthaulCounters& counters) {
  v1::CountersResponse out;
  out.set_rx_on_time(counters.rx_on_time);
  out.set_rx_early(counters.rx_early);
  out.set_rx_late(counters.rx_late);
  out.set_rx_dropped(counters.rx_dropped);
  out.set_rx_malformed(counters.rx_malformed);
  out.set_tx_total(counters.tx_total);
  return out;
}

Result<FronthaulCounters> from_proto(const v1::CountersResponse& in) {
  // Every uint64 is a valid count; a counter near 2^64 is a sign of an uninitialised or
  // negative value cast to unsigned.
  constexpr std::uint64_t kMax = std::uint64_t{1} << 62;
  std::optional<Error> error;
  constexpr std::string_view kType = "CountersResponse";
  if (!in_range(in.rx_on_time(), 0, kMax, kType, "rx_on_time", error) ||
      !in_range(in.rx_early(), 0, kMax, kType, "rx_early", error) ||
      !in_range(in.rx_late(), 0, kMax, kType, "rx_late", error) ||
      !in_range(in.rx_dropped(), 0, kMax, kType, "rx_dropped", error) ||
      !in_range(in.rx_malformed(), 0, kMax, kType, "rx_malformed", error) ||
      !in_range(in.tx_total(), 0, kMax, kType, "tx_total", error)) {
    return *error;
  }
  return FronthaulCounters{in.rx_on_time(), in.rx_early(),     in.rx_late(),
                           in.rx_dropped(), in.rx_malformed(), in.tx_total()};
}

}  // namespace plugfest::adapter
