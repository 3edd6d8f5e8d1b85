// Workload images: build (fleet side), sign (fleet side), verify (device: before anything runs).
#pragma once

#include <string>
#include <vector>

#include "attest/crypto/cert.h"
#include "attest/crypto/keys.h"
#include "attest/image/manifest.h"
#include "attest/image/merkle.h"
#include "common/result.h"

namespace edgeward::attest {

struct ComponentInput {
  ComponentKind kind = ComponentKind::kKernel;
  std::string name;
  std::string path;
};

// Everything of the manifest except the components' placement and digests, plus input files.
struct BuildSpec {
  Manifest manifest;  // components are filled in by build_image
  std::vector<ComponentInput> inputs;
  unsigned threads = 2;
};

// Writes an unsigned image to `out` (crash-safe: temporary file + fsync + rename). Rootfs disk
// images get a Merkle tree; other components a flat SHA-256.
Result<Manifest> build_image(const BuildSpec& spec, const std::string& out);

// Signs `path` in place with `key`; `certs` is the PEM signer certificate (+ intermediates), which
// must match the key. Re-signing replaces an earlier signature.
Status sign_image(const std::string& path, const PrivateKey& key, const std::string& certs_pem);

struct VerifiedImage {
  Manifest manifest;
  Digest manifest_digest{};
  std::string signer;  // subject of the signer certificate
};

// Verifies everything, in this order: header, signer certificate chain to `roots` (validity, key
// usage, codeSigning), signature over the manifest, manifest structure, file layout, every
// component digest (Merkle trees on `threads` threads). Errors name what failed.
Result<VerifiedImage> verify_image(const std::string& path, const CertChain& roots, unsigned threads);

// For a reader that serves a verified image's rootfs disk lazily (the VMM's virtio-blk): the
// component's stored Merkle tree, checked block by block against the signed root on first use.
// `c` must come from a manifest returned by verify_image (its root is then signed).
Result<MerkleBlockVerifier> block_verifier(const std::string& image_path, const Component& c);

struct InspectedImage {
  Manifest manifest;
  Digest manifest_digest{};
  bool signed_ = false;
  std::string signer;  // as claimed by the certificate (not verified)
};
// Reads an image without checking trust (for display only).
Result<InspectedImage> inspect_image(const std::string& path);

}  // namespace edgeward::attest
