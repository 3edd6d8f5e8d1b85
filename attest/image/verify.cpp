// image verify / inspect.
#include "attest/error.h"
#include "attest/image/container.h"
#include "attest/image/image.h"
#include "attest/image/merkle.h"

namespace edgeward::attest {
namespace {

Status verify_component(const ImageFile& img, const Component& c, unsigned threads) {
  const std::string what = img.path + ": component '" + c.name + "' (" + std::string(kind_name(c.kind)) + ")";
  if (c.digest_kind == DigestKind::kMerkle4k) {
    return verify_merkle(img.fd, img.path, c.offset, c.size, c.tree_offset, c.tree_size, c.sha256, threads, what);
  }
  Sha256 h;
  std::vector<uint8_t> buf(1 << 20);
  for (uint64_t done = 0; done < c.size;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(buf.size(), c.size - done));
    EW_TRY(pread_exact(img.fd, std::span(buf.data(), n), c.offset + done, img.path));
    h.update(std::span(buf.data(), n));
    done += n;
  }
  if (h.finish() != c.sha256) {
    return make_error(Errc::kUntrusted, what + ": SHA-256 does not match the signed manifest (content was modified)");
  }
  return {};
}

}  // namespace

Result<VerifiedImage> verify_image(const std::string& path, const CertChain& roots, unsigned threads) {
  EW_ASSIGN(ImageFile img, open_image(path));
  if (img.signature.empty()) {
    return make_error(Errc::kUntrusted, path + ": image is not signed (run 'edgeward image sign' on the fleet side)");
  }
  auto chain = CertChain::parse_der_chain(img.certs, path + ": signer certificate");
  if (!chain) return make_error(Errc::kUntrusted, std::move(chain).error().message);
  EW_TRY(verify_chain(*chain, roots, Purpose::kCodeSigning, path + ": signer certificate"));
  VerifiedImage out;
  out.manifest_digest = sha256(img.manifest_bytes);
  EW_TRY(verify_signature(&chain->get()->pk, out.manifest_digest, img.signature, path + ": manifest signature"));
  auto m = decode_manifest(img.manifest_bytes);
  if (!m) return std::move(m).error().context(path);
  out.manifest = std::move(m).value();
  out.signer = chain->leaf_subject();
  EW_TRY(check_layout(img, out.manifest));
  for (const Component& c : out.manifest.components) EW_TRY(verify_component(img, c, threads));
  return out;
}

Result<MerkleBlockVerifier> block_verifier(const std::string& image_path, const Component& c) {
  if (c.digest_kind != DigestKind::kMerkle4k) {
    return make_error(Errc::kMalformed, "component '" + c.name + "' has no Merkle tree (only rootfs disks do)");
  }
  if (c.tree_size != merkle_geometry(c.size).tree_bytes()) {
    return make_error(Errc::kMalformed, "component '" + c.name + "': Merkle tree size does not match its data size");
  }
  EW_ASSIGN(Fd fd, open_read(image_path));
  std::vector<uint8_t> tree(c.tree_size);
  EW_TRY(pread_exact(fd, tree, c.tree_offset, image_path));
  return MerkleBlockVerifier::create(c.size, std::move(tree), c.sha256);
}

Result<InspectedImage> inspect_image(const std::string& path) {
  EW_ASSIGN(ImageFile img, open_image(path));
  InspectedImage out;
  auto m = decode_manifest(img.manifest_bytes);
  if (!m) return std::move(m).error().context(path);
  out.manifest = std::move(m).value();
  out.manifest_digest = sha256(img.manifest_bytes);
  out.signed_ = !img.signature.empty();
  if (out.signed_) {
    auto chain = CertChain::parse_der_chain(img.certs, "signer certificate");
    out.signer = chain ? chain->leaf_subject() : "(unparsable certificate)";
  }
  return out;
}

}  // namespace edgeward::attest
