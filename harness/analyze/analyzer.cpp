#include "harness/analyze/analyzer.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <set>

namespace plugfest::analyze {
namespace {

using adapter::Role;
using fronthaul::CplaneMessage;
using fronthaul::DataDirection;
using fronthaul::Message;
using fronthaul::SectionType;
using fronthaul::UplaneMessage;

// Findings kept in full per rule and per case item; the rest are counted.
constexpr std::size_t kKeptPerRule = 20;
// Frames buffered while the U-plane compression is inferred from traffic.
constexpr std::size_t kInferenceFrames = 4096;
// Pending requests kept at most, whatever the response window (bounds memory).
constexpr std::size_t kMaxPending = 1 << 16;
constexpr std::size_t kCaseCount = static_cast<std::size_t>(CaseId::kCount);

std::size_t side_index(Role side) { return side == Role::kOdu ? 0 : 1; }

// An endpoint: a MAC (Ethernet) or an IP address (UDP), tagged. When both ends of a
// datagram share an IP address (both sides on one host, as on loopback) the UDP port
// tells them apart and joins the key.
struct Endpoint {
  std::array<std::uint8_t, 20> key{};
  std::string label;
  friend bool operator==(const Endpoint& a, const Endpoint& b) { return a.key == b.key; }
};

bool same_host(const fronthaul::EcpriLocation& location) {
  return location.source_ip && location.destination_ip &&
         *location.source_ip == *location.destination_ip;
}

Endpoint endpoint_of(const fronthaul::EcpriLocation& location, bool source) {
  Endpoint e;
  const auto& ip = source ? location.source_ip : location.destination_ip;
  if (ip) {
    e.key[0] = 1;
    if (const auto* v4 = std::get_if<fronthaul::Ipv4Address>(&*ip)) {
      std::memcpy(e.key.data() + 1, v4->data(), 4);
    } else {
      e.key[0] = 2;
      const auto& v6 = std::get<fronthaul::Ipv6Address>(*ip);
      std::memcpy(e.key.data() + 1, v6.data(), 16);
    }
    if (same_host(location)) {
      const std::uint16_t port = source ? location.source_port : location.destination_port;
      e.key[17] = static_cast<std::uint8_t>(port >> 8);
      e.key[18] = static_cast<std::uint8_t>(port);
    }
    return e;
  }
  const auto& mac = source ? location.source : location.destination;
  std::memcpy(e.key.data() + 1, mac.data(), 6);
  return e;
}

std::string endpoint_label(const fronthaul::EcpriLocation& location, bool source) {
  const auto& ip = source ? location.source_ip : location.destination_ip;
  if (!ip) return fronthaul::to_string(source ? location.source : location.destination);
  if (!same_host(location)) return fronthaul::to_string(*ip);
  const std::string address = fronthaul::to_string(*ip);
  const std::string port =
      std::to_string(source ? location.source_port : location.destination_port);
  return (std::holds_alternative<fronthaul::Ipv6Address>(*ip) ? "[" + address + "]" : address) +
         ":" + port;
}

bool matches(const SideAddress& side, const fronthaul::EcpriLocation& location) {
  if (side.mac && *side.mac == location.source) return true;
  if (side.ip && location.source_ip && *side.ip == *location.source_ip) {
    return !side.udp_port || *side.udp_port == location.source_port;
  }
  return false;
}

std::string direction_name(DataDirection d) { return d == DataDirection::kUplink ? "UL" : "DL"; }

std::string eaxc_text(std::uint16_t wire, const fronthaul::EaxcSplit& split) {
  const auto id = fronthaul::EaxcId::from_wire(wire, split);
  return std::to_string(wire) + " (DU port " + std::to_string(id.du_port) + ", band sector " +
         std::to_string(id.band_sector) + ", CC " + std::to_string(id.cc) + ", RU port " +
         std::to_string(id.ru_port) + ")";
}

std::uint64_t slot_key(std::uint16_t eaxc, const fronthaul::RadioApplicationHeader& h) {
  return (std::uint64_t{eaxc} << 24) | (std::uint64_t{h.frame_id} << 16) |
         (std::uint64_t{h.subframe_id} << 8) | h.slot_id;
}

std::string slot_text(const fronthaul::RadioApplicationHeader& h) {
  return "frame " + std::to_string(h.frame_id) + " subframe " + std::to_string(h.subframe_id) +
         " slot " + std::to_string(h.slot_id);
}

std::string micros(std::chrono::nanoseconds d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f us", static_cast<double>(d.count()) / 1000.0);
  return text;
}

// A C-plane request that U-plane must answer (UL section type 1, or section type 3).
struct PendingRequest {
  std::uint64_t key = 0;
  bool prach = false;
  std::uint8_t filter_index = 0;
  std::uint16_t section_id = 0;
  std::uint16_t wanted = 0;  // bit per symbol still unanswered
  std::uint16_t requested = 0;
  std::chrono::nanoseconds timestamp{0};
  std::string file;
  std::size_t frame_number = 0;
  std::string slot;
  std::uint16_t eaxc = 0;
};

struct TimingStats {
  std::uint64_t early = 0, on_time = 0, late = 0;
  std::chrono::nanoseconds min{std::chrono::nanoseconds::max()};
  std::chrono::nanoseconds max{std::chrono::nanoseconds::min()};
};

struct Bucket {
  std::vector<LocatedFinding> kept;
  std::map<std::string, std::uint64_t, std::less<>> counts;
  bool errors = false;
  std::uint64_t judged = 0;  // messages this case looked at for this side
};

// A frame copied while compression is being inferred.
struct BufferedFrame {
  std::vector<std::uint8_t> bytes;
  std::chrono::nanoseconds timestamp;
  std::size_t original_length;
  std::size_t frame_number;
  std::string file;
  int link_type;
};

}  // namespace

struct Analyzer::State {
  explicit State(const AnalysisConfig& c) : config(c) {}

  const AnalysisConfig& config;
  fronthaul::DecoderConfig decoder;
  std::unique_ptr<fronthaul::StreamValidator> validator;
  std::optional<std::string> compression_note;
  std::optional<std::string> carrier_note;  // carrier PRBs inferred from the traffic
  bool carrier_known = false;

  std::vector<BufferedFrame> inference_buffer;
  bool inferring = false;

  std::array<std::array<Bucket, 2>, kCaseCount> buckets;

  std::vector<Endpoint> endpoints;
  std::optional<Endpoint> odu;  // learned from the first C-plane sender
  std::string odu_how;
  std::optional<Endpoint> oru;

  std::unordered_map<std::uint32_t, FlowSummary> flows;
  std::unordered_map<std::uint32_t, bool> addressed;    // direction|eaxc with C-plane seen
  std::array<bool, 2> cplane_seen_in{};                 // by direction
  std::map<std::uint32_t, LocatedFinding> unaddressed;  // first U-plane of an unaddressed flow
  std::map<std::uint32_t, std::uint64_t> unaddressed_count;
  std::map<std::uint32_t, Role> unaddressed_side;

  std::unordered_map<std::uint64_t, std::vector<PendingRequest>> pending;
  std::deque<std::pair<std::uint64_t, std::chrono::nanoseconds>> pending_order;
  std::uint64_t ul_requests = 0, prach_requests = 0, cut_off = 0;

  std::optional<transport::SlotClock> clock;
  std::array<TimingStats, 2> timing;  // by side

  std::uint64_t frames = 0, ecpri_frames = 0, skipped = 0, bytes = 0;
  std::chrono::nanoseconds last_timestamp{0};
  std::vector<std::string> notes;
  std::map<std::string, std::uint64_t> skip_reasons;
  std::set<std::uint16_t> detected_udp_ports;  // eCPRI recognised on unnamed UDP ports
  std::array<std::uint64_t, 2> messages_by_side{};
  std::array<std::uint64_t, 2> uplane_by_side{};
  std::uint64_t cplane_messages = 0;
  std::uint64_t cplane_by_ru = 0;

  // A request whose response window passed with symbols still unanswered.
  void report_unanswered(const PendingRequest& r) {
    if (r.wanted == 0) return;
    std::string missing;
    for (int sym = 0; sym < 14; ++sym) {
      if (r.wanted & (1u << sym)) missing += (missing.empty() ? "" : ",") + std::to_string(sym);
    }
    add(r.prach ? CaseId::kPrachResponse : CaseId::kUlResponse, Role::kOru,
        r.prach ? rules::kNoPrachResponse : rules::kNoUlResponse,
        std::string(r.prach ? "section type 3" : "UL section type 1") + " sectionId " +
            std::to_string(r.section_id) + " eAxC " + std::to_string(r.eaxc) + " " + r.slot +
            (r.prach ? " filterIndex " + std::to_string(r.filter_index) : "") +
            ": no U-plane on symbols " + missing,
        r.file, r.frame_number, 0);
  }

  Bucket& bucket(CaseId id, Role side) {
    return buckets[static_cast<std::size_t>(id)][side_index(side)];
  }

  void add(CaseId id, Role side, std::string_view rule_id, std::string message,
           const std::string& file, std::size_t frame, std::size_t offset) {
    Bucket& b = bucket(id, side);
    const fronthaul::Rule* rule = find_any_rule(rule_id);
    const auto severity = rule ? rule->severity : fronthaul::Severity::kError;
    if (severity == fronthaul::Severity::kError) b.errors = true;
    auto [it, inserted] = b.counts.try_emplace(std::string(rule_id), 0);
    if (++it->second > kKeptPerRule) return;
    LocatedFinding f;
    f.rule_id = rule ? rule->id : rule_id;
    f.clause = rule ? rule->clause : std::string_view{};
    f.severity = severity;
    f.message = std::move(message);
    f.file = file;
    f.frame_number = frame;
    f.byte_offset = offset;
    b.kept.push_back(std::move(f));
  }
};

std::string LocatedFinding::where() const {
  return file + " frame " + std::to_string(frame_number) + " byte " + std::to_string(byte_offset);
}

bool CaseOutcome::has_warnings() const {
  return std::any_of(findings.begin(), findings.end(), [](const LocatedFinding& f) {
    return f.severity == fronthaul::Severity::kWarning;
  });
}

std::uint64_t CaseOutcome::count(std::string_view rule) const {
  const auto it = counts.find(std::string(rule));
  return it == counts.end() ? 0 : it->second;
}

const CaseOutcome* AnalysisReport::find(CaseId id, adapter::Role side) const {
  for (const auto& c : cases) {
    if (c.case_id == id && c.side == side) return &c;
  }
  return nullptr;
}

Analyzer::Analyzer(AnalysisConfig config)
    : config_(std::move(config)), state_(std::make_unique<State>(config_)) {
  State& s = *state_;
  if (config_.eaxc_split) s.decoder.eaxc_split = *config_.eaxc_split;
  if (config_.carrier_prbs) s.decoder.carrier_prbs = *config_.carrier_prbs;
  s.carrier_known = config_.carrier_prbs.has_value();
  if (config_.compression) s.decoder.uplane_compression = *config_.compression;
  if (config_.compression && config_.carrier_prbs) {
    s.validator = std::make_unique<fronthaul::StreamValidator>(s.decoder);
  } else {
    s.inferring = true;
  }
  if (config_.ptp_aligned && config_.numerology) {
    s.clock.emplace(*config_.numerology, transport::Timestamp{});
  }
}

Analyzer::~Analyzer() = default;

void Analyzer::note(std::string text) { state_->notes.push_back(std::move(text)); }

namespace {

// The carrier's PRB count as a one-section U-plane message whose numPrbu is 0 ("all
// PRBs") tells it: its IQ bytes over the bytes per PRB. nullopt when the message is not
// such a message or the division leaves a remainder.
std::optional<std::uint16_t> carrier_from_all_prbs_section(std::span<const std::uint8_t> ecpri,
                                                           const fronthaul::UplaneCompression& c) {
  // eCPRI common header (4), eCPRI PC/seq IDs (4), radio application header (4), section
  // header (4), udCompHdr and reserved byte when dynamic (2).
  const std::size_t header = 16 + (c.dynamic ? 2 : 0);
  if (ecpri.size() <= header || ecpri[15] != 0) return std::nullopt;
  const fronthaul::CompressionParams params =
      c.dynamic ? fronthaul::CompressionParams::from_ud_comp_hdr(ecpri[16]) : c.static_params;
  const std::size_t per_prb = fronthaul::prb_payload_bytes(params);
  const std::size_t iq = ecpri.size() - header;
  if (per_prb == 0 || iq % per_prb != 0 || iq / per_prb > 275) return std::nullopt;
  return static_cast<std::uint16_t>(iq / per_prb);
}

struct Inferred {
  fronthaul::UplaneCompression compression;
  std::string how;  // the compression in words
  std::optional<std::uint16_t> carrier_prbs;
  bool standard_carrier = false;  // carrier_prbs is an NR channel bandwidth's
};

// The compression (and, for a section of numPrbu 0, the carrier PRBs) under which a
// U-plane message decodes without error: dynamic first (the header says it all), then
// static block floating point of each width, then none. A known compression or carrier
// is not guessed.
std::optional<Inferred> infer_uplane_parameters(std::span<const std::uint8_t> ecpri,
                                                fronthaul::DecoderConfig config,
                                                bool compression_known, bool carrier_known,
                                                std::optional<transport::Numerology> numerology) {
  using fronthaul::CompressionMethod;
  std::vector<fronthaul::UplaneCompression> candidates;
  if (compression_known) {
    candidates.push_back(config.uplane_compression);
  } else {
    candidates.push_back({true, {CompressionMethod::kBlockFloatingPoint, 9}});
    // The widths interoperability profiles use first, then the rest.
    for (std::uint8_t width : {9, 14, 12, 16, 8, 10, 11, 13, 15, 7, 6, 5, 4, 3, 2, 1}) {
      candidates.push_back({false, {CompressionMethod::kBlockFloatingPoint, width}});
    }
    candidates.push_back({false, {CompressionMethod::kNone, 16}});
  }
  // Sizes alone are ambiguous (273 PRBs of 9-bit BFP take the bytes of 156 PRBs of
  // 16-bit BFP): an NR channel bandwidth's PRB count is preferred; any other count only
  // lets the sections decode, and leaves the carrier unknown.
  for (bool standard : {true, false}) {
    for (const auto& candidate : candidates) {
      config.uplane_compression = candidate;
      std::optional<std::uint16_t> carrier;
      if (!carrier_known) {
        carrier = carrier_from_all_prbs_section(ecpri, candidate);
        if (carrier && standard && !transport::is_nr_carrier_prbs(*carrier, numerology))
          carrier.reset();
        if (carrier) config.carrier_prbs = *carrier;
        if (!carrier && !standard) continue;
      }
      const auto result = fronthaul::decode(ecpri, config);
      if (!result.findings.empty() || !result.message.is_uplane()) continue;
      const auto& up = std::get<UplaneMessage>(result.message.body);
      if (up.sections.empty()) continue;
      const std::string how = candidate.dynamic
                                  ? std::string("dynamic udCompHdr")
                                  : "static udCompHdr, " +
                                        std::to_string(candidate.static_params.iq_width) +
                                        "-bit block floating point or an equal-sized method";
      return Inferred{candidate, how, carrier, standard && carrier.has_value()};
    }
    if (carrier_known) break;
  }
  return std::nullopt;
}

}  // namespace

void Analyzer::end_inference() {
  State& s = *state_;
  if (!config_.compression && !s.compression_note) {
    s.compression_note = "U-plane compression not configured and no U-plane message in the first " +
                         std::to_string(s.inference_buffer.size()) +
                         " frames to infer it from: assumed static 9-bit BFP";
    s.notes.push_back(*s.compression_note);
  }
  s.validator = std::make_unique<fronthaul::StreamValidator>(s.decoder);
  s.inferring = false;
  std::vector<BufferedFrame> replay = std::move(s.inference_buffer);
  for (const BufferedFrame& b : replay) {
    FrameView view{b.bytes, b.timestamp, b.original_length, b.frame_number};
    feed(view, b.file, b.link_type);
  }
}

void Analyzer::feed(const FrameView& frame, const std::string& file, int link_type) {
  State& s = *state_;
  if (s.inferring) {
    // Decide the U-plane compression and the carrier's PRBs (whichever the config lacks)
    // from the U-plane, replaying the frames before the decision once made; give up
    // after a bounded prefix.
    BufferedFrame copy{{frame.bytes.begin(), frame.bytes.end()},
                       frame.timestamp,
                       frame.original_length,
                       frame.frame_number,
                       file,
                       link_type};
    s.inference_buffer.push_back(std::move(copy));
    const bool compression_known = config_.compression.has_value();
    if (link_type == fronthaul::kLinkTypeEthernet) {
      auto location = fronthaul::locate_ecpri(frame.bytes, config_.udp_ports, config_.detect_udp);
      if (location && location->payload.size() >= 4 && (location->payload[1] == 0)) {
        const auto found = infer_uplane_parameters(location->payload, s.decoder, compression_known,
                                                   s.carrier_known, config_.numerology);
        const std::string where = file + " frame " + std::to_string(frame.frame_number);
        if (found && !compression_known && !s.compression_note) {
          s.decoder.uplane_compression = found->compression;
          s.compression_note =
              "U-plane compression not configured: inferred " + found->how + " from " + where;
          s.notes.push_back(*s.compression_note);
        }
        if (found && found->carrier_prbs && !s.carrier_note) {
          s.decoder.carrier_prbs = *found->carrier_prbs;
          s.carrier_known = found->standard_carrier;
          s.carrier_note =
              "carrier PRBs not configured: a U-plane section of numPrbu 0 (all PRBs) in " + where +
              " carries " + std::to_string(*found->carrier_prbs) + " PRBs" +
              (found->standard_carrier
                   ? ", taken as the carrier"
                   : ", which is no NR channel bandwidth's PRB count: "
                     "decoded with it, PRB ranges not judged (give carrier.prbs)");
          s.notes.push_back(*s.carrier_note);
        }
      }
    }
    const bool decided =
        (compression_known || s.compression_note) && (s.carrier_known || s.carrier_note);
    if (!decided && s.inference_buffer.size() < kInferenceFrames) return;
    end_inference();
    return;
  }

  ++s.frames;
  s.bytes += frame.bytes.size();
  s.last_timestamp = std::max(s.last_timestamp, frame.timestamp);
  if (link_type != fronthaul::kLinkTypeEthernet) {
    ++s.skipped;
    ++s.skip_reasons["link type " + std::to_string(link_type) + " is not Ethernet"];
    return;
  }
  auto location = fronthaul::locate_ecpri(frame.bytes, config_.udp_ports, config_.detect_udp);
  if (!location) {
    ++s.skipped;
    // A frame that says eCPRI at the Ethernet layer but cannot be read is a finding;
    // anything else is another protocol (or garbage) and only counted.
    if (frame.bytes.size() >= 14 && frame.bytes[12] == 0xae && frame.bytes[13] == 0xfe) {
      s.add(CaseId::kEcpri, Role::kOdu, rules::kMalformedFrame, location.error().to_string(), file,
            frame.frame_number, 14);
    } else {
      // Reasons carry numbers (ports, ethertypes): a bounded set, the rest pooled.
      const std::string reason =
          s.skip_reasons.size() < 64 || s.skip_reasons.contains(location.error().message)
              ? location.error().message
              : "other reasons";
      auto& count = s.skip_reasons[reason];
      if (count++ == 0 && s.skip_reasons.size() <= 8) {
        s.notes.push_back(file + " frame " + std::to_string(frame.frame_number) +
                          ": not eCPRI, skipped (" + location.error().to_string() + ")");
      }
    }
    return;
  }
  ++s.ecpri_frames;
  const std::size_t base = location->offset;
  if (location->transport != fronthaul::EcpriTransport::kEthernet && config_.udp_ports.empty() &&
      s.detected_udp_ports.size() < 16) {
    s.detected_udp_ports.insert(location->source_port);
    s.detected_udp_ports.insert(location->destination_port);
  }

  // Which side sent it: the config's addresses, else the learned O-DU (first C-plane
  // sender), else the plane and dataDirection.
  const bool first_plane_cplane = location->payload.size() >= 2 && location->payload[1] == 2;
  const Endpoint sender = endpoint_of(*location, true);
  const bool overridden = !config_.odu.empty() || !config_.oru.empty();
  std::optional<Role> sender_role;
  if (overridden) {
    if (matches(config_.odu, *location)) sender_role = Role::kOdu;
    if (matches(config_.oru, *location)) sender_role = Role::kOru;
    if (!sender_role && !config_.odu.empty() && config_.oru.empty()) sender_role = Role::kOru;
    if (!sender_role && !config_.oru.empty() && config_.odu.empty()) sender_role = Role::kOdu;
  } else if (!s.odu && first_plane_cplane) {
    s.odu = sender;
    s.odu->label = endpoint_label(*location, true);
    s.odu_how = "sender of the first C-plane message (" + file + " frame " +
                std::to_string(frame.frame_number) + ")";
  }
  if (!sender_role && s.odu) sender_role = (sender == *s.odu) ? Role::kOdu : Role::kOru;
  if (!s.oru && sender_role == Role::kOru && !(s.odu && sender == *s.odu)) {
    s.oru = sender;
    s.oru->label = endpoint_label(*location, true);
  }

  // The validator keeps every finding; they are taken here per frame, so drop its copies.
  if (s.validator->findings().size() > 1024) s.validator->clear_findings();
  const auto findings = s.validator->feed(location->payload, frame.timestamp);
  const fronthaul::DecodeResult& decoded = s.validator->last();
  const Message& message = decoded.message;
  const auto* up = std::get_if<UplaneMessage>(&message.body);
  const auto* cp = std::get_if<CplaneMessage>(&message.body);
  const fronthaul::RadioApplicationHeader* header = up ? &up->header : (cp ? &cp->header : nullptr);
  const bool readable = decoded.bytes_read >= 8 && header != nullptr;
  // Without a learned side the plane decides: C-plane and DL U-plane come from the O-DU.
  const Role side = sender_role.value_or(
      (up && up->header.data_direction == DataDirection::kUplink) ? Role::kOru : Role::kOdu);
  const std::size_t si = side_index(side);
  ++s.messages_by_side[si];
  for (const auto& f : findings) {
    s.add(case_for_rule(f.rule_id, up != nullptr), side, f.rule_id, f.message, file,
          frame.frame_number, base + f.byte_offset);
  }
  if (!readable) return;

  const DataDirection direction = header->data_direction;
  const std::uint16_t eaxc = message.eaxc.to_wire(message.eaxc_split);
  const std::uint32_t flow_key =
      (std::uint32_t{up != nullptr} << 17) | (std::uint32_t(direction) << 16) | eaxc;
  auto [flow, new_flow] = s.flows.try_emplace(flow_key);
  if (new_flow) {
    flow->second.uplane = up != nullptr;
    flow->second.direction = direction;
    flow->second.eaxc = eaxc;
    flow->second.eaxc_text = eaxc_text(eaxc, message.eaxc_split);
    flow->second.sender = endpoint_label(*location, true);
    flow->second.first_frame = file + " frame " + std::to_string(frame.frame_number);
  }
  ++flow->second.messages;
  flow->second.bytes += location->payload.size();

  for (CaseId id : {CaseId::kEcpri, CaseId::kSequenceIds, CaseId::kSenderRoles}) {
    ++s.bucket(id, side).judged;
  }
  ++s.bucket(up ? CaseId::kUplaneHeaders : CaseId::kCplaneHeaders, side).judged;

  // Sender roles: C-plane and DL U-plane from the O-DU, UL U-plane from the O-RU.
  const bool from_odu = sender_role == Role::kOdu;
  if (sender_role) {
    const bool odu_message = cp != nullptr || direction == DataDirection::kDownlink;
    if (odu_message != from_odu) {
      const std::string what = cp ? "C-plane" : direction_name(direction) + " U-plane";
      s.add(CaseId::kSenderRoles, side, rules::kWrongSender,
            what + " sent by the " + std::string(adapter::to_string(side)) + " side (" +
                endpoint_label(*location, true) + ")",
            file, frame.frame_number, base + 4);
    }
  }

  // Timing on the slot timeline.
  const bool time_it = s.clock && config_.windows &&
                       header->slot_id < transport::slots_per_subframe(*config_.numerology) &&
                       header->subframe_id < 10 && header->start_symbol_id < 14;
  if (time_it) {
    const auto& w = *config_.windows;
    const bool at_odu = config_.capture_point == CapturePoint::kOdu;
    const transport::TimingWindow* window = nullptr;
    std::string_view name;
    if (cp) {
      const bool dl = direction == DataDirection::kDownlink;
      window = at_odu ? (dl ? &w.t1a_cp_dl : &w.t1a_cp_ul) : (dl ? &w.t2a_cp_dl : &w.t2a_cp_ul);
      name = at_odu ? (dl ? "T1a C-plane DL" : "T1a C-plane UL")
                    : (dl ? "T2a C-plane DL" : "T2a C-plane UL");
    } else if (direction == DataDirection::kDownlink) {
      window = at_odu ? &w.t1a_up : &w.t2a_up;
      name = at_odu ? "T1a U-plane" : "T2a U-plane";
    } else {
      window = at_odu ? &w.ta4 : &w.ta3;
      name = at_odu ? "Ta4" : "Ta3";
    }
    const CaseId timing_case =
        (cp || direction == DataDirection::kDownlink) ? CaseId::kTimingOdu : CaseId::kTimingOru;
    const transport::Timestamp at{frame.timestamp + config_.clock_offset};
    const transport::SlotPoint point{header->frame_id, header->subframe_id, header->slot_id,
                                     header->start_symbol_id};
    const transport::Timestamp symbol = s.clock->nearest_time(point, at, 256);
    const auto offset = window->offset(at, symbol);
    TimingStats& stats = s.timing[timing_case == CaseId::kTimingOdu ? 0 : 1];
    stats.min = std::min(stats.min, offset);
    stats.max = std::max(stats.max, offset);
    ++s.bucket(timing_case, timing_case == CaseId::kTimingOdu ? Role::kOdu : Role::kOru).judged;
    const auto position = window->classify(at, symbol);
    if (position == transport::WindowPosition::kOnTime) {
      ++stats.on_time;
    } else {
      const bool early = position == transport::WindowPosition::kEarly;
      ++(early ? stats.early : stats.late);
      const bool before = window->anchor == transport::WindowAnchor::kBeforeSymbol;
      s.add(timing_case, timing_case == CaseId::kTimingOdu ? Role::kOdu : Role::kOru,
            early ? rules::kEarly : rules::kLate,
            std::string(name) + ": " + (cp ? "C-plane " : "U-plane ") + slot_text(*header) +
                " symbol " + std::to_string(header->start_symbol_id) + " " + micros(offset) +
                (before ? " before" : " after") + " the symbol, window " + micros(window->min) +
                ".." + micros(window->max),
            file, frame.frame_number, base + 8);
    }
  }

  // Expire requests whose answers can no longer come.
  auto expire = [&](std::chrono::nanoseconds now, bool all) {
    while (!s.pending_order.empty()) {
      const auto [key, stamp] = s.pending_order.front();
      if (!all && now - stamp <= config_.response_window && s.pending_order.size() <= kMaxPending) {
        break;
      }
      s.pending_order.pop_front();
      auto it = s.pending.find(key);
      if (it == s.pending.end()) continue;
      for (const PendingRequest& r : it->second) s.report_unanswered(r);
      s.pending.erase(it);
    }
  };
  expire(frame.timestamp, false);

  if (cp) {
    ++s.cplane_messages;
    s.addressed[(std::uint32_t(direction) << 16) | eaxc] = true;
    s.cplane_seen_in[static_cast<std::size_t>(direction)] = true;
    const bool prach = cp->section_type == SectionType::kPrachAndMixedNumerology;
    const bool ul_st1 =
        cp->section_type == SectionType::kMostDlUl && direction == DataDirection::kUplink;
    if (prach || ul_st1) {
      const std::uint64_t key = slot_key(eaxc, cp->header);
      auto& list = s.pending[key];
      if (list.empty()) s.pending_order.emplace_back(key, frame.timestamp);
      unsigned symbol = cp->header.start_symbol_id;
      for (const auto& section : cp->sections) {
        if (section.sym_inc) ++symbol;
        PendingRequest r;
        r.key = key;
        r.prach = prach;
        r.filter_index = cp->header.filter_index;
        r.section_id = section.section_id;
        for (unsigned k = symbol; k < symbol + section.num_symbol && k < 14; ++k) {
          r.wanted |= static_cast<std::uint16_t>(1u << k);
        }
        r.requested = r.wanted;
        r.timestamp = frame.timestamp;
        r.file = file;
        r.frame_number = frame.frame_number;
        r.slot = slot_text(cp->header);
        r.eaxc = eaxc;
        ++(prach ? s.prach_requests : s.ul_requests);
        list.push_back(std::move(r));
      }
    }
    return;
  }

  // U-plane.
  ++s.uplane_by_side[si];
  ++s.bucket(CaseId::kCompression, side).judged;
  ++s.bucket(CaseId::kSingleSection, side).judged;
  const unsigned limit = config_.max_sections_per_uplane.value_or(1);
  if (up->sections.size() > limit) {
    const std::string text = std::to_string(up->sections.size()) +
                             " sections in one U-plane message " + slot_text(up->header) +
                             " symbol " + std::to_string(up->header.start_symbol_id) +
                             (config_.max_sections_per_uplane
                                  ? ", at most " + std::to_string(limit) + " agreed"
                                  : " (no limit configured: a warning; many O-DUs expect one)");
    // Without an agreed limit several sections are legal, only a known interop risk.
    s.add(CaseId::kSingleSection, side,
          config_.max_sections_per_uplane ? rules::kMultiSection : rules::kMultiSectionUnagreed,
          text, file, frame.frame_number, base + 12);
  }
  const std::uint32_t address = (std::uint32_t(direction) << 16) | eaxc;
  ++s.bucket(CaseId::kEaxcMapping, side).judged;
  if (!s.addressed.contains(address)) {
    if (!s.unaddressed.contains(address)) {
      LocatedFinding f;
      f.message = direction_name(direction) + " U-plane on eAxC " +
                  eaxc_text(eaxc, message.eaxc_split) + ", which no C-plane message addressed";
      f.file = file;
      f.frame_number = frame.frame_number;
      f.byte_offset = base + 4;
      s.unaddressed.emplace(address, std::move(f));
      s.unaddressed_side[address] = side;
    }
    ++s.unaddressed_count[address];
  }
  if (direction == DataDirection::kUplink) {
    ++s.bucket(CaseId::kCplaneUplane, side).judged;
    const bool prach_answer = up->header.filter_index != 0;
    bool matched = false;
    auto it = s.pending.find(slot_key(eaxc, up->header));
    if (it != s.pending.end()) {
      const unsigned sym = up->header.start_symbol_id;
      for (PendingRequest& r : it->second) {
        if (r.prach != prach_answer) continue;
        if (prach_answer && r.filter_index != up->header.filter_index) continue;
        if (sym >= 14 || !(r.requested & (1u << sym))) continue;
        for (const auto& section : up->sections) {
          if (section.section_id == r.section_id) {
            r.wanted &= static_cast<std::uint16_t>(~(1u << sym));
            matched = true;
          }
        }
      }
    }
    if (prach_answer) ++s.bucket(CaseId::kPrachResponse, Role::kOru).judged;
    if (prach_answer && !matched) {
      s.add(CaseId::kPrachResponse, side, rules::kPrachUnrequested,
            "PRACH U-plane filterIndex " + std::to_string(up->header.filter_index) + " eAxC " +
                std::to_string(eaxc) + " " + slot_text(up->header) + " symbol " +
                std::to_string(up->header.start_symbol_id) +
                ": no section type 3 request for this symbol and filter",
            file, frame.frame_number, base + 4);
    }
  } else {
    ++s.bucket(CaseId::kCplaneUplane, side).judged;
  }
}

AnalysisReport Analyzer::finish() {
  State& s = *state_;
  if (s.inferring) end_inference();
  // Requests still pending: judged if their window has passed by the end of the capture,
  // otherwise the capture was cut before their answer could come.
  for (auto& [key, list] : s.pending) {
    for (auto& r : list) {
      if (r.wanted != 0 && s.last_timestamp - r.timestamp <= config_.response_window) {
        r.wanted = 0;
        ++s.cut_off;
      }
    }
  }
  {
    std::deque<std::pair<std::uint64_t, std::chrono::nanoseconds>> order;
    order.swap(s.pending_order);
    for (auto& [key, stamp] : order) {
      auto it = s.pending.find(key);
      if (it == s.pending.end()) continue;
      for (const PendingRequest& r : it->second) s.report_unanswered(r);
      s.pending.erase(it);
    }
  }
  // U-plane flows no C-plane ever addressed (only judged where C-plane of that
  // direction was seen at all: a capture of U-plane alone says nothing about the mapping).
  for (const auto& [address, first] : s.unaddressed) {
    if (s.addressed.contains(address)) continue;
    const std::size_t direction = address >> 16;
    if (!s.cplane_seen_in[direction]) continue;
    const Role side = s.unaddressed_side[address];
    s.add(CaseId::kEaxcMapping, side, rules::kEaxcNotRequested,
          first.message + " (" + std::to_string(s.unaddressed_count[address]) + " messages)",
          first.file, first.frame_number, first.byte_offset);
  }

  AnalysisReport report;
  report.frames = s.frames;
  report.ecpri_frames = s.ecpri_frames;
  report.skipped_frames = s.skipped;
  report.bytes = s.bytes;
  report.notes = s.notes;
  if (!s.detected_udp_ports.empty()) {
    std::string ports;
    for (auto p : s.detected_udp_ports) ports += (ports.empty() ? "" : ", ") + std::to_string(p);
    report.notes.push_back("eCPRI over UDP recognised by its common header on UDP ports " + ports +
                           " (name the ports in udp_ports to take only those)");
  }
  for (const auto& [reason, count] : s.skip_reasons) {
    if (count > 1) {
      report.notes.push_back(std::to_string(count) + " frames skipped: " + reason);
    }
  }
  if (s.cut_off > 0) {
    report.notes.push_back(std::to_string(s.cut_off) +
                           " UL/PRACH requests near the end of the capture not judged: their "
                           "response window had not passed when the capture ended");
  }
  const bool overridden = !config_.odu.empty() || !config_.oru.empty();
  if (overridden) {
    report.odu = "as configured";
    report.oru = "as configured";
  } else {
    report.odu = s.odu ? s.odu->label + ", " + s.odu_how : "not identified (no C-plane)";
    report.oru = s.oru ? s.oru->label + ", the other side" : "not identified";
  }
  for (const auto& [key, flow] : s.flows) report.flows.push_back(flow);
  std::sort(report.flows.begin(), report.flows.end(), [](const auto& a, const auto& b) {
    return std::tie(a.uplane, a.direction, a.eaxc) < std::tie(b.uplane, b.direction, b.eaxc);
  });

  const bool sides_known = overridden || s.odu.has_value();
  for (const OfflineCase& c : offline_cases()) {
    std::vector<Role> sides;
    if (c.role) {
      sides.push_back(*c.role);
    } else {
      sides = {Role::kOdu, Role::kOru};
    }
    for (Role side : sides) {
      const Bucket& b = s.bucket(c.case_id, side);
      CaseOutcome out;
      out.case_id = c.case_id;
      out.side = side;
      out.findings = b.kept;
      for (const auto& [rule, count] : b.counts) out.counts[rule] = count;
      out.measurements.push_back({"messages judged", static_cast<double>(b.judged), "count"});
      const std::string who(adapter::to_string(side));
      // What the case lacks to judge, in words; empty when it can judge.
      std::string missing;
      if (s.ecpri_frames == 0) {
        missing = "no eCPRI message in the capture" +
                  std::string(!config_.detect_udp && config_.udp_ports.empty()
                                  ? " (eCPRI over UDP needs udp_ports in the config)"
                                  : "");
      } else if (b.judged == 0) {
        switch (c.case_id) {
          case CaseId::kUlResponse:
            missing = "no UL section type 1 request in the capture";
            break;
          case CaseId::kPrachResponse:
            missing = s.prach_requests == 0 ? "no section type 3 (PRACH) request in the capture"
                                            : "no PRACH U-plane in the capture";
            break;
          case CaseId::kTimingOdu:
          case CaseId::kTimingOru:
            break;  // reported below with the missing parameters
          default:
            missing = "no traffic from the " + who + " side in the capture for this case";
        }
      }
      if (c.case_id == CaseId::kUlResponse && s.ul_requests > 0) missing.clear();
      if (c.case_id == CaseId::kPrachResponse && s.prach_requests > 0) missing.clear();
      if (c.case_id == CaseId::kTimingOdu || c.case_id == CaseId::kTimingOru) {
        std::vector<std::string> lacks;
        if (!config_.ptp_aligned) {
          lacks.push_back("the capture clock is not stated PTP-aligned (timing.ptp_aligned)");
        }
        if (!config_.numerology) lacks.push_back("numerology not configured");
        if (!config_.windows) lacks.push_back("timing windows not configured (timing.windows)");
        if (!lacks.empty()) {
          missing.clear();
          for (const auto& l : lacks) missing += (missing.empty() ? "" : "; ") + l;
        } else if (b.judged == 0 && missing.empty()) {
          missing = "no message from the " + who + " side to time";
        }
        const TimingStats& t = s.timing[c.case_id == CaseId::kTimingOdu ? 0 : 1];
        if (b.judged > 0) {
          out.measurements.push_back({"offset min", t.min.count() / 1000.0, "us"});
          out.measurements.push_back({"offset max", t.max.count() / 1000.0, "us"});
          out.measurements.push_back({"early", static_cast<double>(t.early), "count"});
          out.measurements.push_back({"on time", static_cast<double>(t.on_time), "count"});
          out.measurements.push_back({"late", static_cast<double>(t.late), "count"});
        }
      }
      if (missing.empty()) {
        switch (c.case_id) {
          case CaseId::kCplaneHeaders:
          case CaseId::kUplaneHeaders:
            if (!s.carrier_known) {
              missing = s.carrier_note ? *s.carrier_note
                                       : "carrier PRBs not configured (carrier.prbs or "
                                         "carrier.bandwidth_mhz) and no U-plane section of "
                                         "numPrbu 0 to infer them from: PRB ranges not judged";
            }
            break;
          case CaseId::kCompression:
            if (!config_.compression) {
              missing = (s.compression_note ? *s.compression_note + "; " : std::string()) +
                        "static versus dynamic udCompHdr cannot be judged without the "
                        "configured compression (compression.mode)";
            }
            break;
          case CaseId::kSenderRoles:
            if (!sides_known) {
              missing =
                  "O-DU not identified: no C-plane in the capture and no sides.o_du "
                  "in the config";
            }
            break;
          case CaseId::kCplaneUplane:
            if (s.cplane_messages == 0) missing = "no C-plane in the capture to couple to";
            break;
          case CaseId::kEaxcMapping: {
            const auto dir = side == Role::kOdu ? DataDirection::kDownlink : DataDirection::kUplink;
            if (!s.cplane_seen_in[static_cast<std::size_t>(dir)]) {
              missing = "no " + direction_name(dir) + " C-plane in the capture";
            }
            break;
          }
          default:
            break;
        }
      }
      if (b.errors) {
        out.judgement = Judgement::kFail;
        std::uint64_t errors = 0;
        for (const auto& [rule, count] : b.counts) {
          const auto* r = find_any_rule(rule);
          if (!r || r->severity == fronthaul::Severity::kError) errors += count;
        }
        out.reason = std::to_string(errors) + " error finding" + (errors == 1 ? "" : "s");
        if (!missing.empty()) out.reason += "; also: " + missing;
      } else if (!missing.empty()) {
        out.judgement = Judgement::kInconclusive;
        out.reason = missing;
      } else {
        out.judgement = Judgement::kPass;
        std::uint64_t warnings = 0;
        for (const auto& [rule, count] : b.counts) warnings += count;
        if (warnings > 0) {
          out.reason = std::to_string(warnings) + " warning" + (warnings == 1 ? "" : "s");
        }
      }
      report.cases.push_back(std::move(out));
    }
  }
  return report;
}

Result<AnalysisReport> analyze_captures(const std::vector<std::string>& paths,
                                        AnalysisConfig config, ProgressCallback progress) {
  struct Open {
    CaptureFile file;
    FrameView frame;
    bool has = false;
  };
  Analyzer analyzer(std::move(config));
  std::vector<Open> files;
  std::vector<std::string> failures;
  AnalysisProgress state;
  for (const auto& path : paths) {
    auto file = CaptureFile::open(path);
    if (!file) {
      failures.push_back(file.error().to_string());
      analyzer.note(file.error().to_string());
      continue;
    }
    state.bytes_total += file->size();
    files.push_back(Open{std::move(*file), {}, false});
  }
  if (files.empty()) {
    std::string text;
    for (const auto& f : failures) text += (text.empty() ? "" : "\n") + f;
    return Error{text.empty() ? "no capture given" : text, ""};
  }
  // Advances one file; a damaged file keeps the frames before the damage.
  auto advance = [&](Open& open) {
    auto next = open.file.next(open.frame);
    if (!next) {
      analyzer.note(next.error().to_string() + " (frames before it were analysed)");
      open.has = false;
      return;
    }
    open.has = *next;
  };
  for (auto& open : files) advance(open);
  std::uint64_t reported = 0;
  constexpr std::uint64_t kProgressStep = 64ull << 20;
  for (;;) {
    // Several files merge in timestamp order (for example one capture per direction).
    Open* earliest = nullptr;
    for (auto& open : files) {
      if (open.has && (!earliest || open.frame.timestamp < earliest->frame.timestamp)) {
        earliest = &open;
      }
    }
    if (!earliest) break;
    analyzer.feed(earliest->frame, earliest->file.path(), earliest->file.link_type());
    ++state.frames;
    advance(*earliest);
    if (progress) {
      std::uint64_t read = 0;
      for (const auto& open : files) read += open.file.position();
      state.bytes_read = read;
      if (read - reported >= kProgressStep) {
        reported = read;
        progress(state);
      }
    }
  }
  if (progress) {
    state.bytes_read = state.bytes_total;
    progress(state);
  }
  return analyzer.finish();
}

}  // namespace plugfest::analyze
