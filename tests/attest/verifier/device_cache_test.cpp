// The verifier's device certificate cache cannot be abused: whatever differs from the certificate
// that verified (another certificate with the same subject and key, another CA with the same
// name, an expired path) is verified in full and refused; failures are not cached; revocation
// applies to cached certificates; a batch on two threads gives the same verdicts as one by one.
#include "attest/verifier/device_cache.h"

#include <gtest/gtest.h>

#include <ctime>

#include "attest/identity/identity.h"
#include "attest/verifier/appraise.h"
#include "tests/attest/testing.h"

namespace edgeward::attest {
namespace {

using testing::must;

int64_t g_now = 0;  // the verifier's clock in these tests
int64_t test_clock() { return g_now; }

struct Device {
  testing::Pki pki;
  testing::TempDir dir;
  DeviceIdentity id = must(open_identity(dir.path()));
  std::vector<uint8_t> nonce = std::vector<uint8_t>(16, 3);
  Reference ref;

  Device() { ref.runtime_versions = {current_version().version}; }

  // A certificate for this device's key and subject, issued by `ca_key`/`ca`.
  CertChain cert(const PrivateKey& ca_key, const CertChain& ca, Purpose p, Validity v) const {
    ParsedCsr csr = must(parse_csr(must(read_text_file(id.csr_path, 4096)), "csr"));
    return must(CertChain::parse(must(issue_certificate(csr.key->get(), {csr.subject, p, v}, ca_key, &ca)), "cert"));
  }
  CertChain good_cert() const { return cert(pki.ca_key, pki.ca, Purpose::kDevice, validity_days(1)); }
  std::vector<uint8_t> evidence(const CertChain& c) const {
    return must(make_evidence(*id.keys, c, id.id, MeasurementState{}, nonce, ""));
  }
};

bool mentions(const Verdict& v, const std::string& reason) {
  for (const auto& f : v.failures) {
    if (f.find(reason) != std::string::npos) return true;
  }
  return false;
}

struct ChangedCertCase {
  const char* name;
  enum { kOtherCaSameName, kFleetCaWrongPurpose, kFleetCaExpired } how;
  const char* reason;
};

TEST(DeviceCache, AnyOtherCertificateForTheSameDeviceIsVerifiedInFull) {
  Device d;
  testing::Pki other;  // a different CA key with the same CA name ("CN=test fleet CA")
  g_now = std::time(nullptr);
  Verifier verifier(d.pki.ca, d.ref, test_clock);
  const auto good = d.evidence(d.good_cert());
  ASSERT_TRUE(must(verifier.appraise(good, d.nonce)).trusted);
  ASSERT_EQ(verifier.cached_devices(), 1u);
  const ChangedCertCase cases[] = {
      {"same subject and key, other CA with the same name", ChangedCertCase::kOtherCaSameName,
       "not trusted by the fleet CA"},
      {"same subject and key, fleet CA, issued for clientAuth", ChangedCertCase::kFleetCaWrongPurpose,
       "extended key usage does not allow device"},
      {"same subject and key, fleet CA, expired", ChangedCertCase::kFleetCaExpired, "expired"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const CertChain changed =
        c.how == ChangedCertCase::kOtherCaSameName ? d.cert(other.ca_key, other.ca, Purpose::kDevice, validity_days(1))
        : c.how == ChangedCertCase::kFleetCaWrongPurpose
            ? d.cert(d.pki.ca_key, d.pki.ca, Purpose::kClient, validity_days(1))
            : d.cert(d.pki.ca_key, d.pki.ca, Purpose::kDevice, {"20200101000000", "20210101000000"});
    ASSERT_EQ(changed.leaf_subject(), d.good_cert().leaf_subject());
    const Verdict v = must(verifier.appraise(d.evidence(changed), d.nonce));
    EXPECT_FALSE(v.trusted);
    EXPECT_TRUE(mentions(v, c.reason)) << (v.failures.empty() ? "no failures" : v.failures[0]);
    EXPECT_EQ(verifier.cached_devices(), 1u);  // the failure was not cached
    EXPECT_TRUE(must(verifier.appraise(good, d.nonce)).trusted);  // and did not poison the entry
  }
}

TEST(DeviceCache, CachedCertificateIsRefusedOnceItsValidityEnds) {
  Device d;
  const int64_t start = std::time(nullptr);
  g_now = start;
  Verifier verifier(d.pki.ca, d.ref, test_clock);
  const auto ev = d.evidence(d.good_cert());  // valid from an hour ago for one day
  ASSERT_TRUE(must(verifier.appraise(ev, d.nonce)).trusted);
  ASSERT_EQ(verifier.cached_devices(), 1u);

  g_now = start + 2 * 86400;  // past notAfter: the cached entry must not be used
  Verdict later = must(verifier.appraise(ev, d.nonce));
  EXPECT_FALSE(later.trusted);
  EXPECT_TRUE(mentions(later, "is not valid at")) << (later.failures.empty() ? "" : later.failures[0]);
  EXPECT_EQ(verifier.cached_devices(), 0u);

  g_now = start - 2 * 3600;  // before notBefore
  EXPECT_FALSE(must(verifier.appraise(ev, d.nonce)).trusted);

  g_now = start;  // valid again: verified in full and cached again
  EXPECT_TRUE(must(verifier.appraise(ev, d.nonce)).trusted);
  EXPECT_EQ(verifier.cached_devices(), 1u);
}

TEST(DeviceCache, RevokedCertificateIsRefusedEvenWhenCached) {
  Device d;
  const CertChain cert = d.good_cert();
  Reference ref = d.ref;
  ref.revoked_device_certs = {sha256(cert.leaf_der())};
  g_now = std::time(nullptr);
  Verifier verifier(d.pki.ca, ref, test_clock);
  const auto ev = d.evidence(cert);
  for (int i = 0; i < 2; ++i) {  // first verified in full (and cached: the chain is fine), then from the cache
    SCOPED_TRACE(i);
    const Verdict v = must(verifier.appraise(ev, d.nonce));
    EXPECT_FALSE(v.trusted);
    EXPECT_TRUE(mentions(v, "is revoked by the reference")) << (v.failures.empty() ? "" : v.failures[0]);
  }
  EXPECT_EQ(verifier.cached_devices(), 1u);
  EXPECT_TRUE(must(verifier.appraise(d.evidence(d.good_cert()), d.nonce)).trusted);  // a re-issued certificate
}

TEST(DeviceCache, GarbageIsAnErrorAndNotCached) {
  Device d;
  DeviceCertCache cache(d.pki.ca);
  EXPECT_FALSE(cache.get(std::vector<uint8_t>{0x30, 0x03, 1, 2, 3}, std::time(nullptr)).ok());
  EXPECT_EQ(cache.size(), 0u);
  const auto der = d.good_cert().leaf_der();
  auto first = must(cache.get(der, std::time(nullptr)));
  auto second = must(cache.get(der, std::time(nullptr)));
  EXPECT_TRUE(first->chain.ok());
  EXPECT_EQ(first, second);  // the same entry: no second verification
  EXPECT_EQ(cache.size(), 1u);
}

TEST(Verifier, BatchOnTwoThreadsGivesTheVerdictsOfOneByOne) {
  Device d;
  testing::Pki other;
  g_now = std::time(nullptr);
  Verifier verifier(d.pki.ca, d.ref, test_clock);
  const auto good = d.evidence(d.good_cert());
  const auto stranger = d.evidence(d.cert(other.ca_key, other.ca, Purpose::kDevice, validity_days(1)));
  const std::vector<uint8_t> garbage{1, 2, 3};
  const std::vector<uint8_t> stale(16, 4);
  std::vector<Verifier::Request> batch;
  for (int i = 0; i < 16; ++i) {
    batch.push_back({good, d.nonce});
    batch.push_back({good, stale});
    batch.push_back({stranger, d.nonce});
    batch.push_back({garbage, d.nonce});
  }
  const auto results = verifier.appraise_all(batch, 2);
  ASSERT_EQ(results.size(), batch.size());
  for (size_t i = 0; i < batch.size(); i += 4) {
    ASSERT_TRUE(results[i].ok() && results[i + 1].ok() && results[i + 2].ok());
    EXPECT_TRUE(results[i]->trusted);
    EXPECT_TRUE(mentions(*results[i + 1], "nonce does not match"));
    EXPECT_TRUE(mentions(*results[i + 2], "not trusted by the fleet CA"));
    EXPECT_FALSE(results[i + 3].ok());  // does not parse
  }
}

}  // namespace
}  // namespace edgeward::attest
