// libFuzzer target: a StreamValidator fed a sequence of arbitrary packets must not crash
// and must index every finding with the packet it belongs to.
#include <cstdlib>

#include "interfaces/fronthaul/fuzz/fuzz_input.h"
#include "interfaces/fronthaul/stream_validator.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace plugfest::fronthaul;
  if (size == 0) return 0;
  StreamValidator validator(fuzz::config_from_selector(data[0]));
  const auto packets = fuzz::split_packets(std::span<const std::uint8_t>(data + 1, size - 1));
  for (std::size_t i = 0; i < packets.size(); ++i) {
    for (const Finding& finding : validator.feed(packets[i], std::chrono::nanoseconds(i))) {
      if (finding.packet_index != i) std::abort();
    }
  }
  if (validator.packets() != packets.size()) std::abort();
  return 0;
}
