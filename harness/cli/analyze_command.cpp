// `plugfest analyze CAPTURE...`: conformance verdicts from a fronthaul capture taken in a
// lab (a mirrored switch port between a real O-DU and O-RU).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>

#include "harness/analyze/analyzer.h"
#include "harness/analyze/offline_results.h"
#include "harness/cli/cli.h"
#include "harness/results/journal.h"
#include "harness/results/manifest.h"
#include "harness/inputs/profile.h"
#include "harness/results/reports/reports.h"
#include "harness/engine/run.h"
#include "interfaces/transport/analysis_settings.h"

namespace plugfest::cli {
namespace {

struct AnalyzeOptions {
  std::vector<std::string> captures;
  std::string config;
  std::string profile;
  std::string results_base = "results";  // results/<run-id>/ goes under it
  std::string output;                    // the results folder itself, as `run -o`
};

std::string_view judgement_name(analyze::Judgement j) {
  switch (j) {
    case analyze::Judgement::kPass:
      return "pass";
    case analyze::Judgement::kFail:
      return "fail";
    default:
      return "inconclusive";
  }
}

// Progress on stderr: one updating line on a terminal, plain lines otherwise.
analyze::ProgressCallback progress_printer() {
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  const auto start = std::chrono::steady_clock::now();
  return [tty, start](const analyze::AnalysisProgress& p) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double mib = static_cast<double>(p.bytes_read) / (1 << 20);
    const double total = static_cast<double>(p.bytes_total) / (1 << 20);
    char line[160];
    std::snprintf(line, sizeof line, "analyze: %.0f of %.0f MiB (%.0f%%), %llu frames, %.0f MiB/s",
                  mib, total, total > 0 ? 100.0 * mib / total : 100.0,
                  static_cast<unsigned long long>(p.frames), seconds > 0 ? mib / seconds : 0.0);
    std::cerr << (tty ? "\r" : "") << line << (tty && p.bytes_read < p.bytes_total ? "" : "\n")
              << std::flush;
  };
}

// The profile's settings fill what the config leaves unset; its offline cases, when it
// lists any, are the ones reported.
struct ProfileSettings {
  harness::ManifestProfile manifest;
  std::vector<std::string> files;  // the profile and what it includes
  std::set<std::string> offline_cases;
};

std::optional<ProfileSettings> load_profile_settings(const std::string& path,
                                                     analyze::AnalysisConfig& config) {
  harness::Diagnostics diagnostics;
  auto profile = harness::load_profile(path, harness::Registry::instance(), diagnostics);
  if (!profile) {
    std::cerr << diagnostics.to_string();
    return std::nullopt;
  }
  if (auto applied = analyze::apply_profile_parameters(profile->defaults, config); !applied) {
    std::cerr << "error: " << applied.error().to_string() << "\n";
    return std::nullopt;
  }
  ProfileSettings settings;
  const auto& spec = profile->specification;
  settings.manifest = {profile->id, profile->title, spec.document, spec.version, spec.url, {}};
  settings.files = {path};
  settings.files.insert(settings.files.end(), profile->included_files.begin(),
                        profile->included_files.end());
  for (const auto& c : profile->cases) {
    for (const auto& offline : analyze::offline_cases()) {
      if (c.id == offline.id) settings.offline_cases.insert(c.id);
    }
  }
  return settings;
}

// One analysis: captures merged in time order, judged with one config.
struct AnalysisJob {
  std::vector<std::string> captures;
  std::string settings;  // the evidence's analysis settings ("" when none)
  std::string name;      // the evidence folder, relative to the results folder
  bool one_of_many = false;  // one of several jobs of the same analyze
};

// Files stay one job; a folder (a results folder, or one item's evidence folder) gives one
// job per pcap under it, each with the analysis settings the run wrote beside it.
std::vector<AnalysisJob> analysis_jobs(const std::vector<std::string>& arguments) {
  std::vector<AnalysisJob> jobs;
  AnalysisJob files;
  for (const auto& argument : arguments) {
    if (!std::filesystem::is_directory(argument)) {
      files.captures.push_back(argument);
      continue;
    }
    std::vector<std::filesystem::path> found;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(argument, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      const auto ext = it->path().extension();
      if (it->is_regular_file() && (ext == ".pcap" || ext == ".pcapng")) found.push_back(it->path());
    }
    std::sort(found.begin(), found.end());
    for (const auto& pcap : found) {
      AnalysisJob job;
      job.captures = {pcap.string()};
      const auto settings = transport::analysis_settings_file(pcap);
      if (std::filesystem::exists(settings)) job.settings = settings.string();
      job.name = std::filesystem::relative(pcap.parent_path(), argument).generic_string();
      if (job.name == ".") job.name = pcap.stem().string();
      jobs.push_back(std::move(job));
    }
  }
  if (!files.captures.empty()) jobs.insert(jobs.begin(), std::move(files));
  if (jobs.size() > 1) {
    for (auto& job : jobs) {
      job.one_of_many = true;
      if (job.name.empty()) job.name = "captures";
    }
  }
  return jobs;
}

int run_job(const AnalyzeOptions& options, const AnalysisJob& job);

// A job's name as one folder name: the evidence folder's path with its separators replaced.
std::string folder_name(std::string name) {
  for (char& c : name) c = (c == ':' || c == '/' || c == '@' || c == '+') ? '-' : c;
  return name;
}

int run_analyze(const AnalyzeOptions& options) {
  const auto jobs = analysis_jobs(options.captures);
  if (jobs.empty()) {
    std::cerr << "error: no capture (pcap or pcapng) in " << options.captures.front() << "\n";
    return kBadInput;
  }
  int worst = kPassed;
  for (const auto& job : jobs) {
    if (jobs.size() > 1) std::cout << "== " << (job.name.empty() ? job.captures.front() : job.name) << "\n";
    const int status = run_job(options, job);
    // Bad input outranks failures, which outrank passes.
    if (status == kBadInput || (status != kPassed && worst == kPassed)) worst = status;
  }
  return worst;
}

int run_job(const AnalyzeOptions& options, const AnalysisJob& job) {
  analyze::AnalysisConfig config;
  const std::string config_file = !options.config.empty() ? options.config : job.settings;
  if (!config_file.empty()) {
    if (options.config.empty()) std::cerr << "settings: " << config_file << "\n";
    auto loaded = analyze::load_analysis_config(config_file);
    if (!loaded) {
      std::cerr << loaded.error().to_string();
      return kBadInput;
    }
    config = std::move(*loaded);
  }
  std::optional<ProfileSettings> profile;
  if (!options.profile.empty()) {
    profile = load_profile_settings(options.profile, config);
    if (!profile) return kBadInput;
  }
  auto report = analyze::analyze_captures(job.captures, config, progress_printer());
  if (!report) {
    std::cerr << "error: " << report.error().to_string() << "\n";
    return kBadInput;
  }
  if (profile && !profile->offline_cases.empty()) {
    std::erase_if(report->cases, [&](const analyze::CaseOutcome& c) {
      return !profile->offline_cases.contains(std::string(analyze::offline_case(c.case_id).id));
    });
  }
  for (const auto& note : report->notes) std::cerr << "note: " << note << "\n";
  std::cout << "frames: " << report->frames << " (" << report->ecpri_frames << " eCPRI, "
            << report->skipped_frames << " skipped)\n"
            << "O-DU: " << report->odu << "\nO-RU: " << report->oru << "\n";
  for (const auto& c : report->cases) {
    std::cout << judgement_name(c.judgement) << "  " << analyze::offline_case(c.case_id).id << " ["
              << adapter::to_string(c.side) << "]" << (c.reason.empty() ? "" : "  " + c.reason)
              << "\n";
    for (const auto& f : c.findings) {
      std::cout << "    " << fronthaul::to_string(f.severity) << " " << f.rule_id << " ("
                << f.clause << ") " << f.where() << ": " << f.message << "\n";
    }
  }
  // The same results folder as `plugfest run`: manifest, journal and every report.
  harness::Manifest manifest;
  manifest.harness_version = version();
  manifest.created = harness::utc_now_iso8601();
  // Made as `plugfest run` makes its run IDs (UTC time and a random suffix), so two
  // analyses in one second get folders of their own.
  manifest.run_id = "analyze-" + harness::new_run_id();
  if (!job.name.empty()) manifest.run_id += "-" + folder_name(job.name);
  manifest.host = harness::host_name();
  harness::ManifestProfile manifest_profile =
      profile ? profile->manifest
              : harness::ManifestProfile{"offline-analysis",
                                         "Offline analysis of fronthaul captures",
                                         "O-RAN.WG4.CUS",
                                         "",
                                         "",
                                         {}};
  manifest_profile.cases.clear();
  for (const auto& c : analyze::offline_cases()) {
    if (!profile || profile->offline_cases.empty() ||
        profile->offline_cases.contains(std::string(c.id))) {
      manifest_profile.cases.push_back(std::string(c.id));
    }
  }
  manifest.profiles.push_back(manifest_profile);
  // Every input with its SHA-256: the captures, the config, the profile and its includes.
  std::vector<std::string> inputs = job.captures;
  if (!config_file.empty()) inputs.push_back(config_file);
  if (profile) inputs.insert(inputs.end(), profile->files.begin(), profile->files.end());
  for (const auto& path : inputs) {
    const std::string absolute = std::filesystem::absolute(path).string();
    manifest.arguments.push_back(absolute);
    auto hash = harness::sha256_file(path);
    manifest.inputs.push_back({absolute, hash ? *hash : "unreadable: " + hash.error().message});
  }
  // The two sides as the capture showed them.
  for (auto [role, seen] : {std::pair{adapter::Role::kOdu, &report->odu},
                            std::pair{adapter::Role::kOru, &report->oru}}) {
    harness::ManifestDut dut;
    dut.name = std::string(adapter::to_string(role));
    dut.descriptor = *seen;  // where it was seen in the capture and how it was identified
    dut.description.role = role;
    dut.description.model = *seen;
    manifest.duts.push_back(std::move(dut));
  }
  const auto items = analyze::item_results(*report, manifest_profile.id, manifest.created, 0);
  for (const auto& item : items) manifest.planned_items.push_back(item.item_id);
  // Named as `plugfest run` names it: -o/--out is the folder itself, --results the folder
  // under which <run-id>/ is made.
  // Of a folder of several pcaps, each gets its own folder under -o/--out, named after it.
  std::filesystem::path dir =
      !options.output.empty() ? std::filesystem::path(options.output)
                              : std::filesystem::path(options.results_base) / manifest.run_id;
  if (!options.output.empty() && job.one_of_many) dir /= folder_name(job.name);
  if (std::filesystem::exists(dir / "manifest.json")) {
    std::cerr << "error: " << dir.string() << " already holds a run; choose another folder\n";
    return kBadInput;
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  auto journal = harness::JournalWriter::open(dir / "journal.jsonl");
  Result<void> written = harness::write_manifest(dir, manifest);
  if (journal && written) {
    for (const auto& item : items) {
      if (written) written = (*journal)->append(item);
    }
  }
  if (written) written = harness::write_reports(dir, manifest, items);
  if (!journal || !written) {
    std::cerr << "error: cannot write the results folder "
              << (journal ? written.error().to_string() : journal.error().to_string()) << "\n";
    return kInfrastructure;
  }
  const auto absolute = std::filesystem::absolute(dir, ec).lexically_normal();
  std::cout << "results: " << absolute.string() << "\n"
            << "report: " << (absolute / "report.html").string() << "\n";
  if (report->ecpri_frames == 0) {
    std::cerr << "error: no eCPRI message found in the capture"
              << (!config.detect_udp && config.udp_ports.empty()
                      ? " (for eCPRI over UDP give udp_ports in --config)"
                      : "")
              << "\n";
    return kBadInput;
  }
  // As for `plugfest run`: 0 when every case passed, 1 when one failed or stayed
  // inconclusive (a case that could not be judged is not a pass).
  return harness::exit_status(items);
}

// The offline cases join the catalog, so `plugfest list` and profiles know them.
const bool cases_registered = analyze::register_offline_cases();

const bool registered = register_subcommand([](CLI::App& app) -> SubcommandAction {
  auto options = std::make_shared<AnalyzeOptions>();
  CLI::App* sub = app.add_subcommand(
      "analyze", "Judge the offline cases from fronthaul captures (pcap / pcapng)");
  sub->add_option("CAPTURE", options->captures,
                  "capture files, merged in time order; or a results folder (or one item's "
                  "evidence folder): each pcap in it judged with the settings the run wrote "
                  "beside it")
      ->required()
      ->check(CLI::ExistingPath);
  sub->add_option("--config", options->config,
                  "analysis config (YAML): eAxC split, compression, numerology, carrier, "
                  "timing, UDP ports, sides");
  sub->add_option("--profile", options->profile,
                  "profile the capture was taken under: its parameters fill what --config "
                  "leaves unset, and its offline cases (if it lists any) are the ones reported")
      ->check(CLI::ExistingFile);
  sub->add_option("--results", options->results_base,
                  "folder under which results/<run-id>/ is created")
      ->capture_default_str();
  sub->add_option("-o,--out,--output", options->output,
                  "the results folder itself (as for run -o)");
  return [options] { return run_analyze(*options); };
});

}  // namespace
}  // namespace plugfest::cli
