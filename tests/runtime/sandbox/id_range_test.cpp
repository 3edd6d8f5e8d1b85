// The pool of per-workload host id ranges (runtime/sandbox/id_range.h): bad pools first, then
// leases that never share a range, are skipped while a namespace maps into a range, and are
// released with their owner.
#include "runtime/sandbox/id_range.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <set>

namespace edgeward::sandbox {
namespace {

class IdRangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/edgeward-id-ranges-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    pool_ = {1879048192, 4, 65536, dir_ + "/locks"};
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
  IdPool pool_;
};

TEST_F(IdRangeTest, RefusesBadPools) {
  struct Case {
    IdPool pool;
    const char* error;
  };
  const std::vector<Case> cases = {
      {{0, 4, 65536, "/tmp/x"}, "base must not be 0"},
      {{1879048192, 0, 65536, "/tmp/x"}, "size and ranges must be greater than 0"},
      {{1879048192, 4, 0, "/tmp/x"}, "size and ranges must be greater than 0"},
      {{4294901760u, 2, 65536, "/tmp/x"}, "runs past id 4294967294"},
      {{1879048192, 4, 65536, "relative"}, "lock directory must be absolute"},
  };
  for (const auto& c : cases) {
    auto r = IdRangeLease::acquire(c.pool, {});
    ASSERT_FALSE(r.ok()) << c.error;
    EXPECT_NE(r.error().message.find(c.error), std::string::npos) << r.error().message;
  }
}

TEST_F(IdRangeTest, ConcurrentLeasesNeverShareARangeUntilThePoolIsExhausted) {
  std::vector<IdRangeLease> held;
  std::set<uint32_t> bases;
  for (int i = 0; i < 4; ++i) {
    auto r = IdRangeLease::acquire(pool_, {});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->size(), 65536u);
    EXPECT_EQ((r->base() - pool_.base) % pool_.size, 0u);
    EXPECT_LT(r->base(), pool_.base + 4 * pool_.size);
    bases.insert(r->base());
    held.push_back(std::move(r).value());
  }
  EXPECT_EQ(bases.size(), 4u);
  auto full = IdRangeLease::acquire(pool_, {});
  ASSERT_FALSE(full.ok());
  EXPECT_NE(full.error().message.find("every host id range of the pool (4 of 65536 ids from 1879048192) is in use"),
            std::string::npos)
      << full.error().message;
  // One ends: its range is free again, and it is the one handed out.
  const uint32_t freed = held[2].base();
  held.erase(held.begin() + 2);
  auto again = IdRangeLease::acquire(pool_, {});
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->base(), freed);
}

TEST_F(IdRangeTest, SkipsRangesThatANamespaceMapsInto) {
  // Every range but the third is mapped by some namespace (one only partly).
  const std::vector<std::pair<uint64_t, uint64_t>> in_use = {
      {pool_.base, 1}, {pool_.base + 65536 + 65535, 1}, {pool_.base + 3 * 65536, 65536}};
  auto r = IdRangeLease::acquire(pool_, in_use);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->base(), pool_.base + 2 * 65536);
  auto none = IdRangeLease::acquire(pool_, in_use);
  EXPECT_FALSE(none.ok());
}

TEST_F(IdRangeTest, TheLockDirectoryIsRootsOnly) {
  auto r = IdRangeLease::acquire(pool_, {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto perms = std::filesystem::status(pool_.lock_dir).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::all, std::filesystem::perms::owner_all);
  EXPECT_TRUE(std::filesystem::exists(pool_.lock_dir + "/" + std::to_string(r->base()) + ".lock"));
}

TEST(HostRangesInUse, SeesThisProcesssOwnNamespaceOnlyAsAWholeSpaceMapping) {
  // The initial namespace maps the whole id space: left out, so never "in use".
  for (const auto& [first, count] : host_ranges_in_use()) EXPECT_LT(count, 4294967295u);
}

}  // namespace
}  // namespace edgeward::sandbox
