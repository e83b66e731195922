#include "interfaces/fronthaul/stream_validator.h"

#include <algorithm>
#include <string>

namespace plugfest::fronthaul {
namespace {

// Slots of C-plane requests kept for coupling: a few frames of a 4T4R cell.
constexpr std::size_t kMaxRequestSlots = 8192;
// Packets after which a slot's C-plane requests are stale (tens of milliseconds of a
// 4T4R cell; a frameId wrap takes 2.56 s).
constexpr std::size_t kStaleAfterPackets = 4096;

std::uint32_t stream_key(bool uplane, DataDirection direction, std::uint16_t eaxc) {
  return (std::uint32_t{uplane} << 17) | (std::uint32_t(direction) << 16) | eaxc;
}

std::uint64_t slot_key(DataDirection direction, std::uint16_t eaxc,
                       const RadioApplicationHeader& h) {
  return (std::uint64_t(direction) << 40) | (std::uint64_t{eaxc} << 24) |
         (std::uint64_t{h.frame_id} << 16) | (std::uint64_t{h.subframe_id} << 8) | h.slot_id;
}

const RadioApplicationHeader* radio_header(const Message& message) {
  if (const auto* up = std::get_if<UplaneMessage>(&message.body)) return &up->header;
  if (const auto* cp = std::get_if<CplaneMessage>(&message.body)) return &cp->header;
  return nullptr;
}

}  // namespace

StreamValidator::StreamValidator(DecoderConfig config) : config_(std::move(config)) {}

void StreamValidator::report(std::string_view rule, std::size_t offset, std::string message) {
  findings_.push_back(make_finding(rule, offset, std::move(message)));
}

std::span<const Finding> StreamValidator::feed(std::span<const std::uint8_t> ecpri,
                                               std::chrono::nanoseconds timestamp) {
  decode_into(ecpri, config_, last_);
  packet_findings_start_ = findings_.size();
  findings_.insert(findings_.end(), last_.findings.begin(), last_.findings.end());
  const Message& message = last_.message;
  // Only messages whose transport header was read take part in stream checks.
  if (last_.bytes_read >= 8 && radio_header(message) != nullptr) {
    check_sequence(message);
    if (const auto* cp = std::get_if<CplaneMessage>(&message.body)) {
      record_cplane(message, *cp);
    } else if (const auto* up = std::get_if<UplaneMessage>(&message.body)) {
      check_uplane(message, *up);
    }
  }
  for (std::size_t i = packet_findings_start_; i < findings_.size(); ++i) {
    findings_[i].packet_index = packets_;
  }
  ++packets_;
  last_timestamp_ = timestamp;
  return std::span<const Finding>(findings_).subspan(packet_findings_start_);
}

void StreamValidator::check_sequence(const Message& message) {
  const RadioApplicationHeader* header = radio_header(message);
  const std::uint32_t key = stream_key(message.is_uplane(), header->data_direction,
                                       message.eaxc.to_wire(message.eaxc_split));
  const std::uint8_t seq = message.seq_id.sequence_id;
  const auto [it, inserted] = last_sequence_id_.try_emplace(key, seq);
  if (inserted) return;
  const std::uint8_t expected = static_cast<std::uint8_t>(it->second + 1);
  const std::uint8_t ahead = static_cast<std::uint8_t>(seq - expected);
  if (ahead == 0) {
    it->second = seq;
  } else if (ahead < 128) {
    report(rules::kStreamSeqIdGap, 6,
           "ecpriSeqid " + std::to_string(seq) + ", expected " + std::to_string(expected) + " (" +
               std::to_string(ahead) + " missing)");
    it->second = seq;
  } else {
    report(rules::kStreamSeqIdReorder, 6,
           "ecpriSeqid " + std::to_string(seq) + " after " + std::to_string(it->second));
  }
}

void StreamValidator::record_cplane(const Message& message, const CplaneMessage& cplane) {
  if (cplane.section_type != SectionType::kMostDlUl &&
      cplane.section_type != SectionType::kPrachAndMixedNumerology &&
      cplane.section_type != SectionType::kUeScheduling) {
    return;
  }
  const std::uint16_t eaxc = message.eaxc.to_wire(message.eaxc_split);
  const DataDirection direction = cplane.header.data_direction;
  coupled_.insert(stream_key(false, direction, eaxc));
  const std::uint64_t key = slot_key(direction, eaxc, cplane.header);
  auto [it, inserted] = requests_.try_emplace(key);
  if (!inserted && packets_ - it->second.last_packet > kStaleAfterPackets) {
    it->second.requests.clear();
  }
  it->second.last_packet = packets_;
  if (inserted) {
    request_order_.push_back(key);
    if (request_order_.size() > kMaxRequestSlots) {
      requests_.erase(request_order_.front());
      request_order_.pop_front();
    }
  }
  unsigned symbol = cplane.header.start_symbol_id;
  for (const CplaneSection& s : cplane.sections) {
    if (s.sym_inc) ++symbol;
    Request request;
    request.section_id = s.section_id;
    const unsigned count = s.num_prbc == 0 ? config_.carrier_prbs : s.num_prbc;
    request.first_prb = s.num_prbc == 0 ? 0 : s.start_prbc;
    request.last_prb = static_cast<std::uint16_t>(
        request.first_prb + (count == 0 ? 0 : (s.rb ? 2 * (count - 1) : count - 1)));
    request.first_symbol = static_cast<std::uint8_t>(symbol);
    request.end_symbol = static_cast<std::uint8_t>(symbol + s.num_symbol);
    request.ud_comp_hdr = cplane.ud_comp_hdr;
    it->second.requests.push_back(request);
  }
}

void StreamValidator::check_uplane(const Message& message, const UplaneMessage& uplane) {
  const std::uint16_t eaxc = message.eaxc.to_wire(message.eaxc_split);
  const DataDirection direction = uplane.header.data_direction;
  if (!coupled_.contains(stream_key(false, direction, eaxc))) return;
  const auto slot = requests_.find(slot_key(direction, eaxc, uplane.header));
  const unsigned symbol = uplane.header.start_symbol_id;
  // Built only when something is reported: this runs for every U-plane packet.
  auto where = [&] {
    return "frame " + std::to_string(uplane.header.frame_id) + " subframe " +
           std::to_string(uplane.header.subframe_id) + " slot " +
           std::to_string(uplane.header.slot_id) + " symbol " + std::to_string(symbol);
  };
  if (slot == requests_.end() || slot->second.requests.empty() ||
      packets_ - slot->second.last_packet > kStaleAfterPackets) {
    report(rules::kStreamUpNoCplane, 8, "no C-plane section requested " + where());
    return;
  }
  std::size_t offset = 12;
  for (const UplaneSection& s : uplane.sections) {
    const std::size_t section_offset = offset;
    offset += 4 + (s.ud_comp_hdr ? 2 : 0) + s.iq_data.size();
    const Request* match = nullptr;
    const Request* same_id = nullptr;
    for (const Request& request : slot->second.requests) {
      if (request.section_id != s.section_id) continue;
      same_id = &request;
      if (symbol >= request.first_symbol && symbol < request.end_symbol) {
        match = &request;
        break;
      }
    }
    if (same_id == nullptr) {
      report(rules::kStreamUpSectionId, section_offset,
             "sectionId " + std::to_string(s.section_id) + " was not requested by the C-plane " +
                 where());
      continue;
    }
    if (match == nullptr) {
      report(rules::kStreamUpSymbolOutside, section_offset,
             "sectionId " + std::to_string(s.section_id) + " requested symbols " +
                 std::to_string(same_id->first_symbol) + ".." +
                 std::to_string(same_id->end_symbol - 1) + ", U-plane " + where());
      continue;
    }
    const unsigned count = s.num_prbu == 0 ? config_.carrier_prbs : s.num_prbu;
    const unsigned first = s.num_prbu == 0 ? 0 : s.start_prbu;
    const unsigned last = first + (count == 0 ? 0 : (s.rb ? 2 * (count - 1) : count - 1));
    if (first < match->first_prb || last > match->last_prb) {
      report(rules::kStreamUpPrbOutside, section_offset + 1,
             "sectionId " + std::to_string(s.section_id) + " PRBs " + std::to_string(first) + ".." +
                 std::to_string(last) + " outside the requested " +
                 std::to_string(match->first_prb) + ".." + std::to_string(match->last_prb));
    }
    // Uplink: the C-plane udCompHdr says how the O-RU must compress (0 means as configured).
    if (direction == DataDirection::kUplink && match->ud_comp_hdr.ud_comp_hdr() != 0) {
      const CompressionParams used =
          s.ud_comp_hdr ? *s.ud_comp_hdr : config_.uplane_compression.static_params;
      if (!(used == match->ud_comp_hdr)) {
        report(rules::kStreamUpCompression, section_offset,
               "sectionId " + std::to_string(s.section_id) + " sent with udCompHdr " +
                   std::to_string(used.ud_comp_hdr()) + ", C-plane asked for " +
                   std::to_string(match->ud_comp_hdr.ud_comp_hdr()));
      }
    }
  }
}

}  // namespace plugfest::fronthaul
