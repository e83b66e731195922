#include "vendors/sim/core/engine.h"

#include "interfaces/fronthaul/codec.h"

namespace plugfest::sim {
namespace {

constexpr std::size_t kEcpriCommonHeaderBytes = 4;
constexpr std::uint32_t kGapEvery = 8;

void set_payload_size(std::vector<std::uint8_t>& bytes, std::size_t size) {
  bytes[2] = static_cast<std::uint8_t>(size >> 8);
  bytes[3] = static_cast<std::uint8_t>(size & 0xff);
}

}  // namespace

void count_reception(ReceptionCounters& counters, transport::WindowPosition position) {
  switch (position) {
    case transport::WindowPosition::kEarly:
      ++counters.early;
      break;
    case transport::WindowPosition::kOnTime:
      ++counters.on_time;
      break;
    case transport::WindowPosition::kLate:
      ++counters.late;
      break;
  }
}

transport::Timestamp send_time(const transport::TimingWindow& window,
                               transport::Timestamp symbol_start) {
  const transport::Timestamp opens = window.opens(symbol_start);
  return opens + (window.closes(symbol_start) - opens) / 10;
}

std::vector<std::uint8_t> MessageEmitter::emit(fronthaul::Message message, bool truncate) {
  std::uint32_t direction = 0;
  if (const auto* u = std::get_if<fronthaul::UplaneMessage>(&message.body)) {
    direction = static_cast<std::uint32_t>(u->header.data_direction);
  } else if (const auto* c = std::get_if<fronthaul::CplaneMessage>(&message.body)) {
    direction = static_cast<std::uint32_t>(c->header.data_direction);
  }
  const std::uint32_t flow = (static_cast<std::uint32_t>(message.message_type()) << 17) |
                             (direction << 16) | message.eaxc.to_wire(message.eaxc_split);
  std::uint32_t& count = next_[flow];
  if (faults_.has(Fault::kSeqIdGap) && count % kGapEvery == kGapEvery - 1) ++count;
  message.seq_id.sequence_id = static_cast<std::uint8_t>(count++ & 0xff);
  message.seq_id.e_bit = true;
  message.seq_id.subsequence_id = 0;

  std::vector<std::uint8_t> bytes = fronthaul::encode(message);
  if (!message.is_uplane() || bytes.size() < kEcpriCommonHeaderBytes) return bytes;
  if (truncate) {
    const auto& sections = std::get<fronthaul::UplaneMessage>(message.body).sections;
    const std::size_t iq = sections.empty() ? 0 : sections.back().iq_data.size();
    bytes.resize(bytes.size() - (iq + 1) / 2);
    set_payload_size(bytes, bytes.size() - kEcpriCommonHeaderBytes);
  }
  if (faults_.has(Fault::kEcpriPayloadSizeWrong)) {
    set_payload_size(bytes, bytes.size() - kEcpriCommonHeaderBytes + 4);
  }
  return bytes;
}

SimulatedEnd::SimulatedEnd(transport::FronthaulConfig config, FaultSet faults,
                           fronthaul::DataDirection receives)
    : config_(std::move(config)),
      faults_(std::move(faults)),
      clock_(config_.clock()),
      windows_(config_.dilated_windows()),
      decoder_config_(config_.decoder_config(receives)),
      emitter_(faults_) {}

ReceptionCounters SimulatedEnd::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

void SimulatedEnd::reset_reception_locked() {
  counters_ = {};
  emitter_.reset();
}

}  // namespace plugfest::sim
