#include "harness/results/progress.h"

#include <gtest/gtest.h>

#include <sstream>

namespace plugfest::harness {
namespace {

TEST(TerminalProgress, ProgressLinesCarryNoControlCharacterFromTheDevice) {
  std::ostringstream out;
  TerminalProgress progress(out, false);
  progress.started(1, 0);
  ItemResult r;
  r.item_id = "p/c@ru\x1b[1A";
  r.verdict = Verdict::kFail;
  r.reason = "late\r\n[1/1] pass p/c@ru\x07";
  progress.finished(r);
  EXPECT_EQ(out.str(),
            "plugfest: 1 items planned\n[1/1] fail p/c@ru\\x1b[1A (late\\r\\n[1/1] pass "
            "p/c@ru\\x07)\n");
}

ItemResult result(const std::string& id, const std::string& case_id, Verdict v, double seconds,
                  const std::string& reason = "") {
  ItemResult r;
  r.item_id = id;
  r.case_id = case_id;
  r.verdict = v;
  r.duration_s = seconds;
  r.reason = reason;
  return r;
}

// A clock the test moves by hand.
struct FakeClock {
  TerminalProgress::Clock::time_point now{};
  std::function<TerminalProgress::Clock::time_point()> fn() {
    return [this] { return now; };
  }
};

TEST(TerminalProgress, InALogNotApplicableItemsAreCountedInOneLineNotListed) {
  std::ostringstream out;
  TerminalProgress progress(out, false);
  progress.started(5, 0);
  for (int i = 0; i < 3; ++i) {
    progress.finished(result("p/na" + std::to_string(i) + "@ru", "na", Verdict::kNotApplicable, 0,
                             "needs compression.bfp"));
  }
  progress.executing({"c", "c"}, 1);
  progress.finished(result("p/c@ru", "c", Verdict::kPass, 1));
  progress.finished(result("p/c@ru2", "c", Verdict::kFail, 1, "late by 3 us"));
  progress.ended();
  EXPECT_EQ(out.str(),
            "plugfest: 5 items planned\n"
            "[3/5] 3 items not applicable (each is in the reports with its reason)\n"
            "[4/5] pass p/c@ru\n"
            "[5/5] fail p/c@ru2 (late by 3 us)\n");
  EXPECT_EQ(out.str().find("needs compression"), std::string::npos);
}

TEST(TerminalProgress, OnATtyFailuresAppearAsTheyHappenWithTheirReasons) {
  std::ostringstream out;
  FakeClock clock;
  TerminalProgress progress(out, true, clock.fn());
  progress.started(3, 0);
  progress.executing({"a", "b", "c"}, 1);
  clock.now += std::chrono::seconds(1);
  progress.finished(result("p/a@ru", "a", Verdict::kPass, 1));
  clock.now += std::chrono::seconds(1);
  progress.finished(result("p/b@ru", "b", Verdict::kError, 1, "adapter said no"));
  const std::string text = out.str();
  // The failure is a line of its own, kept above the redrawn status line.
  EXPECT_NE(text.find("\r\x1b[Kerror p/b@ru (adapter said no)\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("pass p/a@ru"), std::string::npos) << text;  // passes only count
  EXPECT_NE(text.rfind("[2/3] 1 not passed, 2s elapsed, ETA 1s"), std::string::npos) << text;
  progress.ended();
  EXPECT_EQ(out.str().back(), '\n');
}

TEST(TerminalProgress, EtaComesFromTheCasesOwnDurationsNotFromNotApplicableItems) {
  std::ostringstream out;
  FakeClock clock;
  TerminalProgress progress(out, true, clock.fn());
  progress.started(8, 0);
  // Four instantaneous not-applicable items first: they must not make the ETA look short.
  for (int i = 0; i < 4; ++i) {
    progress.finished(result("p/na@ru" + std::to_string(i), "na", Verdict::kNotApplicable, 0));
    EXPECT_LT(progress.eta_seconds(), 0);
  }
  EXPECT_EQ(out.str().find("ETA 0s"), std::string::npos) << out.str();
  progress.executing({"slow", "slow", "fast", "fast"}, 2);
  EXPECT_LT(progress.eta_seconds(), 0);  // nothing learned yet: unknown, not zero
  EXPECT_NE(out.str().find("ETA ?"), std::string::npos);
  progress.finished(result("p/slow@ru0", "slow", Verdict::kPass, 60));
  // Left: one slow (60 s) and two fast, estimated at the mean so far (60 s), over 2 jobs.
  EXPECT_DOUBLE_EQ(progress.eta_seconds(), (60 + 60 + 60) / 2.0);
  progress.finished(result("p/fast@ru0", "fast", Verdict::kFail, 2));
  // Left: one slow (60 s by its own case), one fast (2 s by its own case).
  EXPECT_DOUBLE_EQ(progress.eta_seconds(), (60 + 2) / 2.0);
  progress.finished(result("p/fast@ru1", "fast", Verdict::kPass, 4));
  EXPECT_DOUBLE_EQ(progress.eta_seconds(), 60 / 2.0);
  progress.finished(result("p/slow@ru1", "slow", Verdict::kPass, 58));
  EXPECT_DOUBLE_EQ(progress.eta_seconds(), 0);
}

TEST(TerminalProgress, AStoppedRunIsSaidAtOnceOnItsOwnLine) {
  std::ostringstream out;
  TerminalProgress progress(out, true);
  progress.started(2, 0);
  progress.executing({"a", "a"}, 1);
  progress.stopped("cannot write the journal: /r/journal.jsonl: No space left on device");
  EXPECT_NE(out.str().find("\r\x1b[Kplugfest: cannot write the journal: /r/journal.jsonl: No "
                           "space left on device\n"),
            std::string::npos)
      << out.str();
}

TEST(TerminalProgress, WarningsAreSaidOnTheirOwnLine) {
  std::ostringstream out;
  TerminalProgress progress(out, false);
  progress.warned("ru\x1b", "the adapter at h:1 is reached without TLS");
  progress.warned("", "whole run");
  EXPECT_EQ(out.str(),
            "plugfest: warning: ru\\x1b: the adapter at h:1 is reached without TLS\n"
            "plugfest: warning: whole run\n");
}

}  // namespace
}  // namespace plugfest::harness
