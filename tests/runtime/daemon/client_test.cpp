// The CLI's daemon client against a server that answers and closes before reading the request
// (as the daemon refuses a stranger): the request's write fails, the answer must still be read.
// Under load this race once turned the daemon's permission refusal into "socket write: Broken pipe".
#include "runtime/daemon/client.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <thread>

#include "runtime/daemon/frame.h"
#include "runtime/daemon/protocol.h"

namespace edgeward::daemon {
namespace {

TEST(Client, ReadsARefusalSentBeforeItsRequest) {
  char dir[] = "/tmp/ew-client-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/s.sock";
  const int listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::memcpy(a.sun_path, path.c_str(), path.size());
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(listener, 1), 0);
  std::thread server([listener] {
    const int c = ::accept(listener, nullptr, nullptr);
    auto bytes = encode_response(Response::failure({ErrorCode::kPermission, "uid 65534 may not use this daemon"}));
    if (bytes) (void)write_frame(c, *bytes);
    ::close(c);
  });
  auto client = Client::connect(path);
  ASSERT_TRUE(client.ok()) << client.error().message;
  server.join();  // answered and closed before the request is written
  auto r = client->call({.op = Op::kPs});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPermission) << r.error().message;
  EXPECT_NE(r.error().message.find("uid 65534 may not use this daemon"), std::string::npos) << r.error().message;
  ::close(listener);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace edgeward::daemon
