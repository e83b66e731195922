#pragma once
// Test support: a deterministic corpus of YAML texts for the loaders' replay tests, made
// from seed files by mutations that aim at YAML's structure (anchors, aliases, nesting,
// repeated keys, extra documents, stray bytes), the way a fuzzer's corpus would look.

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace plugfest::testing {

// The text of every *.yaml file under `folder` (sorted), for seeds.
inline std::vector<std::string> yaml_files_under(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> paths;
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      paths.push_back(entry.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> out;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    out.push_back(text.str());
  }
  return out;
}

// The seeds, then `count` mutants of them.
inline std::vector<std::string> yaml_corpus(std::vector<std::string> seeds, std::size_t count) {
  static const char* const kFragments[] = {
      "&a ", "*a", "&b [*a, *a, *a]", "{self: *a}", "[", "]", "{", "}", ": ", "- ", "\n---\n",
      "\n...\n", "? ", "!!binary ", "\"\\x1b[2J\"", "\xff", "\xc3", "\t", "  ", "\n  x: 1\n",
      "<<: *a\n", "'", "\"", "#", "|\n  ", ">\n  ", "%YAML 1.2\n", "~", "null", "[[[[[[[["};
  std::vector<std::string> out = seeds;
  if (seeds.empty()) return out;
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  const auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (std::size_t i = 0; i < count; ++i) {
    std::string text = seeds[next() % seeds.size()];
    const std::size_t edits = 1 + next() % 4;
    for (std::size_t e = 0; e < edits; ++e) {
      const std::size_t at = text.empty() ? 0 : next() % (text.size() + 1);
      switch (next() % 5) {
        case 0:  // a structural fragment
          text.insert(at, kFragments[next() % std::size(kFragments)]);
          break;
        case 1:  // a byte changed
          if (!text.empty()) text[next() % text.size()] = static_cast<char>(next() & 0xff);
          break;
        case 2:  // cut short
          text.resize(at);
          break;
        case 3: {  // a line repeated (repeated keys)
          const std::size_t start = text.rfind('\n', at == 0 ? 0 : at - 1);
          const std::size_t from = start == std::string::npos ? 0 : start + 1;
          const std::size_t end = text.find('\n', from);
          const std::string line =
              text.substr(from, end == std::string::npos ? std::string::npos : end - from + 1);
          text.insert(from, line);
          break;
        }
        default: {  // a piece of another seed spliced in
          const std::string& other = seeds[next() % seeds.size()];
          const std::size_t from = other.empty() ? 0 : next() % other.size();
          text.insert(at, other.substr(from, next() % 200));
          break;
        }
      }
    }
    out.push_back(std::move(text));
  }
  return out;
}

// Texts every loader must refuse cleanly: recursion, expansion, nesting, encodings.
inline std::vector<std::string> hostile_yaml() {
  std::string laughs = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int level = 1; level <= 9; ++level) {
    laughs += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
    for (int k = 0; k < 10; ++k) laughs += (k ? ", *a" : "*a") + std::to_string(level - 1);
    laughs += "]\n";
  }
  return {"defaults: &r {self: *r}\n",
          "capabilities: &c {self: *c}\n",
          "lab: &l {mplane: {accounts: [*l]}}\n",
          laughs,
          std::string(5000, '[') + std::string(5000, ']'),
          "name: a\nname: b\n",
          "a: 1\n---\nb: 2\n",
          "name: \xc0\xaf\n",
          "name: \x1b]0;title\x07\n",
          std::string(1 << 16, 'k') + ": v\n"};
}

}  // namespace plugfest::testing
