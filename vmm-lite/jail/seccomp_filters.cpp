#include "vmm-lite/jail/seccomp_filters.h"

#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/errno_error.h"
#include "vmm-lite/jail/seccomp_programs.h"

namespace edgeward::vmm::jail {

std::span<const sock_filter> program(Role role) { return generated::program(role); }

Status install(std::span<const sock_filter> program) {
  if (program.empty()) return Error::internal("no seccomp program for this thread role");
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno_error("setting no_new_privs");
  sock_fprog prog{static_cast<unsigned short>(program.size()), const_cast<sock_filter*>(program.data())};
  // No TSYNC: the filter is this thread's alone (each thread role has its own).
  if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) return errno_error("installing the seccomp filter");
  return {};
}

Status jail_current_thread(Role role) { return install(program(role)); }

}  // namespace edgeward::vmm::jail
