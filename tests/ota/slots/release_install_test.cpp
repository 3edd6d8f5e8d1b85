// A release (runtime + workload images) is one transaction: installed together on trial, made
// current together by mark-good, dropped together by a rollback (by hand or when the trial's
// starts are spent), refused whole, and its members' images cannot be promoted on their own.
#include <gtest/gtest.h>

#include <filesystem>

#include "ota/slots/ota_store.h"
#include "tests/ota/slots/store_fixture.h"

namespace edgeward::ota {
namespace {

class Release : public Store {
 protected:
  // Release "rel" version `v`: runtime "rt" and the images of workloads app and db.
  ReleaseUpdate release(uint64_t v, const std::string& app = "", const std::string& db = "") {
    ReleaseUpdate r;
    const std::string body = "release " + std::to_string(v);
    r.what = {"rel", v, sha(body), ""};
    r.runtime = update("rt", v, "runtime v" + std::to_string(v));
    r.workloads.emplace_back("app", update("app.ewi", v, app.empty() ? "app v" + std::to_string(v) : app));
    r.workloads.emplace_back("db", update("db.ewi", v, db.empty() ? "db v" + std::to_string(v) : db));
    return r;
  }
  size_t images(const std::string& workload) {
    const auto dir = root_ / "state/workloads" / workload;
    if (!std::filesystem::exists(dir)) return 0;
    return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator{}));
  }
};

TEST_F(Release, IsInstalledOnTrialAndMadeCurrentTogether) {
  ASSERT_TRUE(store_->install_workload("app", update("app.ewi", 1, "app v1")).ok());
  ASSERT_TRUE(store_->workload_healthy("app").ok());
  const std::string app_v1 = *store_->workload_image("app");

  ASSERT_TRUE(store_->install_release(release(2)).ok());
  const OtaState& st = store_->state();
  EXPECT_EQ(st.trial, "B");
  ASSERT_TRUE(st.trial_release.has_value());
  EXPECT_EQ(st.trial_release->what.target, "rel");
  EXPECT_EQ(st.trial_release->workloads, (std::vector<std::string>{"app", "db"}));
  EXPECT_EQ(slurp(*store_->workload_image("app")), "app v2") << "the trial runtime runs the release's images";
  EXPECT_EQ(slurp(app_v1), "app v1") << "the old image must stay until the release is good";
  EXPECT_FALSE(st.workloads.at("db").current.has_value());

  auto alone = store_->workload_healthy("app");
  ASSERT_FALSE(alone.ok());
  EXPECT_NE(alone.error().message.find("came with release rel version 2"), std::string::npos) << alone.error().message;
  EXPECT_FALSE(store_->install_workload("app", update("app.ewi", 9, "app v9")).ok()) << "a release member was superseded";

  OtaStore s = reopen();
  EXPECT_EQ(s.state(), store_->state()) << "the state file round-trips the release";
  ASSERT_EQ(*s.boot(), "B");
  ASSERT_TRUE(s.mark_good(sha("runtime v2")).ok());
  EXPECT_EQ(s.state().active, "B");
  EXPECT_FALSE(s.state().trial_release.has_value());
  ASSERT_TRUE(s.state().release.has_value());
  EXPECT_EQ(s.state().release->version, 2u);
  EXPECT_EQ(s.state().workloads.at("app").current->version, 2u);
  EXPECT_EQ(s.state().workloads.at("db").current->version, 2u);
  EXPECT_FALSE(s.state().workloads.at("app").pending.has_value());
  EXPECT_EQ((std::map<std::string, uint64_t>{{"app.ewi", 2}, {"db.ewi", 2}, {"rel", 2}, {"rt", 2}}), s.state().floors);
  EXPECT_FALSE(std::filesystem::exists(app_v1)) << "the old image outlived the release proven good";
  EXPECT_EQ(images("app"), 1u);
  EXPECT_NE(s.state().last_event.find("with release rel version 2"), std::string::npos) << s.state().last_event;
}

TEST_F(Release, ARollbackDropsTheRuntimeAndEveryImageWithIt) {
  ASSERT_TRUE(store_->install_workload("app", update("app.ewi", 1, "app v1")).ok());
  ASSERT_TRUE(store_->workload_healthy("app").ok());
  ASSERT_TRUE(store_->install_release(release(2)).ok());
  ASSERT_TRUE(store_->rollback("canary failed").ok());
  const OtaState& st = store_->state();
  EXPECT_EQ(st.active, "A");
  EXPECT_TRUE(st.trial.empty());
  EXPECT_FALSE(st.trial_release.has_value());
  EXPECT_FALSE(st.release.has_value());
  EXPECT_EQ(slurp(*store_->workload_image("app")), "app v1");
  EXPECT_FALSE(store_->workload_image("db").has_value());
  EXPECT_EQ(images("app"), 1u);
  EXPECT_EQ(images("db"), 0u);
  EXPECT_EQ(st.floors.count("rel"), 0u);
  EXPECT_NE(st.last_event.find("release rel version 2 dropped with it"), std::string::npos) << st.last_event;
}

TEST_F(Release, SpentTrialStartsRollTheWholeReleaseBack) {
  ASSERT_TRUE(store_->install_release(release(2)).ok());
  for (int i = 0; i < 3; ++i) ASSERT_EQ(*store_->boot(), "B");
  ASSERT_EQ(*store_->boot(), "A");
  EXPECT_FALSE(store_->state().trial_release.has_value());
  EXPECT_FALSE(store_->workload_image("app").has_value());
  EXPECT_EQ(images("app") + images("db"), 0u);
  EXPECT_NE(store_->state().last_event.find("3 starts without mark-good"), std::string::npos);
}

TEST_F(Release, AnUnchangedImageIsNotCopiedAndSurvivesBothOutcomes) {
  ASSERT_TRUE(store_->install_workload("app", update("app.ewi", 1, "same app")).ok());
  ASSERT_TRUE(store_->workload_healthy("app").ok());
  ASSERT_TRUE(store_->install_release(release(2, "same app")).ok());
  EXPECT_EQ(images("app"), 1u);
  ASSERT_TRUE(store_->rollback("by hand").ok());
  EXPECT_EQ(slurp(*store_->workload_image("app")), "same app");
  ASSERT_TRUE(store_->install_release(release(3, "same app")).ok());
  ASSERT_TRUE(store_->mark_good("").ok());
  EXPECT_EQ(slurp(*store_->workload_image("app")), "same app");
  EXPECT_EQ(images("app"), 1u);
}

TEST_F(Release, IsRefusedWholeBelowAFloorOrWhileATrialRuns) {
  ASSERT_TRUE(store_->install_release(release(3)).ok());
  ASSERT_TRUE(store_->mark_good("").ok());
  const OtaState good = store_->state();
  auto older = store_->install_release(release(2));
  ASSERT_FALSE(older.ok());
  EXPECT_NE(older.error().message.find("anti-rollback floor 3 for rel"), std::string::npos) << older.error().message;
  ReleaseUpdate bad_member = release(4);
  bad_member.workloads[1].second.what.sha256 = sha("something else");
  EXPECT_FALSE(store_->install_release(bad_member).ok()) << "a member whose bytes do not verify";
  EXPECT_TRUE(store_->state().trial.empty());
  EXPECT_EQ(store_->state().workloads, good.workloads);
  EXPECT_EQ(images("app"), 1u) << "the half-installed release left files";
  EXPECT_EQ(images("db"), 1u);
  EXPECT_EQ(reopen().state().workloads, good.workloads);
  ReleaseUpdate twice = release(4);
  twice.workloads[1].first = "app";
  EXPECT_FALSE(store_->install_release(twice).ok());
  ASSERT_TRUE(store_->install_runtime(update("rt", 5, "runtime v5")).ok());
  auto during = store_->install_release(release(6));
  ASSERT_FALSE(during.ok());
  EXPECT_NE(during.error().message.find("on trial"), std::string::npos);
}

}  // namespace
}  // namespace edgeward::ota
