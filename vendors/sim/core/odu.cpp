#include "vendors/sim/core/odu.h"

#include "interfaces/fronthaul/compression.h"

namespace plugfest::sim {

using fronthaul::CplaneMessage;
using fronthaul::CplaneSection;
using fronthaul::DataDirection;
using fronthaul::Message;
using fronthaul::SectionType;
using fronthaul::UplaneMessage;
using transport::Timestamp;

namespace {

constexpr double kLowScaleDb = 50.0;
// PRACH request parameters (section type 3): a long-sequence-like occasion of 12 PRBs.
constexpr std::uint8_t kPrachFrameStructure = 0x81;  // FFT size code 8, SCS code 1
constexpr std::uint16_t kPrachCpLength = 0;
constexpr std::uint8_t kPrachPrbs = 12;

}  // namespace

Result<void> SlotPattern::check(std::uint16_t carrier_prbs) const {
  if (tdd.empty() || tdd.find_first_not_of("DUS") != std::string::npos) {
    return Error{"TDD pattern '" + tdd + "' must be letters D, U and S", "tdd_pattern"};
  }
  const std::uint16_t prbs = num_prbs == 0 ? carrier_prbs - start_prb : num_prbs;
  if (start_prb >= carrier_prbs || start_prb + prbs > carrier_prbs) {
    return Error{"PRB allocation " + std::to_string(start_prb) + "+" + std::to_string(prbs) +
                     " exceeds the carrier's " + std::to_string(carrier_prbs) + " PRBs",
                 "prb_allocation"};
  }
  return {};
}

SimulatedOdu::SimulatedOdu(transport::FronthaulConfig config, FaultSet faults)
    : SimulatedEnd(std::move(config), std::move(faults), DataDirection::kUplink) {}

void SimulatedOdu::reset() {
  std::lock_guard lock(mutex_);
  reset_reception_locked();
  decoded_ul_.clear();
  pattern_.reset();
  uplink_slots_ = 0;
}

bool SimulatedOdu::active() const {
  std::lock_guard lock(mutex_);
  return pattern_.has_value();
}

void SimulatedOdu::stop() {
  std::lock_guard lock(mutex_);
  pattern_.reset();
}

Timestamp SimulatedOdu::slot_symbol_start(std::int64_t slot, int symbol) const {
  return clock_.symbol_start(slot * transport::kSymbolsPerSlot + symbol);
}

std::chrono::nanoseconds SimulatedOdu::planning_lead() const {
  // A slot is planned just after the previous slot's C-plane has left, so that the time
  // planning takes never holds up a C-plane (whose window is the narrow one): a slot's
  // worth ahead of the C-plane's send time, less a tenth.
  const Timestamp s = clock_.symbol_start(0);
  const auto cplane_advance =
      std::max(s - send_time(windows_.t1a_cp_dl, s), s - send_time(windows_.t1a_cp_ul, s));
  const auto slot = clock_.symbol_start(transport::kSymbolsPerSlot) - s;
  return cplane_advance + slot - slot / 10;
}

Result<std::int64_t> SimulatedOdu::start(const SlotPattern& pattern, Timestamp now) {
  if (auto ok = pattern.check(config_.carrier_prbs); !ok) return ok.error();
  std::lock_guard lock(mutex_);
  // The first slot that can still be planned a full planning lead ahead, as every later
  // one is: its C-plane then leaves on time even when this machine is slow to wake up.
  std::int64_t slot = clock_.symbol_at(now + planning_lead()) / transport::kSymbolsPerSlot + 1;
  pattern_ = pattern;
  first_slot_ = slot;
  next_slot_ = slot;
  uplink_slots_ = 0;
  return slot;
}

void SimulatedOdu::on_time(Timestamp now, std::vector<Transmission>& out) {
  std::lock_guard lock(mutex_);
  const auto lead = planning_lead();
  while (pattern_ && slot_symbol_start(next_slot_, 0) - lead <= now) {
    if (pattern_->num_slots != 0 &&
        next_slot_ - first_slot_ >= static_cast<std::int64_t>(pattern_->num_slots)) {
      pattern_.reset();
      break;
    }
    schedule_locked(next_slot_++, out);
  }
}

void SimulatedOdu::schedule_slot(std::int64_t slot, std::vector<Transmission>& out) {
  std::lock_guard lock(mutex_);
  if (pattern_) schedule_locked(slot, out);
}

void SimulatedOdu::schedule_locked(std::int64_t slot, std::vector<Transmission>& out) {
  const std::string& tdd = pattern_->tdd;
  const char kind = tdd[static_cast<std::size_t>(slot % static_cast<std::int64_t>(tdd.size()))];
  if (kind == 'D') downlink(slot, transport::kSymbolsPerSlot, out);
  if (kind == 'S') downlink(slot, kSpecialSlotDlSymbols, out);
  if (kind == 'U') {
    const bool prach = pattern_->prach_every != 0 && uplink_slots_ % pattern_->prach_every == 0;
    ++uplink_slots_;
    uplink(slot, prach, out);
  }
}

Message SimulatedOdu::message_for(const fronthaul::EaxcId& eaxc) const {
  Message message;
  message.eaxc_split = config_.eaxc_split;
  message.eaxc = eaxc;
  return message;
}

void SimulatedOdu::downlink(std::int64_t slot, std::uint8_t symbols,
                            std::vector<Transmission>& out) {
  const SlotPattern& pattern = *pattern_;
  const transport::SlotPoint p = clock_.point_of(slot * transport::kSymbolsPerSlot);
  const std::uint16_t prbs =
      pattern.num_prbs == 0 ? config_.carrier_prbs - pattern.start_prb : pattern.num_prbs;
  const bool whole = prbs == config_.carrier_prbs && prbs > 255;
  const auto num_prb = whole ? std::uint8_t{0} : static_cast<std::uint8_t>(prbs);
  const fronthaul::CompressionParams params = config_.dl_compression.static_params;
  const bool send_header =
      config_.dl_compression.dynamic || faults_.has(Fault::kDynamicHeaderWhenStatic);
  SignalSpec signal = pattern.dl_signal;
  if (faults_.has(Fault::kIqLowScale)) signal.power_dbfs -= kLowScaleDb;
  const Timestamp cplane_at = send_time(windows_.t1a_cp_dl, slot_symbol_start(slot, 0));

  for (std::uint16_t antenna = 0; antenna < config_.antennas; ++antenna) {
    CplaneMessage cplane;
    cplane.header = {DataDirection::kDownlink, 1, 0, p.frame_id(), p.subframe, p.slot, 0};
    cplane.section_type = SectionType::kMostDlUl;
    // udCompHdr of a DL section type 1 is zero; the fault puts the DL compression there.
    if (faults_.has(Fault::kDlCplaneUdCompHdrNonzero))
      cplane.ud_comp_hdr = params;
    else
      cplane.ud_comp_hdr = fronthaul::CompressionParams::from_ud_comp_hdr(0);
    CplaneSection section;
    section.section_id = kDlSectionId;
    section.start_prbc = pattern.start_prb;
    section.num_prbc = num_prb;
    section.num_symbol = symbols;
    cplane.sections.push_back(section);
    Message c = message_for(transport::data_eaxc(antenna));
    c.body = std::move(cplane);
    out.push_back({cplane_at, emitter_.emit(std::move(c))});
    ++counters_.transmitted;

    fronthaul::EaxcId up_eaxc = transport::data_eaxc(antenna);
    if (faults_.has(Fault::kEaxcMappingMismatch)) up_eaxc.ru_port += 2 * config_.antennas;
    if (faults_.has(Fault::kNoDlUplane)) continue;
    for (std::uint8_t symbol = 0; symbol < symbols; ++symbol) {
      const std::int64_t n = slot * transport::kSymbolsPerSlot + symbol;
      SignalSpec antenna_signal = signal;
      antenna_signal.seed = signal.seed * 31 + antenna;
      auto iq = generate_signal(antenna_signal, prbs, static_cast<std::uint64_t>(n));
      fronthaul::UplaneSection up;
      up.section_id = faults_.has(Fault::kWrongSectionId) ? kDlSectionId + 1 : kDlSectionId;
      up.start_prbu = pattern.start_prb;
      up.num_prbu = num_prb;
      std::uint16_t up_prbs = prbs;
      if (faults_.has(Fault::kPrbOutOfRange)) {
        // Half of the PRBs past the carrier's end, counted explicitly (numPrbu 0 would
        // mean "the whole carrier" whatever the start).
        up_prbs = std::min<std::uint16_t>(prbs, 255);
        up.start_prbu = static_cast<std::uint16_t>(config_.carrier_prbs - up_prbs / 2);
        up.num_prbu = static_cast<std::uint8_t>(up_prbs);
      }
      if (send_header) up.ud_comp_hdr = params;
      up.iq_data.resize(fronthaul::compressed_size(params, up_prbs));
      const std::span<const fronthaul::IqSample> samples(iq.data(), std::size_t{up_prbs} * 12);
      if (!fronthaul::compress(params, samples, up.iq_data)) continue;
      UplaneMessage uplane;
      uplane.header = {DataDirection::kDownlink, 1, 0, p.frame_id(), p.subframe, p.slot, symbol};
      uplane.sections.push_back(std::move(up));
      Message u = message_for(up_eaxc);
      u.body = std::move(uplane);
      const Timestamp symbol_start = clock_.symbol_start(n);
      Timestamp at = send_time(windows_.t1a_up, symbol_start);
      if (faults_.has(Fault::kDlEarly)) {
        // Before the window opens, but never ahead of the slot's C-plane, and in symbol
        // order so sequence IDs stay in order.
        const Timestamp early =
            windows_.t1a_up.opens(symbol_start) - (windows_.t1a_up.max - windows_.t1a_up.min) / 20;
        at =
            std::max(early, cplane_at + clock_.dilate(std::chrono::microseconds(1)) * (symbol + 1));
      }
      out.push_back({at, emitter_.emit(std::move(u))});
      ++counters_.transmitted;
    }
  }
}

void SimulatedOdu::uplink(std::int64_t slot, bool prach, std::vector<Transmission>& out) {
  const SlotPattern& pattern = *pattern_;
  const transport::SlotPoint p = clock_.point_of(slot * transport::kSymbolsPerSlot);
  const std::uint16_t prbs =
      pattern.num_prbs == 0 ? config_.carrier_prbs - pattern.start_prb : pattern.num_prbs;
  const bool whole = prbs == config_.carrier_prbs && prbs > 255;
  const Timestamp cplane_at = send_time(windows_.t1a_cp_ul, slot_symbol_start(slot, 0));
  for (std::uint16_t antenna = 0; antenna < config_.antennas; ++antenna) {
    CplaneMessage cplane;
    cplane.header = {DataDirection::kUplink, 1, 0, p.frame_id(), p.subframe, p.slot, 0};
    cplane.section_type = SectionType::kMostDlUl;
    cplane.ud_comp_hdr = config_.ul_compression.static_params;
    CplaneSection section;
    section.section_id = kUlSectionId;
    section.start_prbc = pattern.start_prb;
    section.num_prbc = whole ? std::uint8_t{0} : static_cast<std::uint8_t>(prbs);
    section.num_symbol = transport::kSymbolsPerSlot;
    cplane.sections.push_back(section);
    Message c = message_for(transport::data_eaxc(antenna));
    c.body = std::move(cplane);
    out.push_back({cplane_at, emitter_.emit(std::move(c))});
    ++counters_.transmitted;
    if (!prach) continue;

    CplaneMessage request;
    request.header = {
        DataDirection::kUplink, 1, kPrachFilterIndex, p.frame_id(), p.subframe, p.slot, 0};
    request.section_type = SectionType::kPrachAndMixedNumerology;
    request.time_offset = 0;
    request.frame_structure = kPrachFrameStructure;
    request.cp_length = kPrachCpLength;
    request.ud_comp_hdr = config_.ul_compression.static_params;
    CplaneSection occasion;
    occasion.section_id = kPrachSectionId;
    occasion.start_prbc = 0;
    occasion.num_prbc = kPrachPrbs;
    occasion.num_symbol = faults_.has(Fault::kSt3NumSymbolZero) ? 0 : kPrachSymbols;
    occasion.freq_offset = -static_cast<std::int32_t>(config_.carrier_prbs) * 6;
    request.sections.push_back(occasion);
    Message r = message_for(transport::prach_eaxc(config_, antenna));
    r.body = std::move(request);
    out.push_back({cplane_at, emitter_.emit(std::move(r))});
    ++counters_.transmitted;
  }
}

void SimulatedOdu::on_packet(std::span<const std::uint8_t> ecpri, Timestamp rx_time,
                             std::vector<Transmission>&) {
  std::lock_guard lock(mutex_);
  fronthaul::decode_into(ecpri, decoder_config_, decoded_);
  if (decoded_.has_errors()) {
    ++counters_.malformed;
    return;
  }
  const auto* uplane = std::get_if<UplaneMessage>(&decoded_.message.body);
  if (uplane == nullptr || uplane->header.data_direction != DataDirection::kUplink) {
    ++counters_.dropped;  // an O-DU only takes UL U-plane
    return;
  }
  const auto& h = uplane->header;
  const std::int64_t symbol = clock_.nearest_symbol(
      {h.frame_id, h.subframe_id, h.slot_id, h.start_symbol_id}, rx_time, 256);
  count_reception(counters_, windows_.ta4.classify(rx_time, clock_.symbol_start(symbol)));
  std::uint16_t port = decoded_.message.eaxc.ru_port;
  if (port >= config_.antennas) return;  // PRACH ports are not part of the decoded UL data
  // ul-iq-antenna-swap: RU ports 0 and 1 taken for each other's antenna.
  if (faults_.has(Fault::kUlIqAntennaSwap) && port < 2 && config_.antennas >= 2) port ^= 1;
  for (const auto& section : uplane->sections) {
    const auto params = section.ud_comp_hdr.value_or(config_.ul_compression.static_params);
    const std::uint16_t prbs = transport::effective_prbs(section.num_prbu, config_.carrier_prbs);
    IqRecord record{h.start_symbol_id, section.start_prbu,
                    std::vector<fronthaul::IqSample>(std::size_t{prbs} * 12)};
    if (!fronthaul::decompress(params, section.iq_data, record.iq)) {
      ++counters_.malformed;
      continue;
    }
    decoded_ul_.add(port, h.frame_id, h.subframe_id, h.slot_id, std::move(record));
  }
}

}  // namespace plugfest::sim
