#pragma once
// Internal to the management library and the simulator's server: libnetconf2 and libyang
// report failures and show the NETCONF messages they send and receive only through a
// process-wide log callback. This keeps, per thread, every error logged since it was last
// taken (the first is often the real cause, later ones its consequences) and the messages
// of the session the thread is driving (WireCapture), and prints everything to stderr
// when PLUGFEST_MPLANE_DEBUG is set.

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

struct nc_session;

namespace plugfest::management {

void install_netconf_log();

// Every error logged on this thread since the last take or clear, oldest first
// ("first; then: second; then: ..."), then forgotten; `fallback` when none was logged.
// At most kMaxKeptErrors are kept, the first ones, since the first is usually the cause.
std::string take_netconf_error(const std::string& fallback);
void clear_netconf_errors();
inline constexpr std::size_t kMaxKeptErrors = 16;

// One NETCONF message as libnetconf2 wrote it to or read from the transport: the whole
// message without its framing (RFC 6242 end-of-message mark or chunk headers).
struct WireMessage {
  bool sent = false;
  std::string text;
  std::chrono::system_clock::time_point at;  // when the library wrote its end or read it
};

// While alive, collects the messages libnetconf2 shows (at debug verbosity) for calls made
// on this thread, in the order they went over the wire. One capture per thread at a time.
class WireCapture {
 public:
  WireCapture();
  ~WireCapture();
  WireCapture(const WireCapture&) = delete;
  WireCapture& operator=(const WireCapture&) = delete;
  // The complete messages collected since the last take.
  std::vector<WireMessage> take();

  // Fed by the log callback.
  void on_sent_fragment(std::string_view fragment);
  void on_received(std::string_view message);

 private:
  std::vector<WireMessage> messages_;
  std::string pending_;  // a sent message still missing its end
};

// Every line libnetconf2 logs, verbatim, with its session and level, for tests that hold
// the transcript against the library's own log. Empty function: no tee.
using LibraryLogTee = std::function<void(const nc_session*, int level, std::string_view text)>;
void set_library_log_tee(LibraryLogTee tee);

}  // namespace plugfest::management
