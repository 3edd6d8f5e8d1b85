// The device's OTA facts read from its OTA state directory (evidence/ota_facts.h).
#include "attest/evidence/ota_facts.h"

#include <gtest/gtest.h>

#include "attest/fileio.h"
#include "ota/slots/ota_store.h"
#include "tests/attest/testing.h"

namespace edgeward::attest {
namespace {

using testing::must;

const std::string kShaA = std::string(64, 'a');
const std::string kShaB = std::string(63, 'b') + "c";

ota::OtaState provisioned() {
  ota::OtaState s;
  s.slots["A"] = ota::Installed{"", 0, kShaA, "2026-12-01T00:00:00Z"};
  return s;
}

void write_state(const testing::TempDir& dir, const std::string& text) {
  ASSERT_TRUE(write_file_atomic(dir.file(ota::kStateFile), text).ok());
}

TEST(OtaFacts, DamagedStateIsAnErrorNamingTheFile) {
  testing::TempDir dir;
  write_state(dir, "{\"format\": 1}");
  auto r = gather_ota_claims(dir.path());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find(ota::kStateFile), std::string::npos) << r.error().message;
}

TEST(OtaFacts, NeverProvisionedIsNoOtaSection) {
  testing::TempDir dir;
  EXPECT_FALSE(must(gather_ota_claims(dir.path())).has_value());
  EXPECT_FALSE(must(gather_ota_claims(dir.file("missing"))).has_value());
}

TEST(OtaFacts, ProvisionedWithoutTrustedRoot) {
  testing::TempDir dir;
  write_state(dir, ota::state_json(provisioned()));
  const auto claims = must(gather_ota_claims(dir.path()));
  ASSERT_TRUE(claims.has_value());
  EXPECT_EQ(claims->root_version, 0u);
  EXPECT_EQ(claims->targets_version, 0u);
  EXPECT_EQ(claims->active_slot, "A");
  EXPECT_EQ(claims->active, (OtaInstalledClaim{"", 0, *digest_from_hex(kShaA)}));
  EXPECT_TRUE(claims->trial_slot.empty());
  EXPECT_FALSE(claims->trial.has_value());
  EXPECT_FALSE(claims->release.has_value());
}

TEST(OtaFacts, TrialSlotAndTrustedVersions) {
  ota::OtaState s = provisioned();
  s.slots["B"] = ota::Installed{"edgeward-x86_64", 5, kShaB, "2026-12-02T00:00:00Z"};
  s.trial = "B";
  s.tries_left = 2;
  s.release = ota::Installed{"fleet-1", 1, kShaA, "2026-12-01T00:00:00Z"};
  s.trial_release = ota::TrialRelease{ota::Installed{"fleet-2", 2, kShaB, "2026-12-02T00:00:00Z"}, {"web"}};
  ota::client::Trusted t;
  t.root.common.version = 3;
  t.targets = ota::tuf::Targets{};
  t.targets->common.version = 9;
  t.timestamp = ota::tuf::Timestamp{};
  t.timestamp->common.version = 12;
  const OtaClaims c = must(ota_claims_of(s, &t));
  EXPECT_EQ(c.root_version, 3u);
  EXPECT_EQ(c.targets_version, 9u);
  EXPECT_EQ(c.timestamp_version, 12u);
  EXPECT_EQ(c.snapshot_version, 0u);  // none verified yet
  EXPECT_EQ(c.trial_slot, "B");
  ASSERT_TRUE(c.trial.has_value());
  EXPECT_EQ(*c.trial, (OtaInstalledClaim{"edgeward-x86_64", 5, *digest_from_hex(kShaB)}));
  EXPECT_EQ(c.tries_left, 2u);
  EXPECT_EQ(c.slot("B"), &*c.trial);
  EXPECT_EQ(c.release, (OtaInstalledClaim{"fleet-1", 1, *digest_from_hex(kShaA)}));
  EXPECT_EQ(c.trial_release, (OtaInstalledClaim{"fleet-2", 2, *digest_from_hex(kShaB)}));
  // Without a trial, a leftover trial release is not claimed.
  s.trial.clear();
  EXPECT_FALSE(must(ota_claims_of(s, nullptr)).trial_release.has_value());
}

}  // namespace
}  // namespace edgeward::attest
