// Who is on the other end of the API socket (SO_PEERCRED, SO_PEERGROUPS), and the policy that
// decides whether they may talk to the daemon: root, or a member of the configured group.
#pragma once

#include <sys/types.h>

#include <optional>
#include <vector>

#include "common/result.h"

namespace edgeward::daemon {

struct PeerCred {
  pid_t pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary groups
};

Result<PeerCred> peer_credentials(int fd);

// Root always; otherwise only when `allowed_group` is set and is the peer's primary or a
// supplementary group. The error says who was refused and how to get access.
Status check_peer(const PeerCred& peer, std::optional<gid_t> allowed_group);

}  // namespace edgeward::daemon
