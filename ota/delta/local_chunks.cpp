// Finding an update's chunks on the device (see local_chunks.h).
#include "ota/delta/local_chunks.h"

#include <sys/stat.h>

#include "attest/fileio.h"
#include "ota/delta/fastcdc.h"

namespace edgeward::ota::delta {

LocalChunks find_local_chunks(const std::vector<std::string>& files,
                              const std::unordered_set<attest::Digest, DigestHash>& wanted) {
  LocalChunks out;
  for (const std::string& path : files) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    auto fd = attest::open_read(path);
    if (!fd) continue;
    const size_t file = out.files.size();
    out.files.push_back(path);
    // A read error ends this file's contribution; the chunks found before it stay usable
    // (each is verified again when it is copied).
    (void)chunk_file(*fd, path, [&](uint64_t offset, std::span<const uint8_t> bytes) -> Status {
      out.scanned_bytes += bytes.size();
      const attest::Digest d = attest::sha256(bytes);
      if (wanted.count(d) && !out.where.count(d)) {
        out.where.emplace(d, ChunkLocation{file, offset, static_cast<uint32_t>(bytes.size())});
      }
      return {};
    });
  }
  return out;
}

}  // namespace edgeward::ota::delta
