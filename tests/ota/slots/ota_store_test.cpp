// The A/B life cycle and the workload images: provision, install into the inactive slot as a
// trial, counted starts with automatic rollback (reason kept), mark-good only by the started
// update, anti-rollback floors, refused updates that change nothing, and workload images kept
// beside each other until the new one is healthy.
#include "ota/slots/ota_store.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/file.h>

#include <filesystem>

#include "tests/ota/slots/store_fixture.h"

namespace edgeward::ota {
namespace {

TEST_F(Store, ProvisionCopiesTheBinaryIntoSlotA) {
  EXPECT_EQ(store_->state().active, "A");
  EXPECT_EQ(slurp(store_->binary_path("A")), "factory runtime");
  EXPECT_EQ(store_->state().slots.at("A")->sha256, sha("factory runtime"));
  EXPECT_FALSE(store_->state().slots.at("B").has_value());
  auto again = OtaStore::provision(layout_, (root_ / "dl/factory").string(), 1);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("already provisioned"), std::string::npos);
  layout_.state_dir = (root_ / "nowhere").string();
  auto none = OtaStore::open(layout_);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
  EXPECT_NE(none.error().message.find("edgeward ota provision"), std::string::npos) << none.error().message;
}

TEST_F(Store, ANewRuntimeIsTriedThenMarkedGoodByItself) {
  ASSERT_TRUE(store_->install_runtime(update("rt", 2, "runtime v2")).ok());
  EXPECT_EQ(store_->state().trial, "B");
  EXPECT_EQ(slurp(store_->binary_path("B")), "runtime v2");
  EXPECT_EQ(slurp(store_->binary_path("A")), "factory runtime") << "the active slot was touched";
  auto second = store_->install_runtime(update("rt", 3, "runtime v3"));
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().message.find("slot B is on trial"), std::string::npos) << second.error().message;
  OtaStore s = reopen();
  EXPECT_EQ(*s.boot(), "B");
  auto wrong = s.mark_good(sha("factory runtime"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("only the started update can mark itself good"), std::string::npos);
  ASSERT_TRUE(s.mark_good(sha("runtime v2")).ok());
  EXPECT_EQ(s.state().active, "B");
  EXPECT_EQ(s.state().floors.at("rt"), 2u);
  EXPECT_EQ(*reopen().boot(), "B");
  auto nothing = s.mark_good("");
  ASSERT_FALSE(nothing.ok());
  EXPECT_NE(nothing.error().message.find("nothing to mark good"), std::string::npos);
}

TEST_F(Store, ATrialThatNeverMarksItselfGoodIsRolledBackWithTheReason) {
  ASSERT_TRUE(store_->install_runtime(update("rt", 2, "crashes at start")).ok());
  for (int start = 1; start <= 3; ++start) {
    OtaStore s = reopen();  // every start reads the state afresh
    auto slot = s.boot();
    ASSERT_TRUE(slot.ok()) << slot.error().message;
    EXPECT_EQ(*slot, "B") << "start " << start;
    EXPECT_EQ(s.state().tries_left, 3u - start);
  }
  OtaStore s = reopen();
  EXPECT_EQ(*s.boot(), "A") << "the fourth start must roll back";
  EXPECT_TRUE(s.state().trial.empty());
  EXPECT_NE(s.state().last_event.find("rolled back from slot B (rt version 2): 3 starts without mark-good"),
            std::string::npos) << s.state().last_event;
  EXPECT_EQ(reopen().state().last_event, s.state().last_event) << "the reason is kept for ota status";
  EXPECT_FALSE(s.state().floors.count("rt")) << "a failed update raised a floor";
}

TEST_F(Store, ATamperedTrialBinaryIsNeverRun) {
  ASSERT_TRUE(store_->install_runtime(update("rt", 2, "runtime v2")).ok());
  std::ofstream(store_->binary_path("B"), std::ios::binary) << "runtime v2 with a patch";
  OtaStore s = reopen();
  EXPECT_EQ(*s.boot(), "A");
  EXPECT_NE(s.state().last_event.find("does not match the recorded sha256"), std::string::npos) << s.state().last_event;
}

TEST_F(Store, ManualRollbackOfATrial) {
  ASSERT_TRUE(store_->install_runtime(update("rt", 2, "runtime v2")).ok());
  ASSERT_TRUE(store_->rollback("the canary failed").ok());
  EXPECT_EQ(store_->next_start(), "A");
  EXPECT_NE(store_->state().last_event.find("the canary failed"), std::string::npos);
  auto none = store_->rollback("again");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("nothing to roll back"), std::string::npos);
}

TEST_F(Store, RefusedUpdatesChangeNothing) {
  ASSERT_TRUE(store_->install_runtime(update("rt", 5, "runtime v5")).ok());
  ASSERT_TRUE(store_->mark_good(sha("runtime v5")).ok());
  const OtaState before = store_->state();
  auto older = store_->install_runtime(update("rt", 4, "runtime v4"));
  ASSERT_FALSE(older.ok());
  EXPECT_NE(older.error().message.find("below this device's anti-rollback floor 5"), std::string::npos)
      << older.error().message;
  Update lying = update("rt", 6, "runtime v6");
  lying.what.sha256 = sha("something else");
  auto bad_hash = store_->install_runtime(lying);
  ASSERT_FALSE(bad_hash.ok());
  EXPECT_NE(bad_hash.error().message.find("sha256"), std::string::npos);
  Update short_one = update("rt", 6, "runtime v6");
  short_one.length += 10;
  EXPECT_FALSE(store_->install_runtime(short_one).ok());
  Update bad_name = update("rt", 6, "runtime v6");
  bad_name.what.target = "../rt";
  EXPECT_FALSE(store_->install_runtime(bad_name).ok());
  OtaStore s = reopen();
  EXPECT_EQ(s.next_start(), before.active) << "a refused update changed the slot that runs";
  EXPECT_EQ(s.state().floors, before.floors);
  EXPECT_FALSE(std::filesystem::exists(s.binary_path("A") + ".part"));
  EXPECT_EQ(slurp(s.binary_path(before.active)), "runtime v5");
}

TEST_F(Store, WorkloadImagesStayBesideEachOtherUntilTheNewOneIsHealthy) {
  ASSERT_TRUE(store_->install_workload("app", update("app.ewi", 1, "app v1")).ok());
  ASSERT_TRUE(store_->workload_healthy("app").ok());
  const std::string v1 = *store_->workload_image("app");
  ASSERT_TRUE(store_->install_workload("app", update("app.ewi", 2, "app v2")).ok());
  const std::string v2 = *store_->workload_image("app");
  EXPECT_NE(v1, v2);
  EXPECT_EQ(slurp(v1), "app v1") << "the old image went before the new one proved healthy";
  EXPECT_EQ(slurp(v2), "app v2");
  ASSERT_TRUE(store_->workload_failed("app", "exited 1 three times").ok());
  EXPECT_EQ(*store_->workload_image("app"), v1);
  EXPECT_FALSE(std::filesystem::exists(v2));
  ASSERT_TRUE(store_->install_workload("app", update("app.ewi", 3, "app v3")).ok());
  ASSERT_TRUE(store_->install_workload("app", update("app.ewi", 4, "app v4")).ok()) << "a newer update supersedes a pending one";
  ASSERT_TRUE(store_->workload_healthy("app").ok());
  EXPECT_EQ(slurp(*store_->workload_image("app")), "app v4");
  EXPECT_FALSE(std::filesystem::exists(v1)) << "the old image outlived its healthy successor";
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(root_ / "state/workloads/app"),
                          std::filesystem::directory_iterator{}), 1);
  auto older = store_->install_workload("app", update("app.ewi", 3, "app v3"));
  ASSERT_FALSE(older.ok());
  EXPECT_NE(older.error().message.find("anti-rollback floor 4"), std::string::npos);
  EXPECT_FALSE(store_->install_workload("../app", update("app.ewi", 5, "x")).ok());
}

TEST_F(Store, OpenRemovesWhatACrashLeftBehind) {
  std::filesystem::create_directories(root_ / "state/workloads/app");
  std::ofstream(root_ / "state/workloads/app/deadbeef.ewi.part") << "half";
  std::ofstream(root_ / "state/ota-state.json.tmp") << "{";
  std::ofstream(store_->binary_path("B") + ".part") << "half a runtime";
  OtaStore s = reopen();
  EXPECT_FALSE(std::filesystem::exists(root_ / "state/workloads/app/deadbeef.ewi.part"));
  EXPECT_FALSE(std::filesystem::exists(root_ / "state/ota-state.json.tmp"));
  EXPECT_FALSE(std::filesystem::exists(s.binary_path("B") + ".part"));
}

TEST_F(Store, ADownloadIsMovedIntoPlaceAndStillVerified) {
  Update u = update("rt", 2, "runtime v2");
  u.consume = true;
  ASSERT_TRUE(store_->install_runtime(u).ok());
  EXPECT_FALSE(std::filesystem::exists(u.file)) << "the download was copied, not moved";
  EXPECT_EQ(slurp(store_->binary_path("B")), "runtime v2");
  EXPECT_EQ(std::filesystem::status(store_->binary_path("B")).permissions() & std::filesystem::perms::owner_exec,
            std::filesystem::perms::owner_exec);
  ASSERT_TRUE(store_->rollback("next").ok());
  Update lying = update("rt", 3, "runtime v3");
  lying.consume = true;
  lying.what.sha256 = sha("something else");
  auto refused = store_->install_runtime(lying);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("sha256"), std::string::npos) << refused.error().message;
  EXPECT_FALSE(std::filesystem::exists(store_->binary_path("B") + ".part"));
  EXPECT_TRUE(store_->state().trial.empty());
  Update app = update("app.ewi", 1, "app v1");
  app.consume = true;
  ASSERT_TRUE(store_->install_workload("app", app).ok());
  EXPECT_EQ(slurp(*store_->workload_image("app")), "app v1");
  EXPECT_EQ(std::filesystem::status(*store_->workload_image("app")).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST_F(Store, ChangesAreMadeOneAtATimeOnTheLatestState) {
  // Another process (here a second store) changed the state: a change made through this one
  // starts from what is on disk, not from what it read when it was opened.
  OtaStore other = reopen();
  ASSERT_TRUE(other.install_workload("app", update("app.ewi", 1, "app v1")).ok());
  ASSERT_TRUE(store_->workload_healthy("app").ok()) << "the change did not see the other process's install";
  EXPECT_EQ(slurp(*store_->workload_image("app")), "app v1");
  // While another process holds the state (an install), open(kNoWait) says so instead of waiting.
  const int fd = ::open((root_ / "state/ota.lock").c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  auto busy = OtaStore::open(layout_, system_file_ops(), LockWait::kNoWait);
  ASSERT_FALSE(busy.ok());
  EXPECT_NE(busy.error().message.find("is in use (an install is running)"), std::string::npos) << busy.error().message;
  ::close(fd);
  EXPECT_TRUE(OtaStore::open(layout_, system_file_ops(), LockWait::kNoWait).ok());
}

}  // namespace
}  // namespace edgeward::ota
