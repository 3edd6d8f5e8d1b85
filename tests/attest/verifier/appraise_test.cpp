// The verifier: evidence from a device appraised against references; every tampering or replay
// case is refused with a reason (error cases first), and good evidence is trusted.
#include "attest/verifier/appraise.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "attest/evidence/evidence.pb.h"
#include "attest/pb_util.h"
#include "attest/identity/identity.h"
#include "attest/measure/launch.h"
#include "tests/attest/testing.h"

namespace edgeward::attest {
namespace {

using testing::must;

struct Fixture {
  testing::Pki pki;
  testing::TempDir dir;
  DeviceIdentity id = must(open_identity(dir.path()));
  CertChain cert = must(CertChain::parse(must(enroll_device(must(read_text_file(id.csr_path, 4096)), pki.ca_key, pki.ca, 1)), "dev"));
  MeasurementState state;
  Digest manifest_digest = sha256(std::string_view("manifest of web"));
  std::vector<uint8_t> nonce = std::vector<uint8_t>(16, 7);
  Reference ref;

  Fixture() {
    auto store = must(MeasurementStore::open(dir.path()));
    EXPECT_TRUE(record_boot(store, "/proc/self/exe", "A").ok());
    Manifest m;
    m.name = "web";
    m.version = "1";
    EXPECT_TRUE(record_launch(store, m, manifest_digest, launch_config_for(m, "sandbox")).ok());
    state = store.state();
    ref.runtime_versions = {current_version().version};
    ref.images = {{"web", manifest_digest}};
  }
  std::vector<uint8_t> evidence(const KeyStore& keys, const std::string& workload = "") {
    return must(make_evidence(keys, cert, id.id, state, nonce, workload));
  }
};

Fixture& fx() {
  static Fixture f;
  return f;
}

void expect_untrusted(const std::vector<uint8_t>& ev, const std::vector<uint8_t>& nonce, const Reference& ref,
                      const std::string& reason) {
  auto v = appraise_evidence(ev, nonce, ref, fx().pki.ca);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_FALSE(v->trusted);
  bool found = false;
  for (const auto& f : v->failures) found = found || f.find(reason) != std::string::npos;
  EXPECT_TRUE(found) << "no failure mentions '" << reason << "'; first: " << (v->failures.empty() ? "" : v->failures[0]);
}

// Re-encodes evidence after editing its claims, keeping the original signature.
std::vector<uint8_t> edit_claims(const std::vector<uint8_t>& ev, void (*edit)(Claims&)) {
  Evidence e = must(decode_evidence(ev));
  edit(e.claims);
  auto claims = must(encode_claims(e.claims));
  auto msg = std::make_unique<edgeward_attest_Evidence>();
  pb::put_bytes(msg->claims, claims);
  pb::put_bytes(msg->signature, e.signature);
  pb::put_bytes(msg->device_cert, e.device_cert);
  return must(pb::encode(edgeward_attest_Evidence_fields, *msg, edgeward_attest_Evidence_size, "evidence"));
}

TEST(Appraise, ReplayedNonceIsRejected) {
  auto ev = fx().evidence(*fx().id.keys);
  expect_untrusted(ev, std::vector<uint8_t>(16, 8), fx().ref, "nonce does not match");
}

TEST(Appraise, EditedEventLogIsRejected) {
  auto ev = fx().evidence(*fx().id.keys);
  // Hide the launch: drop the last event and fix nothing else. Signature and replay both fail.
  expect_untrusted(edit_claims(ev, [](Claims& c) { c.events.pop_back(); }), fx().nonce, fx().ref,
                   "event log does not replay");
  expect_untrusted(edit_claims(ev, [](Claims& c) { c.events.pop_back(); }), fx().nonce, fx().ref,
                   "evidence signature does not verify");
}

TEST(Appraise, WrongDeviceKeyIsRejected) {
  testing::TempDir other;
  auto impostor = must(FileKeyStore::open_or_create(other.file("k")));
  auto ev = fx().evidence(*impostor);  // signed by a key that is not the certificate's
  expect_untrusted(ev, fx().nonce, fx().ref, "evidence signature does not verify");
}

TEST(Appraise, UntrustedDeviceCertificateIsRejected) {
  testing::Pki other;
  Reference ref = fx().ref;
  auto v = appraise_evidence(fx().evidence(*fx().id.keys), fx().nonce, ref, other.ca);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->trusted);
  EXPECT_NE(v->failures[0].find("not trusted by the fleet CA"), std::string::npos) << v->failures[0];
}

TEST(Appraise, UnknownImageVersionOrWorkloadIsRejected) {
  auto ev = fx().evidence(*fx().id.keys);
  Reference no_image = fx().ref;
  no_image.images[0].digest[0] ^= 1;
  expect_untrusted(ev, fx().nonce, no_image, "image 'web 1' (manifest sha256:");
  Reference old_runtime = fx().ref;
  old_runtime.runtime_versions = {"0.0.1"};
  expect_untrusted(ev, fx().nonce, old_runtime, "runtime version");
  expect_untrusted(fx().evidence(*fx().id.keys, "db"), fx().nonce, fx().ref, "requested workload 'db'");
}

TEST(Appraise, MalformedEvidenceIsAnError) {
  EXPECT_FALSE(appraise_evidence(std::vector<uint8_t>{1, 2, 3}, fx().nonce, fx().ref, fx().pki.ca).ok());
  auto ev = fx().evidence(*fx().id.keys);
  ev.resize(ev.size() / 2);
  EXPECT_FALSE(appraise_evidence(ev, fx().nonce, fx().ref, fx().pki.ca).ok());
}

TEST(Appraise, GoodEvidenceIsTrusted) {
  auto v = appraise_evidence(fx().evidence(*fx().id.keys, "web"), fx().nonce, fx().ref, fx().pki.ca);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_TRUE(v->trusted) << (v->failures.empty() ? "" : v->failures[0]);
  EXPECT_EQ(v->claims.device_id, fx().id.id);
  EXPECT_EQ(v->claims.events.size(), 4u);  // runtime, slot, manifest, launch config
  EXPECT_EQ(v->claims.boot_count, 1u);
}

TEST(Appraise, CachingVerifierStillChecksEveryAnswer) {
  Verifier verifier(fx().pki.ca, fx().ref);
  auto ev = fx().evidence(*fx().id.keys);
  auto first = verifier.appraise(ev, fx().nonce);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->trusted);
  // Same device (certificate now cached): a stale nonce and an edited log are still caught.
  auto stale = verifier.appraise(ev, std::vector<uint8_t>(16, 9));
  ASSERT_TRUE(stale.ok());
  EXPECT_FALSE(stale->trusted);
  auto edited = verifier.appraise(edit_claims(ev, [](Claims& c) { c.events[0].digest[3] ^= 1; }), fx().nonce);
  ASSERT_TRUE(edited.ok());
  EXPECT_FALSE(edited->trusted);
  EXPECT_GE(edited->failures.size(), 2u);  // signature and replay
}

TEST(Identity, KeyIsPrivateAndStable) {
  testing::TempDir dir;
  auto a = must(open_identity(dir.path()));
  struct stat st{};
  ASSERT_EQ(::stat(dir.file("device.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(must(open_identity(dir.path())).id, a.id);
  ::chmod(dir.file("device.key").c_str(), 0644);
  auto r = open_identity(dir.path());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("readable by group or others"), std::string::npos);
  EXPECT_FALSE(load_device_cert(dir.path(), *a.keys).ok());  // not enrolled yet
}

}  // namespace
}  // namespace edgeward::attest
