#include "runtime/daemon/socket_address.h"

#include <sys/socket.h>

#include <cstring>

namespace edgeward::daemon {

Result<sockaddr_un> socket_address(const std::string& path) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  if (path.size() >= sizeof a.sun_path) {
    return Error::invalid("socket path " + path + " is too long: " + std::to_string(path.size()) +
                          " bytes, a unix socket path holds at most " + std::to_string(sizeof a.sun_path - 1) +
                          " (pick a shorter one with --socket or EDGEWARD_SOCKET)");
  }
  std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
  return a;
}

}  // namespace edgeward::daemon
