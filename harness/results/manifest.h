#pragma once
// manifest.json: what a run was: harness version, every input file with its SHA-256, the
// profiles, what each adapter described, the options, the seed, the host and the plan.

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness/inputs/lab_identity.h"
#include "harness/inputs/shard.h"
#include "interfaces/adapter/device.h"
#include "interfaces/common/result.h"

namespace plugfest::harness {

struct ManifestInput {
  std::string path;  // absolute
  std::string sha256;
};

struct ManifestProfile {
  std::string id;
  std::string title;
  std::string document;
  std::string version;
  std::string url;
  std::vector<std::string> cases;  // case IDs in profile order
};

// An override from the descriptor's capability_overrides, as it was applied.
struct ManifestOverride {
  std::string capability;
  bool supported = true;
  bool described = false;  // whether the adapter's Describe reported it
};

struct ManifestDut {
  std::string name;
  std::string descriptor;  // its file
  // As described, its capabilities the effective ones the cases were judged by (Describe
  // with every prefix, corrected by the overrides; the descriptor's claims when the DUT
  // was never reached).
  adapter::DeviceDescription description;
  std::string error;  // why it could not be reached, when it could not
  // After `error`, with initialisers, so {name, descriptor, description, error} still reads.
  adapter::Capabilities described_capabilities{};  // Describe's answer as it came
  std::vector<ManifestOverride> capability_overrides{};
};

// Something about the run a reader of its results must know although no verdict shows
// it: a capability the descriptor claims and Describe does not report (or the reverse),
// an override, an adapter reached without TLS.
struct RunWarning {
  std::string kind;  // stable, e.g. "capabilities-not-described", "plaintext-adapter"
  std::string dut;   // the DUT it concerns, or "" for the whole run
  std::string message;
};

struct Manifest {
  std::string harness_version;
  std::string run_id;
  std::string created;  // ISO 8601 UTC
  std::string host;
  std::uint64_t seed = 0;
  std::optional<LabIdentity> lab;  // from --lab; unnamed when absent
  std::vector<std::string> arguments;  // the input paths as given (absolute)
  std::vector<ManifestInput> inputs;
  std::vector<ManifestProfile> profiles;
  std::vector<ManifestDut> duts;
  std::vector<std::string> filters;
  std::optional<Shard> shard;
  // SHA-256 of the whole plan's item IDs (after --filter, before --shard), one per line in
  // plan order: the shards of one plan share it.
  std::string plan_hash;
  unsigned jobs = 1;
  long long default_timeout_ms = 0;
  std::vector<std::string> planned_items;  // plan order
  std::vector<std::string> merged_from;    // run IDs of merged shards
  std::vector<RunWarning> warnings{};      // in the order they arose
};

nlohmann::json to_json(const Manifest& manifest);
Result<Manifest> manifest_from_json(const nlohmann::json& json);

// Writes atomically (temporary file, then rename).
Result<void> write_manifest(const std::filesystem::path& dir, const Manifest& manifest);
Result<Manifest> read_manifest(const std::filesystem::path& dir);

// Empty when two runs may be merged (same harness version, same input files and hashes,
// same filters and plan), else why not.
std::string merge_conflict(const Manifest& a, const Manifest& b);

// The plan hash of these item IDs (see Manifest::plan_hash).
std::string plan_hash(const std::vector<std::string>& item_ids);

// SHA-256 of a file's bytes, lowercase hex (OpenSSL libcrypto).
Result<std::string> sha256_file(const std::filesystem::path& path);
std::string sha256_hex(std::string_view bytes);

// Writes a file atomically: a temporary beside it, then rename.
Result<void> write_file_atomically(const std::filesystem::path& path, const std::string& content);

}  // namespace plugfest::harness
