#include "harness/results/progress.h"

#include <cstdio>

#include "harness/inputs/visible_text.h"

namespace plugfest::harness {
namespace {

std::string seconds(double s) {
  char text[32];
  if (s < 60) {
    std::snprintf(text, sizeof text, "%.0fs", s);
  } else {
    std::snprintf(text, sizeof text, "%dm%02ds", static_cast<int>(s) / 60,
                  static_cast<int>(s) % 60);
  }
  return text;
}

}  // namespace

void TerminalProgress::started(std::size_t total, std::size_t already_done) {
  total_ = total;
  done_ = done_at_start_ = already_done;
  start_ = std::chrono::steady_clock::now();
  out_ << "plugfest: " << total << " items planned";
  if (already_done > 0) out_ << ", " << already_done << " already in the journal";
  out_ << "\n";
  out_.flush();
}

void TerminalProgress::finished(const ItemResult& result) {
  ++done_;
  if (result.verdict == Verdict::kFail || result.verdict == Verdict::kError ||
      result.verdict == Verdict::kInconclusive) {
    ++failures_;
  }
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const std::size_t this_run = done_ - done_at_start_;
  const double eta = this_run > 0 ? elapsed / this_run * (total_ - done_) : 0;
  if (tty_) {
    // Redraw at most 20 times a second, and always for the last item.
    if (done_ != total_ && now - last_draw_ < std::chrono::milliseconds(50)) return;
    last_draw_ = now;
    out_ << "\r\x1b[K[" << done_ << "/" << total_ << "] " << failures_ << " not passed, "
         << seconds(elapsed) << " elapsed, ETA " << seconds(eta);
    out_.flush();
    return;
  }
  out_ << "[" << done_ << "/" << total_ << "] " << to_string(result.verdict) << " "
       << escape_terminal(result.item_id);
  if (!result.reason.empty() && result.verdict != Verdict::kPass)
    out_ << " (" << escape_terminal(result.reason) << ")";
  out_ << "\n";
}

void TerminalProgress::dut_written_off(const std::string& dut, const std::string& why,
                                       std::size_t items) {
  if (tty_) out_ << "\r\x1b[K";
  out_ << "plugfest: DUT " << dut << " is written off, its " << items
       << (items == 1 ? " remaining item ends" : " remaining items end") << " in error: " << why
       << "\n";
  out_.flush();
}

void TerminalProgress::warned(const std::string& dut, const std::string& message) {
  if (tty_) out_ << "\r\x1b[K";
  out_ << "plugfest: warning: " << (dut.empty() ? "" : escape_terminal(dut) + ": ")
       << escape_terminal(message) << "\n";
  out_.flush();
}

void TerminalProgress::ended() {
  if (tty_) out_ << "\n";
  out_.flush();
}

}  // namespace plugfest::harness
