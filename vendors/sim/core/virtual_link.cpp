#include "vendors/sim/core/virtual_link.h"

#include <algorithm>

namespace plugfest::sim {

bool run_virtual_link(SimulatedOdu& odu, SimulatedOru& oru, const transport::SlotClock& clock,
                      transport::Timestamp now, int slots,
                      const std::function<bool(LinkPacket&&)>& delivered) {
  std::vector<LinkPacket> queue;
  const auto slot = clock.dilate(std::chrono::microseconds(500));
  const transport::Timestamp end = now + slot * (slots + 8);
  while (now < end) {
    std::vector<Transmission> sent;
    odu.on_time(now, sent);
    for (auto& t : sent) queue.push_back({true, t.at, std::move(t.ecpri)});
    now += slot / 4;
    for (;;) {
      auto next =
          std::min_element(queue.begin(), queue.end(),
                           [](const LinkPacket& a, const LinkPacket& b) { return a.at < b.at; });
      if (next == queue.end() || next->at > now) break;
      LinkPacket p = std::move(*next);
      queue.erase(next);
      std::vector<Transmission> replies;
      if (p.downlink) {
        oru.on_packet(p.bytes, p.at, replies);
      } else {
        odu.on_packet(p.bytes, p.at, replies);
      }
      for (auto& t : replies) queue.push_back({false, t.at, std::move(t.ecpri)});
      if (!delivered(std::move(p))) return false;
    }
  }
  return true;
}

}  // namespace plugfest::sim
