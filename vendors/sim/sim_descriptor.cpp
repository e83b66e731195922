#include "vendors/sim/sim_descriptor.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>

#include "interfaces/common/yaml_file.h"
#include "vendors/sim/mplane/mplane_datastore.h"

namespace plugfest::sim {
namespace {

Error at(const std::string& path, const YAML::Node& node, const std::string& message) {
  const YAML::Mark mark = node.Mark();
  return Error{message,
               path + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1)};
}

// Capabilities as dotted names; every prefix is a capability too (as the harness reads them).
void flatten(const YAML::Node& node, const std::string& prefix, adapter::Capabilities& out) {
  auto add = [&out](const std::string& name) {
    for (std::size_t dot = name.find('.'); dot != std::string::npos;
         dot = name.find('.', dot + 1)) {
      out.add(name.substr(0, dot));
    }
    out.add(name);
  };
  auto join = [&prefix](const std::string& part) {
    return prefix.empty() ? part : prefix + "." + part;
  };
  if (node.IsMap()) {
    for (const auto& entry : node) flatten(entry.second, join(entry.first.as<std::string>()), out);
  } else if (node.IsSequence()) {
    for (const auto& item : node) flatten(item, prefix, out);
  } else if (node.IsScalar()) {
    const std::string value = node.as<std::string>();
    if (value == "true" || value == "yes") {
      if (!prefix.empty()) add(prefix);
    } else if (value != "false" && value != "no") {
      add(join(value));
    }
  }
}

std::string text_or(const YAML::Node& node, const std::string& fallback) {
  return node && node.IsScalar() ? node.as<std::string>() : fallback;
}

}  // namespace

Result<SimDescriptor> load_sim_descriptor(const std::string& path) {
  auto loaded = load_yaml_file(path);
  if (!loaded) {
    return Error{"cannot read the descriptor: " + loaded.error().message, loaded.error().where};
  }
  return sim_descriptor_from_yaml(path, *loaded);
}

Result<SimDescriptor> sim_descriptor_from_yaml(const std::string& path, const YAML::Node& root) {
  if (!root.IsMap()) return Error{"a vendor descriptor is a mapping", path};
  SimDescriptor d;
  try {
    d.device.serial = "SIM-0001";
    d.device.software_version = "1.0.0";
    const std::string name = text_or(root["name"], "");
    if (name.empty()) return at(path, root, "key 'name' is required");
    const std::string role = text_or(root["role"], "");
    if (role == "o-ru") {
      d.device.role = adapter::Role::kOru;
    } else if (role == "o-du") {
      d.device.role = adapter::Role::kOdu;
    } else {
      return at(path, root["role"] ? root["role"] : root,
                "key 'role': expected o-ru or o-du, got '" + role + "'");
    }
    d.device.vendor = name;
    d.device.model = text_or(root["description"], name);
    if (const YAML::Node caps = root["capabilities"]) flatten(caps, "", d.device.capabilities);

    if (const YAML::Node lab = root["lab"]; lab && lab["mplane"]) {
      if (d.device.role != adapter::Role::kOru) {
        return at(path, lab["mplane"], "only an o-ru embeds an M-plane server");
      }
      const YAML::Node m = lab["mplane"];
      MplaneSettings settings;
      settings.host = text_or(m["host"], settings.host);
      settings.user = text_or(m["user"], settings.user);
      settings.password = text_or(m["password"], settings.password);
      if (const YAML::Node accounts = m["accounts"]) {
        if (!accounts.IsSequence()) return at(path, accounts, "key 'accounts': expected a list");
        for (const YAML::Node& a : accounts) {
          MplaneUser user{text_or(a["user"], ""), text_or(a["password"], ""), "",
                          text_or(a["group"], "")};
          if (user.name.empty() || user.password.empty() || !is_nacm_group(user.group))
            return at(path, a, "an account needs user, password and group (nms, fm-pm, swm, sudo)");
          settings.accounts.push_back(user);
        }
      } else {
        for (const char* group : {"nms", "fm-pm", "swm"})
          settings.accounts.push_back(
              {settings.user + "-" + group, settings.password + "-" + group, "", group});
      }
      d.mplane = settings;
    }
    if (const YAML::Node faults = root["faults"]) {
      if (!faults.IsSequence()) return at(path, faults, "key 'faults': expected a list");
      for (const YAML::Node& item : faults) {
        std::string fault_name;
        if (item.IsScalar())
          fault_name = item.as<std::string>();
        else if (item.IsMap() && item.size() == 1)
          fault_name = item.begin()->first.as<std::string>();
        auto fault = parse_fault(fault_name);
        if (!fault && d.mplane) {
          if (auto mplane_fault = parse_mplane_fault(fault_name)) {
            d.mplane->faults.insert(*mplane_fault);
            continue;
          }
        }
        if (!fault) return at(path, item, fault.error().message);
        if (!applies_to(*fault, d.device.role)) {
          return at(path, item, "fault '" + fault_name + "' cannot apply to an " + role);
        }
        d.faults.add(*fault);
      }
      if (d.faults.has(Fault::kSilent) && d.faults.all().size() > 1) {
        return at(path, faults,
                  "fault 'silent' (the null device) excludes every other fronthaul fault");
      }
    }

    if (const YAML::Node sim = root["simulator"]) {
      if (!sim.IsMap()) return at(path, sim, "key 'simulator': expected a mapping");
      for (const auto& entry : sim) {
        if (entry.first.as<std::string>() != "fronthaul_interface") {
          return at(path, entry.first,
                    "key 'simulator." + entry.first.as<std::string>() +
                        "': unknown (known: fronthaul_interface)");
        }
      }
      const YAML::Node name = sim["fronthaul_interface"];
      if (name) {
        const std::string text = text_or(name, "");
        if (text.empty() || text.size() > 15 || text.find_first_of("/ ") != std::string::npos) {
          return at(path, name,
                    "key 'simulator.fronthaul_interface': expected an interface name of 1 to 15 "
                    "characters");
        }
        d.fronthaul_interface = text;
      }
    }
    if (const YAML::Node lab = root["lab"]) {
      d.device.vendor = text_or(lab["vendor"], d.device.vendor);
      d.device.model = text_or(lab["model"], d.device.model);
      d.device.serial = text_or(lab["serial"], d.device.serial);
      d.device.software_version = text_or(lab["software_version"], d.device.software_version);
      if (lab["fronthaul"] && lab["fronthaul"]["host"]) {
        d.fronthaul_host = lab["fronthaul"]["host"].as<std::string>();
      }
      if (lab["timing"] && lab["timing"]["dilation"]) {
        d.dilation = lab["timing"]["dilation"].as<double>();
      }
      if (lab["observe"]) d.observe = lab["observe"].as<bool>();
      if (const YAML::Node p = lab["pattern"]) {
        d.pattern.tdd = text_or(p["tdd"], d.pattern.tdd);
        if (p["start_prb"]) d.pattern.start_prb = p["start_prb"].as<std::uint16_t>();
        if (p["num_prbs"]) d.pattern.num_prbs = p["num_prbs"].as<std::uint16_t>();
        if (p["prach_every"]) d.pattern.prach_every = p["prach_every"].as<std::uint16_t>();
      }
    }
  } catch (const YAML::Exception& e) {
    return Error{"bad value: " + e.msg, path + ":" + std::to_string(e.mark.line + 1) + ":" +
                                            std::to_string(e.mark.column + 1)};
  }
  if (const char* env = std::getenv(kDilationEnvironmentVariable); env != nullptr && *env) {
    d.dilation = std::atof(env);
  }
  if (!(d.dilation >= 1.0)) {
    return Error{"timing dilation must be a number of at least 1", path + ": lab.timing.dilation"};
  }
  return d;
}

}  // namespace plugfest::sim
