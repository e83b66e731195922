#include "harness/results/manifest.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

namespace plugfest::harness {

using nlohmann::json;

namespace {

std::string hex(const unsigned char* bytes, unsigned length) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < length; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0xf];
  }
  return out;
}

using DigestContext = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  return hex(digest, length);
}

Result<std::string> sha256_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot read file", path.string()};
  DigestContext ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    EVP_DigestUpdate(ctx.get(), buffer, static_cast<std::size_t>(in.gcount()));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  return hex(digest, length);
}

Result<void> write_file_atomically(const std::filesystem::path& path, const std::string& content) {
  const auto tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    out.flush();
    if (!out) {
      // Disk full, most likely: leave no half-written temporary behind.
      const int error = errno;
      out.close();
      std::error_code ignored;
      std::filesystem::remove(tmp, ignored);
      return Error{std::string("cannot write file: ") + std::strerror(error), tmp};
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Error{"cannot rename into place: " + ec.message(), path.string()};
  return {};
}

json to_json(const Manifest& m) {
  json inputs = json::array();
  for (const auto& i : m.inputs) inputs.push_back({{"path", i.path}, {"sha256", i.sha256}});
  json profiles = json::array();
  for (const auto& p : m.profiles) {
    profiles.push_back({{"id", p.id},
                        {"title", p.title},
                        {"document", p.document},
                        {"version", p.version},
                        {"url", p.url},
                        {"cases", p.cases}});
  }
  json duts = json::array();
  for (const auto& d : m.duts) {
    std::vector<std::string> caps(d.description.capabilities.names().begin(),
                                  d.description.capabilities.names().end());
    std::vector<std::string> described(d.described_capabilities.names().begin(),
                                       d.described_capabilities.names().end());
    json overrides = json::array();
    for (const auto& o : d.capability_overrides) {
      overrides.push_back(
          {{"capability", o.capability}, {"supported", o.supported}, {"described", o.described}});
    }
    duts.push_back({{"name", d.name},
                    {"descriptor", d.descriptor},
                    {"role", adapter::to_string(d.description.role)},
                    {"vendor", d.description.vendor},
                    {"model", d.description.model},
                    {"serial", d.description.serial},
                    {"software_version", d.description.software_version},
                    {"capabilities", caps},
                    {"described_capabilities", described},
                    {"capability_overrides", overrides},
                    {"error", d.error}});
  }
  json lab = nullptr;
  if (m.lab) {
    json contacts = json::array();
    for (const auto& c : m.lab->contacts) {
      contacts.push_back({{"first_name", c.first_name},
                          {"last_name", c.last_name},
                          {"email", c.email},
                          {"organization", c.organization},
                          {"phone", c.phone}});
    }
    lab = {{"name", m.lab->name}, {"address", m.lab->address}, {"contacts", contacts}};
  }
  json warnings = json::array();
  for (const auto& w : m.warnings) {
    warnings.push_back({{"kind", w.kind}, {"dut", w.dut}, {"message", w.message}});
  }
  json shard = nullptr;
  if (m.shard) shard = std::to_string(m.shard->index) + "/" + std::to_string(m.shard->count);
  return json{{"harness_version", m.harness_version},
              {"run_id", m.run_id},
              {"created", m.created},
              {"host", m.host},
              {"seed", m.seed},
              {"lab", lab},
              {"arguments", m.arguments},
              {"inputs", inputs},
              {"profiles", profiles},
              {"duts", duts},
              {"filters", m.filters},
              {"shard", shard},
              {"plan_hash", m.plan_hash},
              {"jobs", m.jobs},
              {"default_timeout_ms", m.default_timeout_ms},
              {"planned_items", m.planned_items},
              {"merged_from", m.merged_from},
              {"warnings", warnings}};
}

Result<Manifest> manifest_from_json(const json& j) {
  try {
    Manifest m;
    m.harness_version = j.at("harness_version").get<std::string>();
    m.run_id = j.at("run_id").get<std::string>();
    m.created = j.at("created").get<std::string>();
    m.host = j.at("host").get<std::string>();
    m.seed = j.at("seed").get<std::uint64_t>();
    if (const auto lab = j.find("lab"); lab != j.end() && !lab->is_null()) {
      LabIdentity identity;
      identity.name = lab->at("name").get<std::string>();
      identity.address = lab->at("address").get<std::string>();
      for (const auto& c : lab->at("contacts")) {
        identity.contacts.push_back(
            {c.at("first_name").get<std::string>(), c.at("last_name").get<std::string>(),
             c.at("email").get<std::string>(), c.value("organization", std::string()),
             c.value("phone", std::string())});
      }
      m.lab = std::move(identity);
    }
    m.arguments = j.at("arguments").get<std::vector<std::string>>();
    for (const auto& i : j.at("inputs")) {
      m.inputs.push_back({i.at("path").get<std::string>(), i.at("sha256").get<std::string>()});
    }
    for (const auto& p : j.at("profiles")) {
      m.profiles.push_back({p.at("id").get<std::string>(), p.at("title").get<std::string>(),
                            p.at("document").get<std::string>(), p.at("version").get<std::string>(),
                            p.at("url").get<std::string>(),
                            p.at("cases").get<std::vector<std::string>>()});
    }
    for (const auto& d : j.at("duts")) {
      ManifestDut dut;
      dut.name = d.at("name").get<std::string>();
      dut.descriptor = d.at("descriptor").get<std::string>();
      dut.description.role =
          d.at("role").get<std::string>() == "o-du" ? adapter::Role::kOdu : adapter::Role::kOru;
      dut.description.vendor = d.at("vendor").get<std::string>();
      dut.description.model = d.at("model").get<std::string>();
      dut.description.serial = d.at("serial").get<std::string>();
      dut.description.software_version = d.at("software_version").get<std::string>();
      for (const auto& c : d.at("capabilities"))
        dut.description.capabilities.add(c.get<std::string>());
      // Both absent from manifests written before Describe was compared with the claims.
      if (const auto described = d.find("described_capabilities"); described != d.end()) {
        for (const auto& c : *described) dut.described_capabilities.add(c.get<std::string>());
      }
      if (const auto overrides = d.find("capability_overrides"); overrides != d.end()) {
        for (const auto& o : *overrides) {
          dut.capability_overrides.push_back({o.at("capability").get<std::string>(),
                                              o.at("supported").get<bool>(),
                                              o.at("described").get<bool>()});
        }
      }
      dut.error = d.at("error").get<std::string>();
      m.duts.push_back(std::move(dut));
    }
    m.filters = j.at("filters").get<std::vector<std::string>>();
    if (!j.at("shard").is_null()) {
      auto shard = parse_shard(j.at("shard").get<std::string>());
      if (!shard) return shard.error();
      m.shard = *shard;
    }
    m.plan_hash = j.value("plan_hash", std::string());  // absent before plan hashes existed
    m.jobs = j.at("jobs").get<unsigned>();
    m.default_timeout_ms = j.at("default_timeout_ms").get<long long>();
    m.planned_items = j.at("planned_items").get<std::vector<std::string>>();
    m.merged_from = j.at("merged_from").get<std::vector<std::string>>();
    if (const auto warnings = j.find("warnings"); warnings != j.end()) {  // absent before
      for (const auto& w : *warnings) {
        m.warnings.push_back({w.at("kind").get<std::string>(), w.at("dut").get<std::string>(),
                              w.at("message").get<std::string>()});
      }
    }
    return m;
  } catch (const json::exception& e) {
    return Error{std::string("malformed manifest: ") + e.what(), ""};
  }
}

Result<void> write_manifest(const std::filesystem::path& dir, const Manifest& manifest) {
  return write_file_atomically(dir / "manifest.json", to_json(manifest).dump(2) + "\n");
}

Result<Manifest> read_manifest(const std::filesystem::path& dir) {
  const auto path = dir / "manifest.json";
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"no manifest.json: not a results folder", dir.string()};
  const json j = json::parse(in, nullptr, false);
  if (j.is_discarded()) return Error{"manifest.json is not valid JSON", path.string()};
  auto m = manifest_from_json(j);
  if (!m) return Error{m.error().message, path.string()};
  return m;
}

std::string merge_conflict(const Manifest& a, const Manifest& b) {
  if (a.harness_version != b.harness_version) {
    return "harness versions differ (" + a.harness_version + " vs " + b.harness_version + ")";
  }
  const auto hashes = [](const Manifest& m) {
    std::vector<std::string> out;
    for (const auto& i : m.inputs) out.push_back(i.sha256);
    std::sort(out.begin(), out.end());
    return out;
  };
  if (hashes(a) != hashes(b)) return "the input files (profiles, descriptors) differ";
  std::vector<std::string> pa, pb;
  for (const auto& p : a.profiles) pa.push_back(p.id + " " + p.version);
  for (const auto& p : b.profiles) pb.push_back(p.id + " " + p.version);
  if (pa != pb) return "the profiles differ";
  if (a.filters != b.filters) return "they were run with different --filter";
  if (a.plan_hash != b.plan_hash) return "their plans differ";
  return {};
}

std::string plan_hash(const std::vector<std::string>& item_ids) {
  std::string joined;
  for (const auto& id : item_ids) joined += id + "\n";
  return sha256_hex(joined);
}

}  // namespace plugfest::harness
