#include "runtime/sandbox/namespaces.h"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string_view>

#include "common/errno_error.h"
#include "runtime/sandbox/joined_mount.h"
#include "runtime/sandbox/joined_user.h"

namespace edgeward::sandbox {
namespace {

struct Kind {
  std::string_view oci;    // linux.namespaces[].type
  std::string_view proc;   // /proc/thread-self/ns/<name>
  int flag;
  const char* refusal;     // non-null: joining it is not supported, and why
};

constexpr Kind kKinds[] = {
    {"network", "net", CLONE_NEWNET, nullptr},
    {"ipc", "ipc", CLONE_NEWIPC, nullptr},
    {"uts", "uts", CLONE_NEWUTS, nullptr},
    {"cgroup", "cgroup", CLONE_NEWCGROUP, nullptr},
    {"pid", "pid", CLONE_NEWPID, nullptr},
    {"mount", "mnt", CLONE_NEWNS, nullptr},
    {"user", "user", CLONE_NEWUSER, nullptr},
    {"time", "time", 0x00000080 /* CLONE_NEWTIME */, "time namespaces are not supported: leave the entry out (the container keeps the host's clocks)"},
};

}  // namespace

Result<std::vector<std::pair<UniqueFd, int>>> namespaces_of(pid_t pid) {
  std::vector<std::pair<UniqueFd, int>> out;
  for (const char* name : {"ipc", "uts", "net", "cgroup", "pid", "mnt", "user"}) {
    const std::string path = "/proc/" + std::to_string(pid) + "/ns/" + name;
    struct stat theirs {}, ours {};
    if (stat(path.c_str(), &theirs) != 0) return errno_error("cannot find the sandbox's namespace " + path);
    if (stat(("/proc/self/ns/" + std::string(name)).c_str(), &ours) == 0 && ours.st_ino == theirs.st_ino &&
        ours.st_dev == theirs.st_dev) {
      continue;  // shared with the caller (e.g. the host's network): nothing to join
    }
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return errno_error("cannot open the sandbox's namespace " + path);
    const int type = ioctl(fd.get(), NS_GET_NSTYPE);
    if (type < 0) return errno_error("not a namespace: " + path);
    out.emplace_back(std::move(fd), type);
  }
  return out;
}

Result<NamespaceJoin> NamespaceJoin::open(const std::vector<JoinNamespace>& list) {
  NamespaceJoin join;
  for (const auto& ns : list) {
    const Kind* kind = nullptr;
    for (const auto& k : kKinds) kind = k.oci == ns.type ? &k : kind;
    if (!kind) return Error::invalid("linux.namespaces: unknown namespace type \"" + ns.type + "\"");
    const std::string what = ns.type + " namespace " + ns.path;
    if (kind->refusal) {
      return Error::unsupported("linux.namespaces: joining an existing " + what + " is not supported: " + kind->refusal);
    }
    if (join.flags_ & kind->flag) return Error::invalid("linux.namespaces: the " + ns.type + " namespace is listed twice");
    Entry e;
    e.flag = kind->flag;
    e.target.reset(::open(ns.path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!e.target.valid()) return errno_error("cannot open " + what);
    const int type = ioctl(e.target.get(), NS_GET_NSTYPE);
    if (type != kind->flag) {
      return Error::invalid("linux.namespaces: " + ns.path + " is not a " + ns.type + " namespace" +
                            (type < 0 ? " (not a namespace file at all)" : ""));
    }
    join.flags_ |= kind->flag;
    if (kind->flag == CLONE_NEWUSER) {  // entered by the helper that clones the jail, never here
      EW_ASSIGN(IdMaps maps, joinable_user_namespace(e.target.get(), ns.path));
      join.user_maps_ = std::move(maps);
      join.user_ = std::move(e.target);
      continue;
    }
    if (kind->flag == CLONE_NEWNS) {  // entered by the helper that clones the jail, never here
      EW_TRY(joinable_mount_namespace(e.target.get(), ns.path));
      join.mount_ = std::move(e.target);
      join.mount_path_ = ns.path;
      continue;
    }
    const std::string own = "/proc/thread-self/ns/" + std::string(kind->proc);
    e.own.reset(::open(own.c_str(), O_RDONLY | O_CLOEXEC));
    if (!e.own.valid()) return errno_error("cannot open " + own);
    join.entries_.push_back(std::move(e));
  }
  if (join.mount_.valid() && join.user_.valid()) {
    return Error::unsupported("linux.namespaces: joining the mount namespace " + join.mount_path_ +
                              " together with a user namespace is not supported: the container's root is built in "
                              "a joined mount namespace by host root, which has no say in that user namespace's "
                              "mounts; join only one of them");
  }
  return join;
}

edgeward::Status NamespaceJoin::enter() {
  for (const auto& e : entries_) {
    if (setns(e.target.get(), e.flag) != 0) {
      const Error err = errno_error("setns (join an existing namespace; edgeward must run as root for that)");
      leave();
      return err;
    }
    entered_ = true;
  }
  return {};
}

void NamespaceJoin::leave() {
  if (!entered_) return;
  for (const auto& e : entries_) (void)setns(e.own.get(), e.flag);
  entered_ = false;
}

}  // namespace edgeward::sandbox
