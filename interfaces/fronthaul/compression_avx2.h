#pragma once
// The AVX2 path of compression.cpp, in its own translation unit compiled with -mavx2.
// Callers check avx2_available() first and have validated every argument.

#include <cstddef>
#include <cstdint>

#include "interfaces/fronthaul/compression.h"

namespace plugfest::fronthaul::detail {

// False when the build has no AVX2 translation unit (not an x86-64 target).
bool avx2_compiled();

// `out_size` >= compressed_size(params, prbs); writes stay inside `out_size`.
void compress_avx2(const CompressionParams& params, const IqSample* samples, std::size_t prbs,
                   std::uint8_t* out, std::size_t out_size);
// `in_size` >= compressed_size(params, prbs); reads stay inside `in_size`.
void decompress_avx2(const CompressionParams& params, const std::uint8_t* in, std::size_t in_size,
                     std::size_t prbs, IqSample* out);

}  // namespace plugfest::fronthaul::detail
