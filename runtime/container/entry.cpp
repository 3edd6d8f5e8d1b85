#include "runtime/container/entry.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

#include "common/errno_error.h"

namespace edgeward::runtime {

edgeward::Status validate_id(std::string_view id) {
  auto ok_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-' || c == '+';
  };
  bool ok = !id.empty() && id.size() <= 128 && ok_char(id[0]) && id[0] != '.' && id[0] != '-' && id[0] != '_';
  for (char c : id) ok = ok && ok_char(c);
  if (!ok) {
    return Error::invalid("invalid container id \"" + std::string(id) +
                          "\": use 1-128 of [A-Za-z0-9_.+-], starting with a letter or digit");
  }
  return {};
}

EntryPaths::EntryPaths(const std::string& root, std::string_view id)
    : dir(root + "/" + std::string(id)),
      spec(dir + "/spec.json"),
      state(dir + "/state.json"),
      exit(dir + "/exit.json"),
      fifo(dir + "/exec.fifo"),
      paused(dir + "/paused"),
      freezer(dir + "/freezer") {}

Result<std::string> read_text(const std::string& path) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return errno_error("open " + path);
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_error("read " + path);
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > (4u << 20)) return Error::invalid(path + " is larger than 4 MiB");
  }
  return out;
}

edgeward::Status write_atomic(const std::string& path, std::string_view text) {
  const std::string tmp = path + ".tmp";
  {
    UniqueFd fd(open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (!fd.valid()) return errno_error("create " + tmp);
    size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = write(fd.get(), text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return errno_error("write " + tmp);
      done += static_cast<size_t>(n);
    }
    if (fsync(fd.get()) != 0) return errno_error("fsync " + tmp);
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) return errno_error("rename " + tmp + " to " + path);
  return {};
}

edgeward::Status remove_entry_dir(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (!d) return errno == ENOENT ? edgeward::Status{} : errno_error("open " + dir);
  for (dirent* e; (e = readdir(d)) != nullptr;) {
    const std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    if (unlinkat(dirfd(d), name.c_str(), 0) != 0 && errno != ENOENT) {
      const Error err = errno_error("remove " + dir + "/" + name);
      closedir(d);
      return err;
    }
  }
  closedir(d);
  if (rmdir(dir.c_str()) != 0 && errno != ENOENT) return errno_error("remove " + dir);
  return {};
}

Result<EntryLock> EntryLock::take(const std::string& dir) {
  UniqueFd fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return errno_error("open " + dir);
  while (flock(fd.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return errno_error("lock " + dir);
  }
  return EntryLock(std::move(fd));
}

}  // namespace edgeward::runtime
