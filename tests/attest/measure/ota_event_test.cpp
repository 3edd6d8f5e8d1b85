// Measured OTA installs (measure/ota_event.h): refusals first, then the event each kind records,
// and the event log codec keeping the new type while still refusing unknown ones.
#include "attest/measure/ota_event.h"

#include <gtest/gtest.h>

#include "attest/measure/launch.h"
#include "tests/attest/testing.h"

namespace edgeward::attest {
namespace {

using testing::must;

const std::string kSha = std::string(64, 'a');

TEST(OtaInstallEvent, RefusesBadEventsAndRecordsNothing) {
  struct Case {
    const char* name;
    OtaInstallEvent event;
    const char* message;
  };
  const Case cases[] = {
      {"short sha256", {OtaInstallKind::kRuntime, "edgeward-x86_64", 5, "abcd", "B"}, "not 64 hex digits"},
      {"non-hex sha256", {OtaInstallKind::kRuntime, "edgeward-x86_64", 5, std::string(64, 'z'), "B"}, "not 64 hex digits"},
      {"empty target", {OtaInstallKind::kRuntime, "", 5, kSha, "B"}, "target name is empty"},
      {"target with a space", {OtaInstallKind::kWorkload, "web ewi", 5, kSha, "web"}, "spaces or control"},
      {"target with a newline", {OtaInstallKind::kRelease, "r\n1", 5, kSha, ""}, "spaces or control"},
      {"runtime to no slot", {OtaInstallKind::kRuntime, "edgeward-x86_64", 5, kSha, ""}, "slot \"A\" or \"B\""},
      {"runtime to slot C", {OtaInstallKind::kRuntime, "edgeward-x86_64", 5, kSha, "C"}, "slot \"A\" or \"B\""},
      {"workload without a name", {OtaInstallKind::kWorkload, "web.ewi", 2, kSha, ""}, "workload name"},
  };
  testing::TempDir dir;
  auto store = must(MeasurementStore::open(dir.path()));
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto st = record_ota_install(store, c.event);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, ErrorCode::kInvalidInput);
    EXPECT_NE(st.error().message.find(c.message), std::string::npos) << st.error().message;
  }
  EXPECT_TRUE(store.state().events.empty());
  EXPECT_EQ(store.state().counter, 0u);
}

TEST(OtaInstallEvent, RecordsEachKindInRegister5) {
  testing::TempDir dir;
  auto store = must(MeasurementStore::open(dir.path()));
  ASSERT_TRUE(record_boot(store, "/proc/self/exe", "A").ok());
  const Registers booted = store.state().registers;
  const std::string sha = to_hex(sha256(std::string_view("runtime 5")));
  ASSERT_TRUE(record_ota_install(store, {OtaInstallKind::kRuntime, "edgeward-x86_64", 5, sha, "B"}).ok());
  ASSERT_TRUE(record_ota_install(store, {OtaInstallKind::kWorkload, "web.ewi", 2, kSha, "web"}).ok());
  ASSERT_TRUE(record_ota_install(store, {OtaInstallKind::kRelease, "fleet-2026.12", 7, kSha, ""}).ok());
  const auto& events = store.state().events;
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[2], (Event{kRegOtaInstall, EventType::kOtaInstall, sha256(std::string_view("runtime 5")),
                              "runtime edgeward-x86_64 version 5 -> slot B"}));
  EXPECT_EQ(events[3].data, "workload web.ewi version 2 -> workload web");
  EXPECT_EQ(events[4].data, "release fleet-2026.12 version 7");
  EXPECT_EQ(events[4].digest, *digest_from_hex(kSha));
  // Only register 5 moved: R0 and R1 still say what was booted.
  for (size_t i = 0; i < kRegisters; ++i) {
    if (i != kRegOtaInstall) EXPECT_EQ(store.state().registers[i], booted[i]) << "register " << i;
  }
  EXPECT_NE(store.state().registers[kRegOtaInstall], Digest{});
  // Persisted: a reopened store replays the same registers from the log.
  auto again = must(MeasurementStore::open(dir.path()));
  EXPECT_EQ(again.state(), store.state());
  EXPECT_EQ(event_type_name(EventType::kOtaInstall), "ota-install");
}

TEST(OtaInstallEvent, LongLinesAreCutToTheEventDataLimit) {
  testing::TempDir dir;
  auto store = must(MeasurementStore::open(dir.path()));
  const std::string target(128, 't');
  ASSERT_TRUE(record_ota_install(store, {OtaInstallKind::kWorkload, target, 1, kSha, std::string(128, 'w')}).ok());
  EXPECT_EQ(store.state().events[0].data.size(), kMaxEventData);
}

TEST(OtaInstallEvent, LogCodecKeepsItAndRefusesUnknownTypes) {
  const Event install{kRegOtaInstall, EventType::kOtaInstall, sha256(std::string_view("x")), "runtime t version 1 -> slot B"};
  EXPECT_EQ(must(decode_event_log(must(encode_event_log(std::vector<Event>{install})))), std::vector<Event>{install});
  Event unknown = install;
  unknown.type = static_cast<EventType>(7);
  auto r = decode_event_log(must(encode_event_log(std::vector<Event>{unknown})));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("unknown type 7"), std::string::npos) << r.error().message;
  unknown.type = static_cast<EventType>(0);
  EXPECT_FALSE(decode_event_log(must(encode_event_log(std::vector<Event>{unknown}))).ok());
}

}  // namespace
}  // namespace edgeward::attest
