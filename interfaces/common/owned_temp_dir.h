#pragma once
// Temporary folders that name the process owning them (an `owner.pid` file inside), so a
// later process can sweep the folders of owners that died without cleaning up (SIGKILL).

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "interfaces/common/result.h"

namespace plugfest {

// Creates `<TMPDIR>/<prefix>XXXXXX` owned by this process.
inline Result<std::filesystem::path> make_owned_temp_dir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Error{"cannot create a temporary folder: " + std::string(std::strerror(errno)), pattern};
  }
  std::ofstream(std::filesystem::path(pattern) / "owner.pid") << ::getpid() << "\n";
  return std::filesystem::path(pattern);
}

// Removes the `<TMPDIR>/<prefix>*` folders whose owner process no longer exists; folders
// without an owner file, or of this user's live processes, are left alone. Returns how many
// it removed.
inline std::size_t sweep_stale_temp_dirs(const std::string& prefix) {
  std::size_t removed = 0;
  std::error_code ec;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::temp_directory_path(), ec)) {
    if (!entry.path().filename().string().starts_with(prefix)) continue;
    if (!entry.is_directory(ec) || entry.is_symlink(ec)) continue;
    std::ifstream in(entry.path() / "owner.pid");
    long pid = 0;
    if (!(in >> pid) || pid <= 0) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    std::filesystem::remove_all(entry.path(), ec);
    removed += ec ? 0 : 1;
  }
  return removed;
}

}  // namespace plugfest
