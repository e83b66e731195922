#include "harness/tester/compression_names.h"

namespace plugfest::harness::tester {

Result<fronthaul::CompressionMethod> parse_method(const std::string& name) {
  using fronthaul::CompressionMethod;
  for (auto method : {CompressionMethod::kNone, CompressionMethod::kBlockFloatingPoint,
                      CompressionMethod::kBlockScaling, CompressionMethod::kMuLaw}) {
    if (name == method_name(method)) return method;
  }
  return Error{
      "unknown compression method '" + name + "' (expected none, bfp, block-scaling or mu-law)",
      "compression.method"};
}

std::string compression_capability(const fronthaul::CompressionParams& params) {
  return std::string("compression.") + method_name(params.method) + "." +
         std::to_string(params.iq_width);
}

}  // namespace plugfest::harness::tester
