// libFuzzer target for what reads a capture: the pcap / pcapng reader (libpcap behind
// PcapReader) and the Ethernet / VLAN / IPv4 / IPv6 / UDP framing that finds the eCPRI
// message in each frame. The first octet chooses: even, the rest is a capture file; odd,
// the rest is one frame. Neither may crash, hang, or point outside the bytes it was given.

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "interfaces/fronthaul/framing.h"
#include "interfaces/fronthaul/pcap.h"

namespace {

using namespace plugfest::fronthaul;

void check_frame(std::span<const std::uint8_t> frame) {
  static const std::uint16_t kPorts[] = {4991, 50000};
  for (const bool detect : {false, true}) {
    const auto located = locate_ecpri(frame, kPorts, detect);
    if (!located) continue;
    const auto& at = *located;
    if (at.offset > frame.size() || at.payload.size() > frame.size() - at.offset ||
        (!at.payload.empty() && at.payload.data() != frame.data() + at.offset)) {
      std::abort();
    }
  }
}

void check_capture(std::span<const std::uint8_t> bytes) {
  // libpcap reads files: hand it an anonymous in-memory one.
  const int fd = ::memfd_create("capture", 0);
  if (fd < 0) return;
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  auto reader = PcapReader::open("/proc/self/fd/" + std::to_string(fd));
  if (reader) {
    for (int frames = 0; frames < 10000; ++frames) {
      auto frame = reader->next();
      if (!frame || !frame->has_value()) break;
      check_frame((*frame)->bytes);
    }
  }
  ::close(fd);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::span<const std::uint8_t> rest(data + 1, size - 1);
  if (data[0] & 1) {
    check_frame(rest);
  } else {
    check_capture(rest);
  }
  return 0;
}
