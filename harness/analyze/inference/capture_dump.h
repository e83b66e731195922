#pragma once
// dump_capture: `plugfest fh dump` as a library. Every frame of a capture decoded to one
// JSON object (transport, fields as far as they were read, findings), with the stream
// checks of the codec's StreamValidator. What the settings leave unset is first inferred
// from the capture's first frames (CaptureInference, as `plugfest analyze` does) and said
// once per inference as a note; the capture is then read again from its start. Findings
// are located the Wireshark way: frame number, byte offset from the frame's start.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "interfaces/common/result.h"
#include "interfaces/fronthaul/codec.h"
#include "interfaces/transport/slot_clock.h"

namespace plugfest::analyze {

struct DumpSettings {
  fronthaul::EaxcSplit eaxc_split{4, 4, 4, 4};
  // Unset: inferred per stream from the capture.
  std::optional<fronthaul::UplaneCompression> compression;
  std::optional<std::uint16_t> carrier_prbs;
  std::optional<transport::Numerology> numerology;
  std::vector<std::uint16_t> udp_ports;  // empty: recognised by the eCPRI common header
  std::uint16_t bf_weights = 4;
  std::uint16_t ci_antennas = 4;
};

struct DumpSummary {
  std::uint64_t frames = 0;
  std::uint64_t ecpri_frames = 0;
  std::uint64_t error_findings = 0;
  std::map<std::string, std::uint64_t> rule_counts;  // every finding, by rule ID
  std::vector<std::string> notes;                    // also given to the note callback
};

using DumpLine = std::function<void(const nlohmann::json&)>;
using DumpNote = std::function<void(const std::string&)>;

// Fails (naming the file, and the frame when the file is damaged) only when the capture
// cannot be read.
Result<DumpSummary> dump_capture(const std::string& path, const DumpSettings& settings,
                                 const DumpLine& line, const DumpNote& note = {});

}  // namespace plugfest::analyze
