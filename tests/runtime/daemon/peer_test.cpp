#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "runtime/daemon/peer.h"

namespace edgeward::daemon {
namespace {

TEST(Peer, PolicyTable) {
  struct Case {
    const char* what;
    PeerCred peer;
    std::optional<gid_t> group;
    bool allowed;
  };
  const Case cases[] = {
      {"stranger, no group configured", {1, 1000, 1000, {}}, std::nullopt, false},
      {"stranger, other group", {1, 1000, 1000, {27, 44}}, 990, false},
      {"gid 0 is not root", {1, 1000, 0, {0}}, std::nullopt, false},
      {"root", {1, 0, 0, {}}, std::nullopt, true},
      {"primary group", {1, 1000, 990, {}}, 990, true},
      {"supplementary group", {1, 1000, 1000, {27, 990}}, 990, true},
  };
  for (const auto& c : cases) {
    const Status s = check_peer(c.peer, c.group);
    EXPECT_EQ(s.ok(), c.allowed) << c.what;
    if (!s.ok()) {
      EXPECT_EQ(s.error().code, ErrorCode::kPermission) << c.what;
      EXPECT_NE(s.error().message.find("uid 1000"), std::string::npos) << s.error().message;
    }
  }
}

TEST(Peer, CredentialsOfARealSocketPeer) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  auto p = peer_credentials(sv[0]);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->uid, ::getuid());
  EXPECT_EQ(p->gid, ::getgid());
  EXPECT_EQ(p->pid, ::getpid());
  ::close(sv[0]);
  ::close(sv[1]);
}

}  // namespace
}  // namespace edgeward::daemon
