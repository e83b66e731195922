#pragma once
// Test support: a small tmpfs mounted on a fresh folder, unmounted at the end of the test,
// for tests of what happens when the disk is full. Mounting needs root; `skip_reason()`
// says why it could not be mounted, for GTEST_SKIP.

#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

namespace plugfest::testing {

class SmallTmpfs {
 public:
  SmallTmpfs(const std::filesystem::path& mount_point, std::size_t bytes) : path_(mount_point) {
    if (::geteuid() != 0) {
      skip_reason_ = "mounting a tmpfs needs root";
      return;
    }
    std::filesystem::create_directories(path_);
    const std::string options = "size=" + std::to_string(bytes) + ",mode=0755";
    if (::mount("tmpfs", path_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0) {
      skip_reason_ = std::string("cannot mount a tmpfs: ") + std::strerror(errno);
      return;
    }
    mounted_ = true;
  }
  ~SmallTmpfs() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  SmallTmpfs(const SmallTmpfs&) = delete;
  SmallTmpfs& operator=(const SmallTmpfs&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& skip_reason() const { return skip_reason_; }
  const std::filesystem::path& path() const { return path_; }

  // Writes `name` until the file system refuses more (ENOSPC); returns the bytes written.
  std::size_t fill(const std::string& name = "filler") const {
    std::FILE* f = std::fopen((path_ / name).c_str(), "wb");
    if (f == nullptr) return 0;
    std::setvbuf(f, nullptr, _IONBF, 0);
    static const char kBlock[512] = {};
    std::size_t total = 0;
    while (std::fwrite(kBlock, 1, sizeof kBlock, f) == sizeof kBlock) total += sizeof kBlock;
    std::fclose(f);
    return total;
  }

 private:
  std::filesystem::path path_;
  bool mounted_ = false;
  std::string skip_reason_;
};

}  // namespace plugfest::testing
