// The evidence's OTA section: hostile bytes first (every field the decoder must refuse, every
// truncation), then the round trip and the size of the largest evidence.
#include "attest/evidence/ota_claims.h"

#include <gtest/gtest.h>

#include <memory>

#include "attest/evidence/evidence.h"
#include "attest/evidence/evidence.pb.h"
#include "attest/identity/identity.h"
#include "attest/pb_util.h"
#include "tests/attest/testing.h"

namespace edgeward::attest {
namespace {

using testing::must;

OtaClaims full_ota() {
  OtaClaims o;
  o.root_version = 2;
  o.timestamp_version = 41;
  o.snapshot_version = 40;
  o.targets_version = 9;
  o.active_slot = "B";
  o.active = {"edgeward-x86_64", 5, sha256(std::string_view("five"))};
  o.trial_slot = "A";
  o.trial = OtaInstalledClaim{"edgeward-x86_64", 6, sha256(std::string_view("six"))};
  o.tries_left = 2;
  o.release = OtaInstalledClaim{"fleet-2026.11", 6, sha256(std::string_view("release 6"))};
  o.trial_release = OtaInstalledClaim{"fleet-2026.12", 7, sha256(std::string_view("release 7"))};
  return o;
}

Claims claims_with(std::optional<OtaClaims> ota) {
  Claims c;
  c.nonce.assign(16, 1);
  c.device_id = "dev";
  c.board = "generic-x86_64";
  c.runtime = current_version();
  c.events = {{0, EventType::kRuntimeBinary, sha256(std::string_view("bin")), "edgeward /proc/self/exe"}};
  c.registers = replay(c.events);
  c.ota = std::move(ota);
  return c;
}

// Encodes `c`, lets `edit` change the nanopb message, and re-encodes it.
std::vector<uint8_t> edited(const Claims& c, void (*edit)(edgeward_attest_Claims&)) {
  auto bytes = must(encode_claims(c));
  auto msg = std::make_unique<edgeward_attest_Claims>();
  EXPECT_TRUE(pb::decode(edgeward_attest_Claims_fields, *msg, bytes, bytes.size(), "claims").ok());
  edit(*msg);
  return must(pb::encode(edgeward_attest_Claims_fields, *msg, edgeward_attest_Claims_size, "claims"));
}

TEST(OtaClaims, RefusesHostileFields) {
  struct Case {
    const char* name;
    void (*edit)(edgeward_attest_Claims&);
    const char* message;
  };
  const Case cases[] = {
      {"active slot C", [](edgeward_attest_Claims& m) { std::strcpy(m.ota.active_slot, "C"); }, "active slot must be"},
      {"no active slot", [](edgeward_attest_Claims& m) { m.ota.active_slot[0] = 0; }, "active slot must be"},
      {"no active claim", [](edgeward_attest_Claims& m) { m.ota.has_active = false; }, "no claim for the active slot"},
      {"trial is the active slot", [](edgeward_attest_Claims& m) { std::strcpy(m.ota.trial_slot, "B"); }, "trial slot must be"},
      {"trial claim without a trial slot", [](edgeward_attest_Claims& m) { m.ota.trial_slot[0] = 0; }, "a trial claim needs"},
      {"trial slot without a claim", [](edgeward_attest_Claims& m) { m.ota.has_trial = false; }, "a trial claim needs"},
      {"too many tries", [](edgeward_attest_Claims& m) { m.ota.tries_left = 101; }, "tries left above 100"},
      {"control character in a target", [](edgeward_attest_Claims& m) { m.ota.active.target[0] = '\x1b'; },
       "active.target has spaces or control"},
      {"space in the release", [](edgeward_attest_Claims& m) { m.ota.release.target[2] = ' '; }, "release.target"},
      {"trial release without a trial",
       [](edgeward_attest_Claims& m) {
         m.ota.trial_slot[0] = 0;
         m.ota.has_trial = false;
       },
       "a trial release needs a trial slot"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = decode_claims(edited(claims_with(full_ota()), c.edit));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
    EXPECT_NE(r.error().message.find(c.message), std::string::npos) << r.error().message;
  }
}

TEST(OtaClaims, EveryTruncationIsRefused) {
  const auto bytes = must(encode_claims(claims_with(full_ota())));
  // The OTA section is the last field written: any cut inside it leaves a field short.
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto r = decode_claims(std::span(bytes.data(), n));
    if (r.ok()) {
      EXPECT_NE(r->ota, full_ota()) << "a cut at " << n << " of " << bytes.size() << " decoded whole";
    }
  }
  std::vector<uint8_t> longer = bytes;
  longer.push_back(0x62);  // field 12, length-delimited, no length
  EXPECT_FALSE(decode_claims(longer).ok());
}

TEST(OtaClaims, RoundTrip) {
  const Claims with = claims_with(full_ota());
  EXPECT_EQ(must(decode_claims(must(encode_claims(with)))), with);
  OtaClaims minimal;  // factory slot A, no trial, no trusted root, no releases
  minimal.active = {"", 0, sha256(std::string_view("factory"))};
  const Claims small = claims_with(minimal);
  EXPECT_EQ(must(decode_claims(must(encode_claims(small)))), small);
  const Claims without = claims_with(std::nullopt);
  auto decoded = must(decode_claims(must(encode_claims(without))));
  EXPECT_FALSE(decoded.ota.has_value());
  EXPECT_EQ(decoded, without);
  const OtaClaims o = full_ota();
  EXPECT_EQ(o.slot("B"), &o.active);
  EXPECT_EQ(o.slot("A"), &*o.trial);
  EXPECT_EQ(minimal.slot("B"), nullptr);
}

TEST(OtaClaims, RefusesTargetsLongerThanTheField) {
  OtaClaims o = full_ota();
  o.active.target = std::string(129, 't');
  auto r = encode_claims(claims_with(o));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("evidence.options"), std::string::npos);
  o.active.target = std::string(128, 't');
  EXPECT_TRUE(encode_claims(claims_with(o)).ok());
}

// The largest evidence a device can produce (a full event log of the longest events, the longest
// names, a trial and a release) fits kMaxEvidenceBytes and decodes.
TEST(OtaClaims, LargestEvidenceFitsTheCap) {
  testing::Pki pki;
  testing::TempDir dir;
  DeviceIdentity id = must(open_identity(dir.path()));
  CertChain cert = must(CertChain::parse(must(enroll_device(must(read_text_file(id.csr_path, 4096)), pki.ca_key, pki.ca, 1)), "dev"));
  MeasurementState state;
  state.events.assign(kMaxEvents, Event{7, EventType::kOtaInstall, Digest{}, std::string(kMaxEventData, 'x')});
  for (auto& e : state.events) e.digest.fill(0xff);
  state.registers = replay(state.events);
  state.boot_count = state.counter = ~0ull;
  OtaClaims o = full_ota();
  for (auto* s : {&o.active, &*o.trial, &*o.release, &*o.trial_release}) {
    s->target = std::string(128, 't');
    s->version = ~0ull;
  }
  o.root_version = o.timestamp_version = o.snapshot_version = o.targets_version = ~0ull;
  auto ev = must(make_evidence(*id.keys, cert, id.id, state, std::vector<uint8_t>(kMaxNonce, 0xff),
                               std::string(63, 'w'), o));
  EXPECT_LE(ev.size(), kMaxEvidenceBytes);
  EXPECT_EQ(must(decode_evidence(ev)).claims.ota, o);
}

}  // namespace
}  // namespace edgeward::attest
