// plugfest's NETCONF client against Debian's netconfd over SSH on loopback: hello, get,
// filtered get, get-config, refused edits and their error tags, a lock held against a
// second session, candidate + commit, transcripts held against libnetconf2's own debug
// log, and the whole chain of library errors in a failure.

#include <gtest/gtest.h>

#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include "interfaces/management/interop/netconfd_server.h"
#include "interfaces/management/netconf_client.h"
#include "interfaces/management/netconf_log.h"

namespace plugfest::management::testing {
namespace {

constexpr const char* kNacmNs = "urn:ietf:params:xml:ns:yang:ietf-netconf-acm";
constexpr const char* kMonitoringNs = "urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring";

std::string nacm_group(const std::string& name) {
  return std::string("<nacm xmlns=\"") + kNacmNs + "\"><groups><group><name>" + name +
         "</name></group></groups></nacm>";
}

class Netconfd : public ::testing::Test {
 protected:
  void start(const std::string& target = "running") {
    if (auto why = NetconfdServer::unavailable()) GTEST_SKIP() << *why;
    NetconfdOptions options;
    options.target = target;
    auto started = NetconfdServer::start(options);
    ASSERT_TRUE(started.ok()) << started.error().to_string();
    server_ = std::move(*started);
  }
  std::unique_ptr<NetconfSession> open() {
    auto session = NetconfSession::connect(server_->options());
    EXPECT_TRUE(session.ok()) << session.error().to_string() << "\n" << server_->log();
    return session.ok() ? std::move(*session) : nullptr;
  }
  static const RpcError* first_error(const Reply& reply) {
    return reply.errors.empty() ? nullptr : &reply.errors.front();
  }
  std::unique_ptr<NetconfdServer> server_;
};

TEST_F(Netconfd, HelloAdvertisesBase11AndASessionId) {
  start();
  if (!server_) return;
  auto session = open();
  ASSERT_TRUE(session);
  EXPECT_NE(session->session_id(), 0u);
  EXPECT_TRUE(session->has_capability("urn:ietf:params:netconf:base:1.1"));
  EXPECT_TRUE(session->has_capability(kWritableRunningCapability));
  EXPECT_FALSE(session->has_capability(kCandidateCapability));
  EXPECT_TRUE(session->has_capability(kNotificationCapability));
}

TEST_F(Netconfd, GetAndSubtreeAndXpathFilteredGet) {
  start();
  if (!server_) return;
  auto session = open();
  ASSERT_TRUE(session);
  auto all = session->get();
  ASSERT_TRUE(all.ok()) << all.error().to_string();
  ASSERT_TRUE(all->ok()) << all->error_summary();
  EXPECT_FALSE(find_all(all->data, "netconf-state/sessions/session").empty());

  auto subtree = session->get(Filter::subtree(std::string("<netconf-state xmlns=\"") +
                                              kMonitoringNs + "\"><sessions/></netconf-state>"));
  ASSERT_TRUE(subtree.ok()) << subtree.error().to_string();
  ASSERT_TRUE(subtree->ok()) << subtree->error_summary();
  ASSERT_EQ(subtree->data.size(), 1u);
  EXPECT_EQ(subtree->data[0].name, "netconf-state");
  EXPECT_FALSE(find_all(subtree->data, "netconf-state/sessions/session").empty());
  EXPECT_TRUE(find_all(subtree->data, "netconf-state/schemas").empty());

  // Module names as prefixes, the form libnetconf2 declares in the request.
  auto xpath = session->get(Filter::xpath("/ietf-netconf-monitoring:netconf-state/schemas"));
  ASSERT_TRUE(xpath.ok()) << xpath.error().to_string();
  ASSERT_TRUE(xpath->ok()) << xpath->error_summary() << "\n" << session->transcript().to_text();
  EXPECT_FALSE(find_all(xpath->data, "netconf-state/schemas/schema").empty());
  EXPECT_TRUE(find_all(xpath->data, "netconf-state/sessions").empty());
}

TEST_F(Netconfd, GetConfigAndEditOfRunning) {
  start();
  if (!server_) return;
  auto session = open();
  ASSERT_TRUE(session);
  auto edit = session->edit_config(nacm_group("plugfest-running"));
  ASSERT_TRUE(edit.ok()) << edit.error().to_string();
  ASSERT_TRUE(edit->ok()) << edit->error_summary();
  auto config = session->get_config(Filter::subtree(std::string("<nacm xmlns=\"") + kNacmNs + "\"/>"));
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  ASSERT_TRUE(config->ok()) << config->error_summary();
  auto groups = find_all(config->data, "nacm/groups/group");
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0]->text_of("name"), "plugfest-running");
}

TEST_F(Netconfd, RefusedEditsCarryTheirErrorTags) {
  start();
  if (!server_) return;
  auto session = open();
  ASSERT_TRUE(session);
  // An element no module defines (RFC 6241 Appendix A: unknown-element or unknown-namespace).
  auto unknown = session->edit_config(std::string("<nacm xmlns=\"") + kNacmNs +
                                      "\"><no-such-leaf>1</no-such-leaf></nacm>");
  ASSERT_TRUE(unknown.ok()) << unknown.error().to_string();
  ASSERT_FALSE(unknown->ok());
  EXPECT_EQ(first_error(*unknown)->tag, "unknown-element") << unknown->error_summary();
  EXPECT_TRUE(first_error(*unknown)->type == "protocol" ||
              first_error(*unknown)->type == "application")
      << first_error(*unknown)->type;
  // A value its type refuses: enable-nacm is a boolean.
  auto bad_value = session->edit_config(std::string("<nacm xmlns=\"") + kNacmNs +
                                        "\"><enable-nacm>maybe</enable-nacm></nacm>");
  ASSERT_TRUE(bad_value.ok()) << bad_value.error().to_string();
  ASSERT_FALSE(bad_value->ok());
  EXPECT_EQ(first_error(*bad_value)->tag, "invalid-value") << bad_value->error_summary();
  // Deleting what is not there (RFC 6241 7.2: data-missing).
  auto missing = session->edit_config(std::string("<nacm xmlns=\"") + kNacmNs +
                                      "\"><groups><group xmlns:nc=\"urn:ietf:params:xml:ns:"
                                      "netconf:base:1.0\" nc:operation=\"delete\"><name>absent"
                                      "</name></group></groups></nacm>");
  ASSERT_TRUE(missing.ok()) << missing.error().to_string();
  ASSERT_FALSE(missing->ok());
  EXPECT_EQ(first_error(*missing)->tag, "data-missing") << missing->error_summary();
  // The candidate of a server without :candidate.
  auto candidate = session->edit_config(nacm_group("x"), EditOperation::kMerge,
                                        Datastore::kCandidate);
  ASSERT_TRUE(candidate.ok()) << candidate.error().to_string();
  EXPECT_FALSE(candidate->ok());
}

TEST_F(Netconfd, ALockHoldsAgainstASecondSession) {
  start();
  if (!server_) return;
  auto holder = open();
  ASSERT_TRUE(holder);
  auto other = open();
  ASSERT_TRUE(other) << "second session (netconfd alive: " << server_->alive() << ")";
  auto locked = holder->lock(Datastore::kRunning);
  ASSERT_TRUE(locked.ok()) << locked.error().to_string();
  ASSERT_TRUE(locked->ok()) << locked->error_summary();

  auto denied = other->lock(Datastore::kRunning);
  ASSERT_TRUE(denied.ok()) << denied.error().to_string();
  ASSERT_FALSE(denied->ok());
  EXPECT_EQ(first_error(*denied)->tag, "lock-denied") << denied->error_summary();
  auto edit = other->edit_config(nacm_group("intruder"));
  ASSERT_TRUE(edit.ok()) << edit.error().to_string();
  ASSERT_FALSE(edit->ok()) << "an edit by another session went through a held lock";
  EXPECT_EQ(first_error(*edit)->tag, "in-use") << edit->error_summary();

  auto unlocked = holder->unlock(Datastore::kRunning);
  ASSERT_TRUE(unlocked.ok() && unlocked->ok());
  auto retaken = other->lock(Datastore::kRunning);
  ASSERT_TRUE(retaken.ok()) << retaken.error().to_string();
  EXPECT_TRUE(retaken->ok()) << retaken->error_summary();
}

TEST_F(Netconfd, CandidateChangesRunningOnlyAtCommit) {
  start("candidate");
  if (!server_) return;
  auto session = open();
  ASSERT_TRUE(session);
  ASSERT_TRUE(session->has_capability(kCandidateCapability));
  EXPECT_FALSE(session->has_capability(kWritableRunningCapability));
  const Filter nacm = Filter::subtree(std::string("<nacm xmlns=\"") + kNacmNs + "\"/>");
  auto groups_in = [&](Datastore datastore) {
    auto config = session->get_config(nacm, datastore);
    EXPECT_TRUE(config.ok() && config->ok());
    return config.ok() ? find_all(config->data, "nacm/groups/group").size() : 99u;
  };
  auto edit = session->edit_config(nacm_group("plugfest-candidate"), EditOperation::kMerge,
                                   Datastore::kCandidate);
  ASSERT_TRUE(edit.ok()) << edit.error().to_string();
  ASSERT_TRUE(edit->ok()) << edit->error_summary();
  EXPECT_EQ(groups_in(Datastore::kCandidate), 1u);
  EXPECT_EQ(groups_in(Datastore::kRunning), 0u);
  auto commit = session->commit();
  ASSERT_TRUE(commit.ok()) << commit.error().to_string();
  ASSERT_TRUE(commit->ok()) << commit->error_summary();
  EXPECT_EQ(groups_in(Datastore::kRunning), 1u);
}

// Everything libnetconf2 logged at debug level for the client's sessions, as it logged it.
struct LibraryLog {
  std::mutex mutex;
  std::vector<std::string> lines;
};

TEST_F(Netconfd, TranscriptIsWhatTheLibraryLogShowsFromHelloToCloseSession) {
  start();
  if (!server_) return;
  LibraryLog log;
  set_library_log_tee([&](const nc_session*, int level, std::string_view text) {
    if (level != 3) return;
    std::lock_guard lock(log.mutex);
    log.lines.emplace_back(text);
  });
  auto session = open();
  ASSERT_TRUE(session);
  auto reply = session->get(Filter::subtree(std::string("<netconf-state xmlns=\"") +
                                            kMonitoringNs + "\"><sessions/></netconf-state>"));
  ASSERT_TRUE(reply.ok() && reply->ok());
  (void)session->edit_config(nacm_group("plugfest-transcript"));
  ASSERT_TRUE(session->close().ok());
  set_library_log_tee({});

  // The log's messages: received ones whole; sent ones as the pieces libnetconf2 wrote,
  // framing pieces left out, each message ending at its end-of-message mark.
  std::vector<std::pair<bool, std::string>> from_log;
  std::string pending;
  for (const auto& line : log.lines) {
    const std::string sending = "Sending message:\n", received = "Received message:\n";
    if (line.rfind(received, 0) == 0) {
      from_log.emplace_back(false, line.substr(received.size(), line.size() - received.size() - 1));
    } else if (line.rfind(sending, 0) == 0) {
      std::string piece = line.substr(sending.size(), line.size() - sending.size() - 1);
      if (piece == "\n##\n" || piece == "]]>]]>") {
        from_log.emplace_back(true, pending);
        pending.clear();
      } else if (!(piece.rfind("\n#", 0) == 0 && piece.back() == '\n')) {
        pending += piece;
      }
    }
  }
  std::vector<std::pair<bool, std::string>> from_transcript;
  for (const auto& entry : session->transcript().entries()) {
    if (entry.direction == TranscriptDirection::kEvent) {
      EXPECT_EQ(entry.text.find("did not show"), std::string::npos) << entry.text;
      continue;
    }
    from_transcript.emplace_back(entry.direction == TranscriptDirection::kSent, entry.text);
  }
  ASSERT_EQ(from_transcript.size(), from_log.size());
  for (std::size_t i = 0; i < from_log.size(); ++i) {
    EXPECT_EQ(from_transcript[i].first, from_log[i].first) << "message " << i;
    EXPECT_EQ(from_transcript[i].second, from_log[i].second) << "message " << i;
  }
  // From the client's hello, through what the library read at connect time, to the end.
  ASSERT_GE(from_transcript.size(), 6u);
  EXPECT_TRUE(from_transcript[0].first);
  EXPECT_NE(from_transcript[0].second.find("<hello"), std::string::npos);
  EXPECT_FALSE(from_transcript[1].first);
  EXPECT_NE(from_transcript[1].second.find("<hello"), std::string::npos);
  bool library_read_at_connect = false;
  for (std::size_t i = 2; i < from_transcript.size(); ++i) {
    const auto& text = from_transcript[i].second;
    if (text.find("<netconf-state") != std::string::npos && text.find("<sessions") != std::string::npos)
      break;
    library_read_at_connect |= text.find("get-schema") != std::string::npos ||
                               text.find("modules-state") != std::string::npos;
  }
  EXPECT_TRUE(library_read_at_connect) << "the library's reads at connect time are missing";
  EXPECT_NE(from_transcript[from_transcript.size() - 2].second.find("close-session"),
            std::string::npos);
  // The edit-config went with the options the client gave it.
  bool edit_seen = false;
  for (const auto& [sent, text] : from_transcript) {
    if (sent && text.find("<edit-config") != std::string::npos) {
      edit_seen = true;
      EXPECT_NE(text.find("test-then-set"), std::string::npos) << text;
      EXPECT_NE(text.find("merge"), std::string::npos) << text;
    }
  }
  EXPECT_TRUE(edit_seen);
}

TEST_F(Netconfd, AFailedConnectKeepsTheWholeChainOfLibraryErrors) {
  start();
  if (!server_) return;
  // A corrupt local copy of a module the server lists: loading it is the first failure,
  // the session's set-up failing the consequence.
  auto options = server_->options();
  std::ofstream(options.schema_cache_dir + "/ietf-netconf-monitoring@2010-10-04.yang")
      << "module ietf-netconf-monitoring { this is not YANG";
  std::ofstream(options.schema_cache_dir + "/ietf-netconf@2011-06-01.yang")
      << "module ietf-netconf { this is not YANG";
  auto session = NetconfSession::connect(options);
  ASSERT_FALSE(session.ok()) << "libnetconf2 loaded a corrupt module";
  const std::string& why = session.error().message;
  // The parse error is the cause; libnetconf2's own message and unrelated later ones
  // (the last of which alone used to be the reason) follow it.
  const auto cause = why.find("Invalid character sequence \"this\"");
  const auto consequence = why.find("Loading base NETCONF schema failed");
  ASSERT_NE(cause, std::string::npos) << why;
  ASSERT_NE(consequence, std::string::npos) << why;
  EXPECT_LT(cause, consequence) << why;
  EXPECT_NE(why.find("; then: "), std::string::npos) << why;
}

}  // namespace
}  // namespace plugfest::management::testing
