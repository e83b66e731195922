#pragma once
// Applicability: which DUTs a test case applies to, as a conjunction of capability names
// (`requires: [section_type.3, compression.bfp.9]`). A term may be negated (`!extension.11`)
// or offer alternatives (`compression.bfp.9|compression.bfp.14`). For an interoperability
// pair a name may be prefixed `o-du:` or `o-ru:` to look at one side; unprefixed names
// must hold for both.

#include <optional>
#include <string>
#include <vector>

#include "interfaces/adapter/device.h"
#include "interfaces/common/result.h"

namespace plugfest::harness {

class Applicability {
 public:
  // Parses the terms; an empty list applies to everything.
  static Result<Applicability> parse(const std::vector<std::string>& terms);

  // Adds the other rule's terms (both must hold).
  void require_also(const Applicability& other);

  // The first term the capabilities do not meet, or nullopt when applicable.
  std::optional<std::string> unmet(const adapter::Capabilities& capabilities) const;
  std::optional<std::string> unmet(const adapter::Capabilities& odu,
                                   const adapter::Capabilities& oru) const;

  const std::vector<std::string>& terms() const { return text_; }
  bool empty() const { return terms_.empty(); }

 private:
  struct Alternative {
    std::string name;
    bool negated = false;
    std::optional<adapter::Role> side;
  };
  using Term = std::vector<Alternative>;
  std::vector<Term> terms_;
  std::vector<std::string> text_;
};

// One explicit correction of what a DUT's adapter describes, from the descriptor's
// `capability_overrides:` (name: supported | unsupported).
struct CapabilityOverride {
  std::string name;
  bool supported = true;
};

// The capabilities a DUT is judged by, and how they came about: what its adapter's
// Describe reports (every prefix of a name counting too), corrected only by the
// descriptor's explicit overrides. The descriptor's claims decide nothing; every
// difference between them and Describe is listed (the most specific names only:
// "extension.11", not also "extension").
struct CapabilityReconciliation {
  adapter::Capabilities effective;
  std::vector<std::string> claimed_not_described;
  std::vector<std::string> described_not_claimed;
  struct AppliedOverride {
    std::string name;
    bool supported = true;
    bool described = false;  // whether Describe reported the name
  };
  std::vector<AppliedOverride> overrides;
};

// `claimed` empty: the descriptor claims nothing and no difference is listed.
CapabilityReconciliation reconcile_capabilities(const adapter::Capabilities& claimed,
                                                const adapter::Capabilities& described,
                                                const std::vector<CapabilityOverride>& overrides);

// `names` with every prefix of each name added ("a.b.c" gives "a.b" and "a").
adapter::Capabilities with_prefixes(const adapter::Capabilities& names);

// Whether `name` is a well-formed capability name: dot-separated words of letters,
// digits, '_' and '-'.
bool is_capability_name(const std::string& name);

}  // namespace plugfest::harness
