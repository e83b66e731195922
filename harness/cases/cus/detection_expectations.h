#pragma once
// Test support: the simulator's fronthaul faults (vendors/sim/core/fault.h) each role's
// detection tests inject, and for each the cases it may make fail (or warn), so that what a
// fault breaks, nothing else may fail because of it; and a DUT session on a launched
// simulator process. Shared by the fault x case detection matrix over UDP and its subset
// over Ethernet.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "harness/engine/dut.h"
#include "interfaces/adapter/adapter_launcher.h"

namespace plugfest::harness {

using Cases = std::set<std::string>;

inline const std::vector<std::string> kOruFaults = {"multi-section-uplane",
                                                    "truncated-uplane",
                                                    "prach-wrong-start-symbol",
                                                    "eaxc-mapping-mismatch",
                                                    "ul-late",
                                                    "seqid-gap",
                                                    "ecpri-payload-size-wrong",
                                                    "dynamic-header-when-static",
                                                    "iq-low-scale",
                                                    "no-uplane-response",
                                                    "prb-out-of-range",
                                                    "wrong-section-id",
                                                    "dl-iq-antenna-swap",
                                                    "dl-decompress-wrong-width",
                                                    "reception-window-miscount",
                                                    "beamforming-extension-rejected"};
inline const std::vector<std::string> kOduFaults = {"dl-cplane-udcomphdr-nonzero",
                                                    "st3-numsymbol-zero",
                                                    "eaxc-mapping-mismatch",
                                                    "dl-early",
                                                    "seqid-gap",
                                                    "ecpri-payload-size-wrong",
                                                    "dynamic-header-when-static",
                                                    "iq-low-scale",
                                                    "prb-out-of-range",
                                                    "wrong-section-id",
                                                    "ul-iq-antenna-swap",
                                                    "no-dl-uplane"};

// The cases each fault may make fail (or warn), per role of the DUT that has it: what a
// fault breaks, nothing else may fail because of it.
inline const std::map<std::string, Cases> kOruExplains = {
    {"multi-section-uplane",
     {"cus.ru.ul.st1-coverage", "cus.ru.st0.idle-without-uplane", "iot.cus.stream-validation"}},
    {"truncated-uplane",
     {"cus.ru.ul.headers", "cus.ru.ul.st1-coverage", "cus.ru.ul.sequence-id",
      "cus.ru.st0.idle-without-uplane", "cus.ru.compression.claimed-methods",
      "cus.ru.prach.st3-response", "iot.cus.stream-validation", "iot.cus.end-to-end-iq"}},
    {"prach-wrong-start-symbol", {"cus.ru.prach.st3-response", "iot.cus.stream-validation"}},
    {"eaxc-mapping-mismatch",
     {"cus.ru.ul.eaxc", "cus.ru.ul.st1-coverage", "cus.ru.st0.idle-without-uplane",
      "cus.ru.prach.st3-response", "cus.ru.compression.claimed-methods",
      "iot.cus.stream-validation", "iot.cus.end-to-end-iq"}},
    {"ul-late", {"cus.ru.ul.ta4-window"}},
    {"seqid-gap", {"cus.ru.ul.sequence-id", "iot.cus.stream-validation"}},
    {"ecpri-payload-size-wrong",
     {"cus.ru.ul.headers", "cus.ru.ul.st1-coverage", "cus.ru.st0.idle-without-uplane",
      "cus.ru.compression.claimed-methods", "cus.ru.prach.st3-response", "cus.ru.ul.sequence-id",
      "iot.cus.stream-validation", "iot.cus.end-to-end-iq"}},
    {"dynamic-header-when-static",
     {"cus.ru.ul.headers", "cus.ru.ul.st1-coverage", "cus.ru.st0.idle-without-uplane",
      "cus.ru.compression.claimed-methods", "iot.cus.stream-validation", "iot.cus.end-to-end-iq"}},
    {"iq-low-scale", {"cus.ru.compression.claimed-methods", "iot.cus.end-to-end-iq"}},
    {"no-uplane-response",
     {"cus.ru.ul.headers", "cus.ru.ul.eaxc", "cus.ru.ul.st1-coverage", "cus.ru.ul.ta4-window",
      "cus.ru.ul.sequence-id", "cus.ru.prach.st3-response", "cus.ru.st0.idle-without-uplane",
      "cus.ru.compression.claimed-methods", "iot.cus.stream-validation", "iot.cus.end-to-end-iq"}},
    {"prb-out-of-range",
     {"cus.ru.ul.headers", "cus.ru.ul.st1-coverage", "cus.ru.st0.idle-without-uplane",
      "cus.ru.compression.claimed-methods", "cus.ru.prach.st3-response",
      "iot.cus.stream-validation", "iot.cus.end-to-end-iq"}},
    {"wrong-section-id",
     {"cus.ru.ul.st1-coverage", "cus.ru.st0.idle-without-uplane", "cus.ru.prach.st3-response",
      "iot.cus.stream-validation"}},
    {"dl-iq-antenna-swap",
     {"cus.ru.dl.st1-radiated-iq", "cus.ru.dl.beamforming-extensions", "iot.cus.end-to-end-iq"}},
    {"dl-decompress-wrong-width", {"cus.ru.dl.st1-radiated-iq", "iot.cus.end-to-end-iq"}},
    {"reception-window-miscount", {"cus.ru.dl.reception-window-counters"}},
    {"beamforming-extension-rejected", {"cus.ru.dl.beamforming-extensions"}},
};
inline const std::map<std::string, Cases> kOduExplains = {
    {"dl-cplane-udcomphdr-nonzero",
     {"cus.du.headers", "cus.du.dl.udcomphdr-zero", "iot.cus.stream-validation"}},
    {"st3-numsymbol-zero",
     {"cus.du.headers", "cus.du.prach.requests", "iot.cus.stream-validation"}},
    {"eaxc-mapping-mismatch",
     {"cus.du.headers", "cus.du.uplane-within-cplane", "cus.du.dl.cplane-timing",
      "iot.cus.stream-validation", "iot.cus.end-to-end-iq"}},
    {"dl-early", {"cus.du.dl.cplane-timing", "iot.cus.stream-validation"}},
    {"seqid-gap", {"cus.du.sequence-id", "iot.cus.stream-validation"}},
    {"ecpri-payload-size-wrong",
     {"cus.du.headers", "cus.du.uplane-within-cplane", "cus.du.dl.compression",
      "cus.du.sequence-id", "iot.cus.stream-validation", "iot.cus.end-to-end-iq"}},
    {"dynamic-header-when-static",
     {"cus.du.headers", "cus.du.dl.compression", "iot.cus.stream-validation",
      "iot.cus.end-to-end-iq"}},
    {"iq-low-scale", {"cus.du.dl.compression", "iot.cus.end-to-end-iq"}},
    {"prb-out-of-range",
     {"cus.du.headers", "cus.du.uplane-within-cplane", "cus.du.dl.compression",
      "iot.cus.stream-validation", "iot.cus.end-to-end-iq"}},
    {"wrong-section-id",
     {"cus.du.uplane-within-cplane", "cus.du.dl.cplane-timing", "iot.cus.stream-validation"}},
    {"ul-iq-antenna-swap", {"cus.du.ul.decoded-iq", "iot.cus.end-to-end-iq"}},
    {"no-dl-uplane",
     {"cus.du.dl.cplane-timing", "cus.du.uplane-within-cplane", "cus.du.dl.compression",
      "iot.cus.end-to-end-iq"}},
};

// A DUT reached through its adapter process; the adapter client is its "adapter" extension.
class LaunchedDut : public DutSession {
 public:
  explicit LaunchedDut(std::unique_ptr<adapter::LaunchedAdapter> adapter)
      : adapter_(std::move(adapter)) {}
  Result<adapter::DeviceDescription> describe() override {
    auto d = adapter_->client().describe();
    if (!d) return d.error();
    return d->device;
  }
  std::shared_ptr<void> extension(std::string_view name) override {
    if (name != "adapter") return nullptr;
    return std::shared_ptr<void>(std::shared_ptr<void>{}, &adapter_->client());
  }
  void close() override { adapter_->stop(); }

 private:
  std::unique_ptr<adapter::LaunchedAdapter> adapter_;
};

}  // namespace plugfest::harness
