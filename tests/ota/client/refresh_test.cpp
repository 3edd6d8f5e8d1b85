// The client's refresh loop (ota/client/refresh.h) against a repository the test writes itself
// (mini_repo.h), over file://: what is persisted, root rotations (followed, bounded, fast-forward
// recovery), the trusted clock that never goes backwards, trust installation, and refusals that
// leave the trusted metadata as it was.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "ota/client/refresh.h"
#include "ota/client/trusted_time.h"
#include "tests/ota/client/mini_repo.h"

namespace edgeward::ota::client {
namespace {

namespace fs = std::filesystem;
using testing::MiniRepo;
using tuf::testing::kDay;
using tuf::testing::kNow;
using tuf::testing::slurp;

class Refresh : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = (fs::temp_directory_path() / ("ew-ota-client-" + std::to_string(::getpid()))).string();
    fs::remove_all(base_);
    repo_ = std::make_unique<MiniRepo>(base_ + "/repo");
    tuf_ = base_ + "/state/tuf";
    ASSERT_TRUE(install_root(system_file_ops(), tuf_, repo_->keys.root_text(), false).ok());
  }
  void TearDown() override { fs::remove_all(base_); }
  Result<Refreshed> run(int64_t now = kNow, FetchLimits limits = {}) {
    return refresh(system_file_ops(), tuf_, Repository{repo_->url(), {}, limits}, now);
  }
  std::string trusted(const char* file) const { return slurp(tuf_ + "/" + file); }
  // A refusal whose message has `text`, with the refused role's trusted file (and the root)
  // unchanged; the roles above it may have been persisted, having passed every check.
  void expect_refused(const std::string& text, const char* file = "timestamp.json", int64_t now = kNow) {
    const std::string before = trusted("root.json") + trusted(file);
    auto r = run(now);
    ASSERT_FALSE(r.ok()) << "accepted";
    EXPECT_NE(r.error().message.find(text), std::string::npos) << r.error().message;
    EXPECT_EQ(before, trusted("root.json") + trusted(file)) << file << " changed";
  }

  std::string base_, tuf_;
  std::unique_ptr<MiniRepo> repo_;
};

TEST_F(Refresh, PersistsEachRoleAndTheClock) {
  repo_->publish(1, 1, 1);
  auto r = run();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->targets.targets.count("app.ewi"), 1u);
  EXPECT_EQ(trusted("timestamp.json"), slurp(repo_->dir + "/metadata/timestamp.json"));
  EXPECT_EQ(trusted("snapshot.json"), slurp(repo_->dir + "/metadata/1.snapshot.json"));
  EXPECT_EQ(trusted("targets.json"), slurp(repo_->dir + "/metadata/1.targets.json"));
  EXPECT_EQ(trusted_now(tuf_, 0).value(), kNow);
}

TEST_F(Refresh, NoTrustedRootSaysWhatToDo) {
  fs::remove(tuf_ + "/root.json");
  repo_->publish(1, 1, 1);
  auto r = run();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r.error().message.find("edgeward ota trust"), std::string::npos) << r.error().message;
}

TEST_F(Refresh, TrustRefusesARootNotSignedByItsOwnKeysAndASecondRootWithoutReplace) {
  tuf::testing::Repo other;
  const std::string unsigned_root = tuf::testing::sign(tuf::to_json(other.root), {});
  auto bad = install_root(system_file_ops(), base_ + "/other/tuf", unsigned_root, false);
  ASSERT_FALSE(bad.ok());
  EXPECT_FALSE(fs::exists(base_ + "/other/tuf/root.json"));
  auto again = install_root(system_file_ops(), tuf_, other.root_text(), false);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("--replace"), std::string::npos) << again.error().message;
  repo_->publish(1, 1, 1);
  ASSERT_TRUE(run().ok());
  ASSERT_TRUE(install_root(system_file_ops(), tuf_, other.root_text(), true).ok());
  EXPECT_FALSE(fs::exists(tuf_ + "/timestamp.json")) << "metadata verified under the old trust is forgotten";
}

TEST_F(Refresh, OneRefreshAtATime) {
  repo_->publish(1, 1, 1);
  const int fd = ::open((tuf_ + "/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  expect_refused("another `edgeward ota` command is refreshing");
  ::close(fd);
  EXPECT_TRUE(run().ok());
}

TEST_F(Refresh, RollbackOfEachRoleIsRefused) {
  repo_->publish(5, 5, 5);
  ASSERT_TRUE(run().ok());
  repo_->publish(4, 5, 5);
  expect_refused("timestamp: version 4 would roll back from trusted version 5");
  repo_->publish(6, 4, 5);
  expect_refused("timestamp: meta.snapshot.json: version 4 would roll back from trusted version 5");
  repo_->publish(7, 6, 4);
  expect_refused("snapshot: meta.targets.json: version 4 would roll back from trusted version 5", "snapshot.json");
}

TEST_F(Refresh, ASnapshotThatIsNotTheTimestampsIsRefused) {
  repo_->publish(1, 1, 1);
  repo_->write("1.snapshot.json", slurp(repo_->dir + "/metadata/1.snapshot.json") + " ");
  expect_refused("snapshot.json", "snapshot.json");
  EXPECT_FALSE(fs::exists(tuf_ + "/snapshot.json"));
}

TEST_F(Refresh, ExpiredMetadataIsRefusedPerRole) {
  repo_->publish(1, 1, 1, kNow - 1);
  expect_refused("timestamp: metadata expired");
  EXPECT_FALSE(fs::exists(tuf_ + "/timestamp.json"));
}

TEST_F(Refresh, TheTrustedClockNeverGoesBackwards) {
  repo_->publish(1, 1, 1, kNow + 10 * kDay);
  ASSERT_TRUE(remember_time(system_file_ops(), tuf_, kNow + 20 * kDay).ok());
  // The system clock was set back (no RTC, forged NTP): the metadata is still expired.
  expect_refused("timestamp: metadata expired", "timestamp.json", kNow);
  ASSERT_TRUE(remember_time(system_file_ops(), tuf_, kNow).ok());
  EXPECT_EQ(trusted_now(tuf_, kNow).value(), kNow + 20 * kDay) << "remember_time moved the clock back";
}

TEST_F(Refresh, RootRotationsAreFollowedAndBounded) {
  repo_->rotate(tuf::Role::kRoot);
  repo_->rotate(tuf::Role::kRoot);
  repo_->rotate(tuf::Role::kTargets);
  repo_->publish(1, 1, 1);
  FetchLimits limits;
  limits.max_root_rotations = 2;
  auto capped = run(kNow, limits);
  ASSERT_FALSE(capped.ok()) << "root v3 still lists the old targets key";
  EXPECT_NE(capped.error().message.find("targets"), std::string::npos) << capped.error().message;
  auto r = run();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->root.common.version, 4u);
  EXPECT_EQ(r->root_rotations, 1u) << "v2 and v3 were trusted by the bounded run";
}

TEST_F(Refresh, ARootNotSignedByTheTrustedRootKeysIsRefused) {
  repo_->publish(1, 1, 1);
  tuf::testing::Repo other(1, 1, 2);
  repo_->write("2.root.json", other.root_text());
  expect_refused("2.root.json");
}

TEST_F(Refresh, FastForwardRecoveryForgetsARoleWhoseKeysRotated) {
  repo_->publish(50, 50, 50);  // a compromised timestamp key pushed the versions up
  ASSERT_TRUE(run().ok());
  repo_->publish(1, 1, 1);
  expect_refused("timestamp: version 1 would roll back from trusted version 50");
  repo_->rotate(tuf::Role::kTimestamp);  // the repository recovers by rotating the key...
  repo_->publish(1, 50, 50);
  auto r = run();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->timestamp.common.version, 1u) << "...and the device forgot the old timestamp";
}

}  // namespace
}  // namespace edgeward::ota::client
