// libFuzzer target: plugfest-sim's descriptor reader on arbitrary text must not crash,
// hang or grow without bound, and every error it reports names the file.
#include "vendors/sim/fuzz/sim_descriptor_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  plugfest::sim::fuzz::fuzz_sim_descriptor(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
