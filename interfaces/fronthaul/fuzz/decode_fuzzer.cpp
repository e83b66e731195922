// libFuzzer target: decode() on arbitrary bytes under every decoder configuration must
// not crash, read out of bounds, or claim more octets or offsets than it was given.
#include <cstdlib>

#include "interfaces/fronthaul/codec.h"
#include "interfaces/fronthaul/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace plugfest::fronthaul;
  if (size == 0) return 0;
  const DecoderConfig config = fuzz::config_from_selector(data[0]);
  const std::span<const std::uint8_t> packet(data + 1, size - 1);
  const DecodeResult result = decode(packet, config);
  if (result.bytes_read > packet.size()) std::abort();
  for (const Finding& finding : result.findings) {
    if (finding.byte_offset > packet.size() || find_rule(finding.rule_id) == nullptr) std::abort();
  }
  // What was decoded encodes again without trouble.
  (void)encode(result.message);
  return 0;
}
