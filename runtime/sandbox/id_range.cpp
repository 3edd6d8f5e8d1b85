#include "runtime/sandbox/id_range.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>

#include "common/errno_error.h"
#include "common/text/file_text.h"
#include "common/text/scanner.h"

namespace edgeward::sandbox {
namespace {

constexpr uint64_t kWholeSpace = 4294967295u;

// mkdir -p, root-only (0700): the lock files are nobody else's business.
Status make_lock_dir(const std::string& dir) {
  if (dir.empty() || dir[0] != '/') return Error::invalid("the id range lock directory must be absolute, got \"" + dir + "\"");
  for (size_t i = 1; i <= dir.size(); ++i) {
    if (i != dir.size() && dir[i] != '/') continue;
    const std::string part = dir.substr(0, i);
    if (mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) return errno_error("create the id range lock directory " + part);
  }
  return {};
}

void add_ranges(const std::string& path, std::vector<std::pair<uint64_t, uint64_t>>& out) {
  text::Scanner in(text::read_file(path, 1 << 16).value_or(""));
  uint64_t inside = 0, host = 0, size = 0;
  while (in >> inside >> host >> size) {
    if (size < kWholeSpace) out.emplace_back(host, size);
  }
}

bool overlaps(uint64_t base, uint64_t size, const std::vector<std::pair<uint64_t, uint64_t>>& used) {
  for (const auto& [first, count] : used) {
    if (first < base + size && base < first + count) return true;
  }
  return false;
}

}  // namespace

Status validate_pool(const IdPool& p) {
  if (p.base == 0) return Error::invalid("id pool: base must not be 0 (host root is never mapped)");
  if (p.size == 0 || p.ranges == 0) return Error::invalid("id pool: size and ranges must be greater than 0");
  if (uint64_t{p.base} + uint64_t{p.ranges} * p.size > kWholeSpace) {
    return Error::invalid("id pool: base " + std::to_string(p.base) + " + " + std::to_string(p.ranges) + " ranges of " +
                          std::to_string(p.size) + " runs past id 4294967294; lower base, ranges or size");
  }
  return {};
}

std::vector<std::pair<uint64_t, uint64_t>> host_ranges_in_use() {
  std::vector<std::pair<uint64_t, uint64_t>> out;
  DIR* d = opendir("/proc");
  if (!d) return out;
  while (dirent* e = readdir(d)) {
    if (!std::isdigit(static_cast<unsigned char>(e->d_name[0]))) continue;
    const std::string dir = std::string("/proc/") + e->d_name;
    add_ranges(dir + "/uid_map", out);  // a process gone meanwhile reads as empty
    add_ranges(dir + "/gid_map", out);
  }
  closedir(d);
  return out;
}

Result<IdRangeLease> IdRangeLease::acquire(const IdPool& pool, const std::vector<std::pair<uint64_t, uint64_t>>& in_use) {
  EW_TRY(validate_pool(pool));
  EW_TRY(make_lock_dir(pool.lock_dir));
  // Start where this process's id points, so that concurrent starts rarely probe the same range.
  const uint32_t start = static_cast<uint32_t>((static_cast<uint64_t>(getpid()) * 2654435761u) % pool.ranges);
  for (uint32_t n = 0; n < pool.ranges; ++n) {
    const uint32_t base = pool.base + ((start + n) % pool.ranges) * pool.size;
    if (overlaps(base, pool.size, in_use)) continue;
    const std::string path = pool.lock_dir + "/" + std::to_string(base) + ".lock";
    UniqueFd fd(open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd.valid()) return errno_error("open the id range lock " + path);
    if (flock(fd.get(), LOCK_EX | LOCK_NB) == 0) return IdRangeLease(std::move(fd), base, pool.size);
    if (errno != EWOULDBLOCK) return errno_error("lock " + path);
  }
  return Error::io("every host id range of the pool (" + std::to_string(pool.ranges) + " of " +
                            std::to_string(pool.size) + " ids from " + std::to_string(pool.base) +
                            ") is in use; raise the board's <userns ranges=\"...\"> or end a workload");
}

}  // namespace edgeward::sandbox
