// The eCPRI layer of the codec: the common header and ecpriRtcid/ecpriSeqid, the one-way
// delay measurement message (eCPRI message type 5), and the radio application header
// that every C- and U-plane message opens with.
#include <string>
#include <variant>

#include "interfaces/fronthaul/codec_internal.h"

namespace plugfest::fronthaul::detail {
namespace {

constexpr std::size_t kEcpriTransportHeaderBytes = 8;  // plus ecpriRtcid/Pcid, ecpriSeqid
constexpr std::size_t kEthernetMinimumPayload = 46;    // below this, padding is normal
constexpr std::size_t kOneWayDelayBytes = 20;

}  // namespace

// ------------------------------------------------------------------------------------
// Encoder

void write_ecpri_headers(BitWriter& w, const Message& message) {
  w.write(message.ecpri.revision, 4);
  w.write(message.ecpri.reserved, 3);
  w.write_bool(message.ecpri.c_bit);
  w.write_u8(static_cast<std::uint8_t>(message.message_type()));
  w.write_u16(0);
  if (!std::holds_alternative<OneWayDelayMeasurement>(message.body)) {
    w.write_u16(message.eaxc.to_wire(message.eaxc_split));
    w.write_u8(message.seq_id.sequence_id);
    w.write_bool(message.seq_id.e_bit);
    w.write(message.seq_id.subsequence_id, 7);
  }
}

void write_radio_header(BitWriter& w, const RadioApplicationHeader& h) {
  w.write(static_cast<std::uint32_t>(h.data_direction), 1);
  w.write(h.payload_version, 3);
  w.write(h.filter_index, 4);
  w.write_u8(h.frame_id);
  w.write(h.subframe_id, 4);
  w.write(h.slot_id, 6);
  w.write(h.start_symbol_id, 6);
}

void write_one_way_delay(BitWriter& w, const OneWayDelayMeasurement& m) {
  w.write_u8(m.measurement_id);
  w.write_u8(m.action_type);
  w.write(static_cast<std::uint32_t>(m.timestamp_seconds >> 32) & 0xffff, 16);
  w.write(static_cast<std::uint32_t>(m.timestamp_seconds & 0xffffffff), 32);
  w.write(m.timestamp_nanoseconds, 32);
  const auto compensation = static_cast<std::uint64_t>(m.compensation_value);
  w.write(static_cast<std::uint32_t>(compensation >> 32), 32);
  w.write(static_cast<std::uint32_t>(compensation & 0xffffffff), 32);
  w.write_bytes(m.dummy_bytes);
}

// ------------------------------------------------------------------------------------
// Decoder

void Decoder::run() {
  Message& msg = out_.message;
  if (bytes_.size() < kEcpriCommonHeaderBytes) {
    report(rules::kEcpriTruncated, 0,
           "packet of " + std::to_string(bytes_.size()) + " octets has no eCPRI common header");
    return;
  }
  BitReader head(bytes_);
  msg.ecpri.revision = static_cast<std::uint8_t>(head.read(4));
  msg.ecpri.reserved = static_cast<std::uint8_t>(head.read(3));
  msg.ecpri.c_bit = head.read_bool();
  const std::uint8_t type = head.read_u8();
  const std::size_t payload_size = head.read_u16();
  out_.bytes_read = kEcpriCommonHeaderBytes;
  if (msg.ecpri.revision != 1) {
    report(rules::kEcpriRevision, 0,
           "eCPRI revision " + std::to_string(msg.ecpri.revision) + ", expected 1");
  }
  if (msg.ecpri.reserved != 0) report(rules::kEcpriReserved, 0, "eCPRI reserved bits not zero");
  if (msg.ecpri.c_bit) {
    report(rules::kEcpriConcatenation, 0, "C bit set; only the first message is decoded");
  }
  const std::size_t available = bytes_.size() - kEcpriCommonHeaderBytes;
  std::size_t end = bytes_.size();
  if (payload_size > available) {
    report(rules::kEcpriPayloadSize, 2,
           "ecpriPayload " + std::to_string(payload_size) + " octets but only " +
               std::to_string(available) + " follow the common header");
  } else if (payload_size < available) {
    end = kEcpriCommonHeaderBytes + payload_size;
    if (bytes_.size() > kEthernetMinimumPayload) {
      report(rules::kEcpriFramePadding, end,
             std::to_string(available - payload_size) + " octets after the eCPRI payload of " +
                 std::to_string(payload_size));
    }
  }
  BitReader r(bytes_.first(end));
  r.skip(kEcpriCommonHeaderBytes * 8);

  if (type == static_cast<std::uint8_t>(EcpriMessageType::kOneWayDelayMeasurement)) {
    msg.body = OneWayDelayMeasurement{};
    decode_one_way_delay(r, std::get<OneWayDelayMeasurement>(msg.body));
    return;
  }
  if (type != static_cast<std::uint8_t>(EcpriMessageType::kIqData) &&
      type != static_cast<std::uint8_t>(EcpriMessageType::kRealTimeControl)) {
    report(rules::kEcpriMessageType, 1, "eCPRI message type " + std::to_string(type));
    return;
  }
  if (r.remaining_bytes() < 4) {
    report(rules::kEcpriTruncated, r.byte_position(), "no room for ecpriRtcid/ecpriSeqid");
    return;
  }
  if (!config_.eaxc_split.valid()) {
    const EaxcSplit& s = config_.eaxc_split;
    report(rules::kEaxcBitWidths, 4,
           "eAxC split " + std::to_string(s.du_port_bits) + "+" +
               std::to_string(s.band_sector_bits) + "+" + std::to_string(s.cc_bits) + "+" +
               std::to_string(s.ru_port_bits) + " is not 16 bits");
  }
  msg.eaxc_split = config_.eaxc_split;
  msg.eaxc = EaxcId::from_wire(r.read_u16(), config_.eaxc_split);
  msg.seq_id.sequence_id = r.read_u8();
  msg.seq_id.e_bit = r.read_bool();
  msg.seq_id.subsequence_id = static_cast<std::uint8_t>(r.read(7));
  if (!msg.seq_id.e_bit || msg.seq_id.subsequence_id != 0) {
    report(rules::kEcpriFragmentation, 6,
           "E bit " + std::to_string(msg.seq_id.e_bit) + ", subsequence ID " +
               std::to_string(msg.seq_id.subsequence_id));
  }
  out_.bytes_read = kEcpriTransportHeaderBytes;
  if (type == static_cast<std::uint8_t>(EcpriMessageType::kIqData)) {
    if (!msg.is_uplane()) msg.body = UplaneMessage{};
    decode_uplane(r, std::get<UplaneMessage>(msg.body));
  } else {
    msg.body = CplaneMessage{};
    decode_cplane(r, std::get<CplaneMessage>(msg.body));
  }
}

bool Decoder::decode_radio_header(BitReader& r, RadioApplicationHeader& h) {
  const std::size_t offset = r.byte_position();
  if (r.remaining_bytes() < 4) {
    report(rules::kEcpriTruncated, offset, "no room for the radio application header");
    return false;
  }
  h.data_direction = static_cast<DataDirection>(r.read(1));
  h.payload_version = static_cast<std::uint8_t>(r.read(3));
  h.filter_index = static_cast<std::uint8_t>(r.read(4));
  h.frame_id = r.read_u8();
  h.subframe_id = static_cast<std::uint8_t>(r.read(4));
  h.slot_id = static_cast<std::uint8_t>(r.read(6));
  h.start_symbol_id = static_cast<std::uint8_t>(r.read(6));
  if (h.payload_version != 1) {
    report(rules::kPayloadVersion, offset,
           "payloadVersion " + std::to_string(h.payload_version) + ", only 1 is supported");
  }
  if (h.subframe_id > 9) {
    report(rules::kSubframeIdRange, offset + 2, "subframeId " + std::to_string(h.subframe_id));
  }
  if (h.start_symbol_id > 13) {
    report(rules::kStartSymbolRange, offset + 3,
           "startSymbolId " + std::to_string(h.start_symbol_id));
  }
  return true;
}

void Decoder::decode_one_way_delay(BitReader& r, OneWayDelayMeasurement& m) {
  if (r.remaining_bytes() < kOneWayDelayBytes) {
    report(rules::kEcpriTruncated, r.byte_position(),
           "one-way delay measurement needs 20 octets, " + std::to_string(r.remaining_bytes()) +
               " present");
    return;
  }
  m.measurement_id = r.read_u8();
  m.action_type = r.read_u8();
  m.timestamp_seconds = static_cast<std::uint64_t>(r.read(16)) << 32;
  m.timestamp_seconds |= r.read(32);
  m.timestamp_nanoseconds = r.read(32);
  std::uint64_t compensation = static_cast<std::uint64_t>(r.read(32)) << 32;
  compensation |= r.read(32);
  m.compensation_value = static_cast<std::int64_t>(compensation);
  m.dummy_bytes = r.read_bytes(r.remaining_bytes());
  out_.bytes_read = r.byte_position();
  // Action types: 0 request, 1 request with follow-up, 2 response, 3 remote request,
  // 4 remote request with follow-up, 5 follow-up; only 0, 2 and 5 carry a timestamp
  // and a compensation value.
  const std::size_t offset = kEcpriCommonHeaderBytes + 1;
  if (m.action_type > 5) {
    report(rules::kEcpriOneWayDelayAction, offset,
           "action type " + std::to_string(m.action_type) + " is reserved");
  } else if (m.action_type != 0 && m.action_type != 2 && m.action_type != 5 &&
             (m.timestamp_seconds != 0 || m.timestamp_nanoseconds != 0 ||
              m.compensation_value != 0)) {
    report(rules::kEcpriOneWayDelayAction, offset,
           "action type " + std::to_string(m.action_type) +
               " with a non-zero timestamp or compensation value");
  }
}

}  // namespace plugfest::fronthaul::detail
