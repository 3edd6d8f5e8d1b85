#include "runtime/sandbox/capabilities.h"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace edgeward::sandbox {
namespace {

bool capset_raw(uint64_t effective, uint64_t permitted, uint64_t inheritable) {
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  for (int i = 0; i < 2; ++i) {
    data[i].effective = static_cast<uint32_t>(effective >> (32 * i));
    data[i].permitted = static_cast<uint32_t>(permitted >> (32 * i));
    data[i].inheritable = static_cast<uint32_t>(inheritable >> (32 * i));
  }
  return syscall(SYS_capset, &hdr, data) == 0;
}

}  // namespace

bool limit_bounding_set(uint64_t keep) {
  for (int cap = 0; cap <= 63; ++cap) {
    if (keep & (1ull << cap)) continue;
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) return false;  // EINVAL: unknown to this kernel
  }
  return true;
}

bool drop_all_capabilities() {
  return limit_bounding_set(0) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == 0 && capset_raw(0, 0, 0);
}

bool set_capabilities(const CapSets& c) {
  if (!capset_raw(c.effective, c.permitted, c.inheritable)) return false;
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) return false;
  for (int cap = 0; cap <= 63; ++cap) {
    if ((c.ambient & (1ull << cap)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) != 0) return false;
  }
  return true;
}

}  // namespace edgeward::sandbox
