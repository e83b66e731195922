// Corpus replay of the analysis-config fuzz target: good configs, hostile texts and a few
// hundred deterministic mutants, each read without a crash and every error located.
#include <gtest/gtest.h>

#include "harness/analyze/fuzz/analysis_config_fuzz.h"
#include "interfaces/common/testing/yaml_corpus.h"

namespace plugfest::analyze::fuzz {
namespace {

TEST(AnalysisConfigCorpus, ReplaysWithoutCrashing) {
  std::vector<std::string> seeds = {
      "eaxc: {du_port_bits: 2, band_sector_bits: 6, cc_id_bits: 4, ru_port_bits: 4}\n"
      "compression: {header: static, method: bfp, width: 9}\nnumerology: 1\n"
      "bandwidth_mhz: 100\n",
      "timing:\n  ptp_aligned: true\n  capture_point: o-ru\n  clock_offset: 37s\n"
      "  windows:\n    t1a_cp_dl: {min: 285us, max: 429us}\n    t1a_cp_ul: {min: 285us, max: "
      "429us}\n    t1a_up: {min: 96us, max: 196us}\n    t2a_cp_dl: {min: 125us, max: 300us}\n"
      "    t2a_cp_ul: {min: 125us, max: 300us}\n    t2a_up: {min: 25us, max: 140us}\n"
      "    ta3: {min: 20us, max: 32us}\n    ta4: {min: 0us, max: 75us}\n",
      "udp_ports: [4991, 4992]\nsides:\n  o_du: {mac: '02:00:00:00:00:01'}\n"
      "  o_ru: {ip: 10.0.0.2, udp_port: 5000}\nuplane: {max_sections_per_message: 1}\n"
      "response_window: 20ms\nscs_khz: 30\n",
      "eaxc: {du_port_bits: 2}\ntiming: {windows: {ta3: {min: 1us}}}\n",
      // Found by the fuzzer: blank lines inside a flow scalar are newlines in the value,
      // which the error quoted raw, breaking the one-error-per-line output.
      "timing: {capture_point: o\n\n\n-ru}\n"};
  for (auto& text : testing::hostile_yaml()) seeds.push_back(std::move(text));
  const auto corpus = testing::yaml_corpus(seeds, 800);
  ASSERT_GT(corpus.size(), 800u);
  for (const auto& text : corpus) fuzz_analysis_config(text);
}

}  // namespace
}  // namespace plugfest::analyze::fuzz
