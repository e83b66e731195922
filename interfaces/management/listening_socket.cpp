#include "interfaces/management/listening_socket.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace plugfest::management {

Result<uint16_t> pick_free_tcp_port(const std::string& address) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
  addrinfo* found = nullptr;
  if (getaddrinfo(address.c_str(), "0", &hints, &found) != 0 || !found) {
    return Error{"not a numeric IP address", address};
  }
  int fd = socket(found->ai_family, SOCK_STREAM, 0);
  uint16_t port = 0;
  if (fd >= 0 && bind(fd, found->ai_addr, found->ai_addrlen) == 0) {
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length) == 0) {
      port = bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                         : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    }
  }
  std::string reason = std::strerror(errno);
  if (fd >= 0) close(fd);
  freeaddrinfo(found);
  if (port == 0) return Error{"cannot bind a TCP socket: " + reason, address};
  return port;
}

}  // namespace plugfest::management
