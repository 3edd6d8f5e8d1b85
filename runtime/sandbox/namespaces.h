// Joining existing namespaces (OCI linux.namespaces[].path, e.g. the pod sandbox's network, IPC
// and UTS namespaces that containerd gives every app container of a pod). The files are opened
// and checked up front; the sandbox's clone then happens with the calling thread inside them
// (setns needs the caller's privileges, which the jail, in its own user namespace, no longer has)
// and the thread goes back to its own namespaces right after.
//
// Joinable: network, ipc, uts, cgroup. Refused with the reason: pid (the sandbox's init must be
// pid 1 of its own pid namespace), mount (the jail builds its own from the rootfs), user (the
// sandbox makes its own user namespace), time.
#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"

namespace edgeward::sandbox {

struct JoinNamespace {
  std::string type;  // OCI name: network, ipc, uts, cgroup
  std::string path;  // e.g. /proc/1234/ns/ipc or /run/netns/cni-1
};

// The namespaces of a running sandbox's process `pid` that differ from the caller's, in the order
// to join them (the user namespace last), as (descriptor, CLONE_NEW* type): for entering it
// (jail.h's enter mode).
Result<std::vector<std::pair<UniqueFd, int>>> namespaces_of(pid_t pid);

class NamespaceJoin {
 public:
  // Opens and checks every namespace file (it must be a namespace of that type). Errors name the
  // entry: "linux.namespaces: joining an existing pid namespace (/proc/9/ns/pid) is not
  // supported: ..." or "cannot open ipc namespace /proc/9/ns/ipc: No such file or directory".
  static Result<NamespaceJoin> open(const std::vector<JoinNamespace>& list);

  NamespaceJoin(NamespaceJoin&&) = default;
  NamespaceJoin& operator=(NamespaceJoin&&) = default;
  ~NamespaceJoin() { leave(); }

  // CLONE_NEW* flags of the joined namespaces: the sandbox must not create these.
  int flags() const { return flags_; }
  bool joins(int clone_flag) const { return (flags_ & clone_flag) != 0; }

  // Moves the calling thread into the namespaces (its own are kept open to come back to).
  edgeward::Status enter();
  // Back to the thread's own namespaces; a no-op when not entered.
  void leave();

 private:
  NamespaceJoin() = default;
  struct Entry {
    int flag = 0;
    UniqueFd target, own;
  };
  std::vector<Entry> entries_;
  int flags_ = 0;
  bool entered_ = false;
};

}  // namespace edgeward::sandbox
