// virtio-net against a real TAP inside a network namespace the test creates (never the host's
// interfaces): the host side's UDP socket reaches the "guest" MAC through the device's receive
// queue (the kernel's ARP request for the guest address), and a UDP frame the "guest" transmits
// arrives at a host socket.
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>

#include "tests/vmm-lite/devices/virtio/virtqueue_rig.h"
#include "vmm-lite/devices/virtio/net.h"
#include "vmm-lite/devices/virtio/tap.h"

namespace edgeward::vmm {
namespace {

using R = test::VirtqueueRig;
constexpr uint32_t kHdr = VirtioNet::kHeaderBytes;

// Creates TAP ewnet0 with 10.77.0.1/24, up. False when this machine cannot.
bool make_tap_up() {
  const int ctl = ::open("/dev/net/tun", O_RDWR | O_CLOEXEC);
  if (ctl < 0) return false;
  ifreq ifr{};
  std::strcpy(ifr.ifr_name, "ewnet0");
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  if (::ioctl(ctl, TUNSETIFF, &ifr) != 0 || ::ioctl(ctl, TUNSETPERSIST, 1) != 0) return false;
  ::close(ctl);
  const int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  auto* sin = reinterpret_cast<sockaddr_in*>(&ifr.ifr_addr);
  sin->sin_family = AF_INET;
  ::inet_pton(AF_INET, "10.77.0.1", &sin->sin_addr);
  if (::ioctl(s, SIOCSIFADDR, &ifr) != 0) return false;
  ::inet_pton(AF_INET, "255.255.255.0", &sin->sin_addr);
  if (::ioctl(s, SIOCSIFNETMASK, &ifr) != 0) return false;
  if (::ioctl(s, SIOCGIFFLAGS, &ifr) != 0) return false;
  ifr.ifr_flags |= IFF_UP;
  if (::ioctl(s, SIOCSIFFLAGS, &ifr) != 0) return false;
  ::close(s);
  return true;
}

uint16_t ip_checksum(const uint8_t* p, size_t n) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < n; i += 2) sum += uint32_t{p[i]} << 8 | p[i + 1];
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

// The child's body; returns an exit code (77: skip).
int run() {
  if (::unshare(CLONE_NEWNET) != 0 || !make_tap_up()) return 77;
  auto tap = open_tap("ewnet0");
  if (!tap.ok()) return 10;
  const auto mac = VirtioNet::mac_from("ewnet0");
  VirtioNet net(tap->get(), mac);
  R rx, tx;

  // Receive: a datagram to 10.77.0.2 makes the kernel ask for that address on the TAP.
  const int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in guest{};
  guest.sin_family = AF_INET;
  guest.sin_port = htons(9);
  ::inet_pton(AF_INET, "10.77.0.2", &guest.sin_addr);
  (void)::sendto(s, "x", 1, 0, reinterpret_cast<sockaddr*>(&guest), sizeof guest);
  rx.desc(0, R::kBuffers, 1600, R::kWrite);
  rx.publish(0);
  bool got_arp = false;
  uint16_t seen = 0;  // used buffers looked at so far
  for (int i = 0; i < 200 && !got_arp; ++i) {
    ::usleep(10000);
    net.host_readable();
    if (!net.process_queue(VirtioNet::kReceiveQueue, rx.q, rx.mem).ok()) return 11;
    if (rx.used_idx() == seen) continue;
    seen = rx.used_idx();
    uint8_t f[kHdr + 42];
    if (!rx.mem.read(R::kBuffers, f).ok()) return 12;
    // Header: num_buffers 1, rest zero; then an ARP (0x0806) frame.
    if (f[10] != 1 || f[0] != 0 || f[1] != 0) return 13;
    if (f[kHdr + 12] == 0x08 && f[kHdr + 13] == 0x06) got_arp = true;
    else {  // something else (IPv6 noise): post the buffer again
      rx.desc(0, R::kBuffers, 1600, R::kWrite);
      rx.publish(0);
    }
  }
  if (!got_arp) return 14;

  // Transmit: an IPv4/UDP frame from 10.77.0.2 to a socket bound on 10.77.0.1:4000.
  const int listener = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in host{};
  host.sin_family = AF_INET;
  host.sin_port = htons(4000);
  ::inet_pton(AF_INET, "10.77.0.1", &host.sin_addr);
  if (::bind(listener, reinterpret_cast<sockaddr*>(&host), sizeof host) != 0) return 15;
  ifreq ifr{};
  std::strcpy(ifr.ifr_name, "ewnet0");
  if (::ioctl(s, SIOCGIFHWADDR, &ifr) != 0) return 16;
  uint8_t frame[kHdr + 14 + 20 + 8 + 5] = {};
  uint8_t* e = frame + kHdr;
  std::memcpy(e, ifr.ifr_hwaddr.sa_data, 6);
  std::memcpy(e + 6, mac.data(), 6);
  e[12] = 0x08;
  uint8_t* ip = e + 14;
  const uint8_t ip_hdr[20] = {0x45, 0, 0, 33, 0, 1, 0x40, 0, 64, 17, 0, 0, 10, 77, 0, 2, 10, 77, 0, 1};
  std::memcpy(ip, ip_hdr, 20);
  const uint16_t c = ip_checksum(ip, 20);
  ip[10] = static_cast<uint8_t>(c >> 8);
  ip[11] = static_cast<uint8_t>(c);
  const uint8_t udp[8] = {0x0f, 0xa0, 0x0f, 0xa0, 0, 13, 0, 0};  // 4000 -> 4000, no checksum
  std::memcpy(ip + 20, udp, 8);
  std::memcpy(ip + 28, "hello", 5);
  if (!tx.mem.write(R::kBuffers, frame).ok()) return 17;
  tx.desc(0, R::kBuffers, sizeof frame, 0);
  tx.publish(0);
  if (!net.process_queue(VirtioNet::kTransmitQueue, tx.q, tx.mem).ok()) return 18;
  char buf[16] = {};
  timeval tv{2, 0};
  ::setsockopt(listener, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::recv(listener, buf, sizeof buf, 0) != 5 || std::memcmp(buf, "hello", 5) != 0) return 19;
  return net.tx_dropped() == 0 ? 0 : 20;
}

TEST(NetTap, FramesCrossARealTapInATestNamespace) {
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) ::_exit(run());
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 77) GTEST_SKIP() << "no network namespace, /dev/net/tun or CAP_NET_ADMIN here";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "10 open_tap, 11-14 receive (14: no ARP reached the guest buffer), "
                                       "15-20 transmit (19: the host socket got nothing)";
}

}  // namespace
}  // namespace edgeward::vmm
