#include "runtime/sandbox/idmap_mount.h"

#include <fcntl.h>
#include <linux/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/errno_error.h"
#include "common/fd_passing.h"

namespace edgeward::sandbox {

Result<RootfsTree> rootfs_tree(const std::string& path, pid_t pid) {
  const std::string ns_path = "/proc/" + std::to_string(pid) + "/ns/user";
  UniqueFd ns(open(ns_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!ns.valid()) return errno_error("open the sandbox's user namespace " + ns_path);
  UniqueFd tree(static_cast<int>(
      syscall(SYS_open_tree, AT_FDCWD, path.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE)));
  if (!tree.valid()) return errno_error("clone the mount tree of the rootfs " + path + " (open_tree)");
  mount_attr attr{};
  attr.attr_set = MOUNT_ATTR_IDMAP;
  attr.userns_fd = static_cast<uint64_t>(ns.get());
  if (syscall(SYS_mount_setattr, tree.get(), "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) != 0) {
    const int err = errno;
    // The documented fallback: a plain clone (idmap_mount.h).
    UniqueFd plain(static_cast<int>(
        syscall(SYS_open_tree, AT_FDCWD, path.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE)));
    if (!plain.valid()) return errno_error("clone the mount tree of the rootfs " + path + " (open_tree)");
    struct statfs sf {};
    char fs[48] = "";
    if (statfs(path.c_str(), &sf) == 0) std::snprintf(fs, sizeof fs, " (file system magic 0x%lx)", static_cast<unsigned long>(sf.f_type));
    return RootfsTree{std::move(plain), "the rootfs " + path + fs + " cannot be idmapped (mount_setattr MOUNT_ATTR_IDMAP): " +
                                            std::strerror(err)};
  }
  return RootfsTree{std::move(tree), ""};
}

bool send_go(int sock, int fd) {
  const char byte = 'g';
  return send_with_fd(sock, &byte, 1, fd) == 1;
}

int receive_go(int sock) {
  char byte = 0;
  iovec io{&byte, 1};
  msghdr msg{};
  msg.msg_iov = &io;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1) return -2;
  const cmsghdr* h = CMSG_FIRSTHDR(&msg);
  if (!h || h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS || h->cmsg_len != CMSG_LEN(sizeof(int))) return -1;
  int fd = -1;
  std::memcpy(&fd, CMSG_DATA(h), sizeof fd);
  return fd;
}

}  // namespace edgeward::sandbox
