// libFuzzer target: the analysis-config reader on arbitrary text must not crash, hang or
// grow without bound, and every error it reports names the file.
#include "harness/analyze/fuzz/analysis_config_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  plugfest::analyze::fuzz::fuzz_analysis_config(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
