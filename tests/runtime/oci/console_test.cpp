// --console-socket through the real binary: `edgeward create` sends a pty master over the unix
// socket with SCM_RIGHTS (runc's protocol) and the workload's stdio is the pty's slave, sized as
// process.consoleSize says.
#include <gtest/gtest.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "common/unique_fd.h"
#include "tests/runtime/sandbox/sandbox_env.h"

extern char** environ;

namespace edgeward::oci {
namespace {

int run(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Receives one descriptor sent with SCM_RIGHTS.
int receive_fd(int conn) {
  char data[256];
  iovec iov{data, sizeof data};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  if (recvmsg(conn, &msg, 0) <= 0) return -1;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  if (!c || c->cmsg_type != SCM_RIGHTS) return -1;
  int fd = -1;
  std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
  return fd;
}

TEST(ConsoleSocket, TheWorkloadRunsOnAPtyWhoseMasterIsSent) {
  EW_SKIP_WITHOUT_SANDBOX();
  char dir[] = "/tmp/edgeward-console-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string t = dir;
  std::ofstream(t + "/config.json")
      << R"({"ociVersion":"1.0.2","process":{"terminal":true,"consoleSize":{"height":33,"width":121},)"
      << R"("args":["/bin/sh","-c","echo size $(stty size); if [ -t 0 ] && [ -t 1 ]; then echo on-a-tty; else echo not-a-tty; fi"],"cwd":"/"},)"
      << R"("root":{"path":")" << sandbox::testing::rootfs() << R"("}})";

  UniqueFd listener(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string sock = t + "/console.sock";
  std::strcpy(addr.sun_path, sock.c_str());
  ASSERT_EQ(bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(listener.get(), 1), 0);

  const std::vector<std::string> ew = {EW_EDGEWARD, "--root", t + "/root"};
  auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> a = ew;
    a.insert(a.end(), more.begin(), more.end());
    return a;
  };
  EXPECT_EQ(run(with({"create", "--bundle", t, "c1"})), 2) << "terminal without --console-socket must be refused";

  // create blocks in connect() until accepted, so accept in parallel through a child.
  int status_pipe[2];
  ASSERT_EQ(pipe(status_pipe), 0);
  const pid_t creator = fork();
  if (creator == 0) _exit(run(with({"create", "--bundle", t, "--console-socket", sock, "c1"})));
  UniqueFd conn(accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
  ASSERT_TRUE(conn.valid());
  UniqueFd master(receive_fd(conn.get()));
  ASSERT_TRUE(master.valid());
  EXPECT_TRUE(isatty(master.get()));
  int status = 0;
  waitpid(creator, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);

  ASSERT_EQ(run(with({"start", "c1"})), 0);
  std::string out;
  for (int i = 0; i < 100 && out.find("tty") == std::string::npos; ++i) {
    pollfd p{master.get(), POLLIN, 0};
    if (poll(&p, 1, 50) > 0 && (p.revents & POLLIN)) {
      char buf[256];
      const ssize_t n = read(master.get(), buf, sizeof buf);
      if (n > 0) out.append(buf, static_cast<size_t>(n));
    }
  }
  EXPECT_NE(out.find("on-a-tty"), std::string::npos) << out;
  EXPECT_NE(out.find("size 33 121"), std::string::npos) << "process.consoleSize not applied: " << out;
  EXPECT_EQ(run(with({"delete", "--force", "c1"})), 0);
  std::system(("rm -rf " + t).c_str());
}

}  // namespace
}  // namespace edgeward::oci
