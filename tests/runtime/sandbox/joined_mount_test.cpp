// Joining an existing mount namespace (joined_mount.h): refusals first (the host's, edgeward's
// own, one owned by another user namespace), then a real run whose root is built in a mount
// namespace made here.
#include "runtime/sandbox/joined_mount.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/sandbox/namespaces.h"
#include "tests/runtime/sandbox/sandbox_env.h"

namespace edgeward::sandbox {
namespace {

std::string ns_link(const std::string& path) {
  char buf[64] = {};
  return readlink(path.c_str(), buf, sizeof buf - 1) > 0 ? buf : "";
}

// qemu-user (the aarch64 unit tests) does not pass the namespace ioctls on: every namespace
// file then reads as "not a namespace file at all".
bool nsfs_answers() {
  const int fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
  const bool ok = fd >= 0 && ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWNS;
  if (fd >= 0) close(fd);
  return ok;
}
#define EW_SKIP_WITHOUT_NSFS() \
  if (!nsfs_answers()) GTEST_SKIP() << "namespace files cannot be asked their type here (qemu-user)"

std::string refusal(const std::string& path) {
  auto join = NamespaceJoin::open({{"mount", path}});
  return join ? "" : join.error().message;
}

// A process holding namespaces made with `flags` (not this process's child: the supervisor waits
// for every child it has); killed when the test ends.
class Holder {
 public:
  explicit Holder(int flags) {
    int ready[2];
    if (pipe(ready) != 0) return;
    const pid_t middle = fork();
    if (middle == 0) {
      if (fork() != 0) _exit(0);
      if (unshare(flags) != 0) _exit(1);
      if ((flags & CLONE_NEWNS) && mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) _exit(1);
      const pid_t self = getpid();
      if (write(ready[1], &self, sizeof self) != sizeof self) _exit(1);
      pause();
      _exit(0);
    }
    waitpid(middle, nullptr, 0);
    close(ready[1]);
    if (read(ready[0], &pid_, sizeof pid_) != sizeof pid_) pid_ = 0;
    close(ready[0]);
  }
  ~Holder() {
    if (pid_ > 0) kill(pid_, SIGKILL);
  }
  pid_t pid() const { return pid_; }
  std::string ns(const char* name) const { return "/proc/" + std::to_string(pid_) + "/ns/" + name; }

 private:
  pid_t pid_ = 0;
};

// pid 1's namespace files may be unreadable (a protected init); kthreadd's (pid 2) are the
// initial ones too.
std::string initial_mount_namespace() {
  const int fd = open("/proc/1/ns/mnt", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "/proc/2/ns/mnt";
  close(fd);
  return "/proc/1/ns/mnt";
}

TEST(JoinedMount, RefusesTheHostsInitialMountNamespace) {
  EW_SKIP_WITHOUT_NSFS();
  const std::string path = initial_mount_namespace();
  const std::string error = refusal(path);
  if (geteuid() != 0) {
    EXPECT_NE(error.find("needs edgeward to run as root"), std::string::npos) << error;
    return;
  }
  EXPECT_NE(error.find("the mount namespace " + path + " may not be joined: it is the host's initial mount namespace"),
            std::string::npos)
      << error;
}

TEST(JoinedMount, RefusesEdgewardsOwnMountNamespace) {
  EW_SKIP_WITHOUT_NSFS();
  if (geteuid() != 0) GTEST_SKIP() << "a mount namespace of its own needs root";
  const pid_t child = fork();
  if (child == 0) {  // a mount namespace of its own, so it is not the host's initial one
    if (unshare(CLONE_NEWNS) != 0) _exit(2);
    _exit(refusal("/proc/self/ns/mnt").find("it is edgeward's own mount namespace") != std::string::npos ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
}

TEST(JoinedMount, RefusesOneOwnedByAnotherUserNamespace) {
  EW_SKIP_WITHOUT_NSFS();
  if (geteuid() != 0) GTEST_SKIP() << "joining a mount namespace needs root";
  Holder other(CLONE_NEWUSER | CLONE_NEWNS);
  ASSERT_GT(other.pid(), 0);
  const std::string error = refusal(other.ns("mnt"));
  EXPECT_NE(error.find("is owned by another user namespace than the host's"), std::string::npos) << error;
}

// The workload runs in the joined namespace with its own rootfs and /proc, and the namespace's
// holder then has the container's root (pivot_root moved it, as under runc).
TEST(JoinedMount, BuildsTheRootInTheJoinedNamespace) {
  EW_SKIP_WITHOUT_SANDBOX();
  if (geteuid() != 0) GTEST_SKIP() << "joining a mount namespace needs root";
  Holder holder(CLONE_NEWNS);
  ASSERT_GT(holder.pid(), 0);
  const std::string target = ns_link(holder.ns("mnt"));
  ASSERT_NE(target, ns_link("/proc/self/ns/mnt"));
  SandboxConfig c;
  c.rootfs = testing::rootfs();
  c.policy = testing::test_policy();
  // Its own pid namespace's /proc (pid 1 is the sandbox's init), its rootfs (busybox), no /work.
  c.argv = {"/bin/sh", "-c", "[ -x /bin/busybox ] && [ -d /proc/1 ] && [ ! -e /work ] && [ $(ls -d /proc/[0-9]* | wc -l) -le 8 ] && exit 7; exit 3"};
  c.join_namespaces = {{"mount", holder.ns("mnt")}};
  std::string seen;
  c.on_spawned = [&](pid_t p) { seen = ns_link("/proc/" + std::to_string(p) + "/ns/mnt"); };
  auto r = run_sandbox(c);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 7) << "the workload did not see its own root and /proc";
  EXPECT_EQ(seen, target);
  struct stat st {};
  EXPECT_EQ(stat(("/proc/" + std::to_string(holder.pid()) + "/root/bin/busybox").c_str(), &st), 0)
      << "the holder's root was not moved to the container's";
}

}  // namespace
}  // namespace edgeward::sandbox
