// External oracle: generated messages of every section type, extension and compression are
// written to a pcap (Ethernet, ethertype 0xAEFE), decoded by tshark (Wireshark's O-RAN FH
// CUS dissector) with preferences matching the codec's configuration, and every O-RAN field
// tshark shows is compared with the codec's value. tshark must raise no malformed-packet or
// error-level expert item.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "interfaces/fronthaul/codec.h"
#include "interfaces/fronthaul/framing.h"
#include "interfaces/fronthaul/message_json.h"
#include "interfaces/fronthaul/pcap.h"
#include "interfaces/fronthaul/testing/message_generator.h"

namespace plugfest::fronthaul {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using FieldValues = std::map<std::string, std::vector<std::string>>;

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[65536];
  std::size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

// Collects every "oran_fh_cus.*" / "ecpri.*" / "_ws.*" field value in document order
// (subtrees are "*_tree" objects, repeated fields arrays).
void collect(const Json& node, FieldValues& out) {
  if (node.is_array()) {
    for (const auto& item : node) collect(item, out);
    return;
  }
  if (!node.is_object()) return;
  for (const auto& [key, value] : node.items()) {
    const bool field =
        key.starts_with("oran_fh_cus.") || key.starts_with("ecpri.") || key.starts_with("_ws.");
    if (value.is_string()) {
      if (field) out[key].push_back(value.get<std::string>());
    } else if (value.is_array()) {
      for (const auto& item : value) {
        if (item.is_string()) {
          if (field) out[key].push_back(item.get<std::string>());
        } else {
          collect(item, out);
        }
      }
    } else {
      collect(value, out);
    }
  }
}

std::string tshark_path() {
  const std::string path = PLUGFEST_TSHARK;
  return path;
}

std::string prefs(const DecoderConfig& config) {
  const auto& s = config.eaxc_split;
  const auto& c = config.uplane_compression;
  static const char* kMethods[] = {"COMP_NONE", "COMP_BLOCK_FP", "COMP_BLOCK_SCALE", "COMP_U_LAW",
                                   "COMP_MODULATION"};
  std::string p;
  auto add = [&](const std::string& name, const std::string& value) {
    p += " -o oran_fh_cus.oran." + name + ":" + value;
  };
  add("du_port_id_bits", std::to_string(s.du_port_bits));
  add("bandsector_id_bits", std::to_string(s.band_sector_bits));
  add("cc_id_bits", std::to_string(s.cc_bits));
  add("ru_port_id_bits", std::to_string(s.ru_port_bits));
  for (const char* dir : {"up", "down"}) {
    add(std::string("iq_bitwidth_") + dir, std::to_string(c.static_params.iq_width));
    add(std::string("ud_comp_") + dir, kMethods[static_cast<int>(c.static_params.method)]);
    add(std::string("ud_comp_hdr_") + dir, c.dynamic ? "TRUE" : "FALSE");
  }
  add("rbs_in_uplane_section", std::to_string(config.carrier_prbs));
  add("num_weights_per_bundle", std::to_string(config.bf_weights));
  add("num_bf_antennas", std::to_string(config.ci_antennas));
  return p;
}

using Expected = std::map<std::string, std::vector<long long>>;

// Fields tshark shows that the codec does not model as such (derived, containers, sample
// values, preferences echoed back) or that hold IQ / weight samples.
bool ignored(const std::string& field) {
  static const std::set<std::string> kIgnored = {"oran_fh_cus.c_eaxc_id",
                                                 "oran_fh_cus.refa",
                                                 "oran_fh_cus.slot-within-frame",
                                                 "oran_fh_cus.extension",
                                                 "oran_fh_cus.bfw",
                                                 "oran_fh_cus.bfwI",
                                                 "oran_fh_cus.bfwQ",
                                                 "oran_fh_cus.iSample",
                                                 "oran_fh_cus.qSample",
                                                 "oran_fh_cus.ciSample",
                                                 "oran_fh_cus.ciISample",
                                                 "oran_fh_cus.ciQSample",
                                                 "oran_fh_cus.prb",
                                                 "oran_fh_cus.iq_user_data",
                                                 "oran_fh_cus.exponent",
                                                 "oran_fh_cus.num_weights_per_bundle",
                                                 "oran_fh_cus.offStartPrb_numPrb",
                                                 "oran_fh_cus.reserved",
                                                 "oran_fh_cus.reserved4",
                                                 "oran_fh_cus.reserved8",
                                                 "oran_fh_cus.reserved16",
                                                 "oran_fh_cus.blockScaler",
                                                 "oran_fh_cus.compBitWidth",
                                                 "oran_fh_cus.compShift",
                                                 "ecpri.header",
                                                 "ecpri.payload",
                                                 "ecpri.timestamp",
                                                 "ecpri.data"};
  return kIgnored.contains(field) || field.starts_with("_ws.") || field.ends_with("_tree");
}

void add(Expected& e, const std::string& field, long long value) {
  e["oran_fh_cus." + field].push_back(value);
}

void expect_comp(Expected& e, const CompressionParams& params, const std::string& width,
                 const std::string& meth) {
  add(e, width, params.ud_comp_hdr() >> 4);
  add(e, meth, params.ud_comp_hdr() & 0x0f);
}

void expect_extension(Expected& e, const SectionExtension& ext, bool ef) {
  add(e, "ef", ef);
  const std::uint8_t type = extension_type(ext);
  add(e, "extType", type);
  // extLen as the encoder computes it: the extension's padded size in words.
  CplaneMessage probe;
  probe.sections.resize(1);
  probe.sections[0].extensions = {ext};
  Message m;
  m.body = probe;
  add(e, "extLen", static_cast<long long>((encode(m).size() - 24) / 4));
  if (const auto* x = std::get_if<BeamformingWeightsExtension>(&ext)) {
    expect_comp(e, x->bfw_comp_hdr, "bfwCompHdr_iqWidth", "bfwCompHdr_compMeth");
  } else if (const auto* x = std::get_if<ModulationCompressionExtension>(&ext)) {
    add(e, "csf", x->csf);
    add(e, "modcompscaler", x->mod_comp_scaler);
  } else if (const auto* x = std::get_if<NonContiguousPrbExtension>(&ext)) {
    add(e, "repetition", x->repetition);
    add(e, "rbgSize", x->rbg_size);
    add(e, "rbgMask", x->rbg_mask);
    add(e, "priority", x->priority);
    add(e, "symbolMask", x->symbol_mask);
  } else if (const auto* x = std::get_if<PortGroupExtension>(&ext)) {
    add(e, "beamGroupType", x->beam_group_type);
    add(e, "numPortc", x->num_portc);
    for (std::uint16_t id : x->beam_ids) add(e, "beamId", id);
  } else if (const auto* x = std::get_if<FlexibleWeightsExtension>(&ext)) {
    add(e, "disableBFWs", x->disable_bfws);
    add(e, "rad", x->rad);
    add(e, "numBundPrbs", x->num_bund_prb);
    if (!x->disable_bfws) {
      expect_comp(e, x->bfw_comp_hdr, "bfwCompHdr_iqWidth", "bfwCompHdr_compMeth");
    }
    for (const auto& bundle : x->bundles) add(e, "beamId", bundle.beam_id);
  } else if (const auto* x = std::get_if<FrequencyRangesExtension>(&ext)) {
    add(e, "priority", x->priority);
    add(e, "symbolMask", x->symbol_mask);
    for (const auto& range : x->ranges) {
      add(e, "offStartPrb", range.off_start_prb);
      add(e, "numPrb", range.num_prb);
    }
    if (x->ranges.size() % 2 == 1) {  // the padding pair tshark also lists
      add(e, "offStartPrb", 0);
      add(e, "numPrb", 0);
    }
  }
}

void expect_radio(Expected& e, const RadioApplicationHeader& h) {
  add(e, "data_direction", static_cast<long long>(h.data_direction));
  add(e, "payloadVersion", h.payload_version);
  add(e, "filterIndex", h.filter_index);
  add(e, "frameId", h.frame_id);
  add(e, "subframe_id", h.subframe_id);
  add(e, "slotId", h.slot_id);
  add(e, "startSymbolId", h.start_symbol_id);
}

Expected expected_fields(const Message& m, std::size_t wire_size) {
  Expected e;
  e["ecpri.revision"].push_back(m.ecpri.revision);
  e["ecpri.reserved"].push_back(m.ecpri.reserved);
  e["ecpri.cbit"].push_back(m.ecpri.c_bit);
  e["ecpri.type"].push_back(static_cast<long long>(m.message_type()));
  e["ecpri.size"].push_back(static_cast<long long>(wire_size - 4));
  if (const auto* owd = std::get_if<OneWayDelayMeasurement>(&m.body)) {
    e["ecpri.measurementid"].push_back(owd->measurement_id);
    e["ecpri.actiontype"].push_back(owd->action_type);
    e["ecpri.sec"].push_back(static_cast<long long>(owd->timestamp_seconds));
    e["ecpri.nanosec"].push_back(owd->timestamp_nanoseconds);
    e["ecpri.compval"].push_back(owd->compensation_value);
    return e;
  }
  add(e, "du_port_id", m.eaxc.du_port);
  add(e, "bandsector_id", m.eaxc.band_sector);
  add(e, "cc_id", m.eaxc.cc);
  add(e, "ru_port_id", m.eaxc.ru_port);
  add(e, "sequence_id", m.seq_id.sequence_id);
  add(e, "e_bit", m.seq_id.e_bit);
  add(e, "subsequence_id", m.seq_id.subsequence_id);
  if (const auto* up = std::get_if<UplaneMessage>(&m.body)) {
    expect_radio(e, up->header);
    for (const UplaneSection& s : up->sections) {
      add(e, "sectionId", s.section_id);
      add(e, "rb", s.rb);
      add(e, "symInc", s.sym_inc);
      add(e, "startPrbu", s.start_prbu);
      add(e, "numPrbu", s.num_prbu);
      if (s.ud_comp_hdr) expect_comp(e, *s.ud_comp_hdr, "udCompHdrWidth", "udCompHdrMeth");
    }
    add(e, "numberOfSections", static_cast<long long>(up->sections.size()));
    return e;
  }
  const CplaneMessage& cp = std::get<CplaneMessage>(m.body);
  const int type = static_cast<int>(cp.section_type);
  expect_radio(e, cp.header);
  add(e, "numberOfSections", static_cast<long long>(cp.sections.size()));
  add(e, "sectionType", type);
  if (type == 0 || type == 3) {
    add(e, "timeOffset", cp.time_offset);
    add(e, "frameStructure.fft", cp.frame_structure >> 4);
    add(e, "frameStructure.spacing", cp.frame_structure & 0x0f);
    add(e, "cpLength", cp.cp_length);
  }
  if (type == 1 || type == 3 || type == 5) {
    expect_comp(e, cp.ud_comp_hdr, "udCompHdrWidth", "udCompHdrMeth");
  }
  if (type == 6) add(e, "numberOfUEs", cp.number_of_ues);
  for (const CplaneSection& s : cp.sections) {
    if (type == 6) {
      add(e, "ef", !s.extensions.empty());
      add(e, "ueId", s.ue_id);
      add(e, "regularizationFactor", s.regularization_factor);
    } else {
      add(e, "sectionId", s.section_id);
      add(e, "reMask", s.re_mask);
      add(e, "numSymbol", s.num_symbol);
    }
    add(e, "rb", s.rb);
    add(e, "symInc", s.sym_inc);
    add(e, "startPrbc", s.start_prbc);
    add(e, "numPrbc", s.num_prbc);
    if (type == 1 || type == 3 || type == 5) add(e, "ef", !s.extensions.empty());
    if (type == 1 || type == 3) add(e, "beamId", s.beam_id);
    if (type == 5) add(e, "ueId", s.ue_id);
    if (type == 3) add(e, "freqOffset", s.freq_offset & 0xffffff);
    for (std::size_t i = 0; i < s.extensions.size(); ++i) {
      expect_extension(e, s.extensions[i], i + 1 < s.extensions.size());
    }
  }
  return e;
}

// What Wireshark 4.0's dissector cannot show: extensions 2 and 5, extensions the codec
// keeps opaque, beamforming weights compressed other than none or BFP, and BFP weights in
// extension 1 (it sizes them from extLen without the bfwCompParam octet and then reports
// extLen wrong). Such messages are reduced to what it can.
void restrict_to_dissector(Message& m, const DecoderConfig& config) {
  if (auto* up = std::get_if<UplaneMessage>(&m.body)) {
    // It sizes U-plane PRBs by its preferences even when a section carries udCompHdr, so
    // dynamic headers here carry the configured compression.
    for (UplaneSection& s : up->sections) {
      if (!s.ud_comp_hdr) continue;
      s.ud_comp_hdr = config.uplane_compression.static_params;
      s.iq_data.resize((s.num_prbu == 0 ? config.carrier_prbs : s.num_prbu) *
                       prb_payload_bytes(*s.ud_comp_hdr));
    }
  }
  auto* cp = std::get_if<CplaneMessage>(&m.body);
  if (cp == nullptr) return;
  for (CplaneSection& s : cp->sections) {
    std::erase_if(s.extensions, [](const SectionExtension& e) {
      const std::uint8_t t = extension_type(e);
      return std::holds_alternative<OpaqueExtension>(e) || t == 2 || t == 5;
    });
    for (SectionExtension& e : s.extensions) {
      auto fix = [](CompressionParams& params) {
        if (params.method != CompressionMethod::kNone) {
          params.method = CompressionMethod::kBlockFloatingPoint;
        }
      };
      if (auto* x = std::get_if<BeamformingWeightsExtension>(&e)) {
        x->bfw_comp_hdr.method = CompressionMethod::kNone;
        x->bfw_comp_param = 0;
      }
      if (auto* x = std::get_if<FlexibleWeightsExtension>(&e)) {
        fix(x->bfw_comp_hdr);
        for (auto& bundle : x->bundles) bundle.bfw_comp_param &= 0x0f;
      }
    }
  }
}

std::vector<Message> oracle_messages(const DecoderConfig& config, std::uint64_t seed) {
  testing::MessageGenerator gen(seed, config);
  std::vector<Message> messages;
  for (SectionType type : {SectionType::kUnusedResourceBlocks, SectionType::kMostDlUl,
                           SectionType::kPrachAndMixedNumerology, SectionType::kUeScheduling,
                           SectionType::kChannelInformation}) {
    for (int i = 0; i < 15; ++i) messages.push_back(gen.cplane(type));
  }
  for (std::uint8_t ext : {1, 4, 6, 10, 11, 12}) {
    for (int i = 0; i < 10; ++i) messages.push_back(gen.cplane_with_extension(ext));
  }
  for (int i = 0; i < 30; ++i) messages.push_back(gen.uplane());
  for (int i = 0; i < 10; ++i) messages.push_back(gen.one_way_delay());
  for (Message& m : messages) restrict_to_dissector(m, config);
  return messages;
}

class TsharkOracle : public ::testing::TestWithParam<int> {};

DecoderConfig oracle_config(int variant) {
  DecoderConfig config;
  config.ci_antennas = 2;
  if (variant == 1) {
    config.eaxc_split = {2, 6, 4, 4};
    config.uplane_compression.dynamic = true;
    config.bf_weights = 8;
    config.ci_antennas = 1;
    config.carrier_prbs = 106;
  } else if (variant == 2) {
    config.eaxc_split = {3, 5, 2, 6};
    config.uplane_compression.static_params = {CompressionMethod::kNone, 16};
    // Wireshark 4.0 does not pad extension 11 bundles to an octet; with a multiple of four
    // weights per bundle no padding arises.
    config.bf_weights = 12;
  }
  return config;
}

TEST_P(TsharkOracle, EveryFieldTsharkShowsEqualsTheCodecsAndNothingIsMalformed) {
  if (tshark_path().empty()) {
    GTEST_SKIP() << "tshark is not installed (ci/setup installs it): external oracle skipped";
  }
  const DecoderConfig config = oracle_config(GetParam());
  const std::vector<Message> messages = oracle_messages(config, 77 + GetParam());
  std::string pattern = (fs::temp_directory_path() / "plugfest-oracle-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  const fs::path dir = pattern;
  const std::string path = (dir / "oracle.pcap").string();
  std::vector<std::vector<std::uint8_t>> wire;
  {
    auto writer = PcapWriter::create(path);
    ASSERT_TRUE(writer.ok()) << writer.error().to_string();
    for (std::size_t i = 0; i < messages.size(); ++i) {
      wire.push_back(encode(messages[i]));
      // The codec must accept what it wrote before tshark sees it.
      const DecodeResult decoded = decode(wire.back(), config);
      ASSERT_FALSE(decoded.has_errors()) << "message " << i;
      ASSERT_TRUE(decoded.message == messages[i]) << "message " << i;
      ASSERT_TRUE(writer
                      ->write(frame_ecpri_ethernet({}, wire.back()),
                              std::chrono::nanoseconds(1'000'000 * (i + 1)))
                      .ok());
    }
    ASSERT_TRUE(writer->close().ok());
  }
  const std::string output =
      run(tshark_path() + " -r " + path + " -T json --no-duplicate-keys -J \"ecpri oran_fh_cus\"" +
          prefs(config) + " -o oran_fh_cus.oran.show_iq_samples:FALSE" + " 2>/dev/null");
  fs::remove_all(dir);
  const Json packets = Json::parse(output, nullptr, false);
  ASSERT_TRUE(packets.is_array()) << output.substr(0, 2000);
  ASSERT_EQ(packets.size(), messages.size());
  std::size_t compared = 0;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (std::getenv("PLUGFEST_ORACLE_DEBUG") != nullptr) {
      std::printf("frame %zu: %s\n", i + 1, to_json(messages[i]).dump().c_str());
    }
    FieldValues shown;
    collect(packets[i]["_source"]["layers"], shown);
    SCOPED_TRACE("frame " + std::to_string(i + 1));
    EXPECT_FALSE(shown.contains("_ws.malformed")) << "tshark: malformed packet";
    for (const std::string& severity : shown["_ws.expert.severity"]) {
      EXPECT_LT(std::stoll(severity, nullptr, 0), 8388608)
          << "tshark raised an error-level expert item: "
          << ::testing::PrintToString(shown["_ws.expert.message"]);
    }
    Expected expected = expected_fields(messages[i], wire[i].size());
    for (auto& [field, values] : shown) {
      if (ignored(field)) continue;
      auto it = expected.find(field);
      ASSERT_NE(it, expected.end()) << "tshark shows " << field << " which the codec does not map";
      std::vector<long long> actual;
      for (const std::string& v : values) {
        try {  // 64-bit fields are shown unsigned
          actual.push_back(v.starts_with("-") ? std::stoll(v, nullptr, 0)
                                              : static_cast<long long>(std::stoull(v, nullptr, 0)));
        } catch (const std::exception&) {
          ADD_FAILURE() << field << " shows a non-numeric value '" << v << "'";
        }
      }
      std::vector<long long> want = it->second;
      if (field == "oran_fh_cus.beamId") {  // listed in different subtrees; compare as sets
        std::sort(actual.begin(), actual.end());
        std::sort(want.begin(), want.end());
      }
      EXPECT_EQ(actual, want) << field;
      compared += actual.size();
    }
  }
  EXPECT_GT(compared, 20 * messages.size()) << "tshark showed too few fields to compare";
}

INSTANTIATE_TEST_SUITE_P(Configs, TsharkOracle, ::testing::Range(0, 3));

}  // namespace
}  // namespace plugfest::fronthaul
