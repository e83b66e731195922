// Corpus replay for a libFuzzer target built with any compiler: runs the target's
// LLVMFuzzerTestOneInput on every file of the folders (or files) given, so the seeds and
// every crash ever found stay tested in CI without clang. Bounded: files over 1 MiB and
// more than 10,000 inputs are refused.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  constexpr std::uintmax_t kMaxBytes = 1 << 20;
  constexpr std::size_t kMaxInputs = 10000;
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    std::error_code ec;
    if (fs::is_directory(argv[i], ec)) {
      for (const auto& e : fs::recursive_directory_iterator(argv[i], ec)) {
        if (e.is_regular_file()) inputs.push_back(e.path());
      }
    } else if (fs::is_regular_file(argv[i], ec)) {
      inputs.emplace_back(argv[i]);
    } else {
      std::fprintf(stderr, "replay: %s: not a file or folder\n", argv[i]);
      return 2;
    }
  }
  if (inputs.empty() || inputs.size() > kMaxInputs) {
    std::fprintf(stderr, "replay: %zu inputs (expected 1..%zu)\n", inputs.size(), kMaxInputs);
    return 2;
  }
  for (const auto& path : inputs) {
    if (fs::file_size(path) > kMaxBytes) {
      std::fprintf(stderr, "replay: %s: over %ju bytes\n", path.c_str(), kMaxBytes);
      return 2;
    }
    std::ifstream in(path, std::ios::binary);
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                          std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  }
  std::printf("replay: %zu inputs, no crash\n", inputs.size());
  return 0;
}
