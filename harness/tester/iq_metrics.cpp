#include "harness/tester/iq_metrics.h"

#include <cmath>
#include <random>

namespace plugfest::harness::tester {
namespace {

constexpr double kFullScale = 32768.0;

std::map<std::uint32_t, fronthaul::IqSample> by_subcarrier(const std::vector<SymbolIq>& pieces) {
  std::map<std::uint32_t, fronthaul::IqSample> out;
  for (const auto& piece : pieces) {
    const std::uint32_t first = std::uint32_t{piece.start_prb} * 12;
    for (std::size_t k = 0; k < piece.iq.size(); ++k) out[first + k] = piece.iq[k];
  }
  return out;
}

double energy(const fronthaul::IqSample& s) {
  return double(s.i) * double(s.i) + double(s.q) * double(s.q);
}

double to_dbfs(double energy_sum, std::size_t count) {
  if (count == 0 || energy_sum <= 0) return -200;
  return 10.0 * std::log10(energy_sum / double(count) / (kFullScale * kFullScale));
}

}  // namespace

std::vector<fronthaul::IqSample> qpsk_signal(std::uint64_t seed, std::size_t prbs,
                                             double power_dbfs) {
  std::mt19937_64 rng(seed);
  const double amplitude = kFullScale * std::sqrt(std::pow(10.0, power_dbfs / 10.0) / 2.0);
  const auto a = static_cast<std::int16_t>(std::lround(std::min(amplitude, 32767.0)));
  std::vector<fronthaul::IqSample> out(prbs * 12);
  std::uint64_t bits = 0;
  for (std::size_t k = 0; k < out.size(); ++k) {
    if (k % 32 == 0) bits = rng();
    out[k].i = (bits & 1) ? a : static_cast<std::int16_t>(-a);
    out[k].q = (bits & 2) ? a : static_cast<std::int16_t>(-a);
    bits >>= 2;
  }
  return out;
}

double power_dbfs(std::span<const fronthaul::IqSample> samples) {
  double sum = 0;
  for (const auto& s : samples) sum += energy(s);
  return to_dbfs(sum, samples.size());
}

IqComparison compare_iq(const SlotIq& reference, const SlotIq& observed) {
  IqComparison result;
  double error = 0, ref_energy = 0, all_ref = 0, all_obs = 0;
  std::size_t ref_count = 0, obs_count = 0;
  for (const auto& [symbol, pieces] : observed) {
    for (const auto& [k, s] : by_subcarrier(pieces)) {
      (void)k;
      all_obs += energy(s);
      ++obs_count;
    }
  }
  for (const auto& [symbol, pieces] : reference) {
    const auto ref = by_subcarrier(pieces);
    const auto it = observed.find(symbol);
    const auto obs = it == observed.end() ? decltype(ref){} : by_subcarrier(it->second);
    for (const auto& [k, r] : ref) {
      all_ref += energy(r);
      ++ref_count;
      const auto o = obs.find(k);
      if (o == obs.end()) {
        ++result.missing;
        continue;
      }
      const double di = double(o->second.i) - r.i, dq = double(o->second.q) - r.q;
      error += di * di + dq * dq;
      ref_energy += energy(r);
      ++result.compared;
    }
  }
  result.reference_power_dbfs = to_dbfs(all_ref, ref_count);
  result.observed_power_dbfs = to_dbfs(all_obs, obs_count);
  if (result.compared == 0) {
    result.evm_percent = 100.0;
  } else {
    result.evm_percent =
        ref_energy > 0 ? 100.0 * std::sqrt(error / ref_energy) : (error > 0 ? 100.0 : 0.0);
  }
  return result;
}

Result<std::vector<fronthaul::IqSample>> decompress_prbs(const fronthaul::CompressionParams& params,
                                                         std::span<const std::uint8_t> bytes,
                                                         std::size_t prbs) {
  std::vector<fronthaul::IqSample> out(prbs * 12);
  auto used = fronthaul::decompress(params, bytes, out);
  if (!used) return used.error();
  return out;
}

Result<double> compression_evm_percent(const fronthaul::CompressionParams& params,
                                       std::span<const fronthaul::IqSample> samples) {
  const std::size_t prbs = samples.size() / 12;
  std::vector<std::uint8_t> bytes(fronthaul::compressed_size(params, prbs));
  auto written = fronthaul::compress(params, samples, bytes);
  if (!written) return written.error();
  auto back = decompress_prbs(params, bytes, prbs);
  if (!back) return back.error();
  SlotIq ref{{0, {SymbolIq{0, {samples.begin(), samples.end()}}}}};
  SlotIq obs{{0, {SymbolIq{0, std::move(*back)}}}};
  return compare_iq(ref, obs).evm_percent;
}

}  // namespace plugfest::harness::tester
