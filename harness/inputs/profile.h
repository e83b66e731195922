#pragma once
// Profile: a named set of test cases with their status, parameters and applicability, tied
// to a specification and version.
//
//   id: o-ru-cus-conformance
//   title: O-RU CUS-plane conformance
//   specification: {document: O-RAN.WG4.CONF.0, version: "10.0", url: https://...}
//   include: [common-timing.yaml]       # other profiles: their defaults and cases first
//   defaults:                            # parameters for every case (dotted names)
//     numerology: 1
//     bandwidth_mhz: 100
//     eaxc: {du_port_bits: 2, band_sector_bits: 4, cc_id_bits: 4, ru_port_bits: 6}
//     compression: {method: bfp, width: 9, header: static}
//     timing: {t1a_max_up_us: 294}
//   cases:
//     - id: cus.ru.ul.prb-coverage
//       status: mandatory                # mandatory | conditional | optional
//       requires: [section_type.1]        # applicability over capabilities
//       parameters: {compression: {width: 14}}
//       timeout: 30s
//
// An including profile's defaults override the included ones; a case listed again
// replaces the included entry. Includes are relative to the including file and must stay
// inside the folder of the profile that was asked for (symbolic links resolved); an
// included file must itself be a profile.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "harness/inputs/applicability.h"
#include "harness/inputs/diagnostics.h"
#include "harness/inputs/parameters.h"
#include "harness/inputs/case_catalog.h"
#include "harness/inputs/case_status.h"

namespace plugfest::harness {

struct Specification {
  std::string document;
  std::string version;
  std::string url;
};

struct ProfileCase {
  std::string id;
  CaseStatus status = CaseStatus::kMandatory;
  Parameters parameters;  // overrides only
  std::optional<std::chrono::milliseconds> timeout;
  Applicability requires_capabilities;
  std::string where;  // file:line:col of the entry
};

struct Profile {
  std::string file;
  std::string id;
  std::string title;
  Specification specification;
  Parameters defaults;
  std::vector<ProfileCase> cases;
  std::vector<std::string> included_files;  // every file read, transitively
};

// Reads a profile and the profiles it includes, checking case IDs against `catalog`.
std::optional<Profile> load_profile(const std::string& file, const YAML::Node& root,
                                    const CaseCatalog& catalog, Diagnostics& diagnostics);
std::optional<Profile> load_profile(const std::string& file, const CaseCatalog& catalog,
                                    Diagnostics& diagnostics);

// Whether `name` is an ID usable for profiles: letters, digits, '.', '_' and '-'.
bool is_profile_id(const std::string& name);

}  // namespace plugfest::harness
