#include "harness/inputs/profile.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "harness/inputs/parameter_check.h"
#include "harness/inputs/vendor_descriptor.h"

namespace plugfest::harness {
namespace fs = std::filesystem;

bool is_profile_id(const std::string& name) { return is_dut_name(name); }

namespace {

constexpr int kMaxIncludeDepth = 16;

std::vector<std::string> read_string_list(const std::string& file, const YAML::Node& node,
                                          const std::string& key, Diagnostics& diagnostics) {
  std::vector<std::string> out;
  if (node.IsScalar() && !node.Scalar().empty()) return {node.Scalar()};
  if (!node.IsSequence()) {
    diagnostics.add(where(file, node),
                    "key '" + key + "': expected a list of strings, got " + describe_node(node));
    return out;
  }
  for (const auto& item : node) {
    if (!item.IsScalar() || item.Scalar().empty()) {
      diagnostics.add(where(file, item),
                      "key '" + key + "': expected a string, got " + describe_node(item));
      continue;
    }
    out.push_back(item.Scalar());
  }
  return out;
}

std::optional<ProfileCase> read_case(const std::string& file, const YAML::Node& node,
                                     const CaseCatalog& catalog, Diagnostics& diagnostics) {
  MappingReader entry(file, node, "a case of 'cases'",
                      {"id", "status", "parameters", "timeout", "requires"}, diagnostics);
  if (!entry.ok()) return std::nullopt;
  ProfileCase c;
  c.where = where(file, node);
  bool ok = true;
  const YAML::Node id = entry.get("id", true);
  const std::vector<ParameterDeclaration>* declared = nullptr;
  if (!id.IsDefined()) {
    ok = false;
  } else if (!read_string(file, id, "id", diagnostics, c.id)) {
    ok = false;
  } else if (declared = catalog.parameters_of(c.id); declared == nullptr) {
    std::string message = "key 'id': unknown test case '" + c.id + "'";
    if (catalog.ids().empty()) {
      message += " (no test cases are installed in this build)";
    } else if (const auto near = nearest(c.id, catalog.ids()); !near.empty()) {
      message += "; did you mean '" + near + "'?";
    } else {
      message += "; `plugfest list` shows the catalog";
    }
    diagnostics.add(where(file, id), message);
    ok = false;
  }
  if (const YAML::Node status = entry.get("status"); status.IsDefined()) {
    std::string text;
    if (!read_string(file, status, "status", diagnostics, text)) {
      ok = false;
    } else if (const auto parsed = parse_case_status(text); parsed) {
      c.status = *parsed;
    } else {
      std::string message =
          "key 'status': expected mandatory, conditional or optional, got '" + text + "'";
      if (const auto near = nearest(text, {"mandatory", "conditional", "optional"});
          !near.empty()) {
        message += "; did you mean '" + near + "'?";
      }
      diagnostics.add(where(file, status), message);
      ok = false;
    }
  }
  if (const YAML::Node params = entry.get("parameters"); params.IsDefined()) {
    if (!params.IsMap()) {
      diagnostics.add(where(file, params),
                      "key 'parameters': expected a mapping, got " + describe_node(params));
      ok = false;
    } else {
      c.parameters = Parameters::from_yaml(file, params);
      std::vector<ParameterDeclaration> allowed = builtin_parameters();
      if (declared != nullptr) {
        allowed.insert(allowed.end(), declared->begin(), declared->end());
      }
      Diagnostics local;
      check_parameters(c.parameters, allowed, "case '" + c.id + "'", local);
      ok = ok && local.ok();
      diagnostics.append(local);
    }
  }
  if (const YAML::Node timeout = entry.get("timeout"); timeout.IsDefined()) {
    long long ms = 0;
    if (read_duration_ms(file, timeout, "timeout", diagnostics, ms)) {
      c.timeout = std::chrono::milliseconds(ms);
    } else {
      ok = false;
    }
  }
  if (const YAML::Node requires_node = entry.get("requires"); requires_node.IsDefined()) {
    Diagnostics local;
    const auto terms = read_string_list(file, requires_node, "requires", local);
    if (local.ok()) {
      if (auto rule = Applicability::parse(terms); rule) {
        c.requires_capabilities = std::move(rule.value());
      } else {
        local.add(where(file, requires_node), "key 'requires': " + rule.error().message);
      }
    }
    ok = ok && local.ok();
    diagnostics.append(local);
  }
  if (!ok) return std::nullopt;
  return c;
}

std::optional<Profile> load_profile_at_depth(const std::string& file, const YAML::Node& root,
                                             const CaseCatalog& catalog, Diagnostics& diagnostics,
                                             std::vector<std::string>& stack);

// Whether a mapping is a profile (fragment): one of its top-level keys is a profile's.
// Only then is it read as ours; of anything else nothing is quoted.
bool looks_like_profile(const YAML::Node& root) {
  if (!root.IsMap()) return false;
  for (const auto& entry : root) {
    if (!entry.first.IsScalar()) continue;
    for (const char* key : {"cases", "defaults", "specification", "include"}) {
      if (entry.first.Scalar() == key) return true;
    }
  }
  return false;
}

std::optional<Profile> load_file_at_depth(const std::string& file, const CaseCatalog& catalog,
                                          Diagnostics& diagnostics,
                                          std::vector<std::string>& stack) {
  YAML::Node root;
  if (!parse_yaml_file(file, root, diagnostics)) return std::nullopt;
  if (!looks_like_profile(root)) {
    diagnostics.add(file, "an included file must be a profile (with cases, defaults, "
                          "specification or include at the top)");
    return std::nullopt;
  }
  return load_profile_at_depth(file, root, catalog, diagnostics, stack);
}

// Whether `canonical` lies inside the folder `root_dir` (both canonical paths).
bool inside(const fs::path& canonical, const fs::path& root_dir) {
  const auto [end, ignored] = std::mismatch(root_dir.begin(), root_dir.end(), canonical.begin(),
                                            canonical.end());
  return end == root_dir.end();
}

std::optional<Profile> load_profile_at_depth(const std::string& file, const YAML::Node& root,
                                             const CaseCatalog& catalog, Diagnostics& diagnostics,
                                             std::vector<std::string>& stack) {
  Diagnostics local;
  Profile p;
  p.file = file;
  MappingReader top(file, root, "profile",
                    {"id", "title", "specification", "include", "defaults", "cases"}, local);
  if (!top.ok()) {
    diagnostics.append(local);
    return std::nullopt;
  }
  const bool top_level = stack.size() == 1;  // included fragments may omit id, title, spec
  if (const YAML::Node id = top.get("id", top_level); id.IsDefined()) {
    if (read_string(file, id, "id", local, p.id) && !is_profile_id(p.id)) {
      local.add(where(file, id),
                "key 'id': '" + p.id + "' is not a profile ID (letters, digits, '.', '_', '-')");
    }
  }
  if (const YAML::Node title = top.get("title", top_level); title.IsDefined()) {
    read_string(file, title, "title", local, p.title);
  }

  // Includes first: their defaults and cases are the base this file overrides.
  if (const YAML::Node include = top.get("include"); include.IsDefined()) {
    const auto files = read_string_list(file, include, "include", local);
    for (const auto& relative : files) {
      const std::string path =
          (fs::path(file).parent_path() / relative).lexically_normal().string();
      const std::string canonical = fs::weakly_canonical(path).string();
      // Includes stay inside the folder of the profile that was asked for (symbolic links
      // resolved), so a profile cannot make plugfest read files elsewhere.
      const fs::path root_dir = fs::path(stack.front()).parent_path();
      if (!inside(canonical, root_dir)) {
        local.add(where(file, include), "key 'include': '" + relative +
                                            "' is outside the profile's folder " +
                                            root_dir.string() + "; includes must stay inside it");
        continue;
      }
      if (std::find(stack.begin(), stack.end(), canonical) != stack.end()) {
        local.add(where(file, include),
                  "key 'include': '" + relative + "' includes itself (directly or through others)");
        continue;
      }
      if (stack.size() >= kMaxIncludeDepth) {
        local.add(where(file, include), "key 'include': includes nested too deeply");
        continue;
      }
      if (std::error_code ec; !fs::exists(path, ec)) {
        local.add(where(file, include), "key 'include': no such file '" + path + "'");
        continue;
      }
      stack.push_back(canonical);
      auto included = load_file_at_depth(path, catalog, local, stack);
      stack.pop_back();
      if (!included) continue;
      if (p.specification.document.empty()) p.specification = included->specification;
      p.defaults.merge_from(included->defaults);
      for (auto& c : included->cases) {
        const auto same = std::find_if(p.cases.begin(), p.cases.end(),
                                       [&](const ProfileCase& x) { return x.id == c.id; });
        if (same != p.cases.end())
          *same = std::move(c);
        else
          p.cases.push_back(std::move(c));
      }
      p.included_files.push_back(path);
      p.included_files.insert(p.included_files.end(), included->included_files.begin(),
                              included->included_files.end());
    }
  }

  if (const YAML::Node spec = top.get("specification"); spec.IsDefined()) {
    MappingReader s(file, spec, "specification", {"document", "version", "url"}, local);
    if (s.ok()) {
      Specification own;
      if (const YAML::Node v = s.get("document", true); v.IsDefined()) {
        read_string(file, v, "specification.document", local, own.document);
      }
      if (const YAML::Node v = s.get("version", true); v.IsDefined()) {
        read_string(file, v, "specification.version", local, own.version);
      }
      if (const YAML::Node v = s.get("url"); v.IsDefined()) {
        if (read_string(file, v, "specification.url", local, own.url) &&
            own.url.rfind("https://", 0) != 0 && own.url.rfind("http://", 0) != 0) {
          local.add(where(file, v),
                    "key 'specification.url': expected an http(s) URL, got '" + own.url + "'");
        }
      }
      p.specification = own;
    }
  } else if (top_level && p.specification.document.empty()) {
    local.add(where(file, root),
              "missing key 'specification' in profile (document and version it implements; may "
              "come from an included profile)");
  }

  if (const YAML::Node defaults = top.get("defaults"); defaults.IsDefined()) {
    if (!defaults.IsMap()) {
      local.add(where(file, defaults),
                "key 'defaults': expected a mapping, got " + describe_node(defaults));
    } else {
      const Parameters own = Parameters::from_yaml(file, defaults);
      check_parameters(own, all_declared_parameters(catalog), "defaults", local);
      p.defaults.merge_from(own);
    }
  }

  if (const YAML::Node cases = top.get("cases"); cases.IsDefined()) {
    if (!cases.IsSequence()) {
      local.add(where(file, cases), "key 'cases': expected a list, got " + describe_node(cases));
    } else {
      std::set<std::string> own_ids;
      for (const auto& node : cases) {
        auto c = read_case(file, node, catalog, local);
        if (!c) continue;
        if (!own_ids.insert(c->id).second) {
          local.add(c->where, "case '" + c->id + "' is listed twice in this profile");
          continue;
        }
        const auto same = std::find_if(p.cases.begin(), p.cases.end(),
                                       [&](const ProfileCase& x) { return x.id == c->id; });
        if (same != p.cases.end())
          *same = std::move(*c);
        else
          p.cases.push_back(std::move(*c));
      }
    }
  }
  const bool ok = local.ok();
  diagnostics.append(local);
  if (!ok) return std::nullopt;
  return p;
}

}  // namespace

std::optional<Profile> load_profile(const std::string& file, const YAML::Node& root,
                                    const CaseCatalog& catalog, Diagnostics& diagnostics) {
  std::vector<std::string> stack = {fs::weakly_canonical(file).string()};
  return load_profile_at_depth(file, root, catalog, diagnostics, stack);
}

std::optional<Profile> load_profile(const std::string& file, const CaseCatalog& catalog,
                                    Diagnostics& diagnostics) {
  YAML::Node root;
  if (!parse_yaml_file(file, root, diagnostics)) return std::nullopt;
  return load_profile(file, root, catalog, diagnostics);
}

}  // namespace plugfest::harness
