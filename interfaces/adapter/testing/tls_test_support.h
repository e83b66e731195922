#pragma once
// Test support for TLS towards adapters: certificates made at test time with the openssl
// command line, and a test adapter process serving TLS on a kernel-chosen port.

#include <fstream>
#include <string>
#include <vector>

#include "interfaces/adapter/testing/process_test_support.h"

namespace plugfest::adapter::testing {

// Certificates made at test time with the openssl command line: two CAs, a server
// certificate for 127.0.0.1 / localhost signed by the first, a client certificate signed
// by the first ("client") and one signed by the other ("other-client").
class TlsCertificates {
 public:
  explicit TlsCertificates(const TempDir& dir) : dir_(dir) {
    ok_ = make_ca("ca") && make_ca("other-ca") && make_leaf("server", "ca", true) &&
          make_leaf("client", "ca", false) && make_leaf("other-client", "other-ca", false);
  }
  bool ok() const { return ok_; }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

 private:
  bool run(const std::string& command) const {
    return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
  }
  bool make_ca(const std::string& name) const {
    return run(
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1"
        " -subj /CN=plugfest-test-" +
        name + " -keyout " + path(name + ".key") + " -out " + path(name + ".pem"));
  }
  bool make_leaf(const std::string& name, const std::string& ca, bool server) const {
    const std::string ext = path(name + ".ext");
    std::ofstream(ext) << (server ? "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                                  : "extendedKeyUsage=clientAuth\n");
    return run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=" +
               name + " -keyout " + path(name + ".key") + " -out " + path(name + ".csr")) &&
           run("openssl x509 -req -days 1 -in " + path(name + ".csr") + " -CA " +
               path(ca + ".pem") + " -CAkey " + path(ca + ".key") + " -CAcreateserial -extfile " +
               ext + " -out " + path(name + ".pem"));
  }

  const TempDir& dir_;
  bool ok_ = false;
};

// An adapter process serving TLS on 127.0.0.1 with a port chosen by the kernel: the test
// adapter, or any program taking the same flags (`program_argv` then comes first, e.g.
// plugfest-sim --descriptor FILE). With `require_client_cert` clients must present a
// certificate from "ca" (mutual TLS); without `tls` it serves plaintext TCP.
class TlsAdapterProcess {
 public:
  TlsAdapterProcess(const std::string& test_adapter, const TempDir& dir,
                    const TlsCertificates& certs, bool require_client_cert)
      : TlsAdapterProcess(std::vector<std::string>{test_adapter}, dir, certs, require_client_cert) {
  }
  TlsAdapterProcess(std::vector<std::string> program_argv, const TempDir& dir,
                    const TlsCertificates& certs, bool require_client_cert, bool tls = true) {
    const auto port_file = dir / ("port-" + std::to_string(++instances()));
    std::vector<std::string> argv = std::move(program_argv);
    for (const std::string& arg : {std::string("--listen"), std::string("127.0.0.1:0"),
                                   std::string("--port-file"), port_file.string()}) {
      argv.push_back(arg);
    }
    if (tls) {
      for (const std::string& arg : {std::string("--tls-cert"), certs.path("server.pem"),
                                     std::string("--tls-key"), certs.path("server.key")}) {
        argv.push_back(arg);
      }
    }
    if (tls && require_client_cert) {
      argv.push_back("--tls-client-ca");
      argv.push_back(certs.path("ca.pem"));
    }
    pid_ = spawn(argv);
    const std::string port = wait_for_file(port_file, "\n");
    if (!port.empty()) address_ = "127.0.0.1:" + port.substr(0, port.find('\n'));
  }
  ~TlsAdapterProcess() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  const std::string& address() const { return address_; }
  pid_t pid() const { return pid_; }

 private:
  static int& instances() {
    static int count = 0;
    return count;
  }
  pid_t pid_ = -1;
  std::string address_;
};

}  // namespace plugfest::adapter::testing
