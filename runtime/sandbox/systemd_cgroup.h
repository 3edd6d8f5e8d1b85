// systemd's form of an OCI linux.cgroupsPath, "slice:prefix:name" (what containerd and podman
// pass with --systemd-cgroup / cgroup_manager=systemd), turned into the cgroupfs path systemd
// gives that unit, as runc's systemd driver names it:
//
//   "system.slice:docker:abc"         -> "/system.slice/docker-abc.scope"
//   "kubepods-besteffort-pod1.slice:cri-containerd:abc"
//       -> "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1.slice/cri-containerd-abc.scope"
//   ":ctr:abc" (no slice)             -> "/system.slice/ctr-abc.scope"
//   "machine.slice::abc" (no prefix)  -> "/machine.slice/abc.scope"
//   "a.slice::b.slice" (a slice name) -> "/a.slice/b.slice"
//
// edgeward talks to no systemd (there may be none on an edge node): the groups are made
// directly in the cgroup file systems at that path (cgroup.h), which is where systemd would
// have put them, so the caller's accounting (kubelet, podman stats) finds them.
#pragma once

#include <string>

#include "common/result.h"

namespace edgeward::sandbox {

// Whether `path` has systemd's "slice:prefix:name" form (two colons).
bool is_systemd_cgroup_path(const std::string& path);

// The cgroupfs path. Errors (naming the part): not three parts, an empty name, a slice that
// does not end in ".slice" or has an empty "-" component, "/" or ".." anywhere.
Result<std::string> systemd_cgroup_path(const std::string& path);

}  // namespace edgeward::sandbox
