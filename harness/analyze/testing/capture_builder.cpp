#include "harness/analyze/testing/capture_builder.h"

#include <algorithm>
#include <random>

#include "interfaces/fronthaul/framing.h"
#include "interfaces/fronthaul/pcap.h"

namespace plugfest::analyze::testing {
namespace {

using namespace fronthaul;
using std::chrono::nanoseconds;

constexpr MacAddress kOduMac{0x02, 0, 0, 0, 0, 0x01};
constexpr MacAddress kOruMac{0x02, 0, 0, 0, 0, 0x02};
constexpr Ipv4Address kOduIp{10, 0, 0, 1};
constexpr Ipv4Address kOruIp{10, 0, 0, 2};
constexpr std::uint8_t kPrachStartSymbol = 2;
constexpr std::uint8_t kPrachSymbols = 12;
constexpr std::uint8_t kPrachPrbs = 12;

}  // namespace

ExchangeBuilder::ExchangeBuilder(ExchangeOptions options)
    : options_(std::move(options)),
      clock_(options_.numerology, transport::Timestamp{}),
      // Start in SFN 1000 so that every timestamp is well after the epoch.
      first_symbol_(std::int64_t{1000} * transport::symbols_per_frame(options_.numerology)) {
  std::mt19937_64 rng(options_.seed);
  iq_pattern_.resize(std::size_t{options_.carrier_prbs} * 64);
  for (auto& b : iq_pattern_) b = static_cast<std::uint8_t>(rng());
}

AnalysisConfig ExchangeBuilder::config() const {
  AnalysisConfig c;
  c.eaxc_split = options_.split;
  c.compression = options_.compression;
  c.numerology = options_.numerology;
  c.carrier_prbs = options_.carrier_prbs;
  c.ptp_aligned = true;
  c.windows = options_.windows;
  if (options_.udp_port) {
    c.udp_ports = {*options_.udp_port};
    c.detect_udp = false;
  }
  return c;
}

std::vector<std::uint8_t> ExchangeBuilder::iq(std::size_t prbs, const CompressionParams& params) {
  const std::size_t size = prbs * prb_payload_bytes(params);
  std::vector<std::uint8_t> out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = iq_pattern_[i % iq_pattern_.size()];
  return out;
}

std::uint8_t ExchangeBuilder::next_seq(const Message& message) {
  const auto* up = std::get_if<UplaneMessage>(&message.body);
  const auto* cp = std::get_if<CplaneMessage>(&message.body);
  const auto direction = up ? up->header.data_direction : cp->header.data_direction;
  const std::uint32_t key = (std::uint32_t{up != nullptr} << 17) |
                            (std::uint32_t(direction) << 16) |
                            message.eaxc.to_wire(message.eaxc_split);
  for (auto& [k, seq] : sequence_) {
    if (k == key) return seq++;
  }
  sequence_.emplace_back(key, 1);
  return 0;
}

void ExchangeBuilder::emit(Message message, bool from_odu, nanoseconds at,
                           std::vector<BuiltFrame>& out, std::uint8_t skip) {
  message.eaxc_split = options_.split;
  for (std::uint8_t k = 0; k < skip; ++k) next_seq(message);
  message.seq_id.sequence_id = next_seq(message);
  std::vector<std::uint8_t> ecpri = encode(message);
  BuiltFrame frame;
  frame.timestamp = at;
  if (options_.udp_port) {
    UdpFraming f;
    f.ethernet.source = from_odu ? kOduMac : kOruMac;
    f.ethernet.destination = from_odu ? kOruMac : kOduMac;
    f.source_ip = from_odu ? kOduIp : kOruIp;
    f.destination_ip = from_odu ? kOruIp : kOduIp;
    f.source_port = *options_.udp_port;
    f.destination_port = *options_.udp_port;
    frame.bytes = frame_ecpri_udp(f, ecpri).value();
  } else {
    EthernetFraming f;
    f.source = from_odu ? kOduMac : kOruMac;
    f.destination = from_odu ? kOruMac : kOduMac;
    if (options_.vlan) f.vlans.push_back(VlanTag{2, 7, false});
    f.pad_to_minimum = true;
    frame.bytes = frame_ecpri_ethernet(f, ecpri);
  }
  out.push_back(std::move(frame));
}

std::vector<BuiltFrame> ExchangeBuilder::next_slot() {
  const Fault fault = options_.fault;
  const std::int64_t slot = slot_index_++;
  const std::int64_t symbol0 = first_symbol_ + slot * transport::kSymbolsPerSlot;
  const transport::SlotPoint point = clock_.point_of(symbol0);
  const auto& w = options_.windows;
  auto time_of = [&](std::int64_t symbol, const transport::TimingWindow& window) {
    return window.target(clock_.symbol_start(symbol)).time_since_epoch();
  };
  RadioApplicationHeader header;
  header.frame_id = point.frame_id();
  header.subframe_id = point.subframe;
  header.slot_id = point.slot;
  const CompressionParams params = options_.compression.static_params;
  const bool dynamic = options_.compression.dynamic;
  std::vector<BuiltFrame> out;
  // numPrbu / numPrbc for the whole carrier: 0 ("all") unless asked to give the count.
  auto all_prbs = [&]() -> std::uint8_t {
    return options_.explicit_prbs && options_.carrier_prbs <= 255
               ? static_cast<std::uint8_t>(options_.carrier_prbs)
               : 0;
  };

  for (unsigned antenna = 0; antenna < options_.antennas; ++antenna) {
    EaxcId eaxc;
    eaxc.ru_port = static_cast<std::uint16_t>(antenna);
    if (options_.downlink) {
      Message m;
      m.eaxc = eaxc;
      CplaneMessage cp;
      cp.header = header;
      cp.header.data_direction = DataDirection::kDownlink;
      if (fault == Fault::kDlCplaneUdCompHdrNonzero) cp.ud_comp_hdr = params;
      CplaneSection s;
      s.section_id = static_cast<std::uint16_t>(1 + antenna);
      s.num_prbc = all_prbs();
      s.num_symbol = 14;
      if (options_.split_sections) {
        // The same sectionId twice, each for half of every PRB's resource elements.
        s.re_mask = 0xfc0;
        cp.sections.push_back(s);
        s.re_mask = 0x03f;
      }
      cp.sections.push_back(s);
      m.body = cp;
      emit(m, true, time_of(symbol0, w.t1a_cp_dl), out);
      for (std::uint8_t sym = 0; sym < 14; ++sym) {
        const std::uint16_t half = options_.carrier_prbs / 2;
        for (unsigned part = 0; part < (options_.split_sections ? 2u : 1u); ++part) {
          Message u;
          u.eaxc = eaxc;
          UplaneMessage up;
          up.header = cp.header;
          up.header.start_symbol_id = sym;
          UplaneSection us;
          us.section_id = s.section_id;
          if (dynamic) us.ud_comp_hdr = params;
          if (options_.split_sections) {
            // One section's PRBs over two messages.
            us.start_prbu = part == 0 ? 0 : half;
            const std::uint16_t prbs = part == 0 ? half : options_.carrier_prbs - half;
            us.num_prbu = static_cast<std::uint8_t>(prbs);
            us.iq_data = iq(prbs, params);
          } else {
            us.num_prbu = all_prbs();
            us.iq_data = iq(options_.carrier_prbs, params);
          }
          up.sections.push_back(std::move(us));
          u.body = std::move(up);
          emit(std::move(u), true, time_of(symbol0 + sym, w.t1a_up), out);
        }
        if (fault == Fault::kEcpriPayloadSizeWrong && sym == 5 && antenna == 0) {
          // ecpriPayload claims 4 more octets than the frame carries.
          BuiltFrame& f = out.back();
          const std::size_t at = (options_.vlan ? 18 : 14) + 2;
          const unsigned size = (f.bytes[at] << 8 | f.bytes[at + 1]) + 4;
          f.bytes[at] = static_cast<std::uint8_t>(size >> 8);
          f.bytes[at + 1] = static_cast<std::uint8_t>(size);
        }
      }
    }
    if (options_.uplink) {
      Message m;
      m.eaxc = eaxc;
      CplaneMessage cp;
      cp.header = header;
      cp.header.data_direction = DataDirection::kUplink;
      cp.ud_comp_hdr = params;
      CplaneSection s;
      s.section_id = static_cast<std::uint16_t>(0x100 + antenna);
      s.num_prbc = all_prbs();
      s.num_symbol = 14;
      cp.sections.push_back(s);
      m.body = cp;
      emit(m, true, time_of(symbol0, w.t1a_cp_ul), out);
      const bool silent = fault == Fault::kNoUplaneResponse && antenna == 0 && slot % 2 == 1;
      for (std::uint8_t sym = 0; sym < 14 && !silent; ++sym) {
        Message u;
        u.eaxc = eaxc;
        if (fault == Fault::kEaxcMappingMismatch) u.eaxc.ru_port += 4;
        UplaneMessage up;
        up.header = cp.header;
        up.header.start_symbol_id = sym;
        UplaneSection us;
        us.section_id = s.section_id;
        if (fault == Fault::kWrongSectionId) us.section_id += 100;
        const bool static_sent_dynamic = fault == Fault::kDynamicHeaderWhenStatic;
        if (dynamic || static_sent_dynamic) us.ud_comp_hdr = params;
        if (fault == Fault::kPrbOutOfRange && sym == 3) {
          us.start_prbu = static_cast<std::uint16_t>(options_.carrier_prbs - 2);
          us.num_prbu = 4;
          us.iq_data = iq(4, params);
        } else {
          us.num_prbu = all_prbs();
          us.iq_data = iq(options_.carrier_prbs, params);
        }
        if (fault == Fault::kMultiSectionUplane && sym == 0) {
          // The same PRBs as two sections of half the carrier each.
          const std::uint16_t half = options_.carrier_prbs / 2;
          UplaneSection second = us;
          us.num_prbu = static_cast<std::uint8_t>(half);
          us.iq_data = iq(half, params);
          second.start_prbu = half;
          second.num_prbu = static_cast<std::uint8_t>(options_.carrier_prbs - half);
          second.iq_data = iq(options_.carrier_prbs - half, params);
          up.sections.push_back(std::move(us));
          up.sections.push_back(std::move(second));
        } else {
          up.sections.push_back(std::move(us));
        }
        u.body = std::move(up);
        nanoseconds at = time_of(symbol0 + sym, w.ta4);
        if (fault == Fault::kUlLate) at += w.ta4.max - w.ta4.min;
        const bool gap = fault == Fault::kSeqIdGap && antenna == 0 && sym == 7 && slot == 1;
        emit(std::move(u), false, at, out, gap ? 1 : 0);
        if (fault == Fault::kTruncatedUplane && sym == 9) {
          // Cut inside the IQ data, eCPRI payload size adjusted: a short U-plane message.
          BuiltFrame& f = out.back();
          const std::size_t ecpri = options_.vlan ? 18 : 14;
          f.bytes.resize(f.bytes.size() - 40);
          const std::size_t size = f.bytes.size() - ecpri - 4;
          f.bytes[ecpri + 2] = static_cast<std::uint8_t>(size >> 8);
          f.bytes[ecpri + 3] = static_cast<std::uint8_t>(size);
        }
      }
    }
    if (options_.prach && slot % 4 == 3) {
      Message m;
      m.eaxc = eaxc;
      m.eaxc.ru_port = static_cast<std::uint16_t>(8 + antenna);
      CplaneMessage cp;
      cp.header = header;
      cp.header.data_direction = DataDirection::kUplink;
      cp.header.filter_index = 1;
      cp.header.start_symbol_id = kPrachStartSymbol;
      cp.section_type = SectionType::kPrachAndMixedNumerology;
      cp.frame_structure = 0x91;
      cp.cp_length = 0;
      cp.ud_comp_hdr = params;
      CplaneSection s;
      s.section_id = static_cast<std::uint16_t>(0x200 + antenna);
      s.start_prbc = 0;
      s.num_prbc = kPrachPrbs;
      s.num_symbol = fault == Fault::kSt3NumSymbolZero ? 0 : kPrachSymbols;
      cp.sections.push_back(s);
      m.body = cp;
      emit(m, true, time_of(symbol0 + kPrachStartSymbol, w.t1a_cp_ul), out);
      const std::uint8_t first =
          kPrachStartSymbol + (fault == Fault::kPrachWrongStartSymbol ? 1 : 0);
      for (std::uint8_t k = 0; k < kPrachSymbols && first + k < 14; ++k) {
        Message u;
        u.eaxc = m.eaxc;
        UplaneMessage up;
        up.header = cp.header;
        up.header.start_symbol_id = static_cast<std::uint8_t>(first + k);
        UplaneSection us;
        us.section_id = s.section_id;
        us.num_prbu = kPrachPrbs;
        if (dynamic) us.ud_comp_hdr = params;
        us.iq_data = iq(kPrachPrbs, params);
        up.sections.push_back(std::move(us));
        u.body = std::move(up);
        emit(std::move(u), false, time_of(symbol0 + first + k, w.ta4), out);
      }
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const BuiltFrame& a, const BuiltFrame& b) {
    return a.timestamp < b.timestamp;
  });
  if (options_.permute_sequence_ids) {
    // Per U-plane stream, the slot's ecpriSeqid values in reverse order of sending.
    const std::size_t ecpri = options_.udp_port ? 42 : (options_.vlan ? 18 : 14);
    std::vector<std::pair<std::uint32_t, std::vector<std::size_t>>> streams;
    for (std::size_t i = 0; i < out.size(); ++i) {
      const auto& b = out[i].bytes;
      if (b[ecpri + 1] != 0) continue;  // C-plane
      const std::uint32_t key = (std::uint32_t(b[ecpri + 8] >> 7) << 16) |
                                static_cast<std::uint32_t>(b[ecpri + 4] << 8 | b[ecpri + 5]);
      auto it = std::find_if(streams.begin(), streams.end(),
                             [&](const auto& st) { return st.first == key; });
      if (it == streams.end()) it = streams.insert(streams.end(), {key, {}});
      it->second.push_back(i);
    }
    for (const auto& [key, frames] : streams) {
      std::vector<std::uint8_t> ids;
      for (std::size_t i : frames) ids.push_back(out[i].bytes[ecpri + 6]);
      std::reverse(ids.begin(), ids.end());
      for (std::size_t k = 0; k < frames.size(); ++k) out[frames[k]].bytes[ecpri + 6] = ids[k];
    }
  }
  return out;
}

Result<void> write_capture(const std::string& path, const std::vector<BuiltFrame>& frames) {
  auto writer = PcapWriter::create(path);
  if (!writer) return writer.error();
  for (const auto& f : frames) {
    auto r = f.original_length > f.bytes.size()
                 ? writer->write_cut(f.bytes, f.original_length, f.timestamp)
                 : writer->write(f.bytes, f.timestamp);
    if (!r) return r.error();
  }
  return writer->close();
}

Result<AnalysisConfig> write_exchange(const std::string& path, const ExchangeOptions& options,
                                      unsigned slots) {
  ExchangeBuilder builder(options);
  std::vector<BuiltFrame> frames;
  for (unsigned i = 0; i < slots; ++i) {
    for (auto& f : builder.next_slot()) frames.push_back(std::move(f));
  }
  std::stable_sort(frames.begin(), frames.end(), [](const BuiltFrame& a, const BuiltFrame& b) {
    return a.timestamp < b.timestamp;
  });
  const std::size_t first = std::min<std::size_t>(options.drop_first_frames, frames.size());
  const std::size_t last =
      frames.size() - std::min<std::size_t>(options.drop_last_frames, frames.size() - first);
  frames.erase(frames.begin() + static_cast<std::ptrdiff_t>(last), frames.end());
  frames.erase(frames.begin(), frames.begin() + static_cast<std::ptrdiff_t>(first));
  if (options.snap_length) {
    for (auto& f : frames) {
      if (f.bytes.size() <= *options.snap_length) continue;
      f.original_length = f.bytes.size();
      f.bytes.resize(*options.snap_length);
    }
  }
  if (auto r = write_capture(path, frames); !r) return r.error();
  return builder.config();
}

}  // namespace plugfest::analyze::testing
