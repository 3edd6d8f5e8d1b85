// The .ewi container: one file holding a workload image.
//
//   offset 0      header (64 bytes, little endian; zero-padded to 4 KiB):
//                   "EWIMAGE1"  magic
//                   u32 format (1), u32 reserved (0)
//                   u64 manifest_offset, u32 manifest_len, u32 signature_len, u32 certs_len
//                   zeros up to 64 bytes
//   4 KiB aligned component payloads, each followed (4 KiB aligned) by its Merkle tree if any
//   manifest      (nanopb Manifest, 4 KiB aligned), then immediately
//   signature     (DER ECDSA P-256 over SHA-256(manifest); absent until `image sign`), then
//   certificates  (DER, concatenated: the signer certificate, then any intermediates), then EOF.
//
// Every byte is accounted for: the header is parsed strictly, gaps between regions must be zero,
// regions may not overlap, and nothing may follow the certificates.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "attest/fileio.h"
#include "attest/image/manifest.h"
#include "common/result.h"

namespace edgeward::attest {

constexpr size_t kHeaderBytes = 64;
constexpr uint64_t kAlign = 4096;
constexpr size_t kMaxCertsBytes = 16 * 1024;

struct ImageHeader {
  uint64_t manifest_offset = 0;
  uint32_t manifest_len = 0;
  uint32_t signature_len = 0;
  uint32_t certs_len = 0;
};

std::array<uint8_t, kHeaderBytes> encode_header(const ImageHeader& h);
// Parses and checks a header against the size of the file it came from.
Result<ImageHeader> decode_header(std::span<const uint8_t> bytes, uint64_t file_size);

inline uint64_t align_up(uint64_t v) { return (v + kAlign - 1) / kAlign * kAlign; }

// An opened image: header and the small sections read into memory; payloads stay on disk.
struct ImageFile {
  std::string path;
  Fd fd;
  uint64_t size = 0;
  ImageHeader header;
  std::vector<uint8_t> manifest_bytes;
  std::vector<uint8_t> signature;
  std::vector<uint8_t> certs;
};

Result<ImageFile> open_image(const std::string& path);

// Checks that the regions named by `m` (payloads, trees) and the header, manifest, signature and
// certificates tile the file exactly, with only zero bytes in the gaps.
Status check_layout(const ImageFile& img, const Manifest& m);

}  // namespace edgeward::attest
