// open_tap: refusals name the interface and say what to do; an existing TAP (created by the
// test inside its own network namespace, never on the host's interfaces) opens non-blocking.
#include "vmm-lite/devices/virtio/tap.h"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>

namespace edgeward::vmm {
namespace {

TEST(Tap, AMissingInterfaceIsNamedWithHowToCreateIt) {
  auto r = open_tap("ew-missing9");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("ew-missing9"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("ip tuntap add dev ew-missing9 mode tap"), std::string::npos) << r.error().message;
}

TEST(Tap, RefusesNamesTheKernelCannotHold) {
  EXPECT_FALSE(open_tap("").ok());
  auto r = open_tap(std::string(IFNAMSIZ, 'x'));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not an interface name"), std::string::npos) << r.error().message;
}

TEST(Tap, AnInterfaceThatIsNotATapIsRefused) {
  auto r = open_tap("lo");  // exists in every network namespace, is no TAP
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("TAP interface lo"), std::string::npos) << r.error().message;
}

// In a child in a new network namespace: creates a persistent TAP the way `ip tuntap add` does,
// then opens it. Exit 77 when namespaces or /dev/net/tun are not available here.
int open_existing_tap_in_namespace() {
  if (::unshare(CLONE_NEWNET) != 0) return 77;
  const int ctl = ::open("/dev/net/tun", O_RDWR | O_CLOEXEC);
  if (ctl < 0) return 77;
  ifreq ifr{};
  std::strcpy(ifr.ifr_name, "ewtest0");
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  if (::ioctl(ctl, TUNSETIFF, &ifr) != 0 || ::ioctl(ctl, TUNSETPERSIST, 1) != 0) return 77;
  ::close(ctl);
  auto tap = open_tap("ewtest0");
  if (!tap.ok()) return 1;
  const int flags = ::fcntl(tap->get(), F_GETFL);
  if (!(flags & O_NONBLOCK)) return 2;
  if (!(::fcntl(tap->get(), F_GETFD) & FD_CLOEXEC)) return 3;
  if (open_tap("ewtest0").ok()) return 4;  // single-queue TAP: a second VMM is refused (EBUSY)
  return 0;
}

TEST(Tap, OpensAnExistingTapNonBlockingInsideATestNamespace) {
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) ::_exit(open_existing_tap_in_namespace());
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 77) GTEST_SKIP() << "no network namespace or /dev/net/tun here (needs root, not qemu-user)";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1 open failed, 2 blocking, 3 not close-on-exec, 4 opened twice";
}

}  // namespace
}  // namespace edgeward::vmm
