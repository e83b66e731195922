#include "vendors/sim/core/signal.h"

#include <cmath>
#include <limits>
#include <random>

namespace plugfest::sim {

std::vector<fronthaul::IqSample> generate_signal(const SignalSpec& spec, std::uint16_t prbs,
                                                 std::uint64_t symbol_key) {
  std::vector<fronthaul::IqSample> out(std::size_t{prbs} * fronthaul::kSubcarriersPerPrb);
  const double amplitude = 32767.0 * std::pow(10.0, spec.power_dbfs / 20.0);
  auto clamp16 = [](double v) {
    return static_cast<std::int16_t>(std::lround(std::fmax(-32768.0, std::fmin(32767.0, v))));
  };
  switch (spec.kind) {
    case SignalKind::kZeros:
      break;
    case SignalKind::kTone: {
      if (spec.subcarrier < out.size()) {
        const double phase = 0.3 * static_cast<double>(symbol_key % 1000);
        out[spec.subcarrier] = {clamp16(amplitude * std::cos(phase)),
                                clamp16(amplitude * std::sin(phase))};
      }
      break;
    }
    case SignalKind::kQpskRandom: {
      std::mt19937_64 rng(spec.seed * 0x9e3779b97f4a7c15ULL + symbol_key);
      const std::int16_t a = clamp16(amplitude / std::sqrt(2.0));
      std::uint64_t bits = 0;
      for (std::size_t i = 0; i < out.size(); ++i) {
        if (i % 32 == 0) bits = rng();
        const unsigned two = static_cast<unsigned>(bits >> ((i % 32) * 2)) & 3u;
        out[i] = {static_cast<std::int16_t>((two & 1u) ? -a : a),
                  static_cast<std::int16_t>((two & 2u) ? -a : a)};
      }
      break;
    }
  }
  return out;
}

double power_dbfs(const std::vector<fronthaul::IqSample>& samples) {
  if (samples.empty()) return -std::numeric_limits<double>::infinity();
  double sum = 0;
  for (const auto& s : samples) sum += double(s.i) * s.i + double(s.q) * s.q;
  const double mean = sum / static_cast<double>(samples.size());
  if (mean <= 0) return -std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(mean / (32767.0 * 32767.0));
}

void IqStore::add(std::uint16_t antenna, std::uint8_t frame_id, std::uint8_t subframe,
                  std::uint8_t slot, IqRecord record) {
  std::lock_guard lock(mutex_);
  const Key key{antenna, frame_id, subframe, slot};
  auto [it, inserted] = records_.try_emplace(key);
  if (inserted) {
    order_.push_back(key);
    if (order_.size() > capacity_) {
      records_.erase(order_.front());
      order_.pop_front();
    }
  }
  it->second.push_back(std::move(record));
}

std::vector<IqRecord> IqStore::get(std::uint16_t antenna, std::uint8_t frame_id,
                                   std::uint8_t subframe, std::uint8_t slot) const {
  std::lock_guard lock(mutex_);
  auto it = records_.find(Key{antenna, frame_id, subframe, slot});
  return it == records_.end() ? std::vector<IqRecord>{} : it->second;
}

std::size_t IqStore::slots() const {
  std::lock_guard lock(mutex_);
  return records_.size();
}

void IqStore::clear() {
  std::lock_guard lock(mutex_);
  records_.clear();
  order_.clear();
}

}  // namespace plugfest::sim
