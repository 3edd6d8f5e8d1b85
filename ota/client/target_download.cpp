// Target download (see target_download.h).
#include "ota/client/target_download.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "attest/crypto/sha256.h"
#include "attest/fileio.h"
#include "common/errno_error.h"
#include "ota/transport/downloader.h"
#include "ota/transport/open_source.h"

namespace edgeward::ota::client {

std::string target_file_name(const std::string& name, const std::string& sha256_hex, bool consistent_snapshot) {
  if (!consistent_snapshot) return name;
  const size_t slash = name.rfind('/');
  const size_t base = slash == std::string::npos ? 0 : slash + 1;
  return name.substr(0, base) + sha256_hex + "." + name.substr(base);
}

std::string download_path(const std::string& downloads_dir, const std::string& name, const std::string& sha256_hex) {
  const size_t slash = name.rfind('/');
  return downloads_dir + "/" + sha256_hex + "." + (slash == std::string::npos ? name : name.substr(slash + 1));
}

std::optional<std::string> complete_download(const std::string& downloads_dir, const std::string& name,
                                             const tuf::TargetFile& file) {
  const std::string& hex = file.hashes.at("sha256");
  const auto digest = attest::digest_from_hex(hex);
  if (!digest || !tuf::check_target_name(name)) return std::nullopt;
  const std::string path = download_path(downloads_dir, name, hex);
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || static_cast<uint64_t>(st.st_size) != file.length) {
    return std::nullopt;
  }
  auto got = attest::sha256_file(path);
  if (!got || *got != *digest) return std::nullopt;
  return path;
}

Result<std::string> download_target(const Repository& repo, const std::string& downloads_dir, const std::string& name,
                                    const tuf::TargetFile& file, bool consistent_snapshot, const ProgressFn& progress) {
  EW_TRY(tuf::check_target_name(name));  // never a path outside targets/ or downloads/
  const std::string& hex = file.hashes.at("sha256");
  const auto digest = attest::digest_from_hex(hex);
  if (!digest) return Error::invalid(name + ": sha256 is not 64 hex digits");
  if (::mkdir(downloads_dir.c_str(), 0700) != 0 && errno != EEXIST) return errno_error("mkdir " + downloads_dir);
  DownloadTarget target{download_path(downloads_dir, name, hex), file.length, *digest};
  // Downloaded before (`ota download`, or an install that stopped after it): reused once it verifies.
  if (auto done = complete_download(downloads_dir, name, file)) return *done;
  EW_ASSIGN(auto source, open_source(repo.url + "/targets/" + target_file_name(name, hex, consistent_snapshot),
                                     repo.transport));
  auto report = download(*source, target, progress);
  if (!report) return std::move(report).error().context("target " + name);
  return target.dest;
}

Result<std::vector<uint8_t>> download_target_bytes(const Repository& repo, const std::string& downloads_dir,
                                                   const std::string& name, const tuf::TargetFile& file,
                                                   bool consistent_snapshot, const ProgressFn& progress) {
  EW_ASSIGN(const std::string path, download_target(repo, downloads_dir, name, file, consistent_snapshot, progress));
  auto bytes = attest::read_file(path, file.length);
  ::unlink(path.c_str());
  return bytes;
}

}  // namespace edgeward::ota::client
