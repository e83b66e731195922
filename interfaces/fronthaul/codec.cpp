#include "interfaces/fronthaul/codec.h"

#include <algorithm>
#include <utility>

#include "interfaces/fronthaul/codec_internal.h"

namespace plugfest::fronthaul {

bool DecodeResult::has_errors() const {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& f) { return f.severity == Severity::kError; });
}

bool DecodeResult::has(std::string_view rule_id) const {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& f) { return f.rule_id == rule_id; });
}

std::vector<std::uint8_t> encode(const Message& message) {
  BitWriter w(64);
  detail::write_ecpri_headers(w, message);
  if (const auto* up = std::get_if<UplaneMessage>(&message.body)) {
    detail::write_uplane(w, *up);
  } else if (const auto* cp = std::get_if<CplaneMessage>(&message.body)) {
    detail::write_cplane(w, *cp);
  } else {
    detail::write_one_way_delay(w, std::get<OneWayDelayMeasurement>(message.body));
  }
  w.patch_u16(2, static_cast<std::uint16_t>(w.byte_size() - detail::kEcpriCommonHeaderBytes));
  return w.take();
}

void decode_into(std::span<const std::uint8_t> bytes, const DecoderConfig& config,
                 DecodeResult& result) {
  result.findings.clear();
  result.bytes_read = 0;
  // Keep the U-plane section storage when the previous message was a U-plane one.
  if (!result.message.is_uplane()) result.message.body = UplaneMessage{};
  auto& up = std::get<UplaneMessage>(result.message.body);
  std::vector<UplaneSection> keep = std::move(up.sections);
  result.message = Message{};
  std::get<UplaneMessage>(result.message.body).sections = std::move(keep);
  detail::Decoder(bytes, config, result).run();
}

DecodeResult decode(std::span<const std::uint8_t> bytes, const DecoderConfig& config) {
  DecodeResult result;
  detail::Decoder(bytes, config, result).run();
  return result;
}

}  // namespace plugfest::fronthaul
