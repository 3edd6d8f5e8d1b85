#include "attest/crypto/keys.h"

#include <mbedtls/asn1.h>
#include <mbedtls/ecp.h>

#include <algorithm>

#include "attest/error.h"
#include "attest/fileio.h"

namespace edgeward::attest {
namespace {

// One DER INTEGER as a 32-byte big-endian scalar; false if it does not fit (>= 2^256).
bool read_scalar(unsigned char** p, const unsigned char* end, Scalar& out) {
  size_t len = 0;
  if (mbedtls_asn1_get_tag(p, end, &len, MBEDTLS_ASN1_INTEGER) != 0) return false;
  const unsigned char* v = *p;
  *p += len;
  while (len > 0 && *v == 0) ++v, --len;  // leading zero octets (sign byte)
  if (len > out.size()) return false;
  out.fill(0);
  std::copy(v, v + len, out.end() - static_cast<ptrdiff_t>(len));
  return true;
}

// ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }, exactly filling `der` (as mbedTLS reads it).
bool decode_der_signature(std::span<const uint8_t> der, Scalar& r, Scalar& s) {
  unsigned char* p = const_cast<unsigned char*>(der.data());
  const unsigned char* end = der.data() + der.size();
  size_t len = 0;
  if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0) return false;
  if (p + len != end) return false;
  return read_scalar(&p, end, r) && read_scalar(&p, end, s) && p == end;
}

}  // namespace

Result<PrivateKey> PrivateKey::generate() {
  auto ctx = std::make_unique<PkContext>();
  int rc = mbedtls_pk_setup(ctx->get(), mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
  if (rc != 0) return mbed_error(rc, "setting up a P-256 key");
  rc = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(*ctx->get()), Rng::fill,
                           Rng::thread_instance().self());
  if (rc != 0) return mbed_error(rc, "generating a P-256 key");
  return PrivateKey(std::move(ctx));
}

Result<PrivateKey> PrivateKey::from_pem(std::string_view pem, std::string_view source) {
  auto ctx = std::make_unique<PkContext>();
  std::string buf(pem);  // mbedTLS needs the terminating NUL counted in the length for PEM
  const int rc = mbedtls_pk_parse_key(ctx->get(), reinterpret_cast<const unsigned char*>(buf.c_str()), buf.size() + 1,
                                      nullptr, 0);
  if (rc != 0) return mbed_error(rc, std::string(source) + ": not a private key in PEM", Errc::kMalformed);
  EW_TRY(require_p256(ctx->get(), source));
  return PrivateKey(std::move(ctx));
}

Result<PrivateKey> PrivateKey::load(const std::string& path) {
  EW_ASSIGN(std::string pem, read_text_file(path, 16 * 1024));
  return from_pem(pem, path);
}

Result<std::string> PrivateKey::to_pem() const {
  unsigned char buf[1024];
  const int rc = mbedtls_pk_write_key_pem(ctx_->get(), buf, sizeof buf);
  if (rc != 0) return mbed_error(rc, "writing a private key as PEM");
  return std::string(reinterpret_cast<const char*>(buf));
}

Result<std::vector<uint8_t>> PrivateKey::public_der() const {
  unsigned char buf[256];
  const int n = mbedtls_pk_write_pubkey_der(ctx_->get(), buf, sizeof buf);
  if (n < 0) return mbed_error(n, "writing a public key as DER");
  return std::vector<uint8_t>(buf + sizeof buf - n, buf + sizeof buf);  // written at the end
}

Result<std::vector<uint8_t>> PrivateKey::sign(const Digest& digest) const {
  std::vector<uint8_t> sig(MBEDTLS_PK_SIGNATURE_MAX_SIZE);
  size_t len = 0;
  const int rc = mbedtls_pk_sign(ctx_->get(), MBEDTLS_MD_SHA256, digest.data(), digest.size(), sig.data(), &len,
                                 Rng::fill, Rng::thread_instance().self());
  if (rc != 0) return mbed_error(rc, "signing with ECDSA P-256");
  sig.resize(len);
  return sig;
}

Status require_p256(mbedtls_pk_context* pk, std::string_view what) {
  if (!mbedtls_pk_can_do(pk, MBEDTLS_PK_ECDSA) || mbedtls_pk_ec(*pk)->grp.id != MBEDTLS_ECP_DP_SECP256R1) {
    return make_error(Errc::kUntrusted, std::string(what) + ": key is not ECDSA P-256 (the only algorithm accepted)");
  }
  return {};
}

Result<EcdsaP256Key> ecdsa_key(const mbedtls_pk_context* pk, std::string_view what) {
  EW_TRY(require_p256(const_cast<mbedtls_pk_context*>(pk), what));
  const mbedtls_ecp_keypair* ec = mbedtls_pk_ec(*pk);
  unsigned char point[65];
  size_t len = 0;
  const int rc = mbedtls_ecp_point_write_binary(&ec->grp, &ec->Q, MBEDTLS_ECP_PF_UNCOMPRESSED, &len, point, sizeof point);
  if (rc != 0) return mbed_error(rc, std::string(what) + ": exporting the public key");
  auto key = EcdsaP256Key::from_point(std::span(point, len));
  if (!key) return make_error(Errc::kUntrusted, std::string(what) + ": public key is not a point on P-256");
  return std::move(*key);
}

Status verify_signature(const EcdsaP256Key& key, const Digest& digest, std::span<const uint8_t> signature,
                        std::string_view what) {
  if (signature.empty() || signature.size() > kMaxSignatureBytes) {
    return make_error(Errc::kUntrusted, std::string(what) + " does not verify (signature is missing or has a bad length: " +
                                            std::to_string(signature.size()) + " bytes)");
  }
  Scalar r{}, s{};
  if (!decode_der_signature(signature, r, s)) {
    return make_error(Errc::kUntrusted, std::string(what) + " does not verify (not a DER ECDSA signature)");
  }
  if (!key.verify(digest, r, s)) return make_error(Errc::kUntrusted, std::string(what) + " does not verify");
  return {};
}

Status verify_signature(mbedtls_pk_context* pk, const Digest& digest, std::span<const uint8_t> signature,
                        std::string_view what) {
  EW_ASSIGN(EcdsaP256Key key, ecdsa_key(pk, what));
  return verify_signature(key, digest, signature, what);
}

}  // namespace edgeward::attest
