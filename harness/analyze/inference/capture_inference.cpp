#include "harness/analyze/inference/capture_inference.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cmath>
#include <set>

namespace plugfest::analyze {
namespace {

using transport::Numerology;

constexpr std::size_t kMaxTracks = 256;
constexpr std::size_t kMaxUdpPairs = 64;
// Timestamps confirm a numerology when a slot takes this close to its length (ratio).
constexpr double kTimeTolerance = 1.25;

std::int64_t slot_ns(int mu) { return 1'000'000 >> mu; }

}  // namespace

CaptureInference::CaptureInference(Known known)
    : known_(known), uplane_({known.compression, known.carrier_prbs, known.numerology}) {}

void CaptureInference::feed_slot(std::span<const std::uint8_t> ecpri,
                                 std::chrono::nanoseconds timestamp, const std::string& file,
                                 std::size_t frame_number) {
  if (ecpri.size() < 12 || (ecpri[1] != 0 && ecpri[1] != 2)) return;
  const unsigned frame_id = ecpri[9];
  const unsigned subframe = ecpri[10] >> 4;
  const int slot = ((ecpri[10] & 0x0f) << 2) | (ecpri[11] >> 6);
  if (subframe > 9) return;
  if (slot > max_slot_) {
    max_slot_ = slot;
    max_slot_file_ = file;
    max_slot_frame_ = frame_number;
  }
  const auto key16 = static_cast<std::uint16_t>(frame_id << 4 | subframe);
  auto [sf, fresh] = subframe_max_slot_.try_emplace(key16, slot);
  if (!fresh) sf->second = std::max(sf->second, slot);
  if (subframe_max_slot_.size() > 2 * 2560) subframe_max_slot_.erase(subframe_max_slot_.begin());

  const std::uint32_t stream = (std::uint32_t{ecpri[1]} << 17) |
                               (std::uint32_t(ecpri[8] >> 7) << 16) |
                               std::uint32_t(ecpri[4] << 8 | ecpri[5]);
  auto it = tracks_.find(stream);
  if (it == tracks_.end()) {
    if (tracks_.size() >= kMaxTracks) return;
    it = tracks_.emplace(stream, SlotTrack{}).first;
    it->second.first_time = timestamp;
    for (int mu = 0; mu < 4; ++mu) {
      it->second.last_index[mu] = ((frame_id * 10 + subframe) << mu) + static_cast<unsigned>(slot);
    }
  }
  SlotTrack& track = it->second;
  track.last_time = timestamp;
  for (int mu = 0; mu < 4; ++mu) {
    const std::uint32_t index = ((frame_id * 10 + subframe) << mu) + static_cast<unsigned>(slot);
    const std::int64_t modulus = std::int64_t{2560} << mu;
    std::int64_t delta = (std::int64_t{index} - track.last_index[mu]) % modulus;
    if (delta < 0) delta += modulus;
    if (delta > modulus / 2) delta -= modulus;  // a message of an earlier slot (reordered)
    track.slots[mu] += delta;
    track.last_index[mu] = index;
  }
}

void CaptureInference::feed(const fronthaul::EcpriLocation& location,
                            std::chrono::nanoseconds timestamp, bool cut, const std::string& file,
                            std::size_t frame_number) {
  if (location.transport != fronthaul::EcpriTransport::kEthernet && !known_.udp_ports_named) {
    const std::pair<std::uint16_t, std::uint16_t> pair{location.source_port,
                                                       location.destination_port};
    if (udp_pairs_.empty()) {
      udp_file_ = file;
      udp_frame_ = frame_number;
    }
    if (udp_pairs_.size() < kMaxUdpPairs || udp_pairs_.contains(pair)) ++udp_pairs_[pair];
  }
  if (!known_.numerology) feed_slot(location.payload, timestamp, file, frame_number);
  if (!cut) uplane_.feed(location.payload, file, frame_number);
}

CaptureSettings CaptureInference::result() const {
  CaptureSettings out;
  // Numerology: the smallest whose slots per subframe hold every slotId seen; timestamps
  // pick among those the one whose slots last as long as the capture shows; without
  // them, a subframe seen to its end says the slot count.
  if (!known_.numerology && max_slot_ >= 0 && max_slot_ < 8) {
    int lowest = 0;
    while ((1 << lowest) <= max_slot_) ++lowest;
    std::optional<int> timed;
    double timed_ratio = 0, best = 1e300;
    std::array<double, 4> ratio{};
    for (int mu = lowest; mu < 4; ++mu) {
      std::int64_t slots = 0, ns = 0;
      for (const auto& [key, t] : tracks_) {
        if (t.slots[mu] <= 0) continue;
        slots += t.slots[mu];
        ns += (t.last_time - t.first_time).count();
      }
      if (slots <= 0 || ns <= 0) continue;
      ratio[mu] = static_cast<double>(ns) / (static_cast<double>(slots) * slot_ns(mu));
      const double distance = std::abs(std::log(ratio[mu]));
      if (distance < best) {
        best = distance;
        timed_ratio = ratio[mu];
        timed = mu;
      }
    }
    // Subframes followed by the next one were seen to their end (when sent every slot).
    int completed = -1;
    for (const auto& [key, top] : subframe_max_slot_) {
      const unsigned frame_id = key >> 4, subframe = key & 0x0f;
      const unsigned next = subframe == 9 ? ((frame_id + 1) & 0xff) << 4 : (frame_id << 4) | (subframe + 1);
      if (subframe_max_slot_.contains(static_cast<std::uint16_t>(next))) {
        completed = std::max(completed, top);
      }
    }
    const std::string top = "slotId up to " + std::to_string(max_slot_);
    NumerologyInference n;
    n.file = max_slot_file_;
    n.frame_number = max_slot_frame_;
    if (timed && best < std::log(kTimeTolerance)) {
      n.numerology = static_cast<Numerology>(*timed);
      n.time_ratio = timed_ratio;
      n.how = top + " and packet timestamps: one slot every " +
              std::to_string(slot_ns(*timed) / 1000) + " us";
      out.numerology = n;
    } else if (completed >= 0 && completed == max_slot_) {
      n.numerology = static_cast<Numerology>(lowest);
      n.how = top + " before the subframe changes";
      if (timed) {
        n.time_ratio = ratio[lowest] > 0 ? ratio[lowest] : timed_ratio;
        char text[96];
        std::snprintf(text, sizeof text,
                      "; the timestamps advance %.3g times slower than real slots (a dilated "
                      "slot clock)",
                      *n.time_ratio);
        n.how += text;
      }
      out.numerology = n;
    }
  }
  const std::optional<Numerology> numerology =
      known_.numerology ? known_.numerology
                        : (out.numerology ? std::optional(out.numerology->numerology)
                                          : std::nullopt);
  out.layouts = uplane_.layouts(numerology);
  if (!udp_pairs_.empty()) {
    // The fewest ports that every recognised datagram uses at one of its ends.
    std::map<std::pair<std::uint16_t, std::uint16_t>, std::uint64_t> left = udp_pairs_;
    UdpPortInference udp;
    udp.file = udp_file_;
    udp.frame_number = udp_frame_;
    while (!left.empty()) {
      std::map<std::uint16_t, std::uint64_t> uses;
      for (const auto& [pair, count] : left) {
        uses[pair.first] += count;
        if (pair.second != pair.first) uses[pair.second] += count;
      }
      const auto most = std::max_element(uses.begin(), uses.end(), [](const auto& a, const auto& b) {
        return a.second < b.second;
      });
      udp.ports.push_back(most->first);
      std::erase_if(left, [&](const auto& e) {
        return e.first.first == most->first || e.first.second == most->first;
      });
    }
    std::sort(udp.ports.begin(), udp.ports.end());
    out.udp = udp;
  }
  return out;
}

std::vector<std::string> capture_notes(const CaptureSettings& settings, PinStyle style) {
  std::vector<std::string> notes = inference_notes(settings.layouts, style);
  const bool dump = style == PinStyle::kDumpFlags;
  if (settings.numerology) {
    const auto& n = *settings.numerology;
    const int mu = transport::mu_of(n.numerology);
    notes.push_back("numerology inferred: " + std::to_string(mu) + " (" +
                    std::to_string(transport::subcarrier_spacing_khz(n.numerology)) +
                    " kHz, from " + n.how + "); first needed " + n.file + " frame " +
                    std::to_string(n.frame_number) + "; pin it with " +
                    (dump ? "--numerology " + std::to_string(mu)
                          : "numerology: " + std::to_string(mu) + " in --config"));
  }
  if (settings.udp) {
    std::string ports, flags, list;
    for (auto p : settings.udp->ports) {
      ports += (ports.empty() ? "" : ", ") + std::to_string(p);
      flags += " --udp-port " + std::to_string(p);
      list += (list.empty() ? "" : ", ") + std::to_string(p);
    }
    notes.push_back("eCPRI over UDP recognised by its common header on UDP port" +
                    std::string(settings.udp->ports.size() > 1 ? "s " : " ") + ports +
                    "; first " + settings.udp->file + " frame " +
                    std::to_string(settings.udp->frame_number) + "; pin it with" +
                    (dump ? flags : " udp_ports: [" + list + "] in --config") +
                    " (then only those ports are read)");
  }
  return notes;
}

}  // namespace plugfest::analyze
