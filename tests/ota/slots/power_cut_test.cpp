// Power cut at every point: a runtime update (install into slot B, first start, mark-good), a
// workload update (install beside the image in use, healthy) and a release (both as one
// transaction, first start, mark-good) are each run once to count their
// create / write / fsync / rename / directory-fsync / unlink points, then once per point in a
// child process killed there — with every completed call kept (SIGKILL), and with what was not
// yet durable undone (a simulated power cut). After each: the state file parses, the slot the
// next start runs (or the image the daemon runs) is exactly the old or the new one and verifies,
// slot A (active, holding markers) is byte for byte unchanged, no version floor went backwards,
// nothing unreferenced is left, and the interrupted update then completes when run again.
#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <functional>
#include <random>

#include "ota/slots/ota_store.h"
#include "tests/ota/slots/crash_ops.h"

namespace edgeward::ota {
namespace {

using testing::Crash;
using testing::CrashOps;
using testing::read_if_exists;

std::string random_bytes(size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(gen());
  return s;
}

std::string hex_sha(const std::string& bytes) { return attest::to_hex(attest::sha256(bytes)); }

// Every file under `dir` with its content.
std::map<std::string, std::string> tree(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) files[e.path().string()] = *read_if_exists(e.path().string());
  }
  return files;
}

class PowerCut : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("ew-ota-powercut-" + std::to_string(getpid()));
    old_bin_ = random_bytes(200 * 1024 + 17, 1);
    new_bin_ = random_bytes(210 * 1024 + 5, 2);
    old_app_ = random_bytes(150 * 1024 + 3, 3);
    new_app_ = random_bytes(160 * 1024 + 9, 4);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  OtaLayout layout() const {
    OtaLayout l;
    l.state_dir = (root_ / "state").string();
    l.slot_dirs = {{"A", (root_ / "slots/a").string()}, {"B", (root_ / "slots/b").string()}};
    l.trial_starts = 2;
    l.copy_chunk = 16 * 1024;  // many write points
    return l;
  }
  std::string file(const char* name, const std::string& bytes) {
    const std::string p = (root_ / "downloads" / name).string();
    testing::put(p, bytes);
    return p;
  }
  Update update(const char* target, uint64_t version, const std::string& bytes, const char* name) {
    return {{target, version, hex_sha(bytes), ""}, file(name, bytes), bytes.size()};
  }

  // A provisioned device running the old runtime (slot A, marked good at version 1) and the old
  // workload image (healthy at version 1); markers planted in both slots.
  void fresh_device() {
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_ / "downloads");
    auto s = OtaStore::provision(layout(), file("old-bin", old_bin_), 1);
    ASSERT_TRUE(s.ok()) << s.error().message;
    ASSERT_TRUE(s->install_workload("app", update("app.ewi", 1, old_app_, "old-app")).ok());
    ASSERT_TRUE(s->workload_healthy("app").ok());
    testing::put(layout().slot_dirs.at("A") + "/marker", "slot A marker");
    testing::put(layout().slot_dirs.at("B") + "/marker", "slot B marker");
    floors_before_ = s->state().floors;
  }

  // Runs `steps` on a store opened with `ops`, in a child when crash_at > 0.
  void run_steps(const std::function<Status(OtaStore&)>& steps, FileOps& ops) {
    auto s = OtaStore::open(layout(), ops);
    ASSERT_TRUE(s.ok()) << s.error().message;
    auto r = steps(*s);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  int count_points(const std::function<Status(OtaStore&)>& steps) {
    fresh_device();
    CrashOps counter(0, Crash::kKill);
    run_steps(steps, counter);
    return counter.points();
  }

  // Crashes the steps at `point`; returns the store as the next start finds it.
  Result<OtaStore> crash_at(const std::function<Status(OtaStore&)>& steps, int point, Crash mode) {
    fresh_device();
    const pid_t child = fork();
    if (child == 0) {
      CrashOps ops(point, mode);
      auto s = OtaStore::open(layout(), ops);
      _exit(s && steps(*s).ok() ? 0 : 1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "point " << point << " was not reached";
    return OtaStore::open(layout());
  }

  void expect_floors_kept(const OtaStore& s, const std::string& where) {
    for (const auto& [target, floor] : floors_before_) {
      EXPECT_GE(s.state().floors.count(target) ? s.state().floors.at(target) : 0, floor) << where << ": " << target;
    }
  }

  void expect_nothing_unreferenced(const OtaStore& s, const std::string& where) {
    for (const auto& [path, bytes] : tree(root_ / "state")) {
      if (path.ends_with(kStateFile) || path.ends_with("/ota.lock")) continue;
      const auto& w = s.state().workloads.at("app");
      const bool referenced = (w.current && path == s.workload_file("app", *w.current)) ||
                              (w.pending && path == s.workload_file("app", *w.pending));
      EXPECT_TRUE(referenced) << where << ": left behind " << path;
    }
  }

  using Steps = std::function<Status(OtaStore&)>;
  // `moved`: the update is a consumable download, renamed into the slot instead of copied.
  Steps runtime_update(bool moved = false) {
    return [this, moved](OtaStore& s) -> Status {
      Update u = update("edgeward-x86_64", 2, new_bin_, "new-bin");
      u.consume = moved;
      EW_TRY(s.install_runtime(u));
      EW_TRY(s.boot());
      return s.mark_good(hex_sha(new_bin_));
    };
  }
  ReleaseUpdate release() {
    return {{"rel", 2, hex_sha("rel 2"), ""},
            update("edgeward-x86_64", 2, new_bin_, "new-bin"),
            {{"app", update("app.ewi", 2, new_app_, "new-app")}}};
  }
  Steps release_update() {
    return [this](OtaStore& s) -> Status {
      EW_TRY(s.install_release(release()));
      EW_TRY(s.boot());
      return s.mark_good(hex_sha(new_bin_));
    };
  }
  Steps workload_update() {
    return [this](OtaStore& s) -> Status {
      EW_TRY(s.install_workload("app", update("app.ewi", 2, new_app_, "new-app")));
      return s.workload_healthy("app");
    };
  }

  // Crashes `steps` at each of its points, both ways, and hands `check` the store the next start
  // finds, with the crash described.
  void at_every_point(const char* what, const Steps& steps,
                      const std::function<void(OtaStore&, const std::string&)>& check) {
    const int points = count_points(steps);
    std::printf("%s: %d crash points\n", what, points);
    EXPECT_GE(points, 25);
    for (Crash mode : {Crash::kKill, Crash::kDropUnsynced}) {
      for (int p = 1; p <= points; ++p) {
        const std::string where = std::string(mode == Crash::kKill ? "SIGKILL" : "power cut") + " at point " +
                                  std::to_string(p) + " of " + std::to_string(points);
        auto s = crash_at(steps, p, mode);
        ASSERT_TRUE(s.ok()) << where << ": " << s.error().message;
        check(*s, where);
      }
    }
  }

  void runtime_update_at_every_point(bool moved);

  std::filesystem::path root_;
  std::string old_bin_, new_bin_, old_app_, new_app_;
  std::map<std::string, uint64_t> floors_before_;
};

void PowerCut::runtime_update_at_every_point(bool moved) {
  const std::map<std::string, std::string> a_before = {{layout().slot_dirs.at("A") + "/edgeward", old_bin_},
                                                       {layout().slot_dirs.at("A") + "/marker", "slot A marker"}};
  at_every_point(moved ? "runtime update moved from its download (install into B, first start, mark-good)"
                       : "runtime update (install into B, first start, mark-good)",
                 runtime_update(moved),
                 [&](OtaStore& s, const std::string& where) {
    const std::string slot = s.next_start();
    const Installed& runs = *s.state().slots.at(slot);
    const bool old_one = slot == "A" && runs.sha256 == hex_sha(old_bin_) && runs.version == 1;
    const bool new_one = slot == "B" && runs.sha256 == hex_sha(new_bin_) && runs.version == 2;
    EXPECT_TRUE(old_one || new_one) << where << ": the next start runs slot " << slot << " version " << runs.version;
    EXPECT_EQ(read_if_exists(s.binary_path(slot)).value_or(""), old_one ? old_bin_ : new_bin_) << where;
    EXPECT_EQ(tree(layout().slot_dirs.at("A")), a_before) << where << ": the active slot A changed";
    EXPECT_EQ(read_if_exists(layout().slot_dirs.at("B") + "/marker").value_or(""), "slot B marker") << where;
    expect_floors_kept(s, where);
    EXPECT_FALSE(std::filesystem::exists(s.binary_path("B") + ".part")) << where << ": part file left";
    // Restarted: the update goes on (or is redone) to the end.
    auto booted = s.boot();
    ASSERT_TRUE(booted.ok()) << where << ": " << booted.error().message;
    if (s.state().trial.empty() && *booted == "A") {
      ASSERT_TRUE(s.install_runtime(update("edgeward-x86_64", 2, new_bin_, "new-bin")).ok()) << where;
    }
    if (!s.state().trial.empty()) {
      ASSERT_TRUE(s.mark_good(hex_sha(new_bin_)).ok()) << where;
    }
    EXPECT_EQ(s.state().active, "B") << where;
    EXPECT_EQ(s.state().floors.at("edgeward-x86_64"), 2u) << where;
  });
}

TEST_F(PowerCut, RuntimeUpdateAtEveryPoint) { runtime_update_at_every_point(false); }
TEST_F(PowerCut, RuntimeUpdateMovedFromItsDownloadAtEveryPoint) { runtime_update_at_every_point(true); }

TEST_F(PowerCut, ReleaseUpdateAtEveryPoint) {
  at_every_point("release update (runtime and workload image, first start, mark-good)", release_update(),
                 [&](OtaStore& s, const std::string& where) {
    // Old runtime with the old image, or new runtime with the new image: never one without the other.
    const std::string slot = s.next_start();
    const auto image = s.workload_image("app");
    ASSERT_TRUE(image.has_value()) << where << ": no image to run";
    const std::string bytes = read_if_exists(*image).value_or("");
    const std::string bin = read_if_exists(s.binary_path(slot)).value_or("");
    const bool old_pair = slot == "A" && bin == old_bin_ && bytes == old_app_;
    const bool new_pair = slot == "B" && bin == new_bin_ && bytes == new_app_;
    EXPECT_TRUE(old_pair || new_pair) << where << ": slot " << slot << " runs with the "
                                      << (bytes == new_app_ ? "new" : bytes == old_app_ ? "old" : "unknown") << " image";
    EXPECT_NE(image->find(hex_sha(bytes)), std::string::npos) << where << ": the image does not verify";
    EXPECT_EQ(read_if_exists(layout().slot_dirs.at("A") + "/marker").value_or(""), "slot A marker") << where;
    expect_floors_kept(s, where);
    expect_nothing_unreferenced(s, where);
    auto booted = s.boot();
    ASSERT_TRUE(booted.ok()) << where << ": " << booted.error().message;
    if (s.state().trial.empty() && *booted == "A") {
      ASSERT_TRUE(s.install_release(release()).ok()) << where;
    }
    if (!s.state().trial.empty()) {
      ASSERT_TRUE(s.mark_good(hex_sha(new_bin_)).ok()) << where;
    }
    EXPECT_EQ(s.state().release->version, 2u) << where;
    EXPECT_EQ(s.state().workloads.at("app").current->version, 2u) << where;
    expect_nothing_unreferenced(s, where);
  });
}

TEST_F(PowerCut, WorkloadUpdateAtEveryPoint) {
  at_every_point("workload update (install beside the old image, healthy)", workload_update(),
                 [&](OtaStore& s, const std::string& where) {
    const auto image = s.workload_image("app");
    ASSERT_TRUE(image.has_value()) << where << ": no image to run";
    const std::string bytes = read_if_exists(*image).value_or("");
    EXPECT_TRUE(bytes == old_app_ || bytes == new_app_) << where << ": the image to run is neither old nor new";
    EXPECT_NE(image->find(hex_sha(bytes)), std::string::npos) << where << ": the image does not verify";
    EXPECT_EQ(tree(layout().slot_dirs.at("A")).size(), 2u) << where << ": a workload update touched slot A";
    expect_floors_kept(s, where);
    expect_nothing_unreferenced(s, where);
    const auto& w = s.state().workloads.at("app");
    if (!w.pending && w.current->version == 1) {
      ASSERT_TRUE(s.install_workload("app", update("app.ewi", 2, new_app_, "new-app")).ok()) << where;
    }
    if (s.state().workloads.at("app").pending) {
      ASSERT_TRUE(s.workload_healthy("app").ok()) << where;
    }
    EXPECT_EQ(s.state().workloads.at("app").current->version, 2u) << where;
    expect_nothing_unreferenced(s, where);
  });
}

TEST_F(PowerCut, TheHarnessCountsAtLeastFiftyPointsInAll) {
  const int runtime = count_points(runtime_update());
  const int workload = count_points(workload_update());
  const int release = count_points(release_update());
  std::printf("crash points: runtime %d + workload %d + release %d = %d\n", runtime, workload, release,
              runtime + workload + release);
  EXPECT_GE(runtime + workload, 50);
}

}  // namespace
}  // namespace edgeward::ota
