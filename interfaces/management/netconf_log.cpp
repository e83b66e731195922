#include "interfaces/management/netconf_log.h"

#include <libnetconf2/log.h>
#include <libyang/libyang.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace plugfest::management {
namespace {

// libnetconf2's debug lines that carry a whole message (io.c: nc_write, nc_read_msg_io).
constexpr std::string_view kSendingPrefix = "Sending message:\n";
constexpr std::string_view kReceivedPrefix = "Received message:\n";
constexpr std::size_t kMaxErrorLength = 2048;

thread_local std::vector<std::string> errors_logged;
thread_local WireCapture* active_capture = nullptr;

std::mutex tee_mutex;
LibraryLogTee tee;

bool debug_to_stderr() { return std::getenv("PLUGFEST_MPLANE_DEBUG") != nullptr; }

void keep_error(std::string message) {
  if (errors_logged.size() >= kMaxKeptErrors) return;
  if (message.size() > kMaxErrorLength) message = message.substr(0, kMaxErrorLength) + "...";
  // The same line twice in a row (libnetconf2 repeats some) says nothing new.
  if (!errors_logged.empty() && errors_logged.back() == message) return;
  errors_logged.push_back(std::move(message));
}

// The message a debug line shows, without the newline the format adds after it.
std::string_view shown_message(std::string_view line, std::string_view prefix) {
  std::string_view body = line.substr(prefix.size());
  if (!body.empty() && body.back() == '\n') body.remove_suffix(1);
  return body;
}

void record(const nc_session* session, NC_VERB_LEVEL level, const char* message) {
  if (!message) return;
  const std::string_view text(message);
  {
    std::lock_guard lock(tee_mutex);
    if (tee) tee(session, static_cast<int>(level), text);
  }
  if (level == NC_VERB_ERROR) keep_error(std::string(text));
  if (level == NC_VERB_DEBUG && active_capture) {
    if (text.substr(0, kSendingPrefix.size()) == kSendingPrefix) {
      active_capture->on_sent_fragment(shown_message(text, kSendingPrefix));
    } else if (text.substr(0, kReceivedPrefix.size()) == kReceivedPrefix) {
      active_capture->on_received(shown_message(text, kReceivedPrefix));
    }
  }
  if (debug_to_stderr()) std::fprintf(stderr, "libnetconf2: %s\n", message);
}

// libyang's own messages, with the data or schema path it names.
void record_libyang(LY_LOG_LEVEL level, const char* message, const char* path) {
  if (!message) return;
  std::string text = std::string("libyang: ") + message;
  if (path && *path) text += " (at " + std::string(path) + ")";
  if (level == LY_LLERR) keep_error(text);
  if (debug_to_stderr()) std::fprintf(stderr, "%s\n", text.c_str());
}

// RFC 6242 chunk header "\n#<size>\n", written by libnetconf2 as a write of its own.
bool is_chunk_header(std::string_view fragment) {
  if (fragment.size() < 4 || fragment.substr(0, 2) != "\n#" || fragment.back() != '\n') {
    return false;
  }
  for (char c : fragment.substr(2, fragment.size() - 3)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

void install_netconf_log() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Debug verbosity is what makes libnetconf2 show every message it sends and receives;
    // the callback keeps only errors and those messages unless PLUGFEST_MPLANE_DEBUG is set.
    nc_verbosity(NC_VERB_DEBUG);
    nc_set_print_clb_session(record);
    ly_log_level(debug_to_stderr() ? LY_LLVRB : LY_LLWRN);
    ly_set_log_clb(record_libyang, 1);
    ly_log_options(LY_LOLOG | LY_LOSTORE_LAST);
  });
}

std::string take_netconf_error(const std::string& fallback) {
  if (errors_logged.empty()) return fallback;
  std::string out;
  for (const auto& message : errors_logged) {
    if (!out.empty()) out += "; then: ";
    out += message;
  }
  errors_logged.clear();
  return out;
}

void clear_netconf_errors() { errors_logged.clear(); }

WireCapture::WireCapture() { active_capture = this; }

WireCapture::~WireCapture() {
  if (active_capture == this) active_capture = nullptr;
}

std::vector<WireMessage> WireCapture::take() {
  std::vector<WireMessage> out;
  out.swap(messages_);
  return out;
}

void WireCapture::on_sent_fragment(std::string_view fragment) {
  // libnetconf2 writes a message as chunk headers and pieces of content, and ends it with
  // "\n##\n" (base:1.1 chunked framing) or "]]>]]>" (base:1.0, and every <hello>).
  if (fragment == "\n##\n" || fragment == "]]>]]>") {
    messages_.push_back({true, std::move(pending_), std::chrono::system_clock::now()});
    pending_.clear();
    return;
  }
  if (is_chunk_header(fragment)) return;
  pending_.append(fragment);
}

void WireCapture::on_received(std::string_view message) {
  messages_.push_back({false, std::string(message), std::chrono::system_clock::now()});
}

void set_library_log_tee(LibraryLogTee new_tee) {
  std::lock_guard lock(tee_mutex);
  tee = std::move(new_tee);
}

}  // namespace plugfest::management
