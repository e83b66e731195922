// `plugfest list [PROFILE...]`: the test-case catalog, or the cases of the given profiles.
#include <algorithm>
#include <iomanip>
#include <iostream>

#include "harness/cli/cli.h"
#include "harness/engine/test_case.h"
#include "harness/inputs/inputs.h"

namespace plugfest::cli {
namespace {

struct ListOptions {
  std::vector<std::string> profiles;
};

std::string role_text(const harness::TestCase& c) {
  if (c.kind == harness::CaseKind::kInteroperability) return "o-du+o-ru";
  return c.role ? std::string(adapter::to_string(*c.role)) : "any";
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

int list(const ListOptions& options) {
  const auto& registry = harness::Registry::instance();
  if (options.profiles.empty()) {
    if (registry.empty()) {
      std::cout << "No test cases are installed in this build.\n";
      return kPassed;
    }
    // Columns as wide as their longest entry, so clause and title never run together.
    std::size_t id_width = 2, clause_width = 6, test_width = 16;
    for (const auto* c : registry.all()) {
      id_width = std::max(id_width, c->id.size());
      clause_width = std::max(clause_width, c->clause.size());
      test_width = std::max(test_width, c->conformance_test.size());
    }
    const auto id_column = static_cast<int>(id_width + 2);
    const auto clause_column = static_cast<int>(clause_width + 2);
    const auto test_column = static_cast<int>(test_width + 2);
    std::cout << std::left << std::setw(id_column) << "ID" << std::setw(8) << "plane"
              << std::setw(11) << "role" << std::setw(test_column) << "conformance test"
              << std::setw(clause_column) << "clause" << "title\n";
    for (const auto* c : registry.all()) {
      std::cout << std::setw(id_column) << c->id << std::setw(8) << c->plane << std::setw(11)
                << role_text(*c) << std::setw(test_column)
                << (c->conformance_test.empty() ? "-" : c->conformance_test)
                << std::setw(clause_column) << c->clause << c->title << "\n";
    }
    return kPassed;
  }
  harness::Diagnostics diagnostics;
  const auto inputs = harness::load_inputs(options.profiles, registry, diagnostics);
  if (!inputs) {
    std::cerr << diagnostics.to_string();
    return kBadInput;
  }
  for (const auto& p : inputs->profiles) {
    std::cout << p.id << ": " << p.title << " (" << p.specification.document << " "
              << p.specification.version << ")\n";
    for (const auto& entry : p.cases) {
      const auto* c = registry.find(entry.id);
      std::vector<std::string> requires_terms = c->requires_capabilities;
      for (const auto& t : entry.requires_capabilities.terms()) requires_terms.push_back(t);
      std::cout << "  " << std::left << std::setw(40) << entry.id << std::setw(12)
                << harness::to_string(entry.status) << c->title;
      if (!requires_terms.empty()) std::cout << "  [requires " << join(requires_terms) << "]";
      std::cout << "\n";
    }
  }
  return kPassed;
}

const bool registered = register_subcommand([](CLI::App& app) -> SubcommandAction {
  auto options = std::make_shared<ListOptions>();
  auto* sub = app.add_subcommand("list", "List the test-case catalog, or the cases of profiles");
  sub->add_option("profiles", options->profiles, "profile YAML files or folders");
  return [options] { return list(*options); };
});

}  // namespace
}  // namespace plugfest::cli
