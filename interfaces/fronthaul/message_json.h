#pragma once
// JSON views of decoded fronthaul messages and findings (for `plugfest fh dump`, reports
// and evidence). Field names are the model's: snake_case of the O-RAN CUS names.

#include <nlohmann/json.hpp>

#include "interfaces/fronthaul/message.h"
#include "interfaces/fronthaul/rules.h"

namespace plugfest::fronthaul {

// IQ and channel-information bytes are summarised by their size, not listed.
nlohmann::json to_json(const Message& message);
nlohmann::json to_json(const Finding& finding);
nlohmann::json to_json(const Rule& rule);

}  // namespace plugfest::fronthaul
