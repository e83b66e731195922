// libFuzzer target: the profile reader on arbitrary text must not crash, hang or grow
// without bound, and every error it reports names the file.
#include "harness/inputs/fuzz/inputs_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  plugfest::harness::fuzz::fuzz_profile(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
