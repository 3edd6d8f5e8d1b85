#include "runtime/launch/unpack.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <vector>

#include "attest/crypto/sha256.h"
#include "common/dir_tree.h"
#include "common/errno_error.h"
#include "common/unique_fd.h"

namespace edgeward::launch {
namespace {

// The component's byte range as libarchive's input, hashed as it is read.
struct RangeReader {
  int fd = -1;
  uint64_t pos = 0, end = 0;
  attest::Sha256 hash;
  std::vector<uint8_t> buf = std::vector<uint8_t>(64 * 1024);
  int err = 0;

  ssize_t read(const void** out) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), end - pos));
    if (want == 0) return 0;
    const ssize_t n = ::pread(fd, buf.data(), want, static_cast<off_t>(pos));
    if (n <= 0) {
      err = n < 0 ? errno : EIO;
      return -1;
    }
    pos += static_cast<uint64_t>(n);
    hash.update(std::span<const uint8_t>(buf.data(), static_cast<size_t>(n)));
    *out = buf.data();
    return n;
  }
};

la_ssize_t read_cb(archive*, void* ctx, const void** out) { return static_cast<RangeReader*>(ctx)->read(out); }

struct ArchiveFree {
  void operator()(archive* a) const { archive_read_free(a); }
};

// Splits a tar path into checked components ("./a//b/" -> {a, b}).
Result<std::vector<std::string>> components(std::string_view path) {
  if (path.empty() || path[0] == '/') return Error::invalid("archive entry '" + std::string(path) + "': absolute path refused");
  if (path.size() > 4096) return Error::invalid("archive entry path longer than 4096 bytes refused");
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= path.size()) {
    const size_t j = std::min(path.find('/', i), path.size());
    const std::string_view c = path.substr(i, j - i);
    if (c == "..") return Error::invalid("archive entry '" + std::string(path) + "': '..' refused");
    if (!c.empty() && c != ".") out.emplace_back(c);
    i = j + 1;
  }
  return out;
}

// Opens the directory holding `parts[0..n-1]` below `root`, creating missing directories and never
// following a symlink.
Result<UniqueFd> open_parent(int root, const std::vector<std::string>& parts, size_t n) {
  UniqueFd dir(::fcntl(root, F_DUPFD_CLOEXEC, 0));
  for (size_t i = 0; i < n; ++i) {
    if (::mkdirat(dir.get(), parts[i].c_str(), 0755) != 0 && errno != EEXIST) {
      return errno_error("unpack: creating directory " + parts[i]);
    }
    UniqueFd next(::openat(dir.get(), parts[i].c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!next.valid()) {
      return Error::invalid("archive: '" + parts[i] + "' is not a directory (a symlink or a file) but entries are placed under it");
    }
    dir = std::move(next);
  }
  return dir;
}

class Unpacker {
 public:
  Unpacker(archive* a, int root, const UnpackLimits& l) : a_(a), root_(root), limits_(l) {}

  Status entry(archive_entry* e) {
    const char* raw = archive_entry_pathname(e);
    if (!raw) return Error::invalid("archive entry without a path");
    EW_ASSIGN(auto parts, components(raw));
    if (parts.empty()) return {};  // "." itself
    if (++stats.entries > limits_.max_entries) {
      return Error::invalid("archive has more than " + std::to_string(limits_.max_entries) + " entries");
    }
    EW_ASSIGN(UniqueFd parent, open_parent(root_, parts, parts.size() - 1));
    const std::string& base = parts.back();
    const std::string where = "archive entry '" + std::string(raw) + "'";
    if (const char* hl = archive_entry_hardlink(e)) return hardlink(parent.get(), base, hl, where);
    const mode_t mode = archive_entry_perm(e) & 0777;  // setuid, setgid and sticky bits dropped
    switch (archive_entry_filetype(e)) {
      case AE_IFDIR:
        if (::mkdirat(parent.get(), base.c_str(), mode | 0700) != 0 && errno != EEXIST) {
          return errno_error("unpack: " + where);
        }
        return {};
      case AE_IFLNK: {
        const char* target = archive_entry_symlink(e);
        if (!target) return Error::invalid(where + ": symlink without a target");
        replace(parent.get(), base);
        if (::symlinkat(target, parent.get(), base.c_str()) != 0) return errno_error("unpack: " + where);
        return {};
      }
      case AE_IFREG: return file(parent.get(), base, mode, archive_entry_size(e), where);
      default:
        return Error::invalid(where + ": device nodes, FIFOs and sockets are refused in a rootfs archive");
    }
  }

  UnpackStats stats;

 private:
  static void replace(int dir, const std::string& base) { ::unlinkat(dir, base.c_str(), 0); }

  Status hardlink(int parent, const std::string& base, const char* target, const std::string& where) {
    EW_ASSIGN(auto tparts, components(target));
    if (tparts.empty()) return Error::invalid(where + ": hard link to the root refused");
    EW_ASSIGN(UniqueFd tdir, open_parent(root_, tparts, tparts.size() - 1));
    replace(parent, base);
    if (::linkat(tdir.get(), tparts.back().c_str(), parent, base.c_str(), 0) != 0) {
      return errno_error("unpack: " + where + " (hard link to '" + target + "')");
    }
    return {};
  }

  Status file(int parent, const std::string& base, mode_t mode, int64_t size, const std::string& where) {
    if (size < 0 || static_cast<uint64_t>(size) > limits_.max_total_bytes - stats.bytes) {
      return Error::invalid("archive: unpacked size exceeds the limit of " + std::to_string(limits_.max_total_bytes) +
                            " bytes at " + where);
    }
    replace(parent, base);
    UniqueFd out(::openat(parent, base.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (!out.valid()) return errno_error("unpack: " + where);
    std::vector<char> buf(64 * 1024);
    for (;;) {
      const la_ssize_t n = archive_read_data(a_, buf.data(), buf.size());
      if (n < 0) return Error::invalid(where + ": " + archive_error_string(a_));
      if (n == 0) break;
      stats.bytes += static_cast<uint64_t>(n);
      if (stats.bytes > limits_.max_total_bytes) return Error::invalid("archive: unpacked size exceeds the limit");
      for (la_ssize_t done = 0; done < n;) {
        const ssize_t w = ::write(out.get(), buf.data() + done, static_cast<size_t>(n - done));
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return errno_error("unpack: writing " + where);
        done += w;
      }
    }
    ::fchmod(out.get(), mode);  // the umask must not change what the image asked for
    return {};
  }

  archive* a_;
  int root_;
  UnpackLimits limits_;
};

Result<UnpackStats> unpack_into(const std::string& image_path, const attest::Component& c, int root,
                                const UnpackLimits& limits) {
  UniqueFd img(::open(image_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!img.valid()) return errno_error("opening image " + image_path);
  RangeReader in{img.get(), c.offset, c.offset + c.size};
  std::unique_ptr<archive, ArchiveFree> a(archive_read_new());
  if (!a) return Error::internal("libarchive: out of memory");
  archive_read_support_format_tar(a.get());
  if (archive_read_open(a.get(), &in, nullptr, read_cb, nullptr) != ARCHIVE_OK) {
    return Error::invalid("rootfs archive of " + image_path + " is not a valid tar archive: " +
                          archive_error_string(a.get()));
  }
  Unpacker u(a.get(), root, limits);
  for (;;) {
    archive_entry* e = nullptr;
    const int rc = archive_read_next_header(a.get(), &e);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
      if (in.err) return errno_error("reading image " + image_path, in.err);
      return Error::invalid("rootfs archive of " + image_path + " is not a valid tar archive: " +
                            archive_error_string(a.get()));
    }
    EW_TRY(u.entry(e));
  }
  const void* rest = nullptr;
  while (in.read(&rest) > 0) {
  }
  if (in.err) return errno_error("reading image " + image_path, in.err);
  if (c.digest_kind == attest::DigestKind::kSha256 && in.hash.finish() != c.sha256) {
    return Error{ErrorCode::kPermission, "the rootfs archive of " + image_path +
                                             " does not match its signed digest (changed after verification?)"};
  }
  return u.stats;
}

}  // namespace

Result<UnpackStats> unpack_rootfs(const std::string& image_path, const attest::Component& c, const std::string& dest,
                                  const UnpackLimits& limits) {
  if (::mkdir(dest.c_str(), 0755) != 0) return errno_error("unpack: creating " + dest);
  auto result = [&]() -> Result<UnpackStats> {
    UniqueFd root(::open(dest.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!root.valid()) return errno_error("unpack: opening " + dest);
    return unpack_into(image_path, c, root.get(), limits);
  }();
  if (!result) {
    remove_tree(dest);
  }
  return result;
}

}  // namespace edgeward::launch
