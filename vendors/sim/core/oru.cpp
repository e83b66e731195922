#include "vendors/sim/core/oru.h"

#include "interfaces/fronthaul/compression.h"

namespace plugfest::sim {

using fronthaul::CplaneMessage;
using fronthaul::DataDirection;
using fronthaul::Message;
using fronthaul::SectionType;
using fronthaul::UplaneMessage;
using transport::Timestamp;

namespace {

// How far below the configured power iq-low-scale puts the IQ.
constexpr double kLowScaleDb = 50.0;
// Symbols the prach-wrong-start-symbol fault shifts the answer by.
constexpr std::int64_t kPrachSymbolShift = 2;

// Slots of refused beamformed C-plane remembered at most (then forgotten together).
constexpr std::size_t kRejectedSlotsKept = 4096;

bool has_beamforming(const CplaneMessage& cplane) {
  for (const auto& section : cplane.sections) {
    for (const auto& e : section.extensions) {
      const std::uint8_t type = fronthaul::extension_type(e);
      if (type == 1 || type == 11) return true;  // held decoded or opaque alike
    }
  }
  return false;
}

std::uint64_t slot_key(std::uint16_t port, const fronthaul::RadioApplicationHeader& h) {
  return (std::uint64_t{port} << 24) | (std::uint64_t{h.frame_id} << 16) |
         (std::uint64_t{h.subframe_id} << 8) | h.slot_id;
}

SignalSpec default_ul_signal(std::uint16_t antenna) {
  return SignalSpec{SignalKind::kQpskRandom, 0, 1000u + antenna, -12.0};
}

}  // namespace

SimulatedOru::SimulatedOru(transport::FronthaulConfig config, FaultSet faults)
    : SimulatedEnd(std::move(config), std::move(faults), DataDirection::kDownlink) {
  for (std::uint16_t a = 0; a < config_.antennas; ++a) ul_signals_.push_back(default_ul_signal(a));
}

void SimulatedOru::reset() {
  std::lock_guard lock(mutex_);
  reset_reception_locked();
  radiated_.clear();
  rejected_.clear();
  for (std::uint16_t a = 0; a < config_.antennas; ++a) ul_signals_[a] = default_ul_signal(a);
}

void SimulatedOru::set_ul_signal(std::uint16_t antenna, const SignalSpec& signal) {
  std::lock_guard lock(mutex_);
  if (antenna < ul_signals_.size()) ul_signals_[antenna] = signal;
}

SignalSpec SimulatedOru::ul_signal(std::uint16_t antenna) const {
  std::lock_guard lock(mutex_);
  return antenna < ul_signals_.size() ? ul_signals_[antenna] : SignalSpec{};
}

void SimulatedOru::set_carriers_active(bool tx, bool rx) {
  std::lock_guard lock(mutex_);
  tx_active_ = tx;
  rx_active_ = rx;
}

void SimulatedOru::on_packet(std::span<const std::uint8_t> ecpri, Timestamp rx_time,
                             std::vector<Transmission>& out) {
  std::lock_guard lock(mutex_);
  fronthaul::decode_into(ecpri, decoder_config_, decoded_);
  if (decoded_.has_errors()) {
    ++counters_.malformed;  // a receiver drops what it cannot trust
    return;
  }
  const Message& message = decoded_.message;
  if (const auto* cplane = std::get_if<CplaneMessage>(&message.body)) {
    on_cplane(message, *cplane, rx_time, out);
  } else if (const auto* uplane = std::get_if<UplaneMessage>(&message.body)) {
    on_uplane(message, *uplane, rx_time);
  }
}

void SimulatedOru::on_cplane(const Message& message, const CplaneMessage& cplane, Timestamp rx_time,
                             std::vector<Transmission>& out) {
  const auto& h = cplane.header;
  const bool uplink = h.data_direction == DataDirection::kUplink;
  if (!(uplink ? rx_active_ : tx_active_)) {
    ++counters_.dropped;  // no active carrier for it
    return;
  }
  const std::int64_t first = clock_.nearest_symbol(
      {h.frame_id, h.subframe_id, h.slot_id, h.start_symbol_id}, rx_time, 256);
  const auto& window = uplink ? windows_.t2a_cp_ul : windows_.t2a_cp_dl;
  count_dl_reception(window.classify(rx_time, clock_.symbol_start(first)));
  if (!uplink && faults_.has(Fault::kBeamformingExtensionRejected) && has_beamforming(cplane)) {
    // The sections are refused, and with them the U-plane they describe.
    ++counters_.dropped;
    if (rejected_.size() > kRejectedSlotsKept) rejected_.clear();
    rejected_.insert(slot_key(message.eaxc.ru_port, h));
    return;
  }
  const bool asks_for_uplane = (uplink && cplane.section_type == SectionType::kMostDlUl) ||
                               cplane.section_type == SectionType::kPrachAndMixedNumerology;
  if (asks_for_uplane && !faults_.has(Fault::kNoUplaneResponse)) {
    answer(message, cplane, first, out);
  }
}

void SimulatedOru::on_uplane(const Message& message, const UplaneMessage& uplane,
                             Timestamp rx_time) {
  const auto& h = uplane.header;
  if (!tx_active_) {
    ++counters_.dropped;  // no active carrier to radiate on
    return;
  }
  const std::int64_t symbol = clock_.nearest_symbol(
      {h.frame_id, h.subframe_id, h.slot_id, h.start_symbol_id}, rx_time, 256);
  count_dl_reception(windows_.t2a_up.classify(rx_time, clock_.symbol_start(symbol)));
  std::uint16_t antenna = message.eaxc.ru_port;
  if (h.data_direction != DataDirection::kDownlink || antenna >= config_.antennas ||
      rejected_.count(slot_key(antenna, h))) {
    ++counters_.dropped;  // no such carrier / port here, or its C-plane was refused
    return;
  }
  // dl-iq-antenna-swap: RU ports 0 and 1 wired to each other's antenna.
  if (faults_.has(Fault::kDlIqAntennaSwap) && antenna < 2 && config_.antennas >= 2) antenna ^= 1;
  for (const auto& section : uplane.sections) {
    auto params = section.ud_comp_hdr.value_or(config_.dl_compression.static_params);
    // dl-decompress-wrong-width: one bit narrower than agreed, so the IQ still decodes, wrongly.
    if (faults_.has(Fault::kDlDecompressWrongWidth) && params.iq_width > 1) --params.iq_width;
    const std::uint16_t prbs = transport::effective_prbs(section.num_prbu, config_.carrier_prbs);
    IqRecord record{h.start_symbol_id, section.start_prbu,
                    std::vector<fronthaul::IqSample>(std::size_t{prbs} * 12)};
    if (!fronthaul::decompress(params, section.iq_data, record.iq)) {
      ++counters_.malformed;
      continue;
    }
    radiated_.add(antenna, h.frame_id, h.subframe_id, h.slot_id, std::move(record));
  }
}

void SimulatedOru::count_dl_reception(transport::WindowPosition position) {
  // reception-window-miscount: late arrivals land in the on-time counter.
  if (faults_.has(Fault::kReceptionWindowMiscount) && position == transport::WindowPosition::kLate)
    position = transport::WindowPosition::kOnTime;
  count_reception(counters_, position);
}

void SimulatedOru::answer(const Message& request, const CplaneMessage& cplane,
                          std::int64_t first_symbol, std::vector<Transmission>& out) {
  const bool prach = cplane.section_type == SectionType::kPrachAndMixedNumerology;
  const std::uint16_t port = request.eaxc.ru_port;
  const std::uint16_t antenna = prach ? static_cast<std::uint16_t>(port - config_.antennas) : port;
  if ((prach && port < config_.antennas) || antenna >= config_.antennas) {
    ++counters_.dropped;  // an eAxC this O-RU does not serve
    return;
  }
  // Static: the configured compression. Dynamic: what the C-plane's udCompHdr asks for.
  fronthaul::CompressionParams params = config_.ul_compression.static_params;
  if (config_.ul_compression.dynamic && fronthaul::is_block_method(cplane.ud_comp_hdr.method)) {
    params = cplane.ud_comp_hdr;
  }
  const bool send_header =
      config_.ul_compression.dynamic || faults_.has(Fault::kDynamicHeaderWhenStatic);
  SignalSpec signal = ul_signals_[antenna];
  if (faults_.has(Fault::kIqLowScale)) signal.power_dbfs -= kLowScaleDb;

  fronthaul::EaxcId eaxc = request.eaxc;
  // eaxc-mapping-mismatch: data answered on the PRACH eAxC of the antenna and back.
  if (faults_.has(Fault::kEaxcMappingMismatch)) {
    eaxc.ru_port = prach ? antenna : static_cast<std::uint16_t>(config_.antennas + antenna);
  }
  const std::int64_t shift =
      prach && faults_.has(Fault::kPrachWrongStartSymbol) ? kPrachSymbolShift : 0;
  std::uint8_t most_symbols = 0;
  for (const auto& s : cplane.sections) most_symbols = std::max(most_symbols, s.num_symbol);

  for (std::uint8_t k = 0; k < most_symbols; ++k) {
    const std::int64_t n = first_symbol + k + shift;
    const transport::SlotPoint p = clock_.point_of(n);
    UplaneMessage uplane;
    uplane.header = {DataDirection::kUplink,
                     1,
                     prach ? cplane.header.filter_index : std::uint8_t{0},
                     p.frame_id(),
                     p.subframe,
                     p.slot,
                     p.symbol};
    std::vector<fronthaul::UplaneSection> sections;
    for (const auto& s : cplane.sections) {
      if (k >= s.num_symbol) continue;
      const std::uint16_t prbs = transport::effective_prbs(s.num_prbc, config_.carrier_prbs);
      auto iq = generate_signal(signal, prbs, static_cast<std::uint64_t>(n));
      // multi-section-uplane: the answer split in two sections of one message.
      const std::uint16_t pieces = faults_.has(Fault::kMultiSectionUplane) && prbs >= 2 ? 2 : 1;
      std::uint16_t done = 0;
      for (std::uint16_t piece = 0; piece < pieces; ++piece) {
        const std::uint16_t count = piece + 1 == pieces ? prbs - done : prbs / 2;
        fronthaul::UplaneSection section;
        section.section_id = faults_.has(Fault::kWrongSectionId)
                                 ? static_cast<std::uint16_t>((s.section_id + 1) & 0xfff)
                                 : s.section_id;
        section.start_prbu = static_cast<std::uint16_t>(s.start_prbc + done);
        if (faults_.has(Fault::kPrbOutOfRange)) {
          section.start_prbu = static_cast<std::uint16_t>(config_.carrier_prbs - count / 2);
        }
        section.num_prbu = count == config_.carrier_prbs && count > 255
                               ? std::uint8_t{0}
                               : static_cast<std::uint8_t>(count);
        if (send_header) section.ud_comp_hdr = params;
        section.iq_data.resize(fronthaul::compressed_size(params, count));
        std::span<const fronthaul::IqSample> part(iq.data() + std::size_t{done} * 12,
                                                  std::size_t{count} * 12);
        if (!fronthaul::compress(params, part, section.iq_data)) continue;
        done = static_cast<std::uint16_t>(done + count);
        sections.push_back(std::move(section));
      }
    }
    if (sections.empty()) continue;
    Message message;
    message.eaxc_split = config_.eaxc_split;
    message.eaxc = eaxc;
    const Timestamp symbol_start = clock_.symbol_start(n);
    const auto& ta3 = windows_.ta3;
    const Timestamp at = faults_.has(Fault::kUlLate)
                             ? ta3.closes(symbol_start) + (ta3.max - ta3.min)
                             : send_time(ta3, symbol_start);
    // One message per section, unless the fault packs them together.
    if (faults_.has(Fault::kMultiSectionUplane)) {
      uplane.sections = std::move(sections);
      message.body = uplane;
      out.push_back({at, emitter_.emit(message, faults_.has(Fault::kTruncatedUplane))});
      ++counters_.transmitted;
      continue;
    }
    for (auto& section : sections) {
      UplaneMessage one = uplane;
      one.sections.push_back(std::move(section));
      message.body = std::move(one);
      out.push_back({at, emitter_.emit(message, faults_.has(Fault::kTruncatedUplane))});
      ++counters_.transmitted;
    }
  }
}

}  // namespace plugfest::sim
