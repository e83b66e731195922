#include "harness/inputs/shard.h"

#include <charconv>
#include <cstdint>

namespace plugfest::harness {

Result<Shard> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  Shard shard;
  const auto parse = [](std::string_view s, unsigned& out) {
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
  };
  if (slash == std::string::npos || !parse(std::string_view(text).substr(0, slash), shard.index) ||
      !parse(std::string_view(text).substr(slash + 1), shard.count) || shard.count == 0 ||
      shard.index == 0 || shard.index > shard.count) {
    return Error{"--shard: expected K/N with 1 <= K <= N, got '" + text + "'", ""};
  }
  return shard;
}

bool in_shard(const std::string& item_id, const Shard& shard) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const unsigned char c : item_id) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash % shard.count == shard.index - 1;
}

}  // namespace plugfest::harness
