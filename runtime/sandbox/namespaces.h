// Joining existing namespaces (OCI linux.namespaces[].path, e.g. the pod sandbox's network, IPC
// and UTS namespaces that containerd gives every app container of a pod). The files are opened
// and checked up front; the sandbox's clone then happens with the calling thread inside them
// (setns needs the caller's privileges, which the jail, in its own user namespace, no longer has)
// and the thread goes back to its own namespaces right after.
//
// Joinable: network, ipc, uts, cgroup, pid (the sandbox's init is then not pid 1: init.h's
// kJoinedFlag; its /proc is made by the supervisor: joined_proc.h), user when it holds no host
// root (joined_user.h), mount when it is owned by the host's user namespace and is neither the
// host's initial one nor edgeward's own (joined_mount.h: the container's root is built there by
// a builder of the supervisor's). The user and mount namespaces are entered by a helper that
// clones the jail, not by the calling thread (a thread cannot leave a user namespace, nor enter
// a mount namespace while it shares its process's file-system context). Refused with the reason:
// a mount namespace together with a user namespace, time.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"
#include "runtime/sandbox/identity.h"

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
  // entry: "linux.namespaces: joining an existing time namespace /proc/9/ns/time is not
  // supported: ..." or "cannot open ipc namespace /proc/9/ns/ipc: No such file or directory".
  static Result<NamespaceJoin> open(const std::vector<JoinNamespace>& list);

  NamespaceJoin(NamespaceJoin&&) = default;
  NamespaceJoin& operator=(NamespaceJoin&&) = default;
  ~NamespaceJoin() { leave(); }

  // CLONE_NEW* flags of the joined namespaces: the sandbox must not create these.
  int flags() const { return flags_; }
  bool joins(int clone_flag) const { return (flags_ & clone_flag) != 0; }

  // A joined user namespace: its descriptor (-1: none) and id maps (joined_user.h).
  int user_fd() const { return user_.get(); }
  const std::optional<IdMaps>& user_maps() const { return user_maps_; }
  // A joined mount namespace: its descriptor (-1: none).
  int mount_fd() const { return mount_.get(); }

  // Moves the calling thread into the namespaces but the user and mount ones (its own are kept
  // open to come back to).
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
  UniqueFd user_, mount_;
  std::string mount_path_;
  std::optional<IdMaps> user_maps_;
  int flags_ = 0;
  bool entered_ = false;
};

}  // namespace edgeward::sandbox
