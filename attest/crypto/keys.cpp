#include "attest/crypto/keys.h"

#include <mbedtls/ecp.h>

#include "attest/error.h"
#include "attest/fileio.h"

namespace edgeward::attest {

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

Status verify_signature(mbedtls_pk_context* pk, const Digest& digest, std::span<const uint8_t> signature,
                        std::string_view what) {
  if (signature.empty() || signature.size() > kMaxSignatureBytes) {
    return make_error(Errc::kUntrusted, std::string(what) + ": signature is missing or has a bad length (" +
                                            std::to_string(signature.size()) + " bytes)");
  }
  const int rc = mbedtls_pk_verify(pk, MBEDTLS_MD_SHA256, digest.data(), digest.size(), signature.data(),
                                   signature.size());
  if (rc != 0) return mbed_error(rc, std::string(what) + " does not verify", Errc::kUntrusted);
  return {};
}

}  // namespace edgeward::attest
