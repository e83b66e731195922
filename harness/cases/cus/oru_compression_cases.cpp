// O-RU CUS-plane conformance, compression: one session per block compression method and
// width the O-RU claims, with a UL air signal of known power (Stimulate) and a UL request;
// the answers must decode in that compression, without a udCompHdr (it is configured
// statically), at the air signal's power (O-RAN.WG4.CUS 6.3.3, A.1).

#include <cmath>
#include <cstdlib>
#include <memory>

#include "harness/cases/cus/oru_case_support.h"

namespace plugfest::harness::cases::oru {
namespace {

// Each block compression method and width the O-RU claims: a UL request in each, answers
// decoded and at the power of the air signal.
void compression_methods(Context& ctx) {
  const auto base = setup_from(ctx, ctx.dut());
  std::vector<fronthaul::CompressionParams> claimed;
  for (const auto& name : ctx.dut().description.capabilities.names()) {
    // compression.METHOD.WIDTH
    const auto first = name.find('.');
    const auto last = name.rfind('.');
    if (name.rfind("compression.", 0) != 0 || first == last) continue;
    auto method = tester::parse_method(name.substr(first + 1, last - first - 1));
    if (!method || !fronthaul::is_block_method(*method)) continue;
    const int width = std::atoi(name.c_str() + last + 1);
    if (width < 1 || width > 16) continue;
    claimed.push_back({*method, static_cast<std::uint8_t>(width)});
  }
  if (claimed.empty()) {
    ctx.set_verdict(Verdict::kInconclusive, "the O-RU claims no block compression method");
    return;
  }
  const double power = ctx.params().get_double("signal.power_dbfs", -12.0);
  const double tolerance = ctx.params().get_double("signal.power_tolerance_db", 3.0);
  FindingTally tally;
  std::unique_ptr<PeerSession> last;
  for (const auto& params : claimed) {
    auto setup = base;
    setup.ul_compression.static_params = params;
    setup.dl_compression.static_params = params;
    last.reset();
    const std::string label = tester::compression_capability(params);
    auto s = PeerSession::start(ctx, setup, "fronthaul-" + label + ".pcap");
    if (!s) return;
    adapter::UlAirSignal signal;
    signal.antenna = 0;
    signal.kind = adapter::SignalKind::kQpskRandom;
    signal.seed = 77;
    signal.power_dbfs = power;
    if (auto ok = s->link().client().stimulate(s->link().session_id(), signal); !ok) {
      if (adapter::is_not_implemented(ok.error())) {
        ctx.set_verdict(Verdict::kInconclusive,
                        "the adapter has no UL air-signal source (a signal generator at the "
                        "O-RU's antennas): " + ok.error().message);
      } else {
        ctx.error(ok.error().where + ": " + ok.error().message);
      }
      return;
    }
    auto x = ul_exchange(*s, {.st1 = true, .antennas = 1});
    if (!x) return;
    std::vector<fronthaul::IqSample> all;
    for (const auto* p : x->answers) {
      for (const auto& f : p->decoded.findings) {
        if (f.severity == fronthaul::Severity::kError) {
          tally.add("cus.ru.compression.decode", spec_clause(f.clause), label + ": " + f.message,
                    where_packet(p));
        }
      }
      for (const auto& sec : uplane_of(p)->sections) {
        const auto used = sec.ud_comp_hdr.value_or(params);
        if (!(used == params) || sec.ud_comp_hdr.has_value()) {
          tally.add("cus.ru.compression.header", "O-RAN.WG4.CUS 8.3.3.13",
                    label + ": answered with a udCompHdr although it is configured statically",
                    where_packet(p));
        }
        auto iq = tester::decompress_prbs(params, sec.iq_data,
                                          transport::effective_prbs(sec.num_prbu, setup.carrier_prbs));
        if (iq) all.insert(all.end(), iq->begin(), iq->end());
      }
    }
    if (all.empty()) {
      tally.add("cus.ru.compression.no-answer", "O-RAN.WG4.CUS 8.3",
                label + ": no decodable UL U-plane", "");
    } else {
      const double measured = tester::power_dbfs(all);
      ctx.add_measurement("ul.power." + label, measured, "dBFS");
      if (std::abs(measured - power) > tolerance) {
        tally.add("cus.ru.compression.power", "O-RAN.WG4.CUS A.1",
                  label + ": UL IQ at " + std::to_string(measured) + " dBFS for an air signal at " +
                      std::to_string(power) + " dBFS",
                  "antenna 0");
      }
    }
    s->finish();
    last = std::move(s);
  }
  tally.record(ctx);
  pass_unless_failed(ctx, std::to_string(claimed.size()) + " claimed compression settings");
}

const bool registered = [] {
  register_test_case(
      oru_case("cus.ru.compression.claimed-methods",
               "Every claimed compression method and width decodes at the air signal's power",
               "O-RAN.WG4.CUS 6.3.3, A.1", {"compression"}, compression_methods));
  return true;
}();

}  // namespace
}  // namespace plugfest::harness::cases::oru
