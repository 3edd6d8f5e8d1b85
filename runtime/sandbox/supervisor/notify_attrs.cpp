// Handlers of the calls that change or read one existing object through its path (chmod,
// chown, truncate, utimensat, statfs families), answered through seccomp user notification.
// The supervisor checks the path, opens the object O_PATH on the canonical path (no symlink may
// be met: checked_object) and changes or reads that descriptor's object, never a path again:
// swapping a directory of the path for a symlink after the check changes nothing.
// Calls on a descriptor (a NULL or, with AT_EMPTY_PATH, empty path) are not path decisions.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/time.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <ctime>
#include <string>

#include "runtime/sandbox/supervisor/notify_call.h"

namespace edgeward::sandbox::notify_attrs {
namespace {

Answer fail(int err) { return answer_error(err); }
Answer fail(const Error& e) { return fail(errno_of(e)); }

// The object the call names: its path read once, checked (`write`: the policy must let it be
// written), opened O_PATH. An empty path with AT_EMPTY_PATH is the task's descriptor itself.
struct Object {
  UniqueFd fd;
  Answer refusal;  // set when the object cannot be had: the call's answer
};

Object object(NotifyCall& c, int dir_arg, int path_arg, bool follow, bool write, bool empty_path_ok) {
  Object o;
  auto raw = c.read_string(c.arg(path_arg));
  if (!raw) {
    o.refusal = fail(raw.error());
    return o;
  }
  if (raw->empty() && !empty_path_ok) {
    o.refusal = fail(ENOENT);
    return o;
  }
  auto fd = raw->empty() ? task_descriptor(c, c.dirfd_arg(dir_arg))
                         : checked_object(c, c.dirfd_arg(dir_arg), *raw, follow, write, o.refusal);
  if (fd) {
    o.fd = std::move(fd).value();
  } else if (o.refusal.denied.empty()) {
    o.refusal = fail(fd.error());
  }
  return o;
}

template <int DirArg, int PathArg, int ModeArg>
Answer chmod_call(NotifyCall& c) {
  Object o = object(c, DirArg, PathArg, true, true, false);
  if (!o.fd.valid()) return std::move(o.refusal);
  return answer_result(chmod(magic_link(o.fd.get()).c_str(), static_cast<mode_t>(c.arg(ModeArg)) & 07777));
}

// A sandbox id given to chown, as the host id it maps to (identity.h); -1 keeps an id. An unmapped
// id has no meaning outside, as the kernel says for one.
bool host_id(uint64_t arg, std::optional<uint32_t> mapped, uint32_t& out) {
  const auto id = static_cast<uint32_t>(arg);
  if (id == static_cast<uint32_t>(-1)) {
    out = id;
    return true;
  }
  if (!mapped) return false;
  out = *mapped;
  return true;
}

template <int DirArg, int PathArg, int UidArg, int GidArg, int FlagsArg, bool Follow>
Answer chown_call(NotifyCall& c) {
  const uint64_t flags = FlagsArg >= 0 ? c.arg(FlagsArg) : (Follow ? 0 : AT_SYMLINK_NOFOLLOW);
  if (flags & ~static_cast<uint64_t>(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return fail(EINVAL);
  uint32_t uid = 0, gid = 0;
  const auto uid_arg = static_cast<uint32_t>(c.arg(UidArg)), gid_arg = static_cast<uint32_t>(c.arg(GidArg));
  if (!host_id(uid_arg, c.ids->host_uid(uid_arg), uid) || !host_id(gid_arg, c.ids->host_gid(gid_arg), gid)) {
    return fail(EINVAL);
  }
  Object o = object(c, DirArg, PathArg, !(flags & AT_SYMLINK_NOFOLLOW), true, flags & AT_EMPTY_PATH);
  if (!o.fd.valid()) return std::move(o.refusal);
  return answer_result(fchownat(o.fd.get(), "", uid, gid, AT_EMPTY_PATH));
}

// truncate: a regular file, reopened for writing through its descriptor, then ftruncate.
template <int PathArg, int LengthArg>
Answer truncate_call(NotifyCall& c) {
  Object o = object(c, -1, PathArg, true, true, false);
  if (!o.fd.valid()) return std::move(o.refusal);
  struct stat st {};
  if (fstat(o.fd.get(), &st) != 0) return fail(errno);
  if (S_ISDIR(st.st_mode)) return fail(EISDIR);
  if (!S_ISREG(st.st_mode)) return fail(EINVAL);
  // O_NONBLOCK: a file under a lease fails (EWOULDBLOCK) instead of stalling every notification.
  const UniqueFd writable(open(magic_link(o.fd.get()).c_str(), O_WRONLY | O_CLOEXEC | O_NONBLOCK));
  if (!writable.valid()) return fail(errno);
  return answer_result(ftruncate(writable.get(), static_cast<off_t>(c.arg(LengthArg))));
}

// utimensat: a NULL path is futimens on the descriptor (nothing in memory decides anything:
// the kernel runs it); otherwise the times are read once and set on the checked object.
Answer utimensat_call(NotifyCall& c) {
  const uint64_t flags = c.arg(3);
  if (flags & ~static_cast<uint64_t>(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return fail(EINVAL);
  if (c.arg(1) == 0) {
    Answer a;
    a.run_as_is = true;
    return a;
  }
  timespec times[2] = {};
  if (c.arg(2) != 0 && !c.read(c.arg(2), times, sizeof times)) return fail(EFAULT);
  Object o = object(c, 0, 1, !(flags & AT_SYMLINK_NOFOLLOW), true, flags & AT_EMPTY_PATH);
  if (!o.fd.valid()) return std::move(o.refusal);
  return answer_result(utimensat(o.fd.get(), "", c.arg(2) ? times : nullptr, AT_EMPTY_PATH));
}

// utimes (the older call, x86_64 only; busybox's touch): the path as utimensat's, the times
// (microseconds) read once and set on the checked object.
Answer utimes_call(NotifyCall& c) {
  timeval tv[2] = {};
  if (c.arg(1) != 0 && !c.read(c.arg(1), tv, sizeof tv)) return fail(EFAULT);
  for (const auto& t : tv) {
    if (t.tv_usec < 0 || t.tv_usec >= 1000000) return fail(EINVAL);
  }
  const timespec times[2] = {{tv[0].tv_sec, tv[0].tv_usec * 1000}, {tv[1].tv_sec, tv[1].tv_usec * 1000}};
  Object o = object(c, -1, 0, true, true, false);
  if (!o.fd.valid()) return std::move(o.refusal);
  return answer_result(utimensat(o.fd.get(), "", c.arg(1) ? times : nullptr, AT_EMPTY_PATH));
}

Answer statfs_call(NotifyCall& c) {
  Object o = object(c, -1, 0, true, false, false);
  if (!o.fd.valid()) return std::move(o.refusal);
  struct statfs st {};
  if (fstatfs(o.fd.get(), &st) != 0) return fail(errno);
  if (!c.write(c.arg(1), &st, sizeof st)) return fail(EFAULT);
  return {};
}

constexpr std::array kEntries{
    NotifyEntry{"chmod", &chmod_call<-1, 0, 1>},
    NotifyEntry{"fchmodat", &chmod_call<0, 1, 2>},
    NotifyEntry{"chown", &chown_call<-1, 0, 1, 2, -1, true>},
    NotifyEntry{"lchown", &chown_call<-1, 0, 1, 2, -1, false>},
    NotifyEntry{"fchownat", &chown_call<0, 1, 2, 3, 4, true>},
    NotifyEntry{"truncate", &truncate_call<0, 1>},
    NotifyEntry{"utimensat", &utimensat_call},
    NotifyEntry{"utimes", &utimes_call},
    NotifyEntry{"statfs", &statfs_call},
};

}  // namespace

std::span<const NotifyEntry> entries() { return kEntries; }

}  // namespace edgeward::sandbox::notify_attrs
