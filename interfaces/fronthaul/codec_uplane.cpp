// U-plane messages: sections and their IQ data, laid out under a static or a dynamic
// udCompHdr (and checked against the other mode when the configured one does not fit).
#include <string>
#include <utility>
#include <vector>

#include "interfaces/fronthaul/codec_internal.h"

namespace plugfest::fronthaul::detail {

void write_uplane(BitWriter& w, const UplaneMessage& m) {
  write_radio_header(w, m.header);
  for (const UplaneSection& s : m.sections) {
    w.write(s.section_id, 12);
    w.write_bool(s.rb);
    w.write_bool(s.sym_inc);
    w.write(s.start_prbu, 10);
    w.write_u8(s.num_prbu);
    if (s.ud_comp_hdr) {
      w.write_u8(s.ud_comp_hdr->ud_comp_hdr());
      w.write_u8(s.reserved);
    }
    w.write_bytes(s.iq_data);
  }
}

namespace {

// U-plane sections under one udCompHdr mode. Returns true when the whole message was
// laid out cleanly (no structural finding).
struct UplaneLayout {
  std::vector<UplaneSection> sections;
  std::vector<Finding> findings;
  std::size_t end = 0;
  bool clean = true;
};

UplaneLayout read_uplane_sections(std::span<const std::uint8_t> bytes, std::size_t start,
                                  bool dynamic, const DecoderConfig& config,
                                  std::vector<UplaneSection>&& reuse) {
  UplaneLayout layout;
  layout.sections = std::move(reuse);
  std::size_t used = 0;  // sections filled; earlier storage is reused
  BitReader r(bytes);
  r.skip(start * 8);
  const std::size_t header_bytes = dynamic ? 6 : 4;
  auto note = [&](std::string_view rule, std::size_t offset, std::string message, bool structural) {
    layout.findings.push_back(make_finding(rule, offset, std::move(message)));
    if (structural) layout.clean = false;
  };
  while (r.remaining_bytes() > 0) {
    const std::size_t offset = r.byte_position();
    if (r.remaining_bytes() < header_bytes) {
      note(rules::kUpTrailingBytes, offset,
           std::to_string(r.remaining_bytes()) + " octets after the last section", true);
      break;
    }
    if (used == layout.sections.size()) layout.sections.emplace_back();
    UplaneSection& s = layout.sections[used++];
    s.ud_comp_hdr.reset();
    s.reserved = 0;
    s.section_id = static_cast<std::uint16_t>(r.read(12));
    s.rb = r.read_bool();
    s.sym_inc = r.read_bool();
    s.start_prbu = static_cast<std::uint16_t>(r.read(10));
    s.num_prbu = r.read_u8();
    CompressionParams params = config.uplane_compression.static_params;
    if (dynamic) {
      params = CompressionParams::from_ud_comp_hdr(r.read_u8());
      s.ud_comp_hdr = params;
      s.reserved = r.read_u8();
      if (s.reserved != 0) note(rules::kUpReserved, offset + 5, "reserved octet", false);
      if (static_cast<unsigned>(params.method) > 8) {
        note(rules::kUpCompMeth, offset + 4,
             "udCompMeth " + std::to_string(static_cast<int>(params.method)), true);
      }
    }
    const std::size_t carrier = config.carrier_prbs;
    const std::size_t prbs = prbs_in(s.num_prbu, config.carrier_prbs);
    if (s.num_prbu == 0 ? (s.start_prbu >= carrier && carrier > 0)
                        : s.start_prbu + (s.rb ? 2u * (prbs - 1) : prbs - 1) >= carrier) {
      note(rules::kUpPrbRange, offset + 1,
           "startPrbu " + std::to_string(s.start_prbu) + " numPrbu " + std::to_string(s.num_prbu) +
               " beyond a carrier of " + std::to_string(carrier) + " PRBs",
           false);
    }
    const std::size_t need = prbs * prb_payload_bytes(params);
    if (need > r.remaining_bytes()) {
      note(rules::kUpSectionTruncated, offset,
           "section of " + std::to_string(prbs) + " PRBs needs " + std::to_string(need) +
               " IQ octets, " + std::to_string(r.remaining_bytes()) + " left",
           true);
      const std::size_t left = r.byte_position();
      s.iq_data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(left), bytes.end());
      r.skip(r.remaining_bits());
      break;
    }
    const std::size_t iq_start = r.byte_position();
    s.iq_data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(iq_start),
                     bytes.begin() + static_cast<std::ptrdiff_t>(iq_start + need));
    r.skip(need * 8);
  }
  layout.sections.resize(used);
  layout.end = r.byte_position();
  return layout;
}

}  // namespace

void Decoder::decode_uplane(BitReader& r, UplaneMessage& m) {
  if (!decode_radio_header(r, m.header)) return;
  out_.bytes_read = r.byte_position();
  const std::size_t start = r.byte_position();
  const std::span<const std::uint8_t> bytes = bytes_.first(start + r.remaining_bytes());
  const bool dynamic = config_.uplane_compression.dynamic;
  if (r.remaining_bytes() == 0) {
    report(rules::kUpNoSections, start, "U-plane message without a section");
    return;
  }
  UplaneLayout layout = read_uplane_sections(bytes, start, dynamic, config_, std::move(m.sections));
  if (!layout.clean) {
    UplaneLayout other = read_uplane_sections(bytes, start, !dynamic, config_, {});
    if (other.clean) {
      report(rules::kUpCompHdrMode, start + 4,
             dynamic ? "configured dynamic udCompHdr, but the packet is laid out with a static "
                       "one"
                     : "configured static compression, but the sections carry a udCompHdr");
      layout = std::move(other);
    }
  }
  for (Finding& finding : layout.findings) out_.findings.push_back(std::move(finding));
  m.sections = std::move(layout.sections);
  out_.bytes_read = layout.end;
}

}  // namespace plugfest::fronthaul::detail
