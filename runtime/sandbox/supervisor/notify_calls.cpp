// Handlers of the calls answered through seccomp user notification: the open family and the
// stat family. The supervisor reads the path once, resolves and checks it, and then performs
// the call itself on the checked object (openat2 with RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS |
// RESOLVE_NO_MAGICLINKS on the canonical path) and hands the workload the result: the opened
// descriptor (SECCOMP_IOCTL_NOTIF_ADDFD) or the stat buffer. The kernel never reads the
// workload's copy of the path, so rewriting it from another thread changes nothing.
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <string>

#include "runtime/sandbox/supervisor/notify_call.h"

namespace edgeward::sandbox::notify_open_stat {
namespace {

constexpr uint32_t kOverflowId = 65534;

Answer fail(int err) { return answer_error(err); }
Answer fail(const Error& e) { return fail(errno_of(e)); }

bool is_tmpfile(uint64_t flags) { return (flags & O_TMPFILE) == O_TMPFILE; }

// open / openat / creat: checked and opened O_PATH first (no side effect: not a FIFO's other
// end, not a truncation), then, knowing what it is, opened for real on the same canonical path.
Answer open_common(NotifyCall& c, int dirfd_arg, int path_arg, uint64_t flags, uint64_t mode) {
  constexpr uint64_t kValid = O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC |
                              O_SYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC |
                              O_PATH | O_TMPFILE;
  const bool writes = (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC)) || is_tmpfile(flags);
  const bool creates = flags & O_CREAT;
  const bool follow = !(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL));
  auto raw = c.read_string(c.arg(path_arg));
  if (!raw) return fail(raw.error());
  if (raw->empty()) return fail(ENOENT);
  const int dirfd = c.dirfd_arg(dirfd_arg);

  open_how probe{};
  probe.flags = O_PATH | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW) | (flags & O_DIRECTORY);
  probe.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  std::string target;
  Answer denied;
  auto found = open_checked(c, dirfd, *raw, follow, writes, creates, probe, target, denied);
  if (!found && !denied.denied.empty()) return denied;
  if (!found && !(creates && errno_of(found.error()) == ENOENT && !target.empty())) return fail(found.error());

  open_how how{};
  how.flags = (flags & kValid) | O_CLOEXEC;  // the workload's own close-on-exec goes with ADDFD
  // The supervisor's thread has umask 0: the task's umask is applied here.
  if (creates || is_tmpfile(flags)) how.mode = mode & 07777 & ~c.umask();
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  Answer a;
  a.cloexec = flags & O_CLOEXEC;
  if (found) {
    UniqueFd path_fd(*found);
    if (flags & O_PATH) {
      a.fd = std::move(path_fd);
      return a;
    }
    struct stat st {};
    if (fstat(path_fd.get(), &st) != 0) return fail(errno);
    // /dev/tty means the opener's controlling terminal: the supervisor's, not the sandbox's
    // (which has none after setsid).
    if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(5, 0)) return fail(ENXIO);
    if (S_ISFIFO(st.st_mode) && !(flags & O_NONBLOCK)) {  // waits for the other end
      a.fifo_wait = true;
      a.fifo_path = target;
      a.fifo_flags = how.flags;
      return a;
    }
  }
  a.fd.reset(open_in_root(c.paths.root_fd(), target, how));
  if (!a.fd.valid()) return fail(errno);
  return a;
}

Answer open_call(NotifyCall& c) { return open_common(c, -1, 0, c.arg(1), c.arg(2)); }
Answer openat_call(NotifyCall& c) { return open_common(c, 0, 1, c.arg(2), c.arg(3)); }
Answer creat_call(NotifyCall& c) { return open_common(c, -1, 0, O_CREAT | O_WRONLY | O_TRUNC, c.arg(1)); }
// The workload's own openat2: refused as before (libc falls back to openat).
Answer openat2_call(NotifyCall&) { return fail(ENOSYS); }

// The supervisor's stat sees host ids; the sandbox shows them as its mapping says (identity.h),
// an unmapped one as the overflow id.
uint32_t sandbox_id(std::optional<uint32_t> inside) { return inside.value_or(kOverflowId); }

enum class StatKind { kStat, kStatx };

// stat / lstat / newfstatat / statx: the object is opened O_PATH the way an open is checked,
// and stat'ed through that descriptor; a descriptor-only stat (AT_EMPTY_PATH with an empty or
// NULL path: glibc's fstat) goes through /proc/<tid>/fd/<n> of the task.
template <StatKind Kind, int DirArg, int PathArg, int FlagsArg, int BufArg, bool FollowDefault>
Answer stat_call(NotifyCall& c) {
  const uint64_t flags = FlagsArg >= 0 ? c.arg(FlagsArg) : (FollowDefault ? 0 : AT_SYMLINK_NOFOLLOW);
  const bool follow = !(flags & AT_SYMLINK_NOFOLLOW);
  const int dirfd = c.dirfd_arg(DirArg);
  std::string raw;
  if (c.arg(PathArg) != 0 || !(flags & AT_EMPTY_PATH)) {
    auto r = c.read_string(c.arg(PathArg));
    if (!r) return fail(r.error());
    raw = std::move(r).value();
  }
  UniqueFd fd;
  if (raw.empty()) {
    if (!(flags & AT_EMPTY_PATH)) return fail(ENOENT);
    auto got = task_descriptor(c, dirfd);
    if (!got) return fail(got.error());
    fd = std::move(got).value();
  } else {
    Answer denied;
    auto r = checked_object(c, dirfd, raw, follow, false, denied);
    if (!r) return denied.denied.empty() ? fail(r.error()) : std::move(denied);
    fd = std::move(r).value();
  }
  if constexpr (Kind == StatKind::kStatx) {
    struct statx stx {};
    const int sync = static_cast<int>(flags & AT_STATX_SYNC_TYPE);
    if (statx(fd.get(), "", AT_EMPTY_PATH | sync, static_cast<unsigned>(c.arg(3)), &stx) != 0) return fail(errno);
    stx.stx_uid = sandbox_id(c.ids->inside_uid(stx.stx_uid));
    stx.stx_gid = sandbox_id(c.ids->inside_gid(stx.stx_gid));
    if (!c.write(c.arg(BufArg), &stx, sizeof stx)) return fail(EFAULT);
  } else {
    struct stat st {};
    if (fstatat(fd.get(), "", &st, AT_EMPTY_PATH) != 0) return fail(errno);
    st.st_uid = sandbox_id(c.ids->inside_uid(st.st_uid));
    st.st_gid = sandbox_id(c.ids->inside_gid(st.st_gid));
    if (!c.write(c.arg(BufArg), &st, sizeof st)) return fail(EFAULT);
  }
  return {};
}

// access / faccessat / faccessat2: checked like a stat (existence is revealed), then asked of
// the kernel on the checked object by this capability-less thread (same uid as the task).
template <int DirArg, int PathArg, int ModeArg, int FlagsArg>
Answer access_call(NotifyCall& c) {
  const uint64_t flags = FlagsArg >= 0 ? c.arg(FlagsArg) : 0;
  if (flags & ~static_cast<uint64_t>(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return fail(EINVAL);
  auto raw = c.read_string(c.arg(PathArg));
  if (!raw) return fail(raw.error());
  UniqueFd owned;
  if (raw->empty()) {
    if (!(flags & AT_EMPTY_PATH)) return fail(ENOENT);
    auto fd = task_descriptor(c, c.dirfd_arg(DirArg));
    if (!fd) return fail(fd.error());
    owned = std::move(fd).value();
  } else {
    const bool follow = !(flags & AT_SYMLINK_NOFOLLOW);
    Answer denied;
    auto fd = checked_object(c, c.dirfd_arg(DirArg), *raw, follow, false, denied);
    if (!fd) return denied.denied.empty() ? fail(fd.error()) : std::move(denied);
    owned = std::move(fd).value();
  }
  const int mode = static_cast<int>(c.arg(ModeArg));
  // The thread's file-system ids are the task's host ids (its real ids stay the supervisor's, for
  // process_vm_readv): asked with those.
  const int at = AT_EMPTY_PATH | AT_EACCESS;
  if (syscall(SYS_faccessat2, owned.get(), "", mode, at) != 0) return fail(errno);
  return {};
}

// readlink / readlinkat: the link itself is opened O_PATH (never followed), read by the
// supervisor and copied into the task's buffer (page protections apply).
template <int DirArg, int PathArg, int BufArg, int SizeArg>
Answer readlink_call(NotifyCall& c) {
  const auto size = static_cast<int64_t>(c.arg(SizeArg));
  if (size <= 0) return fail(EINVAL);
  auto raw = c.read_string(c.arg(PathArg));
  if (!raw) return fail(raw.error());
  if (raw->empty()) return fail(ENOENT);
  Answer denied;
  auto fd = checked_object(c, c.dirfd_arg(DirArg), *raw, false, false, denied);
  if (!fd) return denied.denied.empty() ? fail(fd.error()) : std::move(denied);
  UniqueFd owned = std::move(fd).value();
  char buf[kMaxPath + 1];
  const ssize_t n = readlinkat(owned.get(), "", buf, std::min<size_t>(sizeof buf, static_cast<size_t>(size)));
  if (n < 0) return fail(errno);
  if (n > 0 && !c.write(c.arg(BufArg), buf, static_cast<size_t>(n))) return fail(EFAULT);
  Answer a;
  a.value = n;
  return a;
}

constexpr std::array kEntries{
    NotifyEntry{"open", &open_call},
    NotifyEntry{"openat", &openat_call},
    NotifyEntry{"creat", &creat_call},
    NotifyEntry{"openat2", &openat2_call},
    NotifyEntry{"stat", &stat_call<StatKind::kStat, -1, 0, -1, 1, true>},
    NotifyEntry{"lstat", &stat_call<StatKind::kStat, -1, 0, -1, 1, false>},
    NotifyEntry{"newfstatat", &stat_call<StatKind::kStat, 0, 1, 3, 2, true>},
    NotifyEntry{"statx", &stat_call<StatKind::kStatx, 0, 1, 2, 4, true>},
    NotifyEntry{"access", &access_call<-1, 0, 1, -1>},
    NotifyEntry{"faccessat", &access_call<0, 1, 2, -1>},
    NotifyEntry{"faccessat2", &access_call<0, 1, 2, 3>},
    NotifyEntry{"readlink", &readlink_call<-1, 0, 1, 2>},
    NotifyEntry{"readlinkat", &readlink_call<0, 1, 2, 3>},
};

}  // namespace

std::span<const NotifyEntry> entries() { return kEntries; }

}  // namespace edgeward::sandbox::notify_open_stat
