// Power cut at every point of a chunked delta install (download_target_delta: the chunk
// assembler's .part writes, its fsync, the rename onto the download and the directory fsync; then
// the slots' install of the image and last-delta.json): the install is run once to count its
// points, then once per point in a child killed there — with every completed call kept (SIGKILL)
// and with what was not yet durable undone (a simulated power cut; tests/ota/slots/crash_ops.h).
// The repository has only the chunk index and blob, no whole image, so nothing can be recovered
// but through the chunk path. After each cut: the image the device runs is the old or the new one
// and verifies, the download under its final name is exactly the signed image or absent, the .part
// is a prefix of the signed image (nothing unverified was ever written), and a rerun completes
// with exactly the signed image — resuming from the verified prefix the cut left.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <functional>

#include "ota/client/delta_download.h"
#include "ota/delta/chunk_writer.h"
#include "ota/slots/ota_store.h"
#include "tests/ota/delta/delta_testing.h"
#include "tests/ota/slots/crash_ops.h"

namespace edgeward::ota::client {
namespace {

using ota::testing::Crash;
using ota::testing::CrashOps;
using ota::testing::read_if_exists;

std::string as_string(const std::vector<uint8_t>& v) { return {v.begin(), v.end()}; }
std::string hex_sha(const std::string& bytes) { return attest::to_hex(attest::sha256(bytes)); }

tuf::TargetFile target_of(const std::string& bytes, nlohmann::json custom = nullptr) {
  return {bytes.size(), {{"sha256", hex_sha(bytes)}}, std::move(custom)};
}

class DeltaPowerCut : public ::testing::Test {
 protected:
  void SetUp() override {
    char t[] = "/tmp/ew-delta-powercut-XXXXXX";
    ASSERT_NE(::mkdtemp(t), nullptr);
    root_ = t;
    auto old_app = delta::random_bytes(1 << 20, 11);
    auto new_app = old_app;
    const auto ins = delta::random_bytes(5000, 12);
    new_app.insert(new_app.begin() + 300000, ins.begin(), ins.end());  // an unaligned insertion
    for (size_t i = 700000; i < 760000; ++i) new_app[i] ^= 0x5A;         // an in-place change
    old_app_ = as_string(old_app);
    new_app_ = as_string(new_app);

    // The repository: the new image's chunk index and blob, not the image itself.
    const std::string targets = root_ + "/repo/targets";
    std::filesystem::create_directories(targets);
    ota::testing::put(root_ + "/new.ewi", new_app_);
    auto ix = delta::write_chunk_blob(root_ + "/new.ewi", targets + "/app.ewi.cblob");
    ASSERT_TRUE(ix.ok()) << ix.error().message;
    ix_ = *ix;
    const std::string index = as_string(delta::serialize_chunk_index(ix_));
    ota::testing::put(targets + "/app.ewi.cidx", index);
    repo_.url = "file://" + root_ + "/repo";
    targets_["app.ewi"] = target_of(new_app_, {{"kind", "workload"},
                                               {"version", 2},
                                               {"chunks", {{"index", "app.ewi.cidx"}, {"blob", "app.ewi.cblob"}}}});
    targets_["app.ewi.cidx"] = target_of(index);
    targets_["app.ewi.cblob"] = target_of(*read_if_exists(targets + "/app.ewi.cblob"));
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  OtaLayout layout() const {
    OtaLayout l;
    l.state_dir = root_ + "/device/state";
    l.slot_dirs = {{"A", root_ + "/device/a"}, {"B", root_ + "/device/b"}};
    return l;
  }
  std::string downloads() const { return layout().state_dir + "/downloads"; }
  std::string dest() const { return downloads() + "/" + hex_sha(new_app_) + ".app.ewi"; }

  // A device running version 1 of the image (healthy): the chunks the delta reuses.
  void fresh_device() {
    std::filesystem::remove_all(root_ + "/device");
    std::filesystem::create_directories(root_ + "/device");
    ota::testing::put(root_ + "/device/bin", "runtime");
    ota::testing::put(root_ + "/device/old.ewi", old_app_);
    auto s = OtaStore::provision(layout(), root_ + "/device/bin", 1);
    ASSERT_TRUE(s.ok()) << s.error().message;
    ASSERT_TRUE(s->install_workload("app", {{"app.ewi", 1, hex_sha(old_app_), ""}, root_ + "/device/old.ewi",
                                            old_app_.size()}).ok());
    ASSERT_TRUE(s->workload_healthy("app").ok());
  }

  // What `ota install app.ewi` does with a chunked target, every change through `ops`.
  Status delta_install(FileOps& ops, DeltaOutcome& outcome) {
    EW_ASSIGN(OtaStore store, OtaStore::open(layout(), ops));
    EW_ASSIGN(const std::string file,
              download_target_delta(repo_, downloads(), "app.ewi", targets_, false,
                                    local_chunk_files(layout().state_dir, layout().slot_dirs), {}, outcome, ops));
    EW_TRY(store.install_workload("app", {{"app.ewi", 2, hex_sha(new_app_), ""}, file, new_app_.size(), true}));
    return record_delta_outcome(layout().state_dir, "app.ewi", outcome, new_app_.size(), ops);
  }

  int count_points() {
    fresh_device();
    CrashOps counter(0, Crash::kKill);
    DeltaOutcome outcome;
    auto s = delta_install(counter, outcome);
    EXPECT_TRUE(s.ok()) << s.error().message;
    EXPECT_TRUE(outcome.used) << outcome.fallback_reason;
    EXPECT_GT(outcome.report.reused_bytes, new_app_.size() / 2);  // most of it from version 1
    return counter.points();
  }

  void crash_at(int point, Crash mode) {
    fresh_device();
    const pid_t child = fork();
    if (child == 0) {
      CrashOps ops(point, mode);
      DeltaOutcome outcome;
      _exit(delta_install(ops, outcome).ok() ? 0 : 1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "point " << point << " was not reached";
  }

  // The device as the cut left it: only the old or the new image, each verified; only the signed
  // image under the download's final name; only a verified prefix in its .part.
  void check_after_cut(const std::string& where) {
    auto s = OtaStore::open(layout());
    ASSERT_TRUE(s.ok()) << where << ": " << s.error().message;
    const auto image = s->workload_image("app");
    ASSERT_TRUE(image.has_value()) << where << ": no image to run";
    const std::string bytes = read_if_exists(*image).value_or("");
    EXPECT_TRUE(bytes == old_app_ || bytes == new_app_) << where << ": the image to run is neither old nor new";
    EXPECT_NE(image->find(hex_sha(bytes)), std::string::npos) << where << ": the image does not verify";
    if (auto d = read_if_exists(dest())) {
      EXPECT_TRUE(*d == new_app_) << where << ": an unverified download";
    }
    if (auto part = read_if_exists(dest() + ".part")) {
      EXPECT_TRUE(new_app_.starts_with(*part)) << where << ": the .part is not a prefix of the signed image";
    }
  }

  // Runs the install again unless the cut came after the image was installed; returns the bytes
  // it resumed from the .part (nullopt when it did not run or took a finished download).
  std::optional<uint64_t> rerun(const std::string& where) {
    std::optional<uint64_t> resumed;
    bool installed = false;
    {
      auto s = OtaStore::open(layout());  // closed again before the install opens it (one lock)
      EXPECT_TRUE(s.ok()) << where;
      if (!s.ok()) return resumed;
      const auto& w = s->state().workloads.at("app");
      installed = w.pending && w.pending->sha256 == hex_sha(new_app_);
    }
    if (!installed) {
      DeltaOutcome outcome;
      auto done = delta_install(system_file_ops(), outcome);
      EXPECT_TRUE(done.ok()) << where << ": the rerun failed: " << done.error().message;
      if (outcome.used) resumed = outcome.report.resumed_bytes;
    }
    auto s = OtaStore::open(layout());
    EXPECT_TRUE(s.ok()) << where;
    if (!s.ok()) return resumed;
    EXPECT_TRUE(s->workload_healthy("app").ok()) << where;
    EXPECT_EQ(read_if_exists(*s->workload_image("app")).value_or(""), new_app_) << where << ": not the signed image";
    EXPECT_EQ(s->state().workloads.at("app").current->version, 2u) << where;
    return resumed;
  }

  std::string root_;
  std::string old_app_, new_app_;
  delta::ChunkIndex ix_;
  Repository repo_;
  std::map<std::string, tuf::TargetFile> targets_;
};

TEST_F(DeltaPowerCut, ChunkedDeltaInstallAtEveryPoint) {
  const int points = count_points();
  const int writes = static_cast<int>(ix_.chunks.size());  // one write per chunk of the .part
  std::printf("chunked delta install: %d crash points (%d .part writes, its fsync, rename and directory fsync, "
              "then the image installed and last-delta.json), each cut two ways = %d runs\n",
              points, writes, 2 * points);
  ASSERT_GE(points, writes + 3);
  int resumed_runs = 0;
  for (Crash mode : {Crash::kKill, Crash::kDropUnsynced}) {
    for (int p = 1; p <= points; ++p) {
      const std::string where = std::string(mode == Crash::kKill ? "SIGKILL" : "power cut") + " at point " +
                                std::to_string(p) + " of " + std::to_string(points);
      crash_at(p, mode);
      check_after_cut(where);
      const auto resumed = rerun(where);
      if (p <= writes + 1) {
        // Cut before the .part was complete and durable: the rerun assembles, resuming from the
        // chunks that survived — every completed write after SIGKILL, none after a power cut
        // (the .part had no fsync yet).
        ASSERT_TRUE(resumed.has_value()) << where << ": the rerun did not assemble";
        const uint64_t kept = mode == Crash::kKill ? (p - 1 < writes ? ix_.chunks[p - 1].offset : ix_.image_length) : 0;
        EXPECT_EQ(*resumed, kept) << where;
        if (*resumed > 0) ++resumed_runs;
      }
    }
  }
  std::printf("chunked delta install: %d reruns resumed from a verified prefix\n", resumed_runs);
  EXPECT_GE(resumed_runs, writes - 1);
}

}  // namespace
}  // namespace edgeward::ota::client
