#include "runtime/sandbox/identity.h"

#include <grp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace edgeward::sandbox {
namespace {

bool write_proc(pid_t pid, const char* file, const std::string& text) {
  std::ofstream f("/proc/" + std::to_string(pid) + "/" + file);
  f << text;
  f.flush();
  return static_cast<bool>(f);
}

}  // namespace

edgeward::Status check_identity(const Identity& id) {
  if (id.mode == IdentityMode::kIdentity) {
    if (geteuid() != 0) {
      return Error::unsupported("process.user " + std::to_string(id.uid) + ":" + std::to_string(id.gid) +
                                " needs edgeward to run as root (only root may map more than its own ids)");
    }
    return {};
  }
  if (id.uid != 0 || id.gid != 0 || !id.additional_gids.empty()) {
    return Error::unsupported("the sandbox maps one id (0, the caller's own): process.user must be 0:0 without "
                              "additional groups unless edgeward runs as root");
  }
  return {};
}

edgeward::Status write_id_maps(pid_t pid, const Identity& id) {
  const bool identity = id.mode == IdentityMode::kIdentity;
  const std::string uid_map = identity ? "0 0 4294967295" : "0 " + std::to_string(geteuid()) + " 1";
  const std::string gid_map = identity ? "0 0 4294967295" : "0 " + std::to_string(getegid()) + " 1";
  // setgroups must be denied before an unprivileged gid_map write; with the identity map the
  // jail sets the additional groups itself.
  if ((!identity && !write_proc(pid, "setgroups", "deny")) || !write_proc(pid, "uid_map", uid_map) ||
      !write_proc(pid, "gid_map", gid_map)) {
    return Error::io("cannot write the sandbox's uid/gid maps: " + std::string(std::strerror(errno)));
  }
  return {};
}

uid_t host_uid(const Identity& id) { return id.mode == IdentityMode::kIdentity ? id.uid : geteuid(); }
gid_t host_gid(const Identity& id) { return id.mode == IdentityMode::kIdentity ? id.gid : getegid(); }

bool switch_identity(const Identity& id) {
  if (id.mode != IdentityMode::kIdentity) return true;
  std::vector<gid_t> groups(id.additional_gids.begin(), id.additional_gids.end());
  // Raw calls: the C library's wrappers would signal every thread (the jail has one).
  return syscall(SYS_setgroups, groups.size(), groups.data()) == 0 &&
         syscall(SYS_setresgid, id.gid, id.gid, id.gid) == 0 && syscall(SYS_setresuid, id.uid, id.uid, id.uid) == 0;
}

}  // namespace edgeward::sandbox
