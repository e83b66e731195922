#pragma once
// --shard K/N: part K of N of a plan. An item belongs to the shard its ID hashes to
// (FNV-1a 64, K-1 modulo N), so the partition is the same on every machine.

#include <string>

#include "interfaces/common/result.h"

namespace plugfest::harness {

struct Shard {
  unsigned index = 1;  // 1-based
  unsigned count = 1;
};

// Parses "K/N" with 1 <= K <= N.
Result<Shard> parse_shard(const std::string& text);
bool in_shard(const std::string& item_id, const Shard& shard);

}  // namespace plugfest::harness
