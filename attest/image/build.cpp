// image build: lays out payloads, Merkle trees and the manifest (see container.h).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "attest/error.h"
#include "attest/image/container.h"
#include "attest/image/image.h"
#include "attest/image/merkle.h"

namespace edgeward::attest {
namespace {

Error io_error(const std::string& path, const char* what) {
  return make_error(Errc::kIo, path + ": " + what + ": " + std::strerror(errno));
}

// Copies `in` to `out` at `offset`, returning its size and SHA-256.
Result<std::pair<uint64_t, Digest>> copy_payload(const std::string& in, const Fd& out, uint64_t offset,
                                                 const std::string& out_path) {
  EW_ASSIGN(Fd src, open_read(in));
  EW_ASSIGN(uint64_t size, file_size(src, in));
  Sha256 h;
  std::vector<uint8_t> buf(1 << 20);
  for (uint64_t done = 0; done < size;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(buf.size(), size - done));
    EW_TRY(pread_exact(src, std::span(buf.data(), n), done, in));
    h.update(std::span(buf.data(), n));
    EW_TRY(pwrite_all(out, std::span(buf.data(), n), offset + done, out_path));
    done += n;
  }
  return std::pair{size, h.finish()};
}

}  // namespace

Result<Manifest> build_image(const BuildSpec& spec, const std::string& out) {
  if (spec.inputs.empty()) return make_error(Errc::kMalformed, "image build: no components given");
  const std::string tmp = out + ".tmp";
  Fd fd(::open(tmp.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) return io_error(tmp, "cannot create");
  Manifest m = spec.manifest;
  m.components.clear();
  uint64_t pos = kAlign;
  for (const ComponentInput& in : spec.inputs) {
    Component c;
    c.kind = in.kind;
    c.name = in.name;
    c.offset = pos;
    EW_ASSIGN(auto copied, copy_payload(in.path, fd, pos, tmp));
    c.size = copied.first;
    c.sha256 = copied.second;
    pos = align_up(pos + c.size);
    if (in.kind == ComponentKind::kRootfsDisk && c.size > 0) {
      EW_ASSIGN(MerkleTree tree, build_merkle_tree(fd, tmp, c.offset, c.size, spec.threads));
      c.digest_kind = DigestKind::kMerkle4k;
      c.sha256 = tree.root;
      c.tree_offset = pos;
      c.tree_size = tree.bytes.size();
      EW_TRY(pwrite_all(fd, tree.bytes, pos, tmp));
      pos = align_up(pos + c.tree_size);
    }
    m.components.push_back(std::move(c));
  }
  EW_ASSIGN(auto manifest_bytes, encode_manifest(m));
  EW_TRY(decode_manifest(manifest_bytes));  // what we write must be what a device accepts
  EW_TRY(pwrite_all(fd, manifest_bytes, pos, tmp));
  ImageHeader h;
  h.manifest_offset = pos;
  h.manifest_len = static_cast<uint32_t>(manifest_bytes.size());
  EW_TRY(pwrite_all(fd, encode_header(h), 0, tmp));
  if (::ftruncate(fd.get(), static_cast<off_t>(pos + manifest_bytes.size())) != 0) return io_error(tmp, "truncate failed");
  if (::fsync(fd.get()) != 0) return io_error(tmp, "fsync failed");
  if (::rename(tmp.c_str(), out.c_str()) != 0) return io_error(out, "rename failed");
  return m;
}

Status sign_image(const std::string& path, const PrivateKey& key, const std::string& certs_pem) {
  EW_ASSIGN(ImageFile img, open_image(path));
  EW_TRY(decode_manifest(img.manifest_bytes));
  EW_ASSIGN(CertChain chain, CertChain::parse(certs_pem, "signer certificate"));
  EW_ASSIGN(auto pub, key.public_der());
  if (!chain.leaf_has_key(pub)) {
    return make_error(Errc::kMalformed, "the signer certificate '" + chain.leaf_subject() +
                                            "' does not belong to the signing key (check --key / --cert)");
  }
  const std::vector<uint8_t> certs = chain.der_chain();
  if (certs.size() > kMaxCertsBytes) return make_error(Errc::kMalformed, "signer certificates are too large");
  EW_ASSIGN(auto sig, key.sign(sha256(img.manifest_bytes)));
  Fd fd(::open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (fd.get() < 0) return io_error(path, "cannot open for writing");
  const uint64_t end = img.header.manifest_offset + img.header.manifest_len;
  EW_TRY(pwrite_all(fd, sig, end, path));
  EW_TRY(pwrite_all(fd, certs, end + sig.size(), path));
  if (::ftruncate(fd.get(), static_cast<off_t>(end + sig.size() + certs.size())) != 0) {
    return io_error(path, "truncate failed");
  }
  ImageHeader h = img.header;
  h.signature_len = static_cast<uint32_t>(sig.size());
  h.certs_len = static_cast<uint32_t>(certs.size());
  EW_TRY(pwrite_all(fd, encode_header(h), 0, path));
  if (::fsync(fd.get()) != 0) return io_error(path, "fsync failed");
  return {};
}

}  // namespace edgeward::attest
