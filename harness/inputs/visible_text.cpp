#include "harness/inputs/visible_text.h"

namespace plugfest::harness {

std::string visible_controls(std::string_view text, std::string_view keep) {
  std::string out;
  out.reserve(text.size());
  const auto hex = [&out](unsigned value, int digits) {
    static const char kDigits[] = "0123456789abcdef";
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kDigits[(value >> shift) & 15];
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      const bool control = c < 0x20 || c == 0x7f;
      if (!control || keep.find(static_cast<char>(c)) != std::string_view::npos) {
        out += static_cast<char>(c);
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else {
        out += "\\x";
        hex(c, 2);
      }
      ++i;
      continue;
    }
    // A well-formed UTF-8 sequence is kept unless it encodes a C1 control (U+0080-U+009F,
    // which some terminals obey as they do ESC); any other byte is shown as \xNN.
    std::size_t length = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    bool ok = length != 0 && i + length <= text.size();
    unsigned value = length == 2 ? c & 0x1F : length == 3 ? c & 0x0F : c & 0x07;
    for (std::size_t k = 1; ok && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      ok = (next & 0xC0) == 0x80;
      value = (value << 6) | (next & 0x3F);
    }
    const unsigned lowest = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
    ok = ok && value >= lowest && value <= 0x10FFFF && !(value >= 0xD800 && value <= 0xDFFF);
    if (!ok) {
      out += "\\x";
      hex(c, 2);
      ++i;
    } else if (value <= 0x9F) {
      out += "\\u";
      hex(value, 4);
      i += length;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

std::string escape_terminal(std::string_view text) { return visible_controls(text, ""); }

}  // namespace plugfest::harness
