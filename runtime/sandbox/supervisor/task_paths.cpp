#include "runtime/sandbox/supervisor/task_paths.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/text/file_text.h"
#include "common/text/scanner.h"

namespace edgeward::sandbox {
namespace {

Result<std::string> read_link(const std::string& path) {
  char buf[kMaxPath + 1];
  const ssize_t n = readlink(path.c_str(), buf, sizeof buf - 1);
  if (n < 0) return errno_error(errno, "readlink " + path);
  return std::string(buf, static_cast<size_t>(n));
}

// Collapses "//" and "/./" so that /proc/self can be recognised (".." is left to the kernel).
std::string collapse(const std::string& p) {
  std::string out;
  size_t i = 0;
  while (i < p.size()) {
    if (p[i] == '/') {
      while (i < p.size() && p[i] == '/') ++i;
      if (p.compare(i, 2, "./") == 0 || (p.compare(i, 1, ".") == 0 && i + 1 == p.size())) {
        i += 1;
        continue;
      }
      out += '/';
    } else {
      out += p[i++];
    }
  }
  return out.empty() ? "/" : out;
}

// The last number of a "NSpid:" / "NStgid:" line: the id inside the sandbox's pid namespace.
std::string ns_id(pid_t tid, const std::string& key) {
  text::Scanner f(text::read_file("/proc/" + std::to_string(tid) + "/status", 1 << 16).value_or(""));
  for (std::string line; getline(f, line);) {
    if (line.compare(0, key.size(), key) != 0) continue;
    text::Scanner s(line.substr(key.size()));
    std::string last;
    for (std::string w; s >> w;) last = w;
    return last;
  }
  return "";
}

}  // namespace

Error errno_error(int err, const std::string& what) {
  return Error::io("errno=" + std::to_string(err) + ": " + what + ": " + std::strerror(err));
}

int errno_of(const Error& e) {
  if (e.message.compare(0, 6, "errno=") != 0) return EACCES;
  return std::atoi(e.message.c_str() + 6);
}

bool has_prefix_dir(const std::string& p, const std::string& dir) {
  return p.compare(0, dir.size(), dir) == 0 && (p.size() == dir.size() || p[dir.size()] == '/');
}

Result<std::string> TaskPaths::dir_path(int dirfd) const {
  const std::string link = "/proc/" + std::to_string(tid_) + (dirfd == AT_FDCWD ? "/cwd" : "/fd/" + std::to_string(dirfd));
  auto p = read_link(link);
  if (!p) return errno_error(dirfd == AT_FDCWD ? ENOENT : EBADF, "directory of task " + std::to_string(tid_));
  if (p->empty() || (*p)[0] != '/' || p->ends_with(" (deleted)")) {
    return errno_error(ENOTDIR, "descriptor " + std::to_string(dirfd) + " is not a directory in the sandbox");
  }
  return p;
}

Result<std::string> TaskPaths::absolute(int dirfd, const std::string& path, bool follow_last) {
  if (path.empty()) return errno_error(ENOENT, "empty path");
  std::string abs = path;
  if (path[0] != '/') {
    EW_ASSIGN(std::string base, dir_path(dirfd));
    abs = base + "/" + path;
  }
  abs = collapse(abs);
  if (has_prefix_dir(abs, "/proc")) {
    // /proc/self and /proc/thread-self name the caller: the supervisor is not in the sandbox's
    // pid namespace, so they are rewritten to the task's own ids before the kernel resolves them.
    if (ns_tgid_.empty()) {
      ns_tgid_ = ns_id(tid_, "NStgid:");
      ns_tid_ = ns_id(tid_, "NSpid:");
    }
    if (has_prefix_dir(abs, "/proc/self")) {
      abs = "/proc/" + ns_tgid_ + abs.substr(10);
    } else if (has_prefix_dir(abs, "/proc/thread-self")) {
      abs = "/proc/" + ns_tgid_ + "/task/" + ns_tid_ + abs.substr(17);
    }
    // The task's own program (busybox re-executes itself this way): the link's target, as the
    // task sees it, is used instead of the magic link.
    if (abs == "/proc/" + ns_tgid_ + "/exe" && follow_last) {
      auto exe = read_link("/proc/" + std::to_string(tid_) + "/exe");
      if (!exe || exe->empty() || (*exe)[0] != '/' || exe->ends_with(" (deleted)")) return errno_error(ENOENT, abs);
      abs = *exe;
    }
  }
  return abs;
}

Result<std::string> TaskPaths::canonical(int dirfd, const std::string& path, bool follow_last) {
  EW_ASSIGN(std::string abs, absolute(dirfd, path, follow_last));
  return canonical_abs(std::move(abs), follow_last);
}

Result<std::string> TaskPaths::canonical_abs(std::string abs, bool follow_last) {
  if (abs.size() > 1 && abs.back() == '/') {
    // "dir/" names the target of a final symlink, or a directory yet to be made (mkdir "a/b/",
    // as busybox mkdir -p does); the slash stays so the kernel applies its own rules to it.
    while (abs.size() > 1 && abs.back() == '/') abs.pop_back();
    auto r = canonical_abs(abs, true);
    if (!r && !follow_last && errno_of(r.error()) == ENOENT) r = canonical_abs(abs, false);
    if (!r) return r;
    return *r == "/" ? *r : *r + "/";
  }
  if (!follow_last) {
    const size_t slash = abs.rfind('/');
    const std::string base = abs.substr(slash + 1);
    if (!base.empty() && base != "." && base != "..") {
      EW_ASSIGN(std::string parent, canonical_abs(slash == 0 ? "/" : abs.substr(0, slash), true));
      return (parent == "/" ? "" : parent) + "/" + base;
    }
  }
  open_how how{};
  how.flags = O_PATH | O_CLOEXEC;
  // Fast path: a path without ".." that resolves without following any symlink is already
  // canonical (collapse() removed "//" and "."), so the kernel's name for it need not be read.
  if (abs.find("/..") == std::string::npos) {
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    const int fd = static_cast<int>(syscall(SYS_openat2, root_fd_, abs.c_str(), &how, sizeof how));
    if (fd >= 0) {
      close(fd);
      return abs;
    }
    if (errno != ELOOP) return errno_error(errno, "resolving " + abs);
  }
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  const int fd = static_cast<int>(syscall(SYS_openat2, root_fd_, abs.c_str(), &how, sizeof how));
  if (fd < 0) return errno_error(errno, "resolving " + abs);
  auto resolved = read_link("/proc/self/fd/" + std::to_string(fd));
  close(fd);
  if (!resolved) return resolved.error();
  if (resolved->empty() || (*resolved)[0] != '/' || resolved->ends_with(" (deleted)")) {
    return errno_error(ENOENT, abs + " is outside the sandbox's tree");
  }
  return resolved;
}

}  // namespace edgeward::sandbox
