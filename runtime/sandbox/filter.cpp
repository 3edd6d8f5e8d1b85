#include "runtime/sandbox/filter.h"

#include <sched.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include <cstring>
#include <string>

#include "common/unique_fd.h"

namespace edgeward::sandbox {
namespace {

constexpr uint64_t kNamespaceFlags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |
                                     CLONE_NEWNET | CLONE_NEWCGROUP;

Error rule_error(const std::string& name, int rc) {
  return Error::internal("seccomp rule for " + name + " could not be added: " + std::strerror(-rc));
}

uint32_t to_scmp(const SyscallRule& r) {
  switch (r.action) {
    case Action::kAllow: return SCMP_ACT_ALLOW;
    // Denials also stop in the supervisor (they are rare), which applies the errno and reports
    // them; without a tracer a traced call fails with ENOSYS, so this fails closed.
    case Action::kTrace:
    case Action::kDeny: return SCMP_ACT_TRACE(kTraceData);
    case Action::kKill: return SCMP_ACT_KILL_PROCESS;
  }
  return SCMP_ACT_KILL_PROCESS;
}

// Invariants, whatever the policy says (each only narrows an "allow"):
//  - clone with namespace flags goes to the supervisor (which refuses it): new namespaces would
//    give the workload capabilities over fresh mount/user namespaces;
//  - mmap with MAP_FIXED goes to the supervisor: it could replace the read-only scratch pages
//    that make path checks race-free (docs/sandbox.md, "TOCTOU");
//  - ioctl TIOCSTI / TIOCLINUX fail: typing into a terminal outside the sandbox. The kernel
//    reads the command as 32 bits, so only the low 32 bits are compared.
Status add_guarded(scmp_filter_ctx ctx, int nr, const SyscallRule& r, bool& handled) {
  handled = true;
  const uint32_t trace = SCMP_ACT_TRACE(kTraceData);
  int rc = 0;
  if (r.name == "clone") {
    rc = seccomp_rule_add(ctx, to_scmp(r), nr, 1, SCMP_A0(SCMP_CMP_MASKED_EQ, kNamespaceFlags, 0));
    for (uint64_t bit = 1; rc == 0 && bit != 0; bit <<= 1) {
      if (kNamespaceFlags & bit) rc = seccomp_rule_add(ctx, trace, nr, 1, SCMP_A0(SCMP_CMP_MASKED_EQ, bit, bit));
    }
  } else if (r.name == "mmap") {
    rc = seccomp_rule_add(ctx, to_scmp(r), nr, 1, SCMP_A3(SCMP_CMP_MASKED_EQ, MAP_FIXED, 0));
    if (rc == 0) rc = seccomp_rule_add(ctx, trace, nr, 1, SCMP_A3(SCMP_CMP_MASKED_EQ, MAP_FIXED, MAP_FIXED));
  } else if (r.name == "ioctl") {
    // libseccomp orders a call's conditional rules before its unconditional one.
    for (uint64_t cmd : {static_cast<uint64_t>(TIOCSTI), static_cast<uint64_t>(TIOCLINUX)}) {
      if (rc == 0) rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 1, SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffULL, cmd));
    }
    if (rc == 0) rc = seccomp_rule_add(ctx, to_scmp(r), nr, 0);
  } else {
    handled = false;
  }
  if (rc != 0) return rule_error(r.name, rc);
  return {};
}

// A traced sendto without a destination (the common case: a connected socket) needs no
// decision: it runs at kernel speed, and only calls naming an address stop in the supervisor.
Status add_trace_narrowed(scmp_filter_ctx ctx, int nr, const SyscallRule& r, bool& handled) {
  handled = r.name == "sendto";
  if (!handled) return {};
  int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A4(SCMP_CMP_EQ, 0));
  if (rc == 0) rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(kTraceData), nr, 1, SCMP_A4(SCMP_CMP_NE, 0));
  if (rc != 0) return rule_error(r.name, rc);
  return {};
}

}  // namespace

Status Filter::load(bool no_new_privs) const {
  if (!notify_bpf_.empty()) {
    const sock_fprog prog{static_cast<unsigned short>(notify_bpf_.size()), const_cast<sock_filter*>(notify_bpf_.data())};
    // The listener it returns is close-on-exec; the supervisor takes its own copy.
    long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                      SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, &prog);
    if (fd < 0 && errno == EINVAL) fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
    if (fd < 0) return Error::internal(std::string("seccomp(SET_MODE_FILTER, NEW_LISTENER) failed: ") + std::strerror(errno));
    return {};
  }
  if (seccomp_attr_set(ctx_, SCMP_FLTATR_CTL_NNP, no_new_privs ? 1 : 0) != 0) {
    return Error::internal("seccomp: cannot set the no_new_privs attribute");
  }
  const int rc = seccomp_load(ctx_);
  if (rc != 0) return Error::internal(std::string("seccomp_load failed: ") + std::strerror(-rc));
  return {};
}

Status Filter::prepare_notify() {
  UniqueFd mem(memfd_create("edgeward-filter", MFD_CLOEXEC));
  if (!mem.valid()) return Error::io(std::string("memfd_create: ") + std::strerror(errno));
  const int rc = seccomp_export_bpf(ctx_, mem.get());
  if (rc != 0) return Error::internal(std::string("seccomp_export_bpf failed: ") + std::strerror(-rc));
  const off_t size = lseek(mem.get(), 0, SEEK_END);
  if (size <= 0 || size % static_cast<off_t>(sizeof(sock_filter)) != 0 || size / static_cast<off_t>(sizeof(sock_filter)) > BPF_MAXINSNS) {
    return Error::internal("seccomp_export_bpf wrote an unusable program (" + std::to_string(size) + " bytes)");
  }
  notify_bpf_.resize(static_cast<size_t>(size) / sizeof(sock_filter));
  if (pread(mem.get(), notify_bpf_.data(), static_cast<size_t>(size), 0) != size) {
    notify_bpf_.clear();
    return Error::io(std::string("reading the exported filter: ") + std::strerror(errno));
  }
  return {};
}

bool user_notify_supported() {
  utsname u{};
  if (uname(&u) != 0) return false;
  unsigned major = 0, minor = 0;
  if (std::sscanf(u.release, "%u.%u", &major, &minor) != 2) return false;
  return seccomp_api_get() >= 5 && (major > 5 || (major == 5 && minor >= 14));
}

Result<Filter> build_filter(const Policy& policy, const std::function<bool(std::string_view)>& has_decision,
                            const std::function<bool(std::string_view)>& notify) {
  scmp_filter_ctx raw = seccomp_init(SCMP_ACT_KILL_PROCESS);
  if (!raw) return Error::unsupported("libseccomp cannot initialise: this kernel (or emulator) offers no seccomp filters");
  Filter filter(raw);
  // Only the native ABI: x32 (on x86_64) and int 0x80 / compat calls arrive with another
  // AUDIT_ARCH or the x32 bit and take the bad-arch action.
  if (seccomp_attr_set(raw, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) != 0) {
    return Error::internal("seccomp: cannot set the bad-arch action");
  }
  // A binary tree of syscall numbers instead of a linear chain (libseccomp >= 2.5); calls
  // whose action never depends on arguments are also cached by the kernel (no BPF run at all).
  (void)seccomp_attr_set(raw, SCMP_FLTATR_CTL_OPTIMIZE, 2);
  for (const auto& r : policy.syscalls) {
    const int nr = seccomp_syscall_resolve_name(r.name.c_str());
    if (nr == __NR_SCMP_ERROR) continue;  // not a syscall on this arch (e.g. open on arm64)
    if (nr < 0) continue;                 // a libseccomp pseudo number: absent on this arch
    if (r.action == Action::kTrace && !has_decision(r.name)) {
      return Error::invalid("policy " + policy.name + ": syscall " + r.name +
                            " has action \"trace\" but the supervisor has no decision for it; use allow, deny or kill");
    }
    bool handled = false;
    if (r.action == Action::kAllow) EW_TRY(add_guarded(raw, nr, r, handled));
    if (r.action == Action::kTrace) EW_TRY(add_trace_narrowed(raw, nr, r, handled));
    if (handled) continue;
    const uint32_t action = r.action == Action::kTrace && notify && notify(r.name) ? SCMP_ACT_NOTIFY : to_scmp(r);
    const int rc = seccomp_rule_add(raw, action, nr, 0);
    if (rc != 0) return rule_error(r.name, rc);
  }
  if (notify) EW_TRY(filter.prepare_notify());
  return filter;
}

}  // namespace edgeward::sandbox
