#include "runtime/sandbox/masked_paths.h"

#include <sys/mount.h>
#include <sys/stat.h>

#include <cerrno>

#include "runtime/sandbox/mounts.h"

namespace edgeward::sandbox {
namespace {

bool has_dot_component(const std::string& path) {
  for (size_t pos = 0; pos < path.size();) {
    size_t end = path.find('/', pos);
    if (end == std::string::npos) end = path.size();
    const std::string_view name(path.data() + pos, end - pos);
    if (name == "." || name == "..") return true;
    pos = end + 1;
  }
  return false;
}

// An O_PATH descriptor of `path`, or invalid: missing (errno ENOENT, to skip) or an error.
UniqueFd open_target(const std::string& rootfs, const std::string& path) {
  UniqueFd fd = open_in_rootfs(rootfs, path);
  if (!fd.valid() && errno == ENOTDIR) errno = ENOENT;  // a file on the way: the path cannot exist
  return fd;
}

std::string remount_readonly(const std::string& rootfs, const std::string& path, const std::string& what) {
  UniqueFd top = open_target(rootfs, path);  // the new mount, now on top
  if (!top.valid()) return what + ": reopen " + path;
  const std::string at = fd_path(top);
  if (mount(nullptr, at.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY | locked_flags(at), nullptr) != 0) {
    return what + ": remount " + path + " read-only";
  }
  return "";
}

// fn(path, O_PATH descriptor, "<field> <path>") for each path that exists; the first failure.
template <typename F>
std::string for_each_existing(const std::string& rootfs, const std::vector<std::string>& paths, const char* field, F fn) {
  for (const auto& p : paths) {
    const std::string what = field + p;
    UniqueFd fd = open_target(rootfs, p);
    if (!fd.valid()) {
      if (errno == ENOENT) continue;
      return what + ": open it beneath the root (a symlink on the way is refused)";
    }
    if (std::string failed = fn(p, fd, what); !failed.empty()) return failed;
  }
  return "";
}

}  // namespace

edgeward::Status check_container_path(const std::string& p, const std::string& where) {
  if (p.empty() || p[0] != '/') return Error::invalid(where + "\"" + p + "\" must be an absolute path");
  if (p.size() > kMaxPathLength || p.find('\0') != std::string::npos) {
    return Error::invalid(where + "longer than 4096 bytes or holds a NUL byte");
  }
  if (has_dot_component(p)) return Error::invalid(where + "\"" + p + "\" must not hold \".\" or \"..\" components");
  if (p.find_first_not_of('/') == std::string::npos) return Error::invalid(where + "the root itself cannot be given");
  return {};
}

edgeward::Status check_container_paths(const std::vector<std::string>& paths, const std::string& field) {
  if (paths.size() > kMaxProtectedPaths) {
    return Error::invalid(field + ": " + std::to_string(paths.size()) + " paths, at most " +
                          std::to_string(kMaxProtectedPaths) + " are accepted");
  }
  for (size_t i = 0; i < paths.size(); ++i) {
    EW_TRY(check_container_path(paths[i], field + "[" + std::to_string(i) + "]: "));
  }
  return {};
}

std::string mask_paths(const std::string& rootfs, const std::vector<std::string>& paths) {
  return for_each_existing(rootfs, paths, "linux.maskedPaths ", [&](const std::string& p, const UniqueFd& fd, const std::string& what) {
    struct stat st {};
    if (fstat(fd.get(), &st) != 0) return what + ": stat";
    const std::string at = fd_path(fd);
    if (S_ISDIR(st.st_mode)) {
      if (mount("tmpfs", at.c_str(), "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0,mode=555") != 0) {
        return what + ": mount an empty read-only tmpfs over it";
      }
      return std::string();
    }
    UniqueFd null = open_target(rootfs, "/dev/null");
    if (!null.valid()) return what + ": open the sandbox's /dev/null";
    if (mount(fd_path(null).c_str(), at.c_str(), nullptr, MS_BIND, nullptr) != 0) return what + ": bind /dev/null over it";
    return remount_readonly(rootfs, p, what);
  });
}

std::string make_paths_readonly(const std::string& rootfs, const std::vector<std::string>& paths) {
  return for_each_existing(rootfs, paths, "linux.readonlyPaths ", [&](const std::string& p, const UniqueFd& fd, const std::string& what) {
    const std::string at = fd_path(fd);
    if (mount(at.c_str(), at.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) return what + ": bind it onto itself";
    return remount_readonly(rootfs, p, what);
  });
}

}  // namespace edgeward::sandbox
