#pragma once
// A free TCP port to hand to libnetconf2, which refuses port 0 for its listening
// sockets. The port is free when this returns; a caller that then fails to bind it
// (another process took it) asks again.

#include <cstdint>
#include <string>

#include "interfaces/common/result.h"

namespace plugfest::management {

Result<uint16_t> pick_free_tcp_port(const std::string& address);

}  // namespace plugfest::management
