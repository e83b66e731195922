#include "harness/results/journal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>

namespace plugfest::harness {

using nlohmann::json;

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

json to_json(const ItemResult& r) {
  json findings = json::array();
  for (const auto& f : r.findings) {
    findings.push_back({{"rule_id", f.rule_id},
                        {"clause", f.clause},
                        {"severity", to_string(f.severity)},
                        {"message", f.message},
                        {"where", f.where}});
  }
  json measurements = json::array();
  for (const auto& m : r.measurements) {
    measurements.push_back({{"name", m.name}, {"value", m.value}, {"unit", m.unit}});
  }
  json artifacts = json::array();
  for (const auto& a : r.artifacts) {
    artifacts.push_back({{"name", a.name}, {"path", a.path}, {"description", a.description}});
  }
  return json{{"item", r.item_id},
              {"profile", r.profile_id},
              {"case", r.case_id},
              {"title", r.title},
              {"plane", r.plane},
              {"clause", r.clause},
              {"conformance_test", r.conformance_test},
              {"interface", r.interface_under_test},
              {"kind", to_string(r.kind)},
              {"status", to_string(r.status)},
              {"duts", r.duts},
              {"verdict", to_string(r.verdict)},
              {"reason", r.reason},
              {"started", r.started_at},
              {"duration_s", r.duration_s},
              {"findings", findings},
              {"measurements", measurements},
              {"artifacts", artifacts},
              {"log", r.log}};
}

Result<ItemResult> item_result_from_json(const json& j) {
  try {
    ItemResult r;
    r.item_id = j.at("item").get<std::string>();
    r.profile_id = j.at("profile").get<std::string>();
    r.case_id = j.at("case").get<std::string>();
    r.title = j.at("title").get<std::string>();
    r.plane = j.at("plane").get<std::string>();
    r.clause = j.at("clause").get<std::string>();
    r.conformance_test = j.value("conformance_test", std::string());
    r.interface_under_test = j.at("interface").get<std::string>();
    r.kind = j.at("kind").get<std::string>() == "interoperability" ? CaseKind::kInteroperability
                                                                   : CaseKind::kConformance;
    const auto status = parse_case_status(j.at("status").get<std::string>());
    const auto verdict = parse_verdict(j.at("verdict").get<std::string>());
    if (!status || !verdict) return Error{"unknown status or verdict", r.item_id};
    if (*verdict == Verdict::kNotRun) {
      return Error{"a journal line never says not-run (such items have no line)", r.item_id};
    }
    r.status = *status;
    r.verdict = *verdict;
    r.duts = j.at("duts").get<std::vector<std::string>>();
    r.reason = j.at("reason").get<std::string>();
    r.started_at = j.at("started").get<std::string>();
    r.duration_s = j.at("duration_s").get<double>();
    for (const auto& f : j.at("findings")) {
      r.findings.push_back(Finding{
          f.at("rule_id").get<std::string>(), f.at("clause").get<std::string>(),
          f.at("severity").get<std::string>() == "warning" ? Severity::kWarning : Severity::kError,
          f.at("message").get<std::string>(), f.at("where").get<std::string>()});
    }
    for (const auto& m : j.at("measurements")) {
      r.measurements.push_back(Measurement{m.at("name").get<std::string>(),
                                           m.at("value").get<double>(),
                                           m.at("unit").get<std::string>()});
    }
    for (const auto& a : j.at("artifacts")) {
      r.artifacts.push_back(Artifact{a.at("name").get<std::string>(),
                                     a.at("path").get<std::string>(),
                                     a.at("description").get<std::string>()});
    }
    r.log = j.at("log").get<std::vector<std::string>>();
    return r;
  } catch (const json::exception& e) {
    return Error{std::string("malformed journal line: ") + e.what(), ""};
  }
}

Result<std::unique_ptr<JournalWriter>> JournalWriter::open(const std::filesystem::path& path) {
  // Cut a partial last line (a kill mid-write) so the next line starts clean.
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    std::ifstream in(path, std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto last_newline = content.rfind('\n');
    const std::size_t keep = last_newline == std::string::npos ? 0 : last_newline + 1;
    if (keep != content.size()) std::filesystem::resize_file(path, keep, ec);
    if (ec) return Error{"cannot repair journal: " + ec.message(), path.string()};
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Error{std::string("cannot open the journal for appending: ") + std::strerror(errno),
                 path.string()};
  }
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int error = errno;
    ::close(fd);
    return Error{std::string("cannot read the journal's size: ") + std::strerror(error),
                 path.string()};
  }
  return std::unique_ptr<JournalWriter>(new JournalWriter(fd, path, st.st_size));
}

JournalWriter::~JournalWriter() {
  if (fd_ >= 0) {
    fsync(fd_);
    ::close(fd_);
  }
}

Result<void> JournalWriter::append(const ItemResult& result) {
  std::string line = to_json(result).dump(-1, ' ', false, json::error_handler_t::replace);
  line += '\n';
  std::lock_guard lock(mutex_);
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
    if (n > 0) {
      written += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    const int error = n < 0 ? errno : ENOSPC;
    // Part of the line may be in the file: cut it back to the last whole line.
    std::string message = std::string("cannot write the journal: ") + std::strerror(error);
    if (written > 0 && ftruncate(fd_, size_) != 0) {
      message += "; and cutting the partial line off failed: " + std::string(std::strerror(errno));
    }
    return Error{message, path_.string()};
  }
  size_ += static_cast<off_t>(line.size());
  return {};
}

Result<JournalContents> read_journal(const std::filesystem::path& path) {
  JournalContents contents;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!std::filesystem::exists(path)) return contents;
    return Error{"cannot read journal", path.string()};
  }
  std::map<std::string, std::size_t> index;
  std::string line;
  std::size_t number = 0;
  const auto ignore = [&](const std::string& why) {
    ++contents.ignored_lines;
    contents.problems.push_back(path.string() + ":" + std::to_string(number) + ": " + why);
  };
  while (std::getline(in, line)) {
    ++number;
    if (in.eof()) {  // no newline at the end: cut short by a kill
      if (!line.empty()) ignore("incomplete last line (the run was killed while writing it)");
      break;
    }
    if (line.empty()) continue;
    const json j = json::parse(line, nullptr, false);
    if (j.is_discarded()) {
      ignore("not valid JSON; the line is ignored");
      continue;
    }
    auto r = item_result_from_json(j);
    if (!r) {
      ignore(r.error().to_string() + "; the line is ignored");
      continue;
    }
    const auto [it, fresh] = index.emplace(r->item_id, contents.results.size());
    if (fresh)
      contents.results.push_back(std::move(r.value()));
    else
      contents.results[it->second] = std::move(r.value());
  }
  return contents;
}

}  // namespace plugfest::harness
