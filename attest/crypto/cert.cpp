#include "attest/crypto/cert.h"

#include <mbedtls/asn1.h>
#include <mbedtls/asn1write.h>
#include <mbedtls/oid.h>

#include <algorithm>
#include <cstdint>
#include <ctime>

#include "attest/error.h"
#include "attest/fileio.h"
#include "common/utc_time.h"

namespace edgeward::attest {
namespace {

// Only SHA-256+ and P-256 (RFC 5480 / our fleet policy); RSA is refused outright.
const mbedtls_x509_crt_profile kProfile = {
    MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA256) | MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA384),
    MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_ECKEY) | MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_ECDSA),
    MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP256R1),
    2048,
};

struct Usage {
  unsigned key_usage;
  const char* eku_oid;  // nullptr: none
  size_t eku_len;
};

Usage usage_for(Purpose p) {
  switch (p) {
    case Purpose::kCa: return {MBEDTLS_X509_KU_KEY_CERT_SIGN | MBEDTLS_X509_KU_CRL_SIGN, nullptr, 0};
    case Purpose::kCodeSigning:
      return {MBEDTLS_X509_KU_DIGITAL_SIGNATURE, MBEDTLS_OID_CODE_SIGNING, MBEDTLS_OID_SIZE(MBEDTLS_OID_CODE_SIGNING)};
    case Purpose::kDevice:
      return {MBEDTLS_X509_KU_DIGITAL_SIGNATURE, MBEDTLS_OID_SERVER_AUTH, MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH)};
    case Purpose::kClient:
      return {MBEDTLS_X509_KU_DIGITAL_SIGNATURE, MBEDTLS_OID_CLIENT_AUTH, MBEDTLS_OID_SIZE(MBEDTLS_OID_CLIENT_AUTH)};
  }
  return {0, nullptr, 0};
}

// mbedTLS's X.509 writer wants validity as YYYYMMDDhhmmss.
std::string format_time(std::time_t t) { return format_utc(t, "%Y%m%d%H%M%S"); }

// DER of ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId (one purpose).
Result<std::vector<uint8_t>> eku_der(const Usage& u) {
  unsigned char buf[32];
  unsigned char* p = buf + sizeof buf;
  int len = 0, rc;
  if ((rc = mbedtls_asn1_write_oid(&p, buf, u.eku_oid, u.eku_len)) < 0) return mbed_error(rc, "encoding an EKU");
  len += rc;
  if ((rc = mbedtls_asn1_write_len(&p, buf, len)) < 0) return mbed_error(rc, "encoding an EKU");
  len += rc;
  if ((rc = mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)) < 0) {
    return mbed_error(rc, "encoding an EKU");
  }
  len += rc;
  return std::vector<uint8_t>(p, p + len);
}

int64_t unix_time(const mbedtls_x509_time& t) {
  std::tm tm{};
  tm.tm_year = t.year - 1900;
  tm.tm_mon = t.mon - 1;
  tm.tm_mday = t.day;
  tm.tm_hour = t.hour;
  tm.tm_min = t.min;
  tm.tm_sec = t.sec;
  return static_cast<int64_t>(timegm(&tm));
}

// mbedTLS calls this for every certificate of the path it verified, the trusted root included.
int narrow_window(void* window, mbedtls_x509_crt* crt, int /*depth*/, uint32_t* /*flags*/) {
  auto* w = static_cast<ValidityWindow*>(window);
  w->not_before = std::max(w->not_before, unix_time(crt->valid_from));
  w->not_after = std::min(w->not_after, unix_time(crt->valid_to));
  return 0;
}

std::string dn_text(const mbedtls_x509_name* name) {
  char buf[256];
  const int n = mbedtls_x509_dn_gets(buf, sizeof buf, name);
  return n < 0 ? std::string("?") : std::string(buf, static_cast<size_t>(n));
}

}  // namespace

std::string_view purpose_name(Purpose p) {
  switch (p) {
    case Purpose::kCa: return "CA";
    case Purpose::kCodeSigning: return "code signing";
    case Purpose::kDevice: return "device (serverAuth)";
    case Purpose::kClient: return "fleet client (clientAuth)";
  }
  return "?";
}

Result<CertChain> CertChain::parse(std::span<const uint8_t> data, std::string_view source) {
  CertChain chain;
  const bool pem = data.size() > 10 && std::string_view(reinterpret_cast<const char*>(data.data()), 10) == "-----BEGIN";
  int rc;
  if (pem) {
    std::string buf(data.begin(), data.end());
    rc = mbedtls_x509_crt_parse(chain.get(), reinterpret_cast<const unsigned char*>(buf.c_str()), buf.size() + 1);
  } else {
    rc = mbedtls_x509_crt_parse_der(chain.get(), data.data(), data.size());
  }
  if (rc != 0) {
    return mbed_error(rc, std::string(source) + ": not a valid X.509 certificate" + (rc > 0 ? " (some failed)" : ""),
                      Errc::kMalformed);
  }
  return chain;
}

Result<CertChain> CertChain::parse(std::string_view pem, std::string_view source) {
  return parse(std::span(reinterpret_cast<const uint8_t*>(pem.data()), pem.size()), source);
}

Result<CertChain> CertChain::load(const std::string& path) {
  EW_ASSIGN(auto bytes, read_file(path, 64 * 1024));
  return parse(bytes, path);
}

Result<CertChain> CertChain::parse_der_chain(std::span<const uint8_t> data, std::string_view source) {
  CertChain chain;
  if (data.empty()) return make_error(Errc::kMalformed, std::string(source) + ": no certificate");
  size_t pos = 0;
  while (pos < data.size()) {
    unsigned char* p = const_cast<unsigned char*>(data.data() + pos);
    size_t len = 0;
    int rc = mbedtls_asn1_get_tag(&p, data.data() + data.size(), &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE);
    if (rc != 0) return mbed_error(rc, std::string(source) + ": bad DER certificate framing", Errc::kMalformed);
    const size_t total = static_cast<size_t>(p - (data.data() + pos)) + len;
    rc = mbedtls_x509_crt_parse_der(chain.get(), data.data() + pos, total);
    if (rc != 0) return mbed_error(rc, std::string(source) + ": not a valid X.509 certificate", Errc::kMalformed);
    pos += total;
  }
  return chain;
}

bool CertChain::leaf_has_key(const std::vector<uint8_t>& public_der) const {
  unsigned char buf[256];
  const int n = mbedtls_pk_write_pubkey_der(&crt_->get()->pk, buf, sizeof buf);
  return n > 0 && std::vector<uint8_t>(buf + sizeof buf - n, buf + sizeof buf) == public_der;
}

std::vector<uint8_t> CertChain::der_chain() const {
  std::vector<uint8_t> out;
  for (const auto& d : all_der()) out.insert(out.end(), d.begin(), d.end());
  return out;
}

std::vector<uint8_t> CertChain::leaf_der() const {
  const auto* c = crt_->get();
  return std::vector<uint8_t>(c->raw.p, c->raw.p + c->raw.len);
}

std::vector<std::vector<uint8_t>> CertChain::all_der() const {
  std::vector<std::vector<uint8_t>> out;
  for (const mbedtls_x509_crt* c = crt_->get(); c && c->raw.p; c = c->next) out.emplace_back(c->raw.p, c->raw.p + c->raw.len);
  return out;
}

std::string CertChain::leaf_subject() const { return dn_text(&crt_->get()->subject); }

Status verify_chain(const CertChain& chain, const CertChain& roots, Purpose purpose, std::string_view what,
                    ValidityWindow* window) {
  if (chain.empty()) return make_error(Errc::kUntrusted, std::string(what) + ": no certificate");
  uint32_t flags = 0;
  ValidityWindow w{INT64_MIN, INT64_MAX};
  const int rc = mbedtls_x509_crt_verify_with_profile(chain.get(), roots.get(), nullptr, &kProfile, nullptr, &flags,
                                                      narrow_window, &w);
  if (rc != 0) {
    char info[512];
    const int n = mbedtls_x509_crt_verify_info(info, sizeof info, "", flags);
    std::string reasons = n > 0 ? std::string(info, static_cast<size_t>(n)) : mbed_strerror(rc);
    while (!reasons.empty() && reasons.back() == '\n') reasons.pop_back();
    for (auto& c : reasons) c = c == '\n' ? ';' : c;
    return make_error(Errc::kUntrusted, std::string(what) + " '" + chain.leaf_subject() +
                                            "' is not trusted by the fleet CA: " + reasons);
  }
  const Usage u = usage_for(purpose);
  if (mbedtls_x509_crt_check_key_usage(chain.get(), u.key_usage) != 0) {
    return make_error(Errc::kUntrusted, std::string(what) + " '" + chain.leaf_subject() +
                                            "': key usage does not allow " + std::string(purpose_name(purpose)));
  }
  if (u.eku_oid && mbedtls_x509_crt_check_extended_key_usage(chain.get(), u.eku_oid, u.eku_len) != 0) {
    return make_error(Errc::kUntrusted, std::string(what) + " '" + chain.leaf_subject() +
                                            "': extended key usage does not allow " +
                                            std::string(purpose_name(purpose)));
  }
  EW_TRY(require_p256(&chain.get()->pk, what));
  if (window) *window = w;
  return {};
}

Validity validity_days(int days) {
  const std::time_t now = std::time(nullptr);
  return {format_time(now - 3600), format_time(now + static_cast<std::time_t>(days) * 86400)};
}

Result<std::string> issue_certificate(mbedtls_pk_context* subject_key, const IssueSpec& spec,
                                      const PrivateKey& issuer_key, const CertChain* issuer) {
  X509WriteCrt w;
  Mpi serial;
  unsigned char serial_bytes[16];
  Rng::fill(Rng::thread_instance().self(), serial_bytes, sizeof serial_bytes);
  serial_bytes[0] &= 0x7f;  // positive
  int rc = mbedtls_mpi_read_binary(serial.get(), serial_bytes, sizeof serial_bytes);
  if (rc == 0) rc = mbedtls_x509write_crt_set_serial(w.get(), serial.get());
  mbedtls_x509write_crt_set_version(w.get(), MBEDTLS_X509_CRT_VERSION_3);
  mbedtls_x509write_crt_set_md_alg(w.get(), MBEDTLS_MD_SHA256);
  mbedtls_x509write_crt_set_subject_key(w.get(), subject_key);
  mbedtls_x509write_crt_set_issuer_key(w.get(), issuer_key.pk());
  const std::string issuer_name = issuer ? issuer->leaf_subject() : spec.subject;
  if (rc == 0) rc = mbedtls_x509write_crt_set_subject_name(w.get(), spec.subject.c_str());
  if (rc == 0) rc = mbedtls_x509write_crt_set_issuer_name(w.get(), issuer_name.c_str());
  if (rc == 0) {
    rc = mbedtls_x509write_crt_set_validity(w.get(), spec.validity.not_before.c_str(), spec.validity.not_after.c_str());
  }
  const bool ca = spec.purpose == Purpose::kCa;
  if (rc == 0) rc = mbedtls_x509write_crt_set_basic_constraints(w.get(), ca ? 1 : 0, ca ? 1 : -1);
  const Usage u = usage_for(spec.purpose);
  if (rc == 0) rc = mbedtls_x509write_crt_set_key_usage(w.get(), u.key_usage);
  if (rc == 0) rc = mbedtls_x509write_crt_set_subject_key_identifier(w.get());
  if (rc == 0) rc = mbedtls_x509write_crt_set_authority_key_identifier(w.get());
  if (rc != 0) return mbed_error(rc, "preparing certificate '" + spec.subject + "'");
  if (u.eku_oid) {
    EW_ASSIGN(auto eku, eku_der(u));
    rc = mbedtls_x509write_crt_set_extension(w.get(), MBEDTLS_OID_EXTENDED_KEY_USAGE,
                                             MBEDTLS_OID_SIZE(MBEDTLS_OID_EXTENDED_KEY_USAGE), 0, eku.data(),
                                             eku.size());
    if (rc != 0) return mbed_error(rc, "adding extended key usage");
  }
  unsigned char buf[4096];
  rc = mbedtls_x509write_crt_pem(w.get(), buf, sizeof buf, Rng::fill, Rng::thread_instance().self());
  if (rc != 0) return mbed_error(rc, "writing certificate '" + spec.subject + "'");
  return std::string(reinterpret_cast<const char*>(buf));
}

Result<std::string> make_csr(const PrivateKey& key, const std::string& subject) {
  X509WriteCsr w;
  mbedtls_x509write_csr_set_md_alg(w.get(), MBEDTLS_MD_SHA256);
  mbedtls_x509write_csr_set_key(w.get(), key.pk());
  int rc = mbedtls_x509write_csr_set_subject_name(w.get(), subject.c_str());
  if (rc != 0) return mbed_error(rc, "CSR subject '" + subject + "'", Errc::kMalformed);
  unsigned char buf[2048];
  rc = mbedtls_x509write_csr_pem(w.get(), buf, sizeof buf, Rng::fill, Rng::thread_instance().self());
  if (rc != 0) return mbed_error(rc, "writing a CSR");
  return std::string(reinterpret_cast<const char*>(buf));
}

Result<ParsedCsr> parse_csr(std::string_view pem, std::string_view source) {
  X509Csr csr;
  std::string buf(pem);
  int rc = mbedtls_x509_csr_parse(csr.get(), reinterpret_cast<const unsigned char*>(buf.c_str()), buf.size() + 1);
  if (rc != 0) return mbed_error(rc, std::string(source) + ": not a valid CSR", Errc::kMalformed);
  mbedtls_x509_csr* c = csr.get();
  // Proof of possession: the CSR is signed by the key it carries.
  if (c->sig_md != MBEDTLS_MD_SHA256) return make_error(Errc::kUntrusted, std::string(source) + ": CSR not signed with SHA-256");
  const Digest d = sha256(std::span(c->cri.p, c->cri.len));
  EW_TRY(require_p256(&c->pk, source));
  EW_TRY(verify_signature(&c->pk, d, std::span(c->sig.p, c->sig.len), std::string(source) + ": CSR signature"));
  ParsedCsr out;
  out.subject = dn_text(&c->subject);
  out.key = std::make_unique<PkContext>();
  unsigned char der[256];
  const int n = mbedtls_pk_write_pubkey_der(&c->pk, der, sizeof der);
  if (n < 0) return mbed_error(n, "copying the CSR key");
  rc = mbedtls_pk_parse_public_key(out.key->get(), der + sizeof der - n, static_cast<size_t>(n));
  if (rc != 0) return mbed_error(rc, "copying the CSR key");
  return out;
}

}  // namespace edgeward::attest
