#include "runtime/container/container_policy.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>

#include "common/unique_fd.h"

namespace edgeward::runtime {
namespace {

constexpr const char* kDefaultPath = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";  // jail.cpp's

// `path` (absolute inside the root) opened with the kernel confining every symlink to the root;
// its canonical name inside the root, or "" when it is not an executable regular file.
std::string canonical_program(int root_fd, const std::string& root, const std::string& path) {
  open_how how{};
  how.flags = O_PATH | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  UniqueFd fd(static_cast<int>(syscall(SYS_openat2, root_fd, path.c_str(), &how, sizeof how)));
  struct stat st {};
  if (!fd.valid() || fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || !(st.st_mode & 0111)) return "";
  char name[PATH_MAX];
  const ssize_t n = readlink(("/proc/self/fd/" + std::to_string(fd.get())).c_str(), name, sizeof name - 1);
  if (n <= 0) return "";
  const std::string host(name, static_cast<size_t>(n));
  if (host.compare(0, root.size(), root) != 0 || (host.size() > root.size() && host[root.size()] != '/')) return "";
  return host.size() == root.size() ? "/" : host.substr(root.size());
}

bool has_wildcard(const std::string& p) { return p.find_first_of("*?[") != std::string::npos; }

// Adds a rule; one of the base's with the same pattern (equal length: the first would win) is
// replaced unless it denies.
void grant(sandbox::Policy& p, const std::string& pattern, sandbox::Access access, std::string reason) {
  std::erase_if(p.paths, [&](const sandbox::PathRule& r) { return r.pattern == pattern && r.access != sandbox::Access::kDeny; });
  p.paths.push_back({pattern, access, std::move(reason)});
}

}  // namespace

std::string resolve_program(const WorkloadSpec& w) {
  if (w.argv.empty() || w.argv[0].empty()) return "";
  UniqueFd root(open(w.rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root.valid()) return "";
  const std::string& prog = w.argv[0];
  if (prog.find('/') != std::string::npos) {
    return canonical_program(root.get(), w.rootfs, prog[0] == '/' ? prog : w.cwd + "/" + prog);
  }
  std::string path = kDefaultPath;
  for (const auto& kv : w.env) {
    if (kv.starts_with("PATH=")) path = kv.substr(5);
  }
  for (size_t start = 0; start <= path.size();) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    const std::string dir = path.substr(start, end - start);
    start = end + 1;
    if (dir.empty() || dir[0] != '/') continue;
    if (auto found = canonical_program(root.get(), w.rootfs, dir + "/" + prog); !found.empty()) return found;
  }
  return "";
}

sandbox::Policy container_policy(const WorkloadSpec& w, sandbox::Policy base) {
  using sandbox::Access;
  if (!w.readonly_root) grant(base, "/", Access::kWrite, "root.readonly is false: the container may change its image");
  for (const auto& m : w.mounts) {
    if (!sandbox::sandbox_applies(m) || !sandbox::mount_writable(m) || has_wildcard(m.destination)) continue;
    grant(base, m.destination, Access::kWrite, "a writable mount of the container's config (" + m.type + ")");
  }
  // The sandbox's /dev beyond the six devices the default policy opens (sandbox/devices.h), and the
  // config's linux.devices, which it asked for.
  for (const char* dir : {"/dev/pts", "/dev/shm", "/dev/mqueue"}) {
    grant(base, dir, Access::kWrite, "the container's own /dev (pts, shm, mqueue: private to the sandbox)");
  }
  for (const auto& d : w.fs.devices) {
    if (!has_wildcard(d.path)) grant(base, d.path, Access::kWrite, "a device of the container's config (linux.devices)");
  }
  const std::string program = resolve_program(w);
  if (!program.empty() && !has_wildcard(program) && !base.may_exec(program)) {
    grant(base, program, Access::kExec, "the container's program (process.args[0]); only this file");
  }
  return base;
}

}  // namespace edgeward::runtime
