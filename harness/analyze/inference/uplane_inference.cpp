#include "harness/analyze/inference/uplane_inference.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace plugfest::analyze {
namespace {

using fronthaul::CompressionMethod;
using fronthaul::CompressionParams;
using fronthaul::DataDirection;
using fronthaul::UplaneCompression;

// eCPRI common header (4), ecpriRtcid / ecpriSeqid (4), radio application header (4).
constexpr std::size_t kFirstSection = 12;
constexpr std::size_t kMaxSections = 64;
constexpr std::size_t kMaxCarrierPrbs = 275;
// A stream is known once this many of its messages were seen, and the capture is when
// no new stream has appeared for a while.
constexpr std::uint64_t kSettleMessages = 16;
constexpr std::uint64_t kSettleQuiet = 512;

std::uint32_t stream_key(DataDirection direction, std::uint16_t eaxc) {
  return (std::uint32_t(direction) << 16) | eaxc;
}

// The layouts tried, most used first.
std::vector<UplaneCompression> candidates() {
  std::vector<UplaneCompression> out;
  out.push_back({true, {CompressionMethod::kBlockFloatingPoint, 9}});
  for (std::uint8_t width : {9, 14, 12, 16, 8, 10, 11, 13, 15, 7, 6, 5, 4, 3, 2, 1}) {
    out.push_back({false, {CompressionMethod::kBlockFloatingPoint, width}});
  }
  for (std::uint8_t width : {16, 14, 12, 10, 8}) {
    out.push_back({false, {CompressionMethod::kNone, width}});
  }
  return out;
}

const char* method_words(CompressionMethod m) {
  switch (m) {
    case CompressionMethod::kNone:
      return "no compression";
    case CompressionMethod::kBlockFloatingPoint:
      return "block floating point";
    case CompressionMethod::kBlockScaling:
      return "block scaling";
    case CompressionMethod::kMuLaw:
      return "mu-law";
    case CompressionMethod::kModulation:
      return "modulation compression";
    default:
      return "selective RE sending";
  }
}

const char* method_token(CompressionMethod m, PinStyle style) {
  const bool dump = style == PinStyle::kDumpFlags;
  switch (m) {
    case CompressionMethod::kNone:
      return "none";
    case CompressionMethod::kBlockFloatingPoint:
      return "bfp";
    case CompressionMethod::kBlockScaling:
      return dump ? "bs" : "block-scaling";
    case CompressionMethod::kMuLaw:
      return dump ? "mulaw" : "mu-law";
    default:
      return dump ? "mod" : "modulation";
  }
}

std::string direction_word(DataDirection d) { return d == DataDirection::kUplink ? "UL" : "DL"; }

std::string pin(const InferredLayout& l, PinStyle style) {
  const CompressionParams& p = l.compression.static_params;
  std::string text;
  if (style == PinStyle::kDumpFlags) {
    text = l.compression.dynamic
               ? "--dynamic"
               : "--comp " + std::string(method_token(p.method, style)) + ":" +
                     std::to_string(p.iq_width);
    if (l.carrier_prbs) text += " --carrier-prbs " + std::to_string(*l.carrier_prbs);
    return text;
  }
  text = l.compression.dynamic ? "compression: {header: dynamic}"
                               : "compression: {header: static, method: " +
                                     std::string(method_token(p.method, style)) +
                                     ", width: " + std::to_string(p.iq_width) + "}";
  if (l.carrier_prbs) text += " and carrier_prbs: " + std::to_string(*l.carrier_prbs);
  return text + " in --config";
}

}  // namespace

UplaneInference::UplaneInference(Known known) : known_(std::move(known)) {}

bool UplaneInference::fits(std::span<const std::uint8_t> ecpri,
                           const UplaneCompression& compression,
                           std::optional<std::uint16_t>& carrier_out) const {
  if (ecpri.size() < kFirstSection) return false;
  const std::size_t end = 4 + (std::size_t{ecpri[2]} << 8 | ecpri[3]);
  if (end > ecpri.size() || end <= kFirstSection) return false;
  const bool dynamic = compression.dynamic;
  const std::size_t header = dynamic ? 6 : 4;
  std::optional<std::uint16_t> carrier = known_.carrier_prbs ? known_.carrier_prbs : carrier_out;
  std::size_t at = kFirstSection;
  std::size_t sections = 0;
  while (at < end) {
    if (end - at < header || ++sections > kMaxSections) return false;
    const std::uint8_t num_prbu = ecpri[at + 3];
    CompressionParams params = compression.static_params;
    if (dynamic) {
      params = CompressionParams::from_ud_comp_hdr(ecpri[at + 4]);
      if (static_cast<unsigned>(params.method) > 4) return false;
    }
    const std::size_t per_prb = fronthaul::prb_payload_bytes(params);
    const std::size_t rest = end - at - header;
    std::size_t need = 0;
    if (num_prbu != 0) {
      need = num_prbu * per_prb;
    } else if (carrier) {
      need = *carrier * per_prb;
    } else {
      // "All PRBs" of a carrier nobody named: the rest of the message tells it.
      if (rest == 0 || rest % per_prb != 0 || rest / per_prb > kMaxCarrierPrbs) return false;
      carrier = static_cast<std::uint16_t>(rest / per_prb);
      need = rest;
    }
    if (need > rest) return false;
    at += header + need;
  }
  if (!known_.carrier_prbs) carrier_out = carrier;
  return true;
}

void UplaneInference::feed(std::span<const std::uint8_t> ecpri, const std::string& file,
                           std::size_t frame_number) {
  ++messages_;
  if (ecpri.size() < kFirstSection) return;
  const auto direction = static_cast<DataDirection>(ecpri[8] >> 7);
  const auto eaxc = static_cast<std::uint16_t>(ecpri[4] << 8 | ecpri[5]);
  if (ecpri[1] == 2) {
    // A UL C-plane names the method and width the O-RU is to use.
    if (direction != DataDirection::kUplink || ul_cplane_.contains(eaxc)) return;
    const auto decoded = fronthaul::decode(ecpri, {});
    if (const auto* cp = std::get_if<fronthaul::CplaneMessage>(&decoded.message.body)) {
      if (cp->section_type == fronthaul::SectionType::kMostDlUl ||
          cp->section_type == fronthaul::SectionType::kPrachAndMixedNumerology) {
        ul_cplane_[eaxc] = cp->ud_comp_hdr;
      }
    }
    return;
  }
  if (ecpri[1] != 0) return;
  auto [it, inserted] = streams_.try_emplace(stream_key(direction, eaxc));
  Stream& stream = it->second;
  if (inserted) {
    last_new_stream_ = messages_;
    if (known_.compression) {
      stream.candidates.push_back({*known_.compression, {}, 0, {}, 0});
    } else {
      for (const auto& c : candidates()) stream.candidates.push_back({c, {}, 0, {}, 0});
    }
  }
  ++stream.messages;
  for (Candidate& c : stream.candidates) {
    // A carrier an earlier message told holds for the later ones.
    std::optional<std::uint16_t> carrier = c.carrier;
    if (!fits(ecpri, c.compression, carrier)) continue;
    c.carrier = carrier;
    if (c.fitting++ == 0) {
      c.file = file;
      c.frame_number = frame_number;
    }
  }
}

bool UplaneInference::settled() const {
  if (streams_.empty() || messages_ - last_new_stream_ < kSettleQuiet) return false;
  return std::all_of(streams_.begin(), streams_.end(),
                     [](const auto& s) { return s.second.messages >= kSettleMessages; });
}

std::vector<InferredLayout> UplaneInference::layouts(
    std::optional<transport::Numerology> numerology) const {
  if (!numerology) numerology = known_.numerology;
  std::vector<InferredLayout> out;
  for (const auto& [key, stream] : streams_) {
    InferredLayout l;
    l.direction = static_cast<DataDirection>(key >> 16);
    l.eaxc = static_cast<std::uint16_t>(key & 0xffff);
    l.messages = stream.messages;
    // Most messages fitting; then an NR carrier; then the earlier candidate.
    const Candidate* best = nullptr;
    bool best_standard = false;
    for (const Candidate& c : stream.candidates) {
      const bool standard =
          c.carrier && transport::is_nr_carrier_prbs(*c.carrier, numerology);
      // With neither compression nor carrier known, a static width whose carrier came
      // from the payload size alone must give an NR bandwidth's PRB count and be a width
      // labs use (8 bits or more): otherwise it is a coincidence of sizes (most payloads
      // divide into PRBs of some octets), not a layout. Pinning either one lifts this.
      if (!known_.compression && !known_.carrier_prbs && c.carrier && !c.compression.dynamic &&
          (!standard || c.compression.static_params.iq_width < 8)) {
        continue;
      }
      if (!best || std::tie(c.fitting, standard) > std::tie(best->fitting, best_standard)) {
        best = &c;
        best_standard = standard;
      }
    }
    if (best && best->fitting * 2 > stream.messages) {
      l.fits = true;
      l.compression = best->compression;
      l.carrier_prbs = known_.carrier_prbs ? std::nullopt : best->carrier;
      l.standard_carrier = best_standard;
      l.file = best->file;
      l.frame_number = best->frame_number;
      l.fitting = best->fitting;
      l.method_named = l.compression.dynamic || known_.compression.has_value();
      // The UL C-plane's udCompHdr names a method of the same size.
      const auto named = ul_cplane_.find(l.eaxc);
      if (!l.compression.dynamic && !known_.compression &&
          l.direction == DataDirection::kUplink && named != ul_cplane_.end() &&
          fronthaul::prb_payload_bytes(named->second) ==
              fronthaul::prb_payload_bytes(l.compression.static_params)) {
        l.compression.static_params = named->second;
        l.method_named = true;
      }
    }
    out.push_back(std::move(l));
  }
  return out;
}

std::optional<InferredLayout> fallback_layout(const std::vector<InferredLayout>& layouts,
                                              DataDirection direction) {
  for (bool same : {true, false}) {
    const InferredLayout* best = nullptr;
    for (const auto& l : layouts) {
      if (!l.fits || (l.direction == direction) != same) continue;
      if (!best || l.messages > best->messages) best = &l;
    }
    if (best) return *best;
  }
  return std::nullopt;
}

std::string describe_compression(const InferredLayout& l) {
  const CompressionParams& p = l.compression.static_params;
  if (l.compression.dynamic) {
    return "dynamic udCompHdr (each section names its method and width)";
  }
  const std::string width = std::to_string(p.iq_width) + "-bit ";
  if (fronthaul::ud_comp_param_bytes(p.method) == 0) {
    if (p.method == CompressionMethod::kNone) return "static udCompHdr, no compression, " + width + "IQ";
    return "static udCompHdr, " + width + method_words(p.method);
  }
  if (l.method_named) return "static udCompHdr, " + width + method_words(p.method);
  return "static udCompHdr, " + width + method_words(p.method) +
         " (or block scaling or mu-law: the same " +
         std::to_string(fronthaul::prb_payload_bytes(p)) + " octets per PRB)";
}

std::vector<std::string> inference_notes(const std::vector<InferredLayout>& layouts,
                                         PinStyle style) {
  // Streams that agree share one note.
  std::vector<std::pair<const InferredLayout*, std::vector<const InferredLayout*>>> groups;
  for (const auto& l : layouts) {
    if (!l.fits) continue;
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) {
      const InferredLayout& o = *g.first;
      return o.compression == l.compression && o.carrier_prbs == l.carrier_prbs &&
             o.method_named == l.method_named;
    });
    if (it == groups.end()) {
      groups.push_back({&l, {&l}});
    } else {
      it->second.push_back(&l);
    }
  }
  std::vector<std::string> notes;
  for (const auto& [first, members] : groups) {
    std::string streams;
    for (DataDirection d : {DataDirection::kDownlink, DataDirection::kUplink}) {
      std::string ids;
      for (const auto* m : members) {
        if (m->direction == d) ids += (ids.empty() ? "" : ", ") + std::to_string(m->eaxc);
      }
      if (!ids.empty()) {
        streams += (streams.empty() ? "" : "; ") + direction_word(d) + " eAxC " + ids;
      }
    }
    std::uint64_t fitting = 0, messages = 0;
    for (const auto* m : members) {
      fitting += m->fitting;
      messages += m->messages;
    }
    std::string text = "U-plane layout inferred for " + streams + ": " +
                       describe_compression(*first);
    if (first->carrier_prbs) {
      text += ", carrier of " + std::to_string(*first->carrier_prbs) + " PRBs (sections of " +
              "numPrbu 0" +
              (first->standard_carrier ? ")" : "; no NR channel bandwidth has that count)");
    }
    text += "; first fitting " + first->file + " frame " + std::to_string(first->frame_number) +
            ", fits " + std::to_string(fitting) + " of " + std::to_string(messages) +
            " messages examined; pin it with " + pin(*first, style);
    notes.push_back(std::move(text));
  }
  // Streams that differ only in whether they showed the carrier are pinned by one set.
  std::set<std::uint16_t> carriers;
  std::set<std::string> compressions;
  for (const auto& [first, members] : groups) {
    compressions.insert(describe_compression(*first));
    if (first->carrier_prbs) carriers.insert(*first->carrier_prbs);
  }
  if (style == PinStyle::kDumpFlags && (compressions.size() > 1 || carriers.size() > 1)) {
    notes.push_back(
        "the streams differ in layout: one set of flags cannot pin them all, each stream is "
        "decoded with its own");
  }
  return notes;
}

std::string no_layout_message(const InferredLayout& l, PinStyle style) {
  return "U-plane " + direction_word(l.direction) + " eAxC " + std::to_string(l.eaxc) +
         ": no layout fits its messages (" + std::to_string(l.messages) +
         " examined: neither a dynamic udCompHdr nor a static width of block floating point "
         "or of no compression lays the sections out to the end of the eCPRI payload); only "
         "its headers are decoded. Give the compression and carrier: " +
         (style == PinStyle::kDumpFlags
              ? std::string("--comp METHOD:WIDTH or --dynamic, and --carrier-prbs N")
              : std::string("compression and carrier_prbs in --config"));
}

}  // namespace plugfest::analyze
