#include "interfaces/adapter/tls_probe.h"

#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace plugfest::adapter {
namespace {

using SslContext = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;
using Ssl = std::unique_ptr<SSL, decltype(&SSL_free)>;

// Closes the socket on every path.
class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

// The reason of the oldest error OpenSSL queued ("certificate verify failed",
// "tlsv13 alert certificate required"), or `otherwise`; empties the queue.
std::string openssl_reason(const std::string& otherwise) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return otherwise;
  const char* reason = ERR_reason_error_string(code);
  if (reason != nullptr) return reason;
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

bool split_target(const std::string& target, std::string& host, std::string& port) {
  const auto colon = target.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == target.size()) return false;
  host = target.substr(0, colon);
  port = target.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return true;
}

// A TCP connection within `timeout`, then blocking with `timeout` on every read and write.
int connect_within(const std::string& host, const std::string& port,
                   std::chrono::milliseconds timeout, std::string& why) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    why = std::string("cannot resolve the host: ") + ::gai_strerror(rc);
    return -1;
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
  why = "no address";
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) continue;
    int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      rc = ::poll(&p, 1, static_cast<int>(timeout.count()));
      int error = 0;
      socklen_t length = sizeof error;
      if (rc == 1 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0) {
        rc = 0;
      } else {
        why = rc == 0 ? "no TCP connection within " + std::to_string(timeout.count()) + " ms"
                      : std::string("TCP connection failed: ") + std::strerror(error);
        rc = -1;
      }
    } else if (rc != 0) {
      why = std::string("TCP connection failed: ") + std::strerror(errno);
    }
    if (rc != 0) {
      ::close(fd);
      continue;
    }
    // Back to blocking, each call bounded by the timeout.
    ::fcntl(fd, F_SETFL, 0);
    timeval tv{static_cast<time_t>(timeout.count() / 1000),
               static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    return fd;
  }
  return -1;
}

std::string refused_client(const TlsOptions& tls, const std::string& reason) {
  std::string out = "TLS: the adapter refused this client in the handshake (" + reason + "): ";
  if (tls.client_cert_file.empty()) {
    return out +
           "it asks for a client certificate and the descriptor's tls: gives none (cert, key)";
  }
  return out + "it does not accept the client certificate " + tls.client_cert_file +
         " (not from the CA it trusts?)";
}

}  // namespace

std::string diagnose_tls(const std::string& target, const TlsOptions& tls,
                         std::chrono::milliseconds timeout) {
  std::string host, port;
  if (!split_target(target, host, port)) return "TLS: '" + target + "' is not host:port";
  std::string why;
  Socket socket(connect_within(host, port, timeout, why));
  if (socket.fd() < 0) return "TLS not reached: " + why;

  ERR_clear_error();
  SslContext context(SSL_CTX_new(TLS_client_method()), &SSL_CTX_free);
  if (!context) return "TLS: " + openssl_reason("cannot create a TLS context");
  SSL_CTX_set_verify(context.get(), SSL_VERIFY_PEER, nullptr);
  if (SSL_CTX_load_verify_locations(context.get(), tls.ca_file.c_str(), nullptr) != 1) {
    return "TLS: the CA file " + tls.ca_file + " is unusable: " + openssl_reason("unreadable");
  }
  if (!tls.client_cert_file.empty()) {
    if (SSL_CTX_use_certificate_chain_file(context.get(), tls.client_cert_file.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(context.get(), tls.client_key_file.c_str(), SSL_FILETYPE_PEM) !=
            1 ||
        SSL_CTX_check_private_key(context.get()) != 1) {
      return "TLS: the client certificate " + tls.client_cert_file + " or its key " +
             tls.client_key_file + " is unusable: " + openssl_reason("they do not fit together");
    }
  }
  // gRPC speaks HTTP/2 over TLS and checks the adapter's name as the channel does.
  static const unsigned char kAlpn[] = {2, 'h', '2'};
  SSL_CTX_set_alpn_protos(context.get(), kAlpn, sizeof kAlpn);
  Ssl ssl(SSL_new(context.get()), &SSL_free);
  if (!ssl) return "TLS: " + openssl_reason("cannot create a TLS session");
  const std::string name = tls.server_name.empty() ? host : tls.server_name;
  SSL_set_tlsext_host_name(ssl.get(), name.c_str());
  SSL_set1_host(ssl.get(), name.c_str());
  SSL_set_fd(ssl.get(), socket.fd());

  if (SSL_connect(ssl.get()) != 1) {
    const long verify = SSL_get_verify_result(ssl.get());
    const std::string reason = openssl_reason("the connection ended");
    if (verify != X509_V_OK) {
      return "TLS: the adapter's certificate is not trusted (" +
             std::string(X509_verify_cert_error_string(verify)) + ", checked against the CA " +
             tls.ca_file + " and the name " + name + ")";
    }
    if (reason.find("alert") != std::string::npos) return refused_client(tls, reason);
    return "TLS handshake failed: " + reason;
  }
  // The adapter's side of the handshake ends with its verdict on our certificate: an alert,
  // or its HTTP/2 settings.
  char byte = 0;
  errno = 0;
  const int read = SSL_read(ssl.get(), &byte, 1);
  if (read > 0) return {};
  const int error = SSL_get_error(ssl.get(), read);
  if (error == SSL_ERROR_SSL) return refused_client(tls, openssl_reason("alert"));
  if (error == SSL_ERROR_ZERO_RETURN ||
      (error == SSL_ERROR_SYSCALL && errno != EAGAIN && errno != EWOULDBLOCK)) {
    return refused_client(tls, "the adapter closed the connection after the handshake");
  }
  ERR_clear_error();
  return {};  // nothing within the timeout: the connection stands
}

}  // namespace plugfest::adapter
