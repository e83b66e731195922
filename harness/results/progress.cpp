#include "harness/results/progress.h"

#include <cstdio>

#include "harness/inputs/visible_text.h"

namespace plugfest::harness {
namespace {

std::string seconds(double s) {
  char text[32];
  if (s < 60) {
    std::snprintf(text, sizeof text, "%.0fs", s);
  } else if (s < 3600) {
    std::snprintf(text, sizeof text, "%dm%02ds", static_cast<int>(s) / 60,
                  static_cast<int>(s) % 60);
  } else {
    std::snprintf(text, sizeof text, "%dh%02dm", static_cast<int>(s) / 3600,
                  static_cast<int>(s) / 60 % 60);
  }
  return text;
}

bool not_passed(Verdict v) {
  return v == Verdict::kFail || v == Verdict::kError || v == Verdict::kInconclusive;
}

std::string items(std::size_t n) { return std::to_string(n) + (n == 1 ? " item" : " items"); }

}  // namespace

void TerminalProgress::started(std::size_t total, std::size_t already_done) {
  total_ = total;
  done_ = already_done;
  start_ = now_();
  out_ << "plugfest: " << total << " items planned";
  if (already_done > 0) out_ << ", " << already_done << " already in the journal";
  out_ << "\n";
  out_.flush();
}

void TerminalProgress::executing(const std::vector<std::string>& case_ids, unsigned jobs) {
  jobs_ = jobs == 0 ? 1 : jobs;
  executing_ = true;
  to_run_.clear();
  for (const auto& id : case_ids) ++to_run_[id];
  flush_not_applicable();
  draw(true);
}

double TerminalProgress::eta_seconds() const {
  if (!executing_) return -1;  // what will execute is not known yet
  if (all_.items == 0) return to_run_.empty() ? 0 : -1;
  const double mean_all = all_.seconds / static_cast<double>(all_.items);
  double left = 0;
  for (const auto& [id, count] : to_run_) {
    const auto it = learned_.find(id);
    const double mean = it == learned_.end()
                            ? mean_all
                            : it->second.seconds / static_cast<double>(it->second.items);
    left += mean * static_cast<double>(count);
  }
  return left / jobs_;
}

void TerminalProgress::finished(const ItemResult& result) {
  ++done_;
  if (const auto it = to_run_.find(result.case_id); it != to_run_.end()) {
    if (--it->second == 0) to_run_.erase(it);
    if (result.verdict != Verdict::kNotApplicable) {
      learned_[result.case_id].seconds += result.duration_s;
      ++learned_[result.case_id].items;
      all_.seconds += result.duration_s;
      ++all_.items;
    }
  }
  const bool bad = not_passed(result.verdict);
  if (bad) ++failures_;
  std::string line = std::string(to_string(result.verdict)) + " " + escape_terminal(result.item_id);
  if (!result.reason.empty() && result.verdict != Verdict::kPass) {
    line += " (" + escape_terminal(result.reason) + ")";
  }
  if (tty_) {
    // Failures stay on screen above the status line; passes only move the count.
    if (bad) {
      clear_line();
      out_ << line << "\n";
    }
    draw(bad || done_ == total_);
    return;
  }
  if (result.verdict == Verdict::kNotApplicable) {
    ++not_applicable_pending_;  // counted, said in one line
    return;
  }
  flush_not_applicable();
  out_ << "[" << done_ << "/" << total_ << "] " << line << "\n";
}

void TerminalProgress::flush_not_applicable() {
  if (tty_ || not_applicable_pending_ == 0) return;
  out_ << "[" << done_ << "/" << total_ << "] " << items(not_applicable_pending_)
       << " not applicable (each is in the reports with its reason)\n";
  not_applicable_pending_ = 0;
}

void TerminalProgress::clear_line() {
  if (tty_ && drawn_) out_ << "\r\x1b[K";
  drawn_ = false;
}

void TerminalProgress::draw(bool force) {
  if (!tty_) return;
  const auto now = now_();
  // Redraw at most 20 times a second, unless something worth seeing happened.
  if (!force && drawn_ && now - last_draw_ < std::chrono::milliseconds(50)) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double eta = eta_seconds();
  clear_line();
  out_ << "[" << done_ << "/" << total_ << "] " << failures_ << " not passed, " << seconds(elapsed)
       << " elapsed, ETA " << (eta < 0 ? std::string("?") : seconds(eta));
  out_.flush();
  drawn_ = true;
}

void TerminalProgress::dut_written_off(const std::string& dut, const std::string& why,
                                       std::size_t n) {
  clear_line();
  flush_not_applicable();
  out_ << "plugfest: DUT " << escape_terminal(dut) << " is written off, its " << n
       << (n == 1 ? " remaining item ends" : " remaining items end")
       << " in error: " << escape_terminal(why) << "\n";
  out_.flush();
}

void TerminalProgress::stopped(const std::string& why) {
  clear_line();
  flush_not_applicable();
  out_ << "plugfest: " << escape_terminal(why) << "\n";
  out_.flush();
}

void TerminalProgress::warned(const std::string& dut, const std::string& message) {
  clear_line();
  flush_not_applicable();
  out_ << "plugfest: warning: " << (dut.empty() ? "" : escape_terminal(dut) + ": ")
       << escape_terminal(message) << "\n";
  out_.flush();
}

void TerminalProgress::ended() {
  flush_not_applicable();
  if (tty_ && drawn_) out_ << "\n";
  drawn_ = false;
  out_.flush();
}

}  // namespace plugfest::harness
