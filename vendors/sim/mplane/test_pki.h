#pragma once
// Certificates for NETCONF over TLS in tests and benchmarks, made with the openssl command
// line at run time (nothing secret is kept in the tree).

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace plugfest::sim {

// Writes a CA (CA.pem / CA.key) and, signed by it, the server's certificate (server.pem, for
// 127.0.0.1) and one client certificate per name (NAME.pem / NAME.key, CN = NAME), with the
// openssl command line; false when it is missing or fails.
inline bool make_test_pki(const std::filesystem::path& dir, const std::string& ca,
                          const std::vector<std::string>& names) {
  const std::string d = dir.string();
  auto run = [](const std::string& command) {
    return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
  };
  const std::string key = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  if (!run("openssl req -x509" + key + " -keyout " + d + "/" + ca + ".key -out " + d + "/" + ca +
           ".pem -days 2 -subj /CN=" + ca)) {
    return false;
  }
  std::ofstream(dir / "server.ext") << "subjectAltName=IP:127.0.0.1\n";
  std::vector<std::string> all = names;
  all.push_back("server");
  for (const auto& name : all) {
    const std::string cn = name == "server" ? "127.0.0.1" : name;
    if (!run("openssl req" + key + " -keyout " + d + "/" + name + ".key -out " + d + "/" + name +
             ".csr -subj /CN=" + cn) ||
        !run("openssl x509 -req -in " + d + "/" + name + ".csr -CA " + d + "/" + ca +
             ".pem -CAkey " + d + "/" + ca + ".key -CAcreateserial -days 2 -out " + d + "/" + name +
             ".pem" + (name == "server" ? " -extfile " + d + "/server.ext" : ""))) {
      return false;
    }
  }
  return true;
}

}  // namespace plugfest::sim
