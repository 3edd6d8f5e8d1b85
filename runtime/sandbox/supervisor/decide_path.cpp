#include <fcntl.h>
#include <linux/openat2.h>
#include <seccomp.h>
#include <sys/stat.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "runtime/sandbox/supervisor/decide_path.h"

namespace edgeward::sandbox::path_calls {
namespace {

enum class Need { kRead, kWrite };
enum class Follow { kAlways, kNever, kUnlessFlag, kIfFlag };

struct PathArg {
  int dirfd;  // argument index of the directory descriptor, -1: relative to the cwd
  int path;   // argument index of the path, -1: none
};

struct PathCall {
  std::string_view name;
  PathArg a;
  PathArg b;          // a second path (rename, link), or {-1, -1}
  int flags_arg;      // -1: none
  Follow follow;      // for the first path; the second never follows
  unsigned flag;      // the flag that Follow::kUnlessFlag / kIfFlag looks at
  Need need;
  bool creates = false;  // the (last) path is created: an existing one gets EEXIST, as from the kernel
};

constexpr PathArg kNone{-1, -1};
constexpr unsigned kNoFollow = AT_SYMLINK_NOFOLLOW;

constexpr std::array kPathCalls{
    PathCall{"stat", {-1, 0}, kNone, -1, Follow::kAlways, 0, Need::kRead},
    PathCall{"lstat", {-1, 0}, kNone, -1, Follow::kNever, 0, Need::kRead},
    PathCall{"newfstatat", {0, 1}, kNone, 3, Follow::kUnlessFlag, kNoFollow, Need::kRead},
    PathCall{"statx", {0, 1}, kNone, 2, Follow::kUnlessFlag, kNoFollow, Need::kRead},
    PathCall{"access", {-1, 0}, kNone, -1, Follow::kAlways, 0, Need::kRead},
    PathCall{"faccessat", {0, 1}, kNone, -1, Follow::kAlways, 0, Need::kRead},
    PathCall{"faccessat2", {0, 1}, kNone, 3, Follow::kUnlessFlag, kNoFollow, Need::kRead},
    PathCall{"readlink", {-1, 0}, kNone, -1, Follow::kNever, 0, Need::kRead},
    PathCall{"readlinkat", {0, 1}, kNone, -1, Follow::kNever, 0, Need::kRead},
    PathCall{"statfs", {-1, 0}, kNone, -1, Follow::kAlways, 0, Need::kRead},
    PathCall{"chdir", {-1, 0}, kNone, -1, Follow::kAlways, 0, Need::kRead},
    PathCall{"getxattr", {-1, 0}, kNone, -1, Follow::kAlways, 0, Need::kRead},
    PathCall{"lgetxattr", {-1, 0}, kNone, -1, Follow::kNever, 0, Need::kRead},
    PathCall{"mkdir", {-1, 0}, kNone, -1, Follow::kNever, 0, Need::kWrite, true},
    PathCall{"mkdirat", {0, 1}, kNone, -1, Follow::kNever, 0, Need::kWrite, true},
    PathCall{"rmdir", {-1, 0}, kNone, -1, Follow::kNever, 0, Need::kWrite},
    PathCall{"unlink", {-1, 0}, kNone, -1, Follow::kNever, 0, Need::kWrite},
    PathCall{"unlinkat", {0, 1}, kNone, -1, Follow::kNever, 0, Need::kWrite},
    PathCall{"rename", {-1, 0}, {-1, 1}, -1, Follow::kNever, 0, Need::kWrite},
    PathCall{"renameat", {0, 1}, {2, 3}, -1, Follow::kNever, 0, Need::kWrite},
    PathCall{"renameat2", {0, 1}, {2, 3}, -1, Follow::kNever, 0, Need::kWrite},
    PathCall{"link", {-1, 0}, {-1, 1}, -1, Follow::kNever, 0, Need::kWrite, true},
    PathCall{"linkat", {0, 1}, {2, 3}, 4, Follow::kIfFlag, AT_SYMLINK_FOLLOW, Need::kWrite, true},
    PathCall{"symlink", {-1, 1}, kNone, -1, Follow::kNever, 0, Need::kWrite, true},
    PathCall{"symlinkat", {1, 2}, kNone, -1, Follow::kNever, 0, Need::kWrite, true},
    PathCall{"chmod", {-1, 0}, kNone, -1, Follow::kAlways, 0, Need::kWrite},
    PathCall{"fchmodat", {0, 1}, kNone, -1, Follow::kAlways, 0, Need::kWrite},
    PathCall{"chown", {-1, 0}, kNone, -1, Follow::kAlways, 0, Need::kWrite},
    PathCall{"lchown", {-1, 0}, kNone, -1, Follow::kNever, 0, Need::kWrite},
    PathCall{"fchownat", {0, 1}, kNone, 4, Follow::kUnlessFlag, kNoFollow, Need::kWrite},
    PathCall{"truncate", {-1, 0}, kNone, -1, Follow::kAlways, 0, Need::kWrite},
    PathCall{"utimensat", {0, 1}, kNone, 3, Follow::kUnlessFlag, kNoFollow, Need::kWrite},
    PathCall{"utimes", {-1, 0}, kNone, -1, Follow::kAlways, 0, Need::kWrite},
};

Verdict deny(int err, std::string detail) { return {Verdict::kDeny, err, std::move(detail)}; }
// The kernel would have failed the same way (no such file, not a directory, ...): not a denial.
Verdict fail(const Error& e) { return {Verdict::kDeny, errno_of(e), "", false}; }
bool is_tmpfile(uint64_t flags) { return (flags & O_TMPFILE) == O_TMPFILE; }

int dirfd_of(const CallContext& c, int arg) {
  return arg < 0 ? AT_FDCWD : static_cast<int>(static_cast<int32_t>(c.regs.args[arg]));
}

// Checks one path argument and, when allowed, rewrites it to the checked canonical string in
// scratch slot `slot`. Returns a deny verdict, or kAllow.
Verdict check_and_pin(CallContext& c, PathArg pa, int slot, bool follow, Need need, bool creates = false) {
  auto raw = c.task.read_string(c.regs.args[pa.path]);
  if (!raw) return fail(raw.error());
  std::string canonical;
  if (raw->empty()) {
    canonical.clear();  // AT_EMPTY_PATH on a descriptor, or ENOENT from the kernel: both fine
  } else {
    auto r = c.task.canonical(dirfd_of(c, pa.dirfd), *raw, follow);
    if (!r) return fail(r.error());
    canonical = std::move(r).value();
    const bool ok = need == Need::kRead ? c.policy.may_read(canonical) : c.policy.may_write(canonical);
    if (!ok && creates && c.task.canonical(dirfd_of(c, pa.dirfd), *raw, false).ok() &&
        c.task.canonical(AT_FDCWD, canonical, true).ok()) {
      return {Verdict::kDeny, EEXIST, "", false};  // e.g. mkdir -p walking over "/"
    }
    if (!ok) return deny(need == Need::kRead ? EACCES : (c.policy.may_read(canonical) ? EROFS : EACCES), canonical);
  }
  if (canonical.empty()) {
    c.regs.args[pa.path] = c.task.scratch + kScratchEmpty;
    return {};
  }
  const uint64_t at = c.task.scratch + kScratchSlot[slot];
  if (!c.task.write(at, canonical.c_str(), canonical.size() + 1)) return {Verdict::kKill, 0, "scratch write failed"};
  c.regs.args[pa.path] = at;
  return {};
}

template <size_t I>
Verdict path_call(CallContext& c) {
  constexpr const PathCall& pc = kPathCalls[I];
  if (!c.task.scratch) return {Verdict::kNeedScratch};
  if (pc.name == "utimensat" && c.regs.args[1] == 0) return {};  // NULL path: the descriptor itself
  const uint64_t flags = pc.flags_arg >= 0 ? c.regs.args[pc.flags_arg] : 0;
  bool follow = pc.follow == Follow::kAlways;
  if (pc.follow == Follow::kUnlessFlag) follow = !(flags & pc.flag);
  if (pc.follow == Follow::kIfFlag) follow = (flags & pc.flag) != 0;
  Verdict v = check_and_pin(c, pc.a, 0, follow, pc.need, pc.creates && pc.b.path < 0);
  if (v.kind != Verdict::kAllow || pc.b.path < 0) return v;
  return check_and_pin(c, pc.b, 1, false, pc.need, pc.creates);
}

template <size_t... I>
constexpr auto make_path_entries(std::index_sequence<I...>) {
  return std::array<DecisionEntry, sizeof...(I)>{DecisionEntry{kPathCalls[I].name, &path_call<I>}...};
}

// open / openat / creat become openat2 on the pinned canonical path with RESOLVE_NO_SYMLINKS:
// the string cannot change after the check, and a component swapped for a symlink afterwards
// makes the open fail (ELOOP) instead of leading elsewhere.
Verdict open_common(CallContext& c, int dirfd_arg, int path_arg, uint64_t flags, uint64_t mode) {
  if (!c.task.scratch) return {Verdict::kNeedScratch};
  static const int openat2_nr = seccomp_syscall_resolve_name("openat2");
  const bool writes = (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC)) || is_tmpfile(flags);
  const bool creates = flags & O_CREAT;
  const bool follow = !(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL));
  auto raw = c.task.read_string(c.regs.args[path_arg]);
  if (!raw) return fail(raw.error());
  if (raw->empty()) return {Verdict::kDeny, ENOENT, "", false};
  auto canonical = c.task.canonical(dirfd_of(c, dirfd_arg), *raw, follow);
  if (!canonical && creates && errno_of(canonical.error()) == ENOENT) {
    canonical = c.task.canonical(dirfd_of(c, dirfd_arg), *raw, false);
  }
  if (!canonical) return fail(canonical.error());
  const bool ok = writes ? c.policy.may_write(*canonical) : c.policy.may_read(*canonical);
  if (!ok) return deny(writes && c.policy.may_read(*canonical) ? EROFS : EACCES, *canonical);

  constexpr uint64_t kValid = O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC |
                              O_SYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC |
                              O_PATH | O_TMPFILE | FASYNC;
  open_how how{};
  how.flags = flags & kValid;
  how.mode = ((flags & O_CREAT) || is_tmpfile(flags)) ? (mode & 07777) : 0;
  how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  const uint64_t path_at = c.task.scratch + kScratchSlot[0];
  const uint64_t how_at = c.task.scratch + kScratchHow;
  static_assert(kScratchHow + sizeof(open_how) <= kScratchSlot[0]);
  char block[kScratchSlot[0] + kMaxPath + 1] = {};
  std::memcpy(block + kScratchHow, &how, sizeof how);
  std::memcpy(block + kScratchSlot[0], canonical->c_str(), canonical->size() + 1);
  if (!c.task.write(c.task.scratch, block, kScratchSlot[0] + canonical->size() + 1)) {
    return {Verdict::kKill, 0, "scratch write failed"};
  }
  c.regs.nr = openat2_nr;
  c.regs.args[0] = static_cast<uint64_t>(static_cast<int64_t>(AT_FDCWD));
  c.regs.args[1] = path_at;
  c.regs.args[2] = how_at;
  c.regs.args[3] = sizeof how;
  return {};
}

Verdict open_call(CallContext& c) { return open_common(c, -1, 0, c.regs.args[1], c.regs.args[2]); }
Verdict openat_call(CallContext& c) { return open_common(c, 0, 1, c.regs.args[2], c.regs.args[3]); }
// The workload's own openat2 (its open_how is in its memory): refused, libc falls back to
// openat. The supervisor's rewritten calls pass the filter's re-check (trace = allow there).
Verdict openat2_call(CallContext&) { return {Verdict::kDeny, ENOSYS, "", false}; }
Verdict creat_call(CallContext& c) {
  return open_common(c, -1, 0, O_CREAT | O_WRONLY | O_TRUNC, c.regs.args[1]);
}

// execve / execveat: the program must lie under an exec path. Descriptor-only execution
// (execveat with AT_EMPTY_PATH, e.g. of a memfd) is refused: it has no path to check.
Verdict exec_common(CallContext& c, int dirfd_arg, int path_arg, uint64_t flags) {
  if (!c.task.scratch) return {Verdict::kNeedScratch};
  auto raw = c.task.read_string(c.regs.args[path_arg]);
  if (!raw) return fail(raw.error());
  if (raw->empty()) return deny(EACCES, "execution of a descriptor (AT_EMPTY_PATH)");
  auto canonical = c.task.canonical(dirfd_of(c, dirfd_arg), *raw, !(flags & AT_SYMLINK_NOFOLLOW));
  if (!canonical) return fail(canonical.error());
  if (!c.policy.may_exec(*canonical)) return deny(EACCES, *canonical);
  const uint64_t at = c.task.scratch + kScratchSlot[0];
  if (!c.task.write(at, canonical->c_str(), canonical->size() + 1)) return {Verdict::kKill, 0, "scratch write failed"};
  c.regs.args[path_arg] = at;
  if (dirfd_arg >= 0) c.regs.args[dirfd_arg] = static_cast<uint64_t>(static_cast<int64_t>(AT_FDCWD));
  return {};
}

Verdict execve_call(CallContext& c) { return exec_common(c, -1, 0, 0); }
Verdict execveat_call(CallContext& c) { return exec_common(c, 0, 1, c.regs.args[4]); }

// mknod: FIFOs, sockets and regular files only (no device nodes), then a write check.
template <int ModeArg, int DirArg, int PathArg_>
Verdict mknod_call(CallContext& c) {
  const auto type = c.regs.args[ModeArg] & S_IFMT;
  if (type != S_IFIFO && type != S_IFSOCK && type != S_IFREG && type != 0) return deny(EPERM, "device node");
  if (!c.task.scratch) return {Verdict::kNeedScratch};
  return check_and_pin(c, {DirArg, PathArg_}, 0, false, Need::kWrite);
}

std::vector<DecisionEntry> build() {
  std::vector<DecisionEntry> v;
  for (const auto& e : make_path_entries(std::make_index_sequence<kPathCalls.size()>{})) v.push_back(e);
  v.push_back({"open", &open_call});
  v.push_back({"openat", &openat_call});
  v.push_back({"creat", &creat_call});
  v.push_back({"openat2", &openat2_call});
  v.push_back({"execve", &execve_call});
  v.push_back({"execveat", &execveat_call});
  v.push_back({"mknod", &mknod_call<1, -1, 0>});
  v.push_back({"mknodat", &mknod_call<2, 0, 1>});
  return v;
}

}  // namespace

std::span<const DecisionEntry> entries() {
  static const std::vector<DecisionEntry> all = build();
  return all;
}

}  // namespace edgeward::sandbox::path_calls
