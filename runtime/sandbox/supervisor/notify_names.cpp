// Handlers of the calls that add, remove or move names (mkdir, unlink, rmdir, rename, link,
// symlink, mknod families), answered through seccomp user notification: the last component is
// never followed, so the supervisor checks "<canonical parent>/<name>", opens the canonical
// parent itself (O_PATH, RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS) and performs the call relative
// to that descriptor. The directory checked is the directory changed, whatever another thread
// does to the path string or to the file system in between.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <string>

#include "runtime/sandbox/supervisor/notify_call.h"

namespace edgeward::sandbox::notify_names {
namespace {

// One checked name: its directory opened O_PATH, the name in it (with any trailing slashes,
// which the kernel then interprets), and what the policy saw.
struct Name {
  UniqueFd dir;
  std::string base;
  std::string checked;  // canonical parent + "/" + base without trailing slashes
};

// The last component of `path`, trailing slashes ignored.
std::string last_component(const std::string& path) {
  size_t end = path.size();
  while (end > 1 && path[end - 1] == '/') --end;
  const size_t slash = path.rfind('/', end - 1);
  return slash == std::string::npos ? path.substr(0, end) : path.substr(slash + 1, end - slash - 1);
}

// Resolves the name `path_arg` (relative to `dirfd_arg`) names and checks it for writing.
// A name ending in "." or "..", or the root itself, fails with `dot_err`, as from the kernel. `exists_ok`: an
// existing name the policy does not let be written gets EEXIST (mkdir -p walking over
// read-only directories), not a denial.
Result<Name> check_name(NotifyCall& c, int dirfd_arg, int path_arg, int dot_err, Answer& refusal, bool exists_ok = false) {
  auto raw = c.read_string(c.arg(path_arg));
  if (!raw) return raw.error();
  if (raw->empty()) return errno_error(ENOENT, "empty path");
  const std::string last = last_component(*raw);
  if (last == "." || last == "..") return errno_error(dot_err, "dot name");
  EW_ASSIGN(std::string abs, c.paths.absolute(c.dirfd_arg(dirfd_arg), *raw, false));
  size_t end = abs.size();
  while (end > 1 && abs[end - 1] == '/') --end;
  const size_t slash = abs.rfind('/', end - 1);
  Name n;
  n.base = abs.substr(slash + 1);
  if (n.base.empty()) return errno_error(dot_err, "the root itself");  // as "." for the kernel
  EW_ASSIGN(std::string parent, c.paths.canonical(AT_FDCWD, slash == 0 ? "/" : abs.substr(0, slash), true));
  n.checked = (parent == "/" ? "" : parent) + "/" + abs.substr(slash + 1, end - slash - 1);
  n.dir.reset(open_in_root(c.paths.root_fd(), parent, O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!n.dir.valid()) return errno_error(errno, "opening " + parent);
  if (!c.policy.may_write(n.checked)) {
    struct stat st {};
    if (exists_ok && fstatat(n.dir.get(), n.base.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
      refusal = answer_error(EEXIST);
    } else {
      refusal = answer_denied(c.policy.may_read(n.checked) ? EROFS : EACCES, n.checked);
    }
    return errno_error(refusal.err, "refused");
  }
  return n;
}


Answer refused(const Error& e, Answer& refusal) { return refusal.err ? std::move(refusal) : answer_error(errno_of(e)); }

template <int DirArg, int PathArg, int ModeArg>
Answer mkdir_call(NotifyCall& c) {
  Answer refusal;
  auto n = check_name(c, DirArg, PathArg, EEXIST, refusal, true);
  if (!n) return refused(n.error(), refusal);
  const mode_t mode = static_cast<mode_t>(c.arg(ModeArg)) & 07777 & ~c.umask();
  return answer_result(mkdirat(n->dir.get(), n->base.c_str(), mode));
}

template <int DirArg, int PathArg, int FlagsArg, int Flags>
Answer unlink_call(NotifyCall& c) {
  Answer refusal;
  auto n = check_name(c, DirArg, PathArg, Flags & AT_REMOVEDIR ? EINVAL : EISDIR, refusal);
  if (!n) return refused(n.error(), refusal);
  const int flags = FlagsArg >= 0 ? static_cast<int>(c.arg(FlagsArg)) : Flags;
  if (flags & ~AT_REMOVEDIR) return answer_error(EINVAL);
  return answer_result(unlinkat(n->dir.get(), n->base.c_str(), flags));
}

template <int OldDir, int OldPath, int NewDir, int NewPath, int FlagsArg>
Answer rename_call(NotifyCall& c) {
  Answer refusal;
  auto from = check_name(c, OldDir, OldPath, EBUSY, refusal);
  if (!from) return refused(from.error(), refusal);
  auto to = check_name(c, NewDir, NewPath, EBUSY, refusal);
  if (!to) return refused(to.error(), refusal);
  const unsigned flags = FlagsArg >= 0 ? static_cast<unsigned>(c.arg(FlagsArg)) : 0;
  return answer_result(renameat2(from->dir.get(), from->base.c_str(), to->dir.get(), to->base.c_str(), flags));
}

// link / linkat: the existing object is checked (writable: a second name can change it) and
// opened O_PATH, the new name checked like any other; the link is made to that descriptor's
// object (AT_EMPTY_PATH works for a descriptor this thread opened since Linux 6.10; before,
// a non-symlink is linked through its /proc magic link). A link to a task's descriptor
// (AT_EMPTY_PATH) needs CAP_DAC_READ_SEARCH, which the sandbox never has.
template <int OldDir, int OldPath, int NewDir, int NewPath, int FlagsArg>
Answer link_call(NotifyCall& c) {
  const uint64_t flags = FlagsArg >= 0 ? c.arg(FlagsArg) : 0;
  if (flags & ~static_cast<uint64_t>(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return answer_error(EINVAL);
  auto raw = c.read_string(c.arg(OldPath));
  if (!raw) return answer_error(errno_of(raw.error()));
  if (raw->empty()) return answer_error(ENOENT);
  Answer refusal;
  auto old = checked_object(c, c.dirfd_arg(OldDir), *raw, flags & AT_SYMLINK_FOLLOW, true, refusal);
  if (!old) return refused(old.error(), refusal);
  auto to = check_name(c, NewDir, NewPath, EEXIST, refusal, true);
  if (!to) return refused(to.error(), refusal);
  if (linkat(old->get(), "", to->dir.get(), to->base.c_str(), AT_EMPTY_PATH) == 0) return {};
  struct stat st {};
  if (errno != ENOENT || fstat(old->get(), &st) != 0 || S_ISLNK(st.st_mode)) return answer_error(errno);
  return answer_result(linkat(AT_FDCWD, magic_link(old->get()).c_str(), to->dir.get(), to->base.c_str(), AT_SYMLINK_FOLLOW));
}

// symlink / symlinkat: the target is only the link's content (checked when the link is used).
template <int TargetArg, int DirArg, int PathArg>
Answer symlink_call(NotifyCall& c) {
  auto target = c.read_string(c.arg(TargetArg));
  if (!target) return answer_error(errno_of(target.error()));
  if (target->empty()) return answer_error(ENOENT);
  Answer refusal;
  auto n = check_name(c, DirArg, PathArg, EEXIST, refusal, true);
  if (!n) return refused(n.error(), refusal);
  return answer_result(symlinkat(target->c_str(), n->dir.get(), n->base.c_str()));
}

// mknod / mknodat: FIFOs, sockets and regular files only, never device nodes.
template <int DirArg, int PathArg, int ModeArg>
Answer mknod_call(NotifyCall& c) {
  const auto mode = static_cast<mode_t>(c.arg(ModeArg));
  const mode_t type = mode & S_IFMT;
  if (type != S_IFIFO && type != S_IFSOCK && type != S_IFREG && type != 0) return answer_denied(EPERM, "device node");
  Answer refusal;
  auto n = check_name(c, DirArg, PathArg, EEXIST, refusal, true);
  if (!n) return refused(n.error(), refusal);
  return answer_result(mknodat(n->dir.get(), n->base.c_str(), type | (mode & 07777 & ~c.umask()), 0));
}

constexpr std::array kEntries{
    NotifyEntry{"mkdir", &mkdir_call<-1, 0, 1>},
    NotifyEntry{"mkdirat", &mkdir_call<0, 1, 2>},
    NotifyEntry{"unlink", &unlink_call<-1, 0, -1, 0>},
    NotifyEntry{"unlinkat", &unlink_call<0, 1, 2, 0>},
    NotifyEntry{"rmdir", &unlink_call<-1, 0, -1, AT_REMOVEDIR>},
    NotifyEntry{"rename", &rename_call<-1, 0, -1, 1, -1>},
    NotifyEntry{"renameat", &rename_call<0, 1, 2, 3, -1>},
    NotifyEntry{"renameat2", &rename_call<0, 1, 2, 3, 4>},
    NotifyEntry{"link", &link_call<-1, 0, -1, 1, -1>},
    NotifyEntry{"linkat", &link_call<0, 1, 2, 3, 4>},
    NotifyEntry{"symlink", &symlink_call<0, -1, 1>},
    NotifyEntry{"symlinkat", &symlink_call<0, 1, 2>},
    NotifyEntry{"mknod", &mknod_call<-1, 0, 1>},
    NotifyEntry{"mknodat", &mknod_call<0, 1, 2>},
};

}  // namespace

std::span<const NotifyEntry> entries() { return kEntries; }

}  // namespace edgeward::sandbox::notify_names
