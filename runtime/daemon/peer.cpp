#include "runtime/daemon/peer.h"

#include <sys/socket.h>

#include <algorithm>

#include "common/errno_error.h"

namespace edgeward::daemon {

Result<PeerCred> peer_credentials(int fd) {
  ucred uc{};
  socklen_t len = sizeof uc;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) != 0) return errno_error("SO_PEERCRED");
  PeerCred p{uc.pid, uc.uid, uc.gid, {}};
  std::vector<gid_t> groups(64);
  len = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &len) == 0) {
    groups.resize(len / sizeof(gid_t));
    p.groups = std::move(groups);
  }
  return p;
}

Status check_peer(const PeerCred& peer, std::optional<gid_t> allowed_group) {
  if (peer.uid == 0) return {};
  if (allowed_group && (peer.gid == *allowed_group ||
                        std::find(peer.groups.begin(), peer.groups.end(), *allowed_group) != peer.groups.end())) {
    return {};
  }
  return Error{ErrorCode::kPermission,
               "permission denied: uid " + std::to_string(peer.uid) + " (pid " + std::to_string(peer.pid) +
                   ") is neither root nor in the daemon's API group" +
                   (allowed_group ? " (gid " + std::to_string(*allowed_group) + ")" : " (none configured: start the daemon with --group)")};
}

}  // namespace edgeward::daemon
