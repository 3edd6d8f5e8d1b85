#include "attest/image/container.h"

#include <algorithm>
#include <cstring>

#include "attest/crypto/keys.h"
#include "attest/error.h"

namespace edgeward::attest {
namespace {

constexpr char kMagic[8] = {'E', 'W', 'I', 'M', 'A', 'G', 'E', '1'};
constexpr uint32_t kFormat = 1;

void put32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
void put64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
uint32_t get32(const uint8_t* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | p[i];
  return v;
}
uint64_t get64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | p[i];
  return v;
}

Error bad_header(const std::string& m) { return make_error(Errc::kMalformed, "image header: " + m); }

struct Region {
  uint64_t offset;
  uint64_t size;
  std::string name;
};

}  // namespace

std::array<uint8_t, kHeaderBytes> encode_header(const ImageHeader& h) {
  std::array<uint8_t, kHeaderBytes> b{};
  std::memcpy(b.data(), kMagic, 8);
  put32(b.data() + 8, kFormat);
  put64(b.data() + 16, h.manifest_offset);
  put32(b.data() + 24, h.manifest_len);
  put32(b.data() + 28, h.signature_len);
  put32(b.data() + 32, h.certs_len);
  return b;
}

Result<ImageHeader> decode_header(std::span<const uint8_t> b, uint64_t file_size) {
  if (b.size() < kHeaderBytes) return bad_header("file is too short to be a workload image (.ewi)");
  if (std::memcmp(b.data(), kMagic, 8) != 0) return bad_header("bad magic: not a workload image (.ewi)");
  if (get32(b.data() + 8) != kFormat) {
    return bad_header("format " + std::to_string(get32(b.data() + 8)) + " is not supported (expected 1)");
  }
  if (get32(b.data() + 12) != 0) return bad_header("reserved field is not zero");
  for (size_t i = 36; i < kHeaderBytes; ++i) {
    if (b[i] != 0) return bad_header("reserved byte " + std::to_string(i) + " is not zero");
  }
  ImageHeader h;
  h.manifest_offset = get64(b.data() + 16);
  h.manifest_len = get32(b.data() + 24);
  h.signature_len = get32(b.data() + 28);
  h.certs_len = get32(b.data() + 32);
  if (h.manifest_offset < kAlign || h.manifest_offset % kAlign != 0 || h.manifest_offset > file_size) {
    return bad_header("manifest offset " + std::to_string(h.manifest_offset) + " is invalid");
  }
  if (h.manifest_len == 0 || h.manifest_len > kMaxManifestBytes) {
    return bad_header("manifest length " + std::to_string(h.manifest_len) + " is invalid");
  }
  if (h.signature_len > kMaxSignatureBytes) {
    return bad_header("signature length " + std::to_string(h.signature_len) + " is invalid");
  }
  if (h.certs_len > kMaxCertsBytes) return bad_header("certificate length " + std::to_string(h.certs_len) + " is invalid");
  if ((h.signature_len == 0) != (h.certs_len == 0)) return bad_header("signature without certificates or vice versa");
  const uint64_t end = h.manifest_offset + h.manifest_len + h.signature_len + h.certs_len;
  if (end != file_size) {
    return bad_header("sections end at " + std::to_string(end) + " but the file is " + std::to_string(file_size) +
                      " bytes (truncated or extended)");
  }
  return h;
}

Result<ImageFile> open_image(const std::string& path) {
  ImageFile img;
  img.path = path;
  EW_ASSIGN(img.fd, open_read(path));
  EW_ASSIGN(img.size, file_size(img.fd, path));
  uint8_t head[kHeaderBytes] = {};
  if (img.size < kHeaderBytes) return make_error(Errc::kMalformed, path + ": too short to be a workload image (.ewi)");
  EW_TRY(pread_exact(img.fd, head, 0, path));
  auto h = decode_header(head, img.size);
  if (!h) return std::move(h).error().context(path);
  img.header = *h;
  img.manifest_bytes.resize(h->manifest_len);
  img.signature.resize(h->signature_len);
  img.certs.resize(h->certs_len);
  EW_TRY(pread_exact(img.fd, img.manifest_bytes, h->manifest_offset, path));
  EW_TRY(pread_exact(img.fd, img.signature, h->manifest_offset + h->manifest_len, path));
  EW_TRY(pread_exact(img.fd, img.certs, h->manifest_offset + h->manifest_len + h->signature_len, path));
  return img;
}

Status check_layout(const ImageFile& img, const Manifest& m) {
  std::vector<Region> regions{{0, kHeaderBytes, "header"},
                              {img.header.manifest_offset, img.size - img.header.manifest_offset, "manifest"}};
  for (const auto& c : m.components) {
    regions.push_back({c.offset, c.size, "component '" + c.name + "'"});
    if (c.digest_kind == DigestKind::kMerkle4k) regions.push_back({c.tree_offset, c.tree_size, "Merkle tree of '" + c.name + "'"});
  }
  std::sort(regions.begin(), regions.end(), [](const Region& a, const Region& b) { return a.offset < b.offset; });
  uint64_t pos = 0;
  std::vector<uint8_t> gap;
  for (const Region& r : regions) {
    if (r.offset < pos || r.offset > img.size || r.size > img.size - r.offset) {
      return make_error(Errc::kUntrusted, img.path + ": " + r.name + " overlaps another region or lies outside the file");
    }
    if (r.offset - pos > kAlign) {
      return make_error(Errc::kUntrusted, img.path + ": unexplained " + std::to_string(r.offset - pos) +
                                              " bytes before " + r.name);
    }
    gap.assign(r.offset - pos, 0);
    EW_TRY(pread_exact(img.fd, gap, pos, img.path));
    if (std::any_of(gap.begin(), gap.end(), [](uint8_t b) { return b != 0; })) {
      return make_error(Errc::kUntrusted, img.path + ": padding before " + r.name + " is not zero (modified)");
    }
    pos = r.offset + r.size;
  }
  if (pos != img.size) return make_error(Errc::kUntrusted, img.path + ": data after the last region");
  return {};
}

}  // namespace edgeward::attest
