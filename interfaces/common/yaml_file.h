#pragma once
// The one place every YAML file from a user is read (profiles, vendor descriptors, analysis
// configs, the simulator's descriptor). It reads only regular files up to a size bound and
// accepts one UTF-8 document whose aliases do not recurse and whose expansion stays small,
// without repeated keys or control characters (raw or escaped) in its values; anything else
// is an Error at file:line:col. Error messages never
// quote the file's text, so naming a file that is not ours discloses nothing of it.

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "interfaces/common/result.h"

namespace plugfest {

struct YamlLimits {
  std::size_t max_bytes = 1 << 20;  // of the file
  // Nodes of the document with every alias expanded in place, as a reader that walks the
  // tree sees them; and the bytes of dotted names and values such a walk builds.
  std::size_t max_nodes = 100000;
  std::size_t max_expanded_bytes = 16 << 20;
  std::size_t max_depth = 64;  // nested lists and mappings
};

// Reads and checks `path`. The returned node may be null (an empty file); aliases share
// nodes as yaml-cpp builds them, but the graph has no cycle.
Result<YAML::Node> load_yaml_file(const std::string& path, const YamlLimits& limits = {});

// The same checks for text already in memory; `name` stands for the file in errors.
Result<YAML::Node> load_yaml_text(std::string_view text, const std::string& name,
                                  const YamlLimits& limits = {});

}  // namespace plugfest
