// Corpus replay: a few hundred crafted and mutated packets, generated deterministically,
// run through decode() and a StreamValidator as an ordinary test (the libFuzzer targets in
// fuzz/ explore further). Nothing may crash; broken packets must draw findings. Set
// PLUGFEST_FH_CORPUS_DIR to also write the corpus there as fuzzer seed files.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

#include "interfaces/fronthaul/codec.h"
#include "interfaces/fronthaul/fuzz/fuzz_input.h"
#include "interfaces/fronthaul/stream_validator.h"
#include "interfaces/fronthaul/testing/message_generator.h"

namespace plugfest::fronthaul {
namespace {

using Bytes = std::vector<std::uint8_t>;

enum class Expect { kClean, kBroken, kAnything };

struct CorpusEntry {
  Bytes packet;
  Expect expect;
};

// Mutations of valid packets: truncation (eCPRI size left stale), lying payload sizes,
// bit flips, inserted and removed octets, oversized counts.
std::vector<CorpusEntry> build_corpus(const DecoderConfig& config) {
  testing::MessageGenerator gen(20240601, config);
  std::mt19937 rng(99);
  std::vector<CorpusEntry> corpus;
  for (int i = 0; i < 120; ++i) {
    const Bytes valid = encode(gen.any());
    corpus.push_back({valid, Expect::kClean});  // opaque extensions only warn
    Bytes truncated = valid;
    truncated.resize(rng() % valid.size());
    corpus.push_back({truncated, Expect::kBroken});
    Bytes longer_size = valid;
    longer_size[3] = static_cast<std::uint8_t>(longer_size[3] + 1 + rng() % 200);
    if (longer_size[3] > valid[3]) corpus.push_back({longer_size, Expect::kBroken});
    Bytes flipped = valid;
    for (int flips = 0; flips < 3; ++flips) {
      flipped[rng() % flipped.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
    }
    corpus.push_back({flipped, Expect::kAnything});
    Bytes inserted = valid;
    inserted.insert(inserted.begin() + static_cast<std::ptrdiff_t>(rng() % valid.size()),
                    static_cast<std::uint8_t>(rng()));
    // One octet more than the eCPRI payload size says; short packets may be padded.
    corpus.push_back({inserted, valid.size() >= 46 ? Expect::kBroken : Expect::kAnything});
  }
  for (int i = 0; i < 40; ++i) {
    Bytes noise(rng() % 64);
    for (auto& b : noise) b = static_cast<std::uint8_t>(rng());
    corpus.push_back({noise, Expect::kAnything});
  }
  // Crafted extremes: all-ones headers, maximal counts with no body.
  corpus.push_back({Bytes{0x10, 0x02, 0x00, 0x0c, 0, 0, 0x80, 0, 0x90, 0, 0, 0, 0xff, 0x01, 0, 0},
                    Expect::kBroken});
  corpus.push_back({Bytes(16, 0xff), Expect::kBroken});
  corpus.push_back({Bytes{0x10, 0x00, 0x00, 0x08, 0, 0, 0x80, 0, 0x90, 0, 0, 0}, Expect::kBroken});
  corpus.push_back({Bytes{0x10, 0x05, 0x00, 0x02, 1, 2}, Expect::kBroken});
  return corpus;
}

TEST(Corpus, ReplaysThroughDecodeAndStreamValidatorWithoutCrashing) {
  std::size_t broken = 0;
  for (std::uint8_t selector : {0x00, 0x01, 0x02, 0x05, 0x06, 0x87}) {
    const DecoderConfig config = fuzz::config_from_selector(selector);
    const auto corpus = build_corpus(config);
    ASSERT_GE(corpus.size(), 500u);
    StreamValidator validator(config);
    for (std::size_t i = 0; i < corpus.size(); ++i) {
      const CorpusEntry& entry = corpus[i];
      const DecodeResult result = decode(entry.packet, config);
      EXPECT_LE(result.bytes_read, entry.packet.size());
      for (const Finding& finding : result.findings) {
        EXPECT_LE(finding.byte_offset, entry.packet.size()) << finding.rule_id;
        EXPECT_NE(find_rule(finding.rule_id), nullptr);
      }
      if (entry.expect == Expect::kBroken) {
        EXPECT_TRUE(result.has_errors() || !result.findings.empty()) << "corpus entry " << i;
        ++broken;
      }
      if (entry.expect == Expect::kClean && config.eaxc_split.valid()) {
        EXPECT_FALSE(result.has_errors()) << "corpus entry " << i;
      }
      const auto findings = validator.feed(entry.packet, std::chrono::nanoseconds(i));
      EXPECT_EQ(findings.size() >= result.findings.size(), true);
    }
    EXPECT_EQ(validator.packets(), corpus.size());
  }
  EXPECT_GT(broken, 1000u);
}

TEST(Corpus, WritesFuzzerSeedsWhenAsked) {
  const char* dir = std::getenv("PLUGFEST_FH_CORPUS_DIR");
  if (dir == nullptr) GTEST_SKIP() << "PLUGFEST_FH_CORPUS_DIR not set: no seed files written";
  const auto corpus = build_corpus(fuzz::config_from_selector(0));
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    std::ofstream out(std::string(dir) + "/seed-" + std::to_string(i), std::ios::binary);
    out.put(0);  // configuration selector
    out.write(reinterpret_cast<const char*>(corpus[i].packet.data()),
              static_cast<std::streamsize>(corpus[i].packet.size()));
    ASSERT_TRUE(out.good());
  }
}

}  // namespace
}  // namespace plugfest::fronthaul
