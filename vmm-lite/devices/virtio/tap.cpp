#include "vmm-lite/devices/virtio/tap.h"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>

#include "common/errno_error.h"

namespace edgeward::vmm {

Result<UniqueFd> open_tap(const std::string& name) {
  if (name.empty() || name.size() >= IFNAMSIZ) {
    return Error::invalid("--net tap:NAME: '" + name + "' is not an interface name (1 to " +
                          std::to_string(IFNAMSIZ - 1) + " characters)");
  }
  // TUNSETIFF would create a missing interface (with CAP_NET_ADMIN) that nothing routes to and
  // that vanishes with the VMM: a missing one is an error instead.
  if (::if_nametoindex(name.c_str()) == 0) {
    return Error::not_found("TAP interface " + name + " does not exist: create and configure it first (ip tuntap add dev " +
                                           name + " mode tap user $USER; ip addr add ... dev " + name + "; ip link set " +
                                           name + " up)");
  }
  UniqueFd fd(::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) {
    return errno_error("opening /dev/net/tun for TAP " + name +
                       " (load the tun module: modprobe tun; in a container, pass /dev/net/tun)");
  }
  ifreq ifr{};
  std::memcpy(ifr.ifr_name, name.c_str(), name.size());
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  if (::ioctl(fd.get(), TUNSETIFF, &ifr) != 0) {
    const int err = errno;
    std::string hint = err == EPERM ? " (create it for this user first: ip tuntap add dev " + name +
                                          " mode tap user $USER, or run with CAP_NET_ADMIN)"
                     : err == EBUSY ? " (another process has it open, or it is a TUN, not a TAP, device)"
                                    : " (it is not a TAP interface: create one with ip tuntap add dev NAME mode tap)";
    return errno_error("attaching to TAP interface " + name + hint, err);
  }
  return fd;
}

}  // namespace edgeward::vmm
