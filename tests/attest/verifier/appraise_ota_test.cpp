// The OTA facts against the measured boot (verifier/appraise_ota.h): mismatches first, then
// absent facts, then the slots that match.
#include "attest/verifier/appraise_ota.h"

#include <gtest/gtest.h>

#include "attest/measure/launch.h"

namespace edgeward::attest {
namespace {

const Digest kBinaryA = sha256(std::string_view("runtime in slot A"));
const Digest kBinaryB = sha256(std::string_view("runtime in slot B"));

// A boot of `slot` running `binary`, reporting active A (kBinaryA) and trial B (kBinaryB).
Claims booted(const std::string& slot, const Digest& binary) {
  Claims c;
  c.events = {{kRegRuntime, EventType::kRuntimeBinary, binary, "edgeward /proc/self/exe"},
              {kRegOtaSlot, EventType::kOtaSlot, ota_slot_digest(slot), "slot " + slot}};
  OtaClaims o;
  o.active_slot = "A";
  o.active = {"", 0, kBinaryA};
  o.trial_slot = "B";
  o.trial = OtaInstalledClaim{"edgeward-x86_64", 5, kBinaryB};
  o.tries_left = 2;
  o.targets_version = 4;
  c.ota = o;
  return c;
}

struct Outcome {
  std::vector<std::string> checks, failures;
};

Outcome run(const Claims& c, const Reference& ref = {}) {
  Outcome o;
  appraise_ota(c, ref, o.checks, o.failures);
  return o;
}

bool mentions(const std::vector<std::string>& lines, const std::string& text) {
  for (const auto& l : lines) {
    if (l.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(AppraiseOta, Mismatches) {
  struct Case {
    const char* name;
    Claims claims;
    const char* failure;
  };
  Claims wrong_binary = booted("A", kBinaryB);
  Claims no_trial = booted("B", kBinaryB);
  no_trial.ota->trial_slot.clear();
  no_trial.ota->trial.reset();
  Claims no_slot_event = booted("A", kBinaryA);
  no_slot_event.events.pop_back();
  Claims odd_slot = booted("C", kBinaryA);
  Claims no_binary = booted("A", kBinaryA);
  no_binary.events.erase(no_binary.events.begin());
  const Case cases[] = {
      {"active slot runs other bytes", wrong_binary, "is not what the OTA state says slot A"},
      {"trial slot runs the active bytes", booted("B", kBinaryA), "does not run its recorded update"},
      {"booted slot neither active nor on trial", no_trial, "booted slot B is neither the OTA state's active slot (A) nor its trial slot (none)"},
      {"no slot measured", no_slot_event, "this boot measured no OTA slot"},
      {"slot digest of neither slot", odd_slot, "is neither slot A nor B"},
      {"no runtime binary measured", no_binary, "measured no runtime binary"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Outcome o = run(c.claims);
    EXPECT_TRUE(mentions(o.failures, c.failure)) << (o.failures.empty() ? "no failure" : o.failures[0]);
  }
}

TEST(AppraiseOta, ReferenceMinimumTargetsVersion) {
  Reference ref;
  ref.ota = ReferenceOta{5};
  const Outcome below = run(booted("A", kBinaryA), ref);
  EXPECT_TRUE(mentions(below.failures, "trusted targets metadata version 4 is below the reference's minimum 5"));
  ref.ota = ReferenceOta{4};
  const Outcome enough = run(booted("A", kBinaryA), ref);
  EXPECT_TRUE(enough.failures.empty()) << enough.failures[0];
  EXPECT_TRUE(mentions(enough.checks, "trusted targets metadata version 4 >= 4"));
}

TEST(AppraiseOta, AbsentFacts) {
  Claims c = booted("A", kBinaryA);
  c.ota.reset();
  const Outcome skipped = run(c);
  EXPECT_TRUE(skipped.failures.empty());
  EXPECT_TRUE(mentions(skipped.checks, "no OTA state"));
  Reference ref;
  ref.ota = ReferenceOta{};
  EXPECT_TRUE(mentions(run(c, ref).failures, "no OTA state in the evidence, but the reference requires it"));
}

TEST(AppraiseOta, ActiveAndTrialSlotsMatch) {
  const Outcome active = run(booted("A", kBinaryA));
  EXPECT_TRUE(active.failures.empty()) << active.failures[0];
  EXPECT_TRUE(mentions(active.checks, "booted slot A is the OTA state's active slot"));
  EXPECT_TRUE(mentions(active.checks, "runtime binary measured at boot is slot A (factory version 0"));
  const Outcome trial = run(booted("B", kBinaryB));
  EXPECT_TRUE(trial.failures.empty()) << trial.failures[0];
  EXPECT_TRUE(mentions(trial.checks, "booted slot B is the OTA state's trial slot"));
  EXPECT_TRUE(mentions(trial.checks, "slot B (edgeward-x86_64 version 5"));
  // An install during the boot (the trial slot written) changes nothing about what runs.
  Claims installed = booted("A", kBinaryA);
  installed.events.push_back({kRegOtaInstall, EventType::kOtaInstall, kBinaryB, "runtime edgeward-x86_64 version 5 -> slot B"});
  EXPECT_TRUE(run(installed).failures.empty());
}

}  // namespace
}  // namespace edgeward::attest
