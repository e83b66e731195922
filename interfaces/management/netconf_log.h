#pragma once
// Internal to the management library and the simulator's server: libnetconf2 and libyang
// report failures only through a process-wide log callback. This keeps the last error of
// each thread so an Error can say what went wrong, and prints everything to stderr when
// PLUGFEST_MPLANE_DEBUG is set.

#include <string>

namespace plugfest::management {

void install_netconf_log();
// The last error logged on this thread (then forgotten), or `fallback`.
std::string take_netconf_error(const std::string& fallback);

}  // namespace plugfest::management
