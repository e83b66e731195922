// One step of UTF-8 validation, shared by the readers of outside text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace plugfest {

// The length of the well-formed multi-byte UTF-8 sequence starting at text[i] (a byte of
// 0x80 or above), or 0 when it is malformed: a bad lead or continuation byte, cut short,
// overlong, a surrogate, or past U+10FFFF.
inline std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  std::size_t length = 0;
  std::uint32_t low = 0;
  std::uint32_t value = 0;
  if ((c & 0xE0) == 0xC0) {
    length = 2, low = 0x80, value = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    length = 3, low = 0x800, value = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    length = 4, low = 0x10000, value = c & 0x07;
  }
  if (length == 0 || i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xC0) != 0x80) return 0;
    value = (value << 6) | (next & 0x3F);
  }
  if (value < low || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
  return length;
}

}  // namespace plugfest
