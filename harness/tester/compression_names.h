#pragma once
// IQ compression methods by the names profiles and capabilities spell them ("none", "bfp",
// "block-scaling", "mu-law"), and the capability a compression setting needs.

#include <string>

#include "interfaces/common/result.h"
#include "interfaces/fronthaul/compression_params.h"

namespace plugfest::harness::tester {

using fronthaul::method_name;
Result<fronthaul::CompressionMethod> parse_method(const std::string& name);
// The capability a compression setting needs, e.g. "compression.bfp.9".
std::string compression_capability(const fronthaul::CompressionParams& params);

}  // namespace plugfest::harness::tester
