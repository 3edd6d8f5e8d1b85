#include "runtime/sandbox/copy_up.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "common/unique_fd.h"

namespace edgeward::sandbox {
namespace {

bool copy_file(int from, int to, const char* name, mode_t mode) {
  UniqueFd src(openat(from, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  UniqueFd dst(openat(to, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode & 07777));
  if (!src.valid() || !dst.valid()) return false;
  char buf[16384];
  for (ssize_t n; (n = read(src.get(), buf, sizeof buf)) != 0;) {
    if (n < 0) return false;
    for (ssize_t done = 0; done < n;) {
      const ssize_t w = write(dst.get(), buf + done, static_cast<size_t>(n - done));
      if (w < 0) return false;
      done += w;
    }
  }
  return fchmod(dst.get(), mode & 07777) == 0;  // the umask does not apply to the copy
}

bool copy_entry(int from, int to, const char* name, int depth) {
  struct stat st {};
  if (fstatat(from, name, &st, AT_SYMLINK_NOFOLLOW) != 0) return false;
  if (S_ISDIR(st.st_mode)) {
    if (mkdirat(to, name, st.st_mode & 07777) != 0) return false;
    UniqueFd src(openat(from, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    UniqueFd dst(openat(to, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!src.valid() || !dst.valid() || !copy_tree(src.get(), dst.get(), depth + 1)) return false;
  } else if (S_ISREG(st.st_mode)) {
    if (!copy_file(from, to, name, st.st_mode)) return false;
  } else if (S_ISLNK(st.st_mode)) {
    std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
    const ssize_t n = readlinkat(from, name, target.data(), target.size());
    if (n < 0) return false;
    target.resize(static_cast<size_t>(n));
    if (symlinkat(target.c_str(), to, name) != 0) return false;
  } else if (S_ISFIFO(st.st_mode)) {
    if (mkfifoat(to, name, st.st_mode & 07777) != 0) return false;
  } else {
    return true;  // device nodes and sockets: left out
  }
  return fchownat(to, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) == 0;
}

}  // namespace

bool copy_tree(int from, int to, int depth) {
  if (depth > kMaxCopyUpDepth) {
    errno = ELOOP;
    return false;
  }
  const int fd = openat(from, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  DIR* dir = fdopendir(fd);
  if (!dir) {
    close(fd);
    return false;
  }
  int err = 0;
  for (;;) {
    errno = 0;
    const dirent* e = readdir(dir);
    if (!e) {
      err = errno;  // 0: the end
      break;
    }
    const std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    if (!copy_entry(from, to, e->d_name, depth)) {
      err = errno ? errno : EIO;
      break;
    }
  }
  closedir(dir);
  errno = err;
  return err == 0;
}

}  // namespace edgeward::sandbox
