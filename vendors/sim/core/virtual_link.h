#pragma once
// The simulated O-DU against the simulated O-RU over virtual time on a zero-delay link:
// no sockets, no waiting, every packet delivered at the time it was sent. Tests and
// plugfest-sim-record use it to see a whole exchange.

#include <cstdint>
#include <functional>
#include <vector>

#include "interfaces/transport/slot_clock.h"
#include "vendors/sim/core/odu.h"
#include "vendors/sim/core/oru.h"

namespace plugfest::sim {

struct LinkPacket {
  bool downlink = true;
  transport::Timestamp at;
  std::vector<std::uint8_t> bytes;
};

// Runs the started `odu` against `oru` from `now` for `slots` slots and eight more to
// drain, in steps of a quarter slot. `delivered` sees each packet in delivery order;
// returning false stops the run (run_virtual_link then returns false).
bool run_virtual_link(SimulatedOdu& odu, SimulatedOru& oru, const transport::SlotClock& clock,
                      transport::Timestamp now, int slots,
                      const std::function<bool(LinkPacket&&)>& delivered);

}  // namespace plugfest::sim
