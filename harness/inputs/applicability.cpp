#include "harness/inputs/applicability.h"

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

}  // namespace plugfest::harness
