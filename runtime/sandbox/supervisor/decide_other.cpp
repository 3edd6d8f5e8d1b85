// Decisions on register-only syscalls: nothing is read from tracee memory, so nothing can race.
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <linux/mman.h>

#include "runtime/sandbox/supervisor/decide_path.h"

namespace edgeward::sandbox::other_calls {
namespace {

Verdict deny(int err, std::string detail) { return {Verdict::kDeny, err, std::move(detail)}; }

// socket: unix sockets, except when sharing the host's network namespace (its abstract unix
// sockets, e.g. a desktop bus, are then reachable and connect is not inspected; socketpair still
// works); TCP/UDP only when the policy allows the network; raw, packet, netlink never.
Verdict socket_call(CallContext& c) {
  const int domain = static_cast<int>(c.regs.args[0]);
  const int type = static_cast<int>(c.regs.args[1]) & 0xf;
  if (domain == AF_UNIX) {
    if (c.host_network) return deny(EACCES, "unix socket while sharing the host's network namespace");
    return {};
  }
  if (domain == AF_INET || domain == AF_INET6) {
    if (type == SOCK_RAW) return deny(EPERM, "raw socket");
    if (!c.policy.network) return deny(EACCES, "network socket (network not allowed)");
    if (type == SOCK_STREAM || type == SOCK_DGRAM) return {};
    return deny(EPERM, "socket type " + std::to_string(type));
  }
  return deny(EAFNOSUPPORT, "socket family " + std::to_string(domain));
}

constexpr std::array<uint64_t, 13> kHarmlessPrctl{
    PR_SET_NAME, PR_GET_NAME, PR_SET_PDEATHSIG, PR_GET_PDEATHSIG, PR_GET_DUMPABLE, PR_SET_NO_NEW_PRIVS,
    PR_GET_NO_NEW_PRIVS, PR_CAPBSET_READ, PR_GET_SECCOMP, PR_GET_TIMERSLACK, PR_SET_TIMERSLACK,
    PR_SET_CHILD_SUBREAPER, PR_GET_CHILD_SUBREAPER};
constexpr uint64_t kPrSetVma = 0x53564d41;  // naming anonymous mappings

Verdict prctl_call(CallContext& c) {
  const uint64_t option = c.regs.args[0] & 0xffffffff;
  if (option == kPrSetVma || std::find(kHarmlessPrctl.begin(), kHarmlessPrctl.end(), option) != kHarmlessPrctl.end()) {
    return {};
  }
  return deny(EPERM, "prctl option " + std::to_string(option));
}

Verdict personality_call(CallContext& c) {
  const uint64_t persona = c.regs.args[0] & 0xffffffff;
  if (persona == 0xffffffff || persona == PER_LINUX) return {};
  return deny(EPERM, "personality " + std::to_string(persona));
}

// Only reached for clone with namespace flags (the filter lets the rest through).
Verdict clone_call(CallContext&) { return deny(EPERM, "clone with namespace flags"); }

uint64_t page_up(uint64_t len) { return (len + 4095) & ~uint64_t{4095}; }

Verdict guard_range(CallContext& c, uint64_t addr, uint64_t len, const char* what) {
  if (c.touches_scratch(addr, page_up(len))) return deny(EPERM, std::string(what) + " over the scratch pages");
  return {};
}

Verdict mmap_call(CallContext& c) {
  if (!(c.regs.args[3] & MAP_FIXED)) return {};
  return guard_range(c, c.regs.args[0], c.regs.args[1], "mmap(MAP_FIXED)");
}
Verdict munmap_call(CallContext& c) { return guard_range(c, c.regs.args[0], c.regs.args[1], "munmap"); }
Verdict mprotect_call(CallContext& c) { return guard_range(c, c.regs.args[0], c.regs.args[1], "mprotect"); }
Verdict mremap_call(CallContext& c) {
  Verdict v = guard_range(c, c.regs.args[0], c.regs.args[1], "mremap");
  if (v.kind != Verdict::kAllow) return v;
  if (c.regs.args[3] & (MREMAP_FIXED | MREMAP_DONTUNMAP)) return guard_range(c, c.regs.args[4], c.regs.args[2], "mremap");
  return {};
}

constexpr std::array kEntries{
    DecisionEntry{"socket", &socket_call},     DecisionEntry{"prctl", &prctl_call},
    DecisionEntry{"personality", &personality_call}, DecisionEntry{"clone", &clone_call},
    DecisionEntry{"mmap", &mmap_call},         DecisionEntry{"munmap", &munmap_call},
    DecisionEntry{"mprotect", &mprotect_call}, DecisionEntry{"pkey_mprotect", &mprotect_call},
    DecisionEntry{"mremap", &mremap_call},
};

}  // namespace

std::span<const DecisionEntry> entries() { return kEntries; }

}  // namespace edgeward::sandbox::other_calls
