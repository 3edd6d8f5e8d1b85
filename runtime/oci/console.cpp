#include "runtime/oci/console.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>

#include "common/errno_error.h"
#include "common/fd_passing.h"

namespace edgeward::oci {
namespace {

edgeward::Status send_fd(int sock, int fd, const std::string& name) {
  // runc sends the pty's name as the message body; the receivers only use the descriptor.
  if (send_with_fd(sock, name.c_str(), name.size() + 1, fd) < 0) return errno_error("send the console to the --console-socket");
  return {};
}

}  // namespace

Result<UniqueFd> open_console(const std::string& socket_path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof addr.sun_path) return Error::invalid("--console-socket path is too long: " + socket_path);
  std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size());
  UniqueFd sock(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!sock.valid()) return errno_error("socket");
  if (connect(sock.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    return errno_error("connect to --console-socket " + socket_path);
  }
  UniqueFd master(posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!master.valid()) return errno_error("allocate a pty (posix_openpt)");
  if (grantpt(master.get()) != 0 || unlockpt(master.get()) != 0) return errno_error("unlock the pty");
  char name[64];
  if (ptsname_r(master.get(), name, sizeof name) != 0) return errno_error("ptsname");
  UniqueFd slave(open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!slave.valid()) return errno_error(std::string("open ") + name);
  EW_TRY(send_fd(sock.get(), master.get(), name));
  return slave;
}

edgeward::Status set_console_size(int pty, uint16_t height, uint16_t width) {
  winsize ws{};
  ws.ws_row = height;
  ws.ws_col = width;
  if (ioctl(pty, TIOCSWINSZ, &ws) != 0) return errno_error("process.consoleSize: set the terminal's size (TIOCSWINSZ)");
  return {};
}

}  // namespace edgeward::oci
