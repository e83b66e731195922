#pragma once
// BitReader / BitWriter: the one place where fronthaul messages are turned into and read
// from big-endian, MSB-first bit fields. The reader never reads past its span: a read that
// would overrun yields zero, marks the reader failed and leaves the position unchanged, so
// callers can report how far they got.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace plugfest::fronthaul {

class BitReader {
 public:
  explicit BitReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  // Reads `bits` (0..32) bits MSB first. On overrun returns 0 and sets failed().
  std::uint32_t read(unsigned bits) {
    if (bits == 0) return 0;
    if (bits > 32 || bits > remaining_bits()) {
      failed_ = true;
      return 0;
    }
    std::uint64_t value = 0;
    unsigned done = 0;
    while (done < bits) {
      const std::size_t byte = bit_pos_ / 8;
      const unsigned bit_in_byte = bit_pos_ % 8;
      const unsigned take = std::min(8u - bit_in_byte, bits - done);
      const unsigned shift = 8u - bit_in_byte - take;
      const unsigned chunk = (bytes_[byte] >> shift) & ((1u << take) - 1u);
      value = (value << take) | chunk;
      done += take;
      bit_pos_ += take;
    }
    return static_cast<std::uint32_t>(value);
  }
  bool read_bool() { return read(1) != 0; }
  std::uint8_t read_u8() { return static_cast<std::uint8_t>(read(8)); }
  std::uint16_t read_u16() { return static_cast<std::uint16_t>(read(16)); }

  // Copies `count` whole octets (the reader must be octet aligned); on overrun copies
  // nothing and sets failed().
  std::vector<std::uint8_t> read_bytes(std::size_t count) {
    if (bit_pos_ % 8 != 0 || count > remaining_bytes()) {
      failed_ = true;
      return {};
    }
    const std::size_t start = bit_pos_ / 8;
    bit_pos_ += count * 8;
    return {bytes_.begin() + static_cast<std::ptrdiff_t>(start),
            bytes_.begin() + static_cast<std::ptrdiff_t>(start + count)};
  }

  // Skips `bits`; on overrun moves to the end and sets failed().
  void skip(std::size_t bits) {
    if (bits > remaining_bits()) {
      failed_ = true;
      bit_pos_ = bytes_.size() * 8;
      return;
    }
    bit_pos_ += bits;
  }
  void align_to_byte() { bit_pos_ = (bit_pos_ + 7) / 8 * 8; }

  std::size_t bit_position() const { return bit_pos_; }
  std::size_t byte_position() const { return bit_pos_ / 8; }
  std::size_t remaining_bits() const { return bytes_.size() * 8 - bit_pos_; }
  std::size_t remaining_bytes() const { return remaining_bits() / 8; }
  std::size_t size() const { return bytes_.size(); }
  bool failed() const { return failed_; }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t bit_pos_ = 0;
  bool failed_ = false;
};

class BitWriter {
 public:
  BitWriter() = default;
  // Reserves room for `bytes` octets up front (hot paths know their message size).
  explicit BitWriter(std::size_t bytes) { out_.reserve(bytes); }

  // Appends the low `bits` (0..32) bits of `value`, MSB first.
  void write(std::uint32_t value, unsigned bits) {
    while (bits > 0) {
      const unsigned bit_in_byte = bit_pos_ % 8;
      if (bit_in_byte == 0) buffer().push_back(0);
      const unsigned take = std::min(8u - bit_in_byte, bits);
      const unsigned chunk = (value >> (bits - take)) & ((1u << take) - 1u);
      buffer().back() =
          static_cast<std::uint8_t>(buffer().back() | (chunk << (8u - bit_in_byte - take)));
      bits -= take;
      bit_pos_ += take;
    }
  }
  void write_bool(bool value) { write(value ? 1u : 0u, 1); }
  void write_u8(std::uint8_t value) { write(value, 8); }
  void write_u16(std::uint16_t value) { write(value, 16); }
  void write_bytes(std::span<const std::uint8_t> bytes) {
    if (bit_pos_ % 8 != 0) {
      for (std::uint8_t b : bytes) write_u8(b);
      return;
    }
    buffer().insert(buffer().end(), bytes.begin(), bytes.end());
    bit_pos_ += bytes.size() * 8;
  }
  // Zero bits up to the next octet boundary.
  void align_to_byte() { bit_pos_ = (bit_pos_ + 7) / 8 * 8; }
  // Zero octets until the octet count (from `from_byte`) is a multiple of `multiple`.
  void pad_to_multiple(std::size_t from_byte, std::size_t multiple) {
    align_to_byte();
    while ((byte_size() - from_byte) % multiple != 0) write_u8(0);
  }
  // Overwrites a big-endian 16-bit value at an octet offset written earlier.
  void patch_u16(std::size_t byte_offset, std::uint16_t value) {
    buffer()[byte_offset] = static_cast<std::uint8_t>(value >> 8);
    buffer()[byte_offset + 1] = static_cast<std::uint8_t>(value & 0xff);
  }
  void patch_u8(std::size_t byte_offset, std::uint8_t value) { buffer()[byte_offset] = value; }

  std::size_t byte_size() const { return (bit_pos_ + 7) / 8; }
  std::vector<std::uint8_t>& bytes() { return buffer(); }
  std::vector<std::uint8_t> take() { return std::move(buffer()); }

 private:
  std::vector<std::uint8_t>& buffer() { return out_; }

  std::vector<std::uint8_t> out_;
  std::size_t bit_pos_ = 0;
};

}  // namespace plugfest::fronthaul
