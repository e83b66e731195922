// libFuzzer target for the readers of a results folder, which `report`, `merge` and
// `--resume` feed with files that may have been cut, edited or corrupted: the journal
// (one JSON item a line) and the manifest. The first octet chooses: even, the rest is a
// journal; odd, the rest is a manifest. Neither may crash or hang; what they accept
// writes back out.

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "harness/results/journal.h"
#include "harness/results/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace plugfest::harness;
  if (size == 0) return 0;
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] & 1) {
    const auto json = nlohmann::json::parse(rest, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return 0;
    const auto manifest = manifest_from_json(json);
    if (manifest) (void)to_json(*manifest).dump();
    return 0;
  }
  const int fd = ::memfd_create("journal", 0);
  if (fd < 0) return 0;
  if (::write(fd, rest.data(), rest.size()) == static_cast<ssize_t>(rest.size())) {
    const auto journal = read_journal("/proc/self/fd/" + std::to_string(fd));
    if (journal) {
      for (const auto& item : journal->results) (void)to_json(item).dump();
    }
  }
  ::close(fd);
  return 0;
}
