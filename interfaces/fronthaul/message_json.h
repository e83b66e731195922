#pragma once
// JSON views of decoded fronthaul messages and findings (for `plugfest fh dump`, reports
// and evidence). Field names are the model's: snake_case of the O-RAN CUS names.

#include <nlohmann/json.hpp>
#include <span>

#include "interfaces/fronthaul/codec.h"
#include "interfaces/fronthaul/message.h"
#include "interfaces/fronthaul/rules.h"

namespace plugfest::fronthaul {

// IQ and channel-information bytes are summarised by their size, not listed.
nlohmann::json to_json(const Message& message);
// What a decode of `bytes` understood and nothing more: the common header's own message
// type, the eAxC and sequence IDs once read, the radio header and the sections read so
// far; `decoded_octets` says how far that was. No default fills a field never read.
nlohmann::json to_json(const DecodeResult& result, std::span<const std::uint8_t> bytes);
nlohmann::json to_json(const Finding& finding);
nlohmann::json to_json(const Rule& rule);

}  // namespace plugfest::fronthaul
