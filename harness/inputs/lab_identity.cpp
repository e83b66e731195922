#include "harness/inputs/lab_identity.h"

namespace plugfest::harness {

namespace {

// A required or optional string under `key`; false when it is required and missing or bad.
bool read_field(const std::string& file, MappingReader& reader, const std::string& key,
                bool required, Diagnostics& diagnostics, std::string& out) {
  const YAML::Node node = reader.get(key, required);
  if (!node.IsDefined()) return !required;
  return read_string(file, node, key, diagnostics, out);
}

}  // namespace

std::optional<LabIdentity> load_lab_identity(const std::string& file, Diagnostics& diagnostics) {
  YAML::Node root;
  if (!parse_yaml_file(file, root, diagnostics)) return std::nullopt;
  Diagnostics local;
  MappingReader top(file, root, "lab file", {"name", "address", "contacts"}, local);
  if (!top.ok()) {
    diagnostics.append(local);
    return std::nullopt;
  }
  LabIdentity lab;
  read_field(file, top, "name", true, local, lab.name);
  read_field(file, top, "address", true, local, lab.address);
  if (const YAML::Node contacts = top.get("contacts", true); contacts.IsDefined()) {
    if (!contacts.IsSequence() || contacts.size() == 0) {
      local.add(where(file, contacts), "key 'contacts': expected a list of at least one contact, got " +
                                           describe_node(contacts));
    } else {
      for (const auto& item : contacts) {
        MappingReader entry(file, item, "a contact of 'contacts'",
                            {"first_name", "last_name", "email", "organization", "phone"}, local);
        if (!entry.ok()) continue;
        LabContact c;
        read_field(file, entry, "first_name", true, local, c.first_name);
        read_field(file, entry, "last_name", true, local, c.last_name);
        if (read_field(file, entry, "email", true, local, c.email) &&
            c.email.find('@') == std::string::npos) {
          local.add(entry.key_where("email"), "key 'email': '" + c.email + "' is not an address");
        }
        read_field(file, entry, "organization", false, local, c.organization);
        read_field(file, entry, "phone", false, local, c.phone);
        lab.contacts.push_back(std::move(c));
      }
    }
  }
  const bool ok = local.errors().empty();
  diagnostics.append(local);
  if (!ok) return std::nullopt;
  return lab;
}

}  // namespace plugfest::harness
