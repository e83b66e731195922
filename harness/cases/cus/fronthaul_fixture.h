#pragma once
// What every CUS-plane test case does around its own procedure: read the session's
// parameters, reach the DUT's adapter, agree the fronthaul with PrepareSession, open the
// harness's fronthaul end with a pcap artifact, and turn codec findings into evidence.
//
// A DUT's adapter is reached through its session's extension "adapter" (an
// adapter::AdapterClient); the environment variable PLUGFEST_TIME_DILATION, else the DUT's
// lab parameter `timing.dilation`, else the profile's `time_dilation`, says how much the
// shared slot clock is stretched.

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>

#include "harness/engine/adapter_connector.h"
#include "harness/engine/context.h"
#include "harness/tester/compression_names.h"
#include "harness/tester/fronthaul_port.h"
#include "harness/tester/traffic.h"
#include "harness/engine/test_case.h"
#include "harness/inputs/fronthaul_lab.h"
#include "interfaces/adapter/adapter_client.h"

namespace plugfest::harness::cases {

// Parameters the CUS cases read beyond the built-in ones.
const std::vector<ParameterDeclaration>& fronthaul_parameters();

// A CUS-plane test case with the fronthaul parameters and the suites' 60 s timeout; its
// interfaceUnderTest follows from kind and role.
TestCase fronthaul_case(CaseKind kind, std::optional<adapter::Role> role, std::string id,
                        std::string title, std::string clause,
                        std::vector<std::string> requires_capabilities, void (*run)(Context&));

// Environment variable that overrides every bench's timing dilation (the simulator reads
// it too, so a loaded CI machine can stretch both ends at once).
inline constexpr const char* kTimeDilationVariable = "PLUGFEST_TIME_DILATION";

// How much the slot clock of `dut`'s bench is stretched.
double bench_dilation(const Parameters& profile, const DutContext& dut);

// The fronthaul both ends agree for one case: profile parameters, the DUT's lab
// parameters over them.
transport::FronthaulConfig setup_from(const Context& ctx, const DutContext& dut);

// "O-RAN.WG4.CUS 7.5.2.10" for a codec clause "7.5.2.10"; other documents stay as they are.
std::string spec_clause(std::string_view clause);

// A codec finding as evidence; `where` names the packet and byte offset.
Finding evidence_of(const fronthaul::Finding& finding, std::string_view prefix = {});

// One DUT's adapter, for a case.
class DutLink {
 public:
  // The adapter of `dut`; nullopt (ctx.error set) when the connector offers none or
  // Describe fails.
  static std::optional<DutLink> open(Context& ctx, const DutContext& dut);

  adapter::AdapterClient& client() const { return *client_; }
  const adapter::AdapterDescription& description() const { return description_; }
  bool has(adapter::Instrument instrument) const {
    return description_.instruments.count(instrument) != 0;
  }
  const std::string& session_id() const { return session_id_; }
  const DutContext& dut() const { return *dut_; }

  // PrepareSession with the harness's UDP end; the DUT's UDP end.
  Result<asio::ip::udp::endpoint> prepare(const transport::FronthaulConfig& setup,
                                          const asio::ip::udp::endpoint& harness_end);
  // PrepareSession with the harness's end of either transport; the DUT's end as answered.
  Result<adapter::FronthaulEndpoint> prepare(const transport::FronthaulConfig& setup,
                                             const adapter::FronthaulEndpoint& harness_end);

 private:
  const DutContext* dut_ = nullptr;
  std::shared_ptr<adapter::AdapterClient> client_;
  adapter::AdapterDescription description_;
  std::string session_id_;
};

// A conformance session: the harness plays the DUT's peer, over UDP or over Ethernet as the
// DUT's lab parameters `fronthaul:` say (harness/inputs/fronthaul_lab.h). Over Ethernet the
// DUT's MAC and VLAN come from its adapter's answer (lab fronthaul.dut_mac when it names no
// MAC; a different one is a warning), and frames on the harness's interface that are not
// the session's fronthaul become failures naming their frame (PeerSession::finish).
class PeerSession {
 public:
  // Prepares the DUT and opens the harness's end (pcap artifact "fronthaul.pcap").
  // nullptr when something failed; ctx has the error then.
  static std::unique_ptr<PeerSession> start(Context& ctx);
  // `capture` names the pcap artifact, for a case that runs several sessions.
  static std::unique_ptr<PeerSession> start(Context& ctx, const transport::FronthaulConfig& setup,
                                            const std::string& capture = "fronthaul.pcap");
  ~PeerSession();

  Context& ctx() { return ctx_; }
  DutLink& link() { return link_; }
  tester::FronthaulPort& port() { return *port_; }
  const transport::FronthaulConfig& setup() const { return port_->setup(); }
  transport::SlotClock clock() const { return setup().clock(); }
  transport::TimingWindows windows() const { return setup().dilated_windows(); }

  // The first slot the harness can still reach with C-plane on time.
  tester::SlotRef next_slot() const;
  // Counters of the DUT; nullopt (ctx.error) when the adapter fails.
  std::optional<adapter::FronthaulCounters> counters();
  // Closes the capture, resets the DUT. Called by the destructor too.
  void finish();

 private:
  PeerSession(Context& ctx, DutLink link) : ctx_(ctx), link_(std::move(link)) {}
  bool open_udp(const transport::FronthaulConfig& setup, const std::string& pcap);
  bool open_ethernet(const transport::FronthaulConfig& setup, const FronthaulLab& lab,
                     const std::string& pcap);
  Context& ctx_;
  DutLink link_;
  std::unique_ptr<tester::FronthaulPort> port_;
  bool finished_ = false;
};

// Records the error-severity findings as failures and the warnings as warnings; only
// those `keep` accepts. Returns how many were recorded.
template <typename Keep>
std::size_t record_findings(Context& ctx, std::span<const fronthaul::Finding> findings, Keep keep,
                            std::string_view prefix = {}) {
  std::size_t count = 0;
  for (const auto& f : findings) {
    if (!keep(f)) continue;
    ++count;
    if (f.severity == fronthaul::Severity::kError) {
      ctx.fail(evidence_of(f, prefix));
    } else {
      ctx.add_finding(evidence_of(f, prefix));
    }
  }
  return count;
}

// A finding of the case's own (not from the codec's catalog).
Finding case_finding(std::string rule_id, std::string clause, std::string message,
                     std::string where = {}, Severity severity = Severity::kError);

// Microseconds of real (undilated) time in a dilated duration.
double real_us(std::chrono::nanoseconds dilated, double dilation);

// The IQ an adapter observed (interleaved I, Q per symbol), per symbol for compare_iq.
tester::SlotIq slot_iq_of(const adapter::Observation& observation);

// How many of `packets` the busiest stream carried (one stream: message type, data
// direction and eAxC, as ecpriSeqid counts them); a sequence check needs two or more.
std::size_t longest_stream(std::span<const tester::PortPacket* const> packets,
                           const fronthaul::EaxcSplit& split);

}  // namespace plugfest::harness::cases

namespace plugfest::harness::cases {

// Collects a case's own deviations per rule and records one finding per rule with how
// often it happened and where first, so a systematic fault reads as one line.
class FindingTally {
 public:
  void add(const std::string& rule_id, const std::string& clause, std::string message,
           std::string where, Severity severity = Severity::kError);
  // Records everything into ctx (error severity makes the verdict fail); returns the count
  // of distinct rules.
  std::size_t record(Context& ctx) const;
  bool empty() const { return entries_.empty(); }

 private:
  struct Entry {
    std::string clause, message, where;
    Severity severity;
    std::size_t count = 0;
  };
  std::map<std::string, Entry> entries_;
};

// The codec's and stream validator's findings on what the DUT sent (not on the harness's
// own packets), tallied per rule.
void tally_codec_findings(FindingTally& tally, const tester::FronthaulPort& port,
                          bool (*keep)(std::string_view rule_id));

}  // namespace plugfest::harness::cases
