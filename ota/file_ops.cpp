#include "ota/file_ops.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

#include "common/errno_error.h"

namespace edgeward::ota {

Result<UniqueFd> FileOps::create(const std::string& path, unsigned mode) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode));
  if (!fd.valid()) return errno_error("create " + path);
  return fd;
}

Status FileOps::write(int fd, std::span<const uint8_t> data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return errno_error("write " + path);
    done += static_cast<size_t>(n);
  }
  return {};
}

Status FileOps::fsync(int fd, const std::string& path) {
  if (::fsync(fd) != 0) return errno_error("fsync " + path);
  return {};
}

Status FileOps::rename(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return errno_error("rename " + from + " to " + to);
  return {};
}

Status FileOps::fsync_dir(const std::string& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid() || ::fsync(fd.get()) != 0) return errno_error("fsync directory " + dir);
  return {};
}

Status FileOps::unlink(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return errno_error("remove " + path);
  return {};
}

FileOps& system_file_ops() {
  static FileOps ops;
  return ops;
}

std::string parent_dir(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

Status durable_replace(FileOps& ops, const std::string& path, std::string_view data, unsigned mode) {
  const std::string tmp = path + ".tmp";
  {
    EW_ASSIGN(UniqueFd fd, ops.create(tmp, mode));
    EW_TRY(ops.write(fd.get(), {reinterpret_cast<const uint8_t*>(data.data()), data.size()}, tmp));
    EW_TRY(ops.fsync(fd.get(), tmp));
  }
  EW_TRY(ops.rename(tmp, path));
  return ops.fsync_dir(parent_dir(path));
}

Status durable_copy_verified(FileOps& ops, const std::string& from, const std::string& to, uint64_t length,
                             const attest::Digest& expected, unsigned mode, size_t chunk) {
  UniqueFd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in.valid()) return errno_error("open " + from);
  const std::string part = to + ".part";
  attest::Sha256 hash;
  attest::Digest got{};
  uint64_t total = 0;
  {
    EW_ASSIGN(UniqueFd out, ops.create(part, mode));
    std::vector<uint8_t> buf(chunk);
    for (;;) {
      const ssize_t n = ::read(in.get(), buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return errno_error("read " + from);
      if (n == 0) break;
      total += static_cast<uint64_t>(n);
      if (total > length) break;  // longer than announced: refused below, never copied whole
      const std::span<const uint8_t> bytes(buf.data(), static_cast<size_t>(n));
      hash.update(bytes);  // the bytes written are the bytes hashed
      EW_TRY(ops.write(out.get(), bytes, part));
    }
    if (total == length) got = hash.finish();
    if (total == length && got == expected) EW_TRY(ops.fsync(out.get(), part));
  }
  if (total != length) {
    (void)ops.unlink(part);
    return Error::invalid(from + ": " + (total > length ? "more than " : "") + std::to_string(total) +
                          " bytes, expected " + std::to_string(length));
  }
  if (got != expected) {
    (void)ops.unlink(part);
    return Error::invalid(from + ": sha256 " + attest::to_hex(got) + ", expected " + attest::to_hex(expected));
  }
  EW_TRY(ops.rename(part, to));
  return ops.fsync_dir(parent_dir(to));
}

Status durable_move_verified(FileOps& ops, const std::string& from, const std::string& to, uint64_t length,
                             const attest::Digest& expected, unsigned mode, size_t chunk) {
  struct stat src {}, dir {};
  if (::lstat(from.c_str(), &src) != 0) return errno_error("stat " + from);
  if (!S_ISREG(src.st_mode)) return Error::invalid(from + " is not a regular file");
  if (::stat(parent_dir(to).c_str(), &dir) != 0) return errno_error("stat " + parent_dir(to));
  if (src.st_dev != dir.st_dev) return durable_copy_verified(ops, from, to, length, expected, mode, chunk);
  const std::string part = to + ".part";
  EW_TRY(ops.rename(from, part));
  auto refuse = [&](const std::string& why) -> Status {
    (void)ops.unlink(part);
    return Error::invalid(from + ": " + why);
  };
  {
    UniqueFd fd(::open(part.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd.valid()) return errno_error("open " + part);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return errno_error("stat " + part);
    if (static_cast<uint64_t>(st.st_size) != length) {
      return refuse(std::to_string(st.st_size) + " bytes, expected " + std::to_string(length));
    }
    EW_ASSIGN(const attest::Digest got, attest::sha256_file(part));
    if (got != expected) return refuse("sha256 " + attest::to_hex(got) + ", expected " + attest::to_hex(expected));
    if (::fchmod(fd.get(), mode) != 0) return errno_error("chmod " + part);
    EW_TRY(ops.fsync(fd.get(), part));  // its bytes and its mode
  }
  EW_TRY(ops.rename(part, to));
  EW_TRY(ops.fsync_dir(parent_dir(to)));
  return ops.fsync_dir(parent_dir(from));
}

}  // namespace edgeward::ota
