// Measured launch: register extension, event log codec, crash-safe persisted state.
#include "attest/measure/store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

#include "attest/measure/launch.h"
#include "tests/attest/testing.h"

namespace edgeward::attest {
namespace {

using testing::must;

TEST(EventLog, RefusesMalformed) {
  const Event good{kRegManifest, EventType::kImageManifest, sha256(std::string_view("m")), "demo 1"};
  auto bytes = must(encode_event_log(std::vector<Event>{good}));
  std::vector<uint8_t> truncated(bytes.begin(), bytes.end() - 1);
  EXPECT_FALSE(decode_event_log(truncated).ok());
  Event bad_reg = good;
  bad_reg.register_index = 9;
  auto r = decode_event_log(must(encode_event_log(std::vector<Event>{bad_reg})));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("register 9"), std::string::npos);
  EXPECT_FALSE(encode_event_log(std::vector<Event>(kMaxEvents + 1, good)).ok());
  EXPECT_EQ(must(decode_event_log(bytes)), std::vector<Event>{good});
}

TEST(EventLog, ExtendIsPcrStyle) {
  Registers regs{};
  const Digest d = sha256(std::string_view("x"));
  extend(regs, 2, d);
  std::vector<uint8_t> concat(32, 0);
  concat.insert(concat.end(), d.begin(), d.end());
  EXPECT_EQ(regs[2], sha256(concat));
  EXPECT_EQ(regs[0], Digest{});
  const std::vector<Event> events{{2, EventType::kImageManifest, d, ""}};
  EXPECT_EQ(replay(events), regs);
}

TEST(Store, BootAndLaunchArePersistedAndReplayable) {
  testing::TempDir dir;
  {
    auto store = must(MeasurementStore::open(dir.path()));
    ASSERT_TRUE(record_boot(store, "/proc/self/exe", "B").ok());
    Manifest m;
    m.name = "web";
    m.version = "2";
    m.components.push_back({ComponentKind::kKernel, "kernel", 4096, 10, sha256(std::string_view("k"))});
    ASSERT_TRUE(record_launch(store, m, sha256(std::string_view("manifest")), launch_config_for(m, "kvm")).ok());
    EXPECT_EQ(store.state().events.size(), 5u);
  }
  struct stat st{};
  ASSERT_EQ(::stat(dir.file("measurements.pb").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_NE(::stat(dir.file("measurements.pb.tmp").c_str(), &st), 0) << "temporary file left behind";
  auto again = must(MeasurementStore::open(dir.path()));
  EXPECT_EQ(again.state().boot_count, 1u);
  EXPECT_EQ(again.state().counter, 5u);
  EXPECT_EQ(replay(again.state().events), again.state().registers);
  EXPECT_EQ(again.state().events[1].data, "slot B");
  // A new boot resets registers and log but not the counter.
  ASSERT_TRUE(again.begin_boot().ok());
  EXPECT_EQ(again.state().boot_count, 2u);
  EXPECT_EQ(again.state().counter, 5u);
  EXPECT_TRUE(again.state().events.empty());
}

TEST(Store, RefusesEditedStateFile) {
  testing::TempDir dir;
  auto store = must(MeasurementStore::open(dir.path()));
  ASSERT_TRUE(store.record({kRegManifest, EventType::kImageManifest, sha256(std::string_view("a")), "a 1"}).ok());
  MeasurementState edited = store.state();
  edited.events[0].digest[0] ^= 1;  // registers no longer match the log
  testing::write_bytes(dir.file("measurements.pb"), must(encode_state(edited)));
  auto r = MeasurementStore::open(dir.path());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("do not match the replayed event log"), std::string::npos);
}

TEST(Store, CrashBeforeRenameKeepsThePreviousState) {
  testing::TempDir dir;
  auto store = must(MeasurementStore::open(dir.path()));
  ASSERT_TRUE(store.record({kRegManifest, EventType::kImageManifest, sha256(std::string_view("a")), "a 1"}).ok());
  // A crash after writing the temporary but before the rename leaves a (possibly torn) .tmp.
  testing::write_bytes(dir.file("measurements.pb.tmp"), {1, 2, 3});
  auto reopened = must(MeasurementStore::open(dir.path()));
  EXPECT_EQ(reopened.state(), store.state());
}

TEST(Store, KilledWriterNeverLeavesACorruptState) {
  // A writer is SIGKILLed at random moments while it records; after each kill the state must
  // load (registers replay from the log) and hold at least what was there before.
  testing::TempDir dir;
  std::mt19937 rng(3);
  size_t before = 0;
  for (int round = 0; round < 15; ++round) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto store = MeasurementStore::open(dir.path());
      if (!store.ok()) ::_exit(1);
      for (;;) {
        if (!store->begin_boot().ok()) ::_exit(2);
        for (int i = 0; i < 20; ++i) {
          if (!store->record({kRegLaunch, EventType::kLaunchConfig, sha256(std::to_string(i)), "x"}).ok()) ::_exit(3);
        }
      }
    }
    // Until the writer has recorded something, give it longer (a loaded machine, or qemu-user
    // on aarch64, can take more than 45 ms for the first fsync'd write).
    std::this_thread::sleep_for(std::chrono::milliseconds(5 + rng() % 40 + (before == 0 ? 250 : 0)));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "writer failed by itself with exit code " << WEXITSTATUS(status);
    auto store = MeasurementStore::open(dir.path());
    ASSERT_TRUE(store.ok()) << "round " << round << ": " << store.error().message;
    EXPECT_GE(store->state().counter, before);
    EXPECT_EQ(replay(store->state().events), store->state().registers);
    before = store->state().counter;
  }
  EXPECT_GT(before, 0u) << "the writer never got to record anything";
}

TEST(Store, TwoWritersLoseNoMeasurement) {
  testing::TempDir dir;
  auto daemon = must(MeasurementStore::open(dir.path()));
  auto vmm = must(MeasurementStore::open(dir.path()));  // opened before the daemon records
  ASSERT_TRUE(daemon.record({kRegManifest, EventType::kImageManifest, sha256(std::string_view("a")), "a 1"}).ok());
  ASSERT_TRUE(vmm.record({kRegManifest, EventType::kImageManifest, sha256(std::string_view("b")), "b 1"}).ok());
  auto reread = must(MeasurementStore::open(dir.path()));
  ASSERT_EQ(reread.state().events.size(), 2u);
  EXPECT_EQ(reread.state().events[0].data, "a 1");
  EXPECT_EQ(reread.state().events[1].data, "b 1");
  EXPECT_EQ(reread.state().counter, 2u);
}

TEST(Store, FullLogIsRefusedNotTruncated) {
  testing::TempDir dir;
  auto store = must(MeasurementStore::open(dir.path()));
  std::vector<Event> many(kMaxEvents, {kRegLaunch, EventType::kLaunchConfig, Digest{}, "x"});
  ASSERT_TRUE(store.record_all(many).ok());
  auto r = store.record({kRegLaunch, EventType::kLaunchConfig, Digest{}, "one more"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("event log is full"), std::string::npos);
  EXPECT_EQ(store.state().events.size(), kMaxEvents);
}

}  // namespace
}  // namespace edgeward::attest
