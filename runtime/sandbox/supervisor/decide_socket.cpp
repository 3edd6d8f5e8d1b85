// Decisions on calls that carry a socket address (connect, bind, sendto with an address,
// sendmsg, sendmmsg): the address is copied out once, checked against the policy (inet only
// with the network allowed; unix path sockets only at writable paths, by their canonical
// path; abstract unix names only in the sandbox's own network namespace) and the call is
// re-pointed at a pinned copy in the task's read-only scratch region, so that another thread
// rewriting the address after the check changes nothing.
#include <fcntl.h>
#include <seccomp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstring>

#include "runtime/sandbox/supervisor/decide_path.h"

namespace edgeward::sandbox::socket_calls {
namespace {

constexpr size_t kMaxAddr = sizeof(sockaddr_storage);
// Slot 1 of the scratch region: the pinned header first, then its address.
constexpr size_t kAddrsAt = 64;
static_assert(sizeof(msghdr) <= kAddrsAt && kAddrsAt + kMaxAddr <= kMaxPath + 1);

Verdict deny(int err, std::string detail) { return {Verdict::kDeny, err, std::move(detail)}; }
Verdict fail(int err) { return {Verdict::kDeny, err, "", false}; }

// Checks the address at `addr` (`len` bytes) and writes the copy to pin into `out` (same length,
// or shorter for a unix path made canonical). `binding`: bind() creates the socket file.
Verdict check_address(CallContext& c, uint64_t addr, uint64_t len, bool binding, sockaddr_storage& out, socklen_t& out_len) {
  if (len < sizeof(sa_family_t) || len > kMaxAddr) return fail(EINVAL);
  std::memset(&out, 0, sizeof out);
  if (!c.task.read(addr, &out, len)) return fail(EFAULT);
  out_len = static_cast<socklen_t>(len);
  switch (out.ss_family) {
    case AF_UNSPEC:
      return {};  // connect(AF_UNSPEC) dissolves an association
    case AF_INET:
    case AF_INET6:
      if (!c.policy.network) return deny(EACCES, "network address (network not allowed)");
      return {};
    case AF_UNIX:
      break;
    default:
      return deny(EAFNOSUPPORT, "address family " + std::to_string(out.ss_family));
  }
  auto& un = reinterpret_cast<sockaddr_un&>(out);
  const size_t path_len = len - offsetof(sockaddr_un, sun_path);
  if (path_len == 0) return {};  // unnamed: autobind to an abstract name
  if (un.sun_path[0] == '\0') {
    if (c.host_network) return deny(EACCES, "abstract unix socket in the host's network namespace");
    return {};
  }
  const std::string path(un.sun_path, strnlen(un.sun_path, path_len));
  auto canonical = c.task.canonical(AT_FDCWD, path, !binding);
  if (!canonical) return fail(errno_of(canonical.error()));
  // Connecting to or sending to a unix socket needs write permission on it; binding creates it.
  if (!c.policy.may_write(*canonical)) return deny(c.policy.may_read(*canonical) ? EROFS : EACCES, *canonical);
  if (canonical->size() >= sizeof un.sun_path) return fail(ENAMETOOLONG);
  std::memset(un.sun_path, 0, sizeof un.sun_path);
  std::memcpy(un.sun_path, canonical->data(), canonical->size());
  out_len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + canonical->size() + 1);
  return {};
}

uint64_t slot(const CallContext& c) { return c.task.scratch + kScratchSlot[1]; }

// connect(fd, addr, len) / bind(fd, addr, len), and sendto(fd, buf, len, flags, addr, len)
// (the filter sends only sendto calls that name an address here).
template <int AddrArg, int LenArg, bool Binding>
Verdict address_call(CallContext& c) {
  if (c.regs.args[AddrArg] == 0 && AddrArg == 4) return {};
  if (!c.task.scratch) return {Verdict::kNeedScratch};
  sockaddr_storage a;
  socklen_t n = 0;
  Verdict v = check_address(c, c.regs.args[AddrArg], c.regs.args[LenArg], Binding, a, n);
  if (v.kind != Verdict::kAllow) return v;
  if (!c.task.write(slot(c), &a, n)) return {Verdict::kKill, 0, "scratch write failed"};
  c.regs.args[AddrArg] = slot(c);
  c.regs.args[LenArg] = n;
  return {};
}

// One msghdr's destination: checked, and pinned at `at` in the scratch region (the header itself
// is pinned by the caller). The data and control buffers stay the task's: only the
// destination is policy.
Verdict pin_message(CallContext& c, msghdr& m, uint64_t at) {
  if (m.msg_name && m.msg_namelen) {
    sockaddr_storage a;
    socklen_t n = 0;
    Verdict v = check_address(c, reinterpret_cast<uint64_t>(m.msg_name), m.msg_namelen, false, a, n);
    if (v.kind != Verdict::kAllow) return v;
    if (!c.task.write(at, &a, n)) return {Verdict::kKill, 0, "scratch write failed"};
    m.msg_name = reinterpret_cast<void*>(at);
    m.msg_namelen = n;
  } else {
    m.msg_name = nullptr;
    m.msg_namelen = 0;
  }
  return {};
}

Verdict sendmsg_call(CallContext& c) {
  if (!c.task.scratch) return {Verdict::kNeedScratch};
  msghdr m{};
  if (!c.task.read(c.regs.args[1], &m, sizeof m)) return fail(EFAULT);
  Verdict v = pin_message(c, m, slot(c) + kAddrsAt);
  if (v.kind != Verdict::kAllow) return v;
  if (!c.task.write(slot(c), &m, sizeof m)) return {Verdict::kKill, 0, "scratch write failed"};
  c.regs.args[1] = slot(c);
  return {};
}

// sendmmsg(fd, vec, vlen, flags) becomes sendmsg(fd, pinned copy of vec[0], flags): the kernel
// writes each msg_len back into the header array, which a pinned (read-only) copy cannot take,
// so one message is sent per call (callers handle partial batches: the result is a count). At
// the call's exit the supervisor turns the byte count into vec[0].msg_len and a result of 1
// (Supervisor::finish_copy_back).
Verdict sendmmsg_call(CallContext& c) {
  if ((c.regs.args[2] & 0xffffffff) == 0) return {};  // nothing to send: returns 0
  if (!c.task.scratch) return {Verdict::kNeedScratch};
  static const int sendmsg_nr = seccomp_syscall_resolve_name("sendmsg");
  mmsghdr first{};
  if (!c.task.read(c.regs.args[1], &first, sizeof first)) return fail(EFAULT);
  Verdict v = pin_message(c, first.msg_hdr, slot(c) + kAddrsAt);
  if (v.kind != Verdict::kAllow) return v;
  if (!c.task.write(slot(c), &first.msg_hdr, sizeof first.msg_hdr)) return {Verdict::kKill, 0, "scratch write failed"};
  c.task.copy_back_to = c.regs.args[1];
  c.task.copy_back_count = 1;
  c.regs.nr = sendmsg_nr;
  c.regs.args[1] = slot(c);
  c.regs.args[2] = c.regs.args[3];  // flags
  return {};
}

constexpr std::array kEntries{
    DecisionEntry{"connect", &address_call<1, 2, false>}, DecisionEntry{"bind", &address_call<1, 2, true>},
    DecisionEntry{"sendto", &address_call<4, 5, false>},  DecisionEntry{"sendmsg", &sendmsg_call},
    DecisionEntry{"sendmmsg", &sendmmsg_call},
};

}  // namespace

std::span<const DecisionEntry> entries() { return kEntries; }

}  // namespace edgeward::sandbox::socket_calls
