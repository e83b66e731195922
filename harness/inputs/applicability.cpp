#include "harness/inputs/applicability.h"

#include <algorithm>

namespace plugfest::harness {

bool is_capability_name(const std::string& name) {
  if (name.empty() || name.front() == '.' || name.back() == '.') return false;
  char previous = 0;
  for (const char c : name) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-';
    if (!word && c != '.') return false;
    if (c == '.' && previous == '.') return false;
    previous = c;
  }
  return true;
}

Result<Applicability> Applicability::parse(const std::vector<std::string>& terms) {
  Applicability out;
  for (const auto& text : terms) {
    Term term;
    std::size_t start = 0;
    while (start <= text.size()) {
      const std::size_t bar = text.find('|', start);
      std::string piece =
          text.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
      Alternative alt;
      if (!piece.empty() && piece.front() == '!') {
        alt.negated = true;
        piece.erase(0, 1);
      }
      for (const adapter::Role role : {adapter::Role::kOdu, adapter::Role::kOru}) {
        const std::string prefix = std::string(adapter::to_string(role)) + ":";
        if (piece.rfind(prefix, 0) == 0) {
          alt.side = role;
          piece.erase(0, prefix.size());
        }
      }
      if (!is_capability_name(piece)) {
        return Error{
            "'" + text +
                "' is not a capability expression: expected dotted names such as "
                "section_type.3, optionally negated with '!', alternatives joined with '|', "
                "o-du:/o-ru: prefixes for one side of a pair",
            ""};
      }
      alt.name = piece;
      term.push_back(alt);
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    out.terms_.push_back(std::move(term));
    out.text_.push_back(text);
  }
  return out;
}

void Applicability::require_also(const Applicability& other) {
  terms_.insert(terms_.end(), other.terms_.begin(), other.terms_.end());
  text_.insert(text_.end(), other.text_.begin(), other.text_.end());
}

std::optional<std::string> Applicability::unmet(const adapter::Capabilities& capabilities) const {
  return unmet(capabilities, capabilities);
}

std::optional<std::string> Applicability::unmet(const adapter::Capabilities& odu,
                                                const adapter::Capabilities& oru) const {
  for (std::size_t i = 0; i < terms_.size(); ++i) {
    bool met = false;
    for (const auto& alt : terms_[i]) {
      const auto holds = [&](const adapter::Capabilities& c) {
        return c.has(alt.name) != alt.negated;
      };
      if (alt.side == adapter::Role::kOdu)
        met = holds(odu);
      else if (alt.side == adapter::Role::kOru)
        met = holds(oru);
      else
        met = holds(odu) && holds(oru);
      if (met) break;
    }
    if (!met) return text_[i];
  }
  return std::nullopt;
}

adapter::Capabilities with_prefixes(const adapter::Capabilities& names) {
  adapter::Capabilities out;
  for (const auto& name : names.names()) {
    out.add(name);
    for (std::size_t dot = name.find('.'); dot != std::string::npos;
         dot = name.find('.', dot + 1)) {
      out.add(name.substr(0, dot));
    }
  }
  return out;
}

namespace {

bool is_below(const std::string& name, const std::string& ancestor) {
  return name.size() > ancestor.size() && name.compare(0, ancestor.size(), ancestor) == 0 &&
         name[ancestor.size()] == '.';
}

// The names of `a` missing from `b`, keeping only those with no missing name below them.
std::vector<std::string> most_specific_missing(const adapter::Capabilities& a,
                                               const adapter::Capabilities& b) {
  std::vector<std::string> missing;
  for (const auto& name : a.names()) {
    if (!b.has(name)) missing.push_back(name);
  }
  std::vector<std::string> out;
  for (const auto& name : missing) {
    const bool has_missing_child =
        std::any_of(missing.begin(), missing.end(),
                    [&](const std::string& other) { return is_below(other, name); });
    if (!has_missing_child) out.push_back(name);
  }
  return out;
}

}  // namespace

CapabilityReconciliation reconcile_capabilities(const adapter::Capabilities& claimed,
                                                const adapter::Capabilities& described,
                                                const std::vector<CapabilityOverride>& overrides) {
  CapabilityReconciliation out;
  const adapter::Capabilities device = with_prefixes(described);
  if (!claimed.empty()) {
    const adapter::Capabilities claims = with_prefixes(claimed);
    out.claimed_not_described = most_specific_missing(claims, device);
    out.described_not_claimed = most_specific_missing(device, claims);
  }
  adapter::Capabilities effective = device;
  for (const auto& o : overrides) {
    out.overrides.push_back({o.name, o.supported, device.has(o.name)});
    if (o.supported) {
      effective.add(o.name);
      effective = with_prefixes(effective);
      continue;
    }
    // Unsupported: the name and everything below it go; a name above it stays only when
    // Describe reported it as such or another name below it remains.
    adapter::Capabilities kept;
    for (const auto& name : effective.names()) {
      if (name != o.name && !is_below(name, o.name)) kept.add(name);
    }
    adapter::Capabilities pruned;
    for (const auto& name : kept.names()) {
      const bool needed =
          !is_below(o.name, name) || described.has(name) ||
          std::any_of(kept.names().begin(), kept.names().end(),
                      [&](const std::string& other) { return is_below(other, name); });
      if (needed) pruned.add(name);
    }
    effective = std::move(pruned);
  }
  out.effective = std::move(effective);
  return out;
}

}  // namespace plugfest::harness
