// `plugfest validate FILE...`: checks profiles and vendor descriptors without running anything,
// and this host for the DUTs whose fronthaul runs over Ethernet (fronthaul_bench_check.h).
#include <iostream>

#include "harness/cli/cli.h"
#include "harness/cli/fronthaul_bench_check.h"
#include "harness/engine/test_case.h"
#include "harness/inputs/inputs.h"

namespace plugfest::cli {
namespace {

struct ValidateOptions {
  std::vector<std::string> files;
  bool files_only = false;  // a bench elsewhere: do not check this host's interfaces
};

int validate(const ValidateOptions& options) {
  const auto& registry = harness::Registry::instance();
  for (const auto& e : registry.errors()) std::cerr << "error: test catalog: " << e << "\n";
  harness::Diagnostics diagnostics;
  const auto inputs = harness::load_inputs(options.files, registry, diagnostics);
  if (!inputs) {
    std::cerr << diagnostics.to_string();
    std::cerr << diagnostics.errors().size() << " error(s); nothing is valid until all are fixed\n";
    return kBadInput;
  }
  if (!options.files_only) check_fronthaul_bench(*inputs, registry, diagnostics);
  if (!diagnostics.ok()) {
    std::cerr << diagnostics.to_string();
    std::cerr << diagnostics.errors().size()
              << " error(s) in this host's fronthaul set-up; nothing is valid until all are "
                 "fixed\n";
    return kBadInput;
  }
  for (const auto& p : inputs->profiles) {
    std::cout << "ok: profile " << p.id << " (" << p.cases.size() << " cases) " << p.file << "\n";
  }
  for (const auto& d : inputs->descriptors) {
    std::cout << "ok: " << adapter::to_string(d.role) << " " << d.name << " ("
              << d.capabilities.names().size() << " capabilities) " << d.file << "\n";
  }
  return registry.errors().empty() ? kPassed : kInfrastructure;
}

const bool registered = register_subcommand([](CLI::App& app) -> SubcommandAction {
  auto options = std::make_shared<ValidateOptions>();
  auto* sub = app.add_subcommand(
      "validate", "Check profiles and vendor descriptors (files or folders) without running");
  sub->add_option("files", options->files, "profile or vendor descriptor YAML files, or folders")
      ->required();
  sub->add_flag("--files-only", options->files_only,
                "check the files alone, not this host's fronthaul interfaces and capabilities "
                "(descriptors of a bench elsewhere)");
  return [options] { return validate(*options); };
});

}  // namespace
}  // namespace plugfest::cli
