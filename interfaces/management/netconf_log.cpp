#include "interfaces/management/netconf_log.h"

#include <libnetconf2/log.h>
#include <libyang/libyang.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace plugfest::management {
namespace {

thread_local std::string last_error;

void record(NC_VERB_LEVEL level, const char* message) {
  if (!message) return;
  if (level == NC_VERB_ERROR) last_error = message;
  if (std::getenv("PLUGFEST_MPLANE_DEBUG")) std::fprintf(stderr, "libnetconf2: %s\n", message);
}

}  // namespace

void install_netconf_log() {
  static std::once_flag once;
  std::call_once(once, [] {
    nc_verbosity(std::getenv("PLUGFEST_MPLANE_DEBUG") ? NC_VERB_VERBOSE : NC_VERB_ERROR);
    nc_set_print_clb(record);
    ly_log_options(LY_LOSTORE_LAST);
  });
}

std::string take_netconf_error(const std::string& fallback) {
  std::string message = last_error.empty() ? fallback : last_error;
  last_error.clear();
  return message;
}

}  // namespace plugfest::management
