// The id mappings of the sandbox's user namespace (runtime/sandbox/identity.h): validation of
// configured mappings (error cases first) and the translation both ways.
#include "runtime/sandbox/identity.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace edgeward::sandbox {
namespace {

struct BadMaps {
  const char* name;
  std::vector<IdMapping> maps;
  const char* error;
};

TEST(IdMappings, RefusesBadListsNamingTheEntry) {
  std::vector<IdMapping> too_many;
  for (uint32_t i = 0; i < kMaxIdMappings + 1; ++i) too_many.push_back({i, 100000 + i, 1});
  const std::vector<BadMaps> cases = {
      {"empty", {}, "m: empty"},
      {"too many", too_many, "m: 341 entries, the kernel takes at most 340"},
      {"zero size", {{0, 100000, 0}}, "m[0]: size must be greater than 0"},
      {"host root", {{0, 0, 65536}}, "m[0]: maps to host id 0: edgeward never maps a workload to host root"},
      {"host root alone", {{5, 0, 1}}, "m[0]: maps to host id 0"},
      {"inside overflow", {{4294967295u, 100000, 2}}, "m[0]: the range runs past id 4294967295"},
      {"host overflow", {{0, 4294967290u, 10}}, "m[0]: the range runs past id 4294967295"},
      {"inside overlap", {{0, 100000, 10}, {9, 200000, 10}}, "m[1]: containerID range overlaps entry 0"},
      {"host overlap", {{0, 100000, 10}, {10, 100009, 10}}, "m[1]: hostID range overlaps entry 0"},
  };
  for (const auto& c : cases) {
    auto s = validate_mappings(c.maps, "m");
    ASSERT_FALSE(s.ok()) << c.name;
    EXPECT_NE(s.error().message.find(c.error), std::string::npos) << c.name << ": " << s.error().message;
  }
}

TEST(IdMappings, TakesDisjointListsUpToTheKernelsLimit) {
  std::vector<IdMapping> most;
  for (uint32_t i = 0; i < kMaxIdMappings; ++i) most.push_back({i, 100000 + i, 1});
  EXPECT_TRUE(validate_mappings(most, "m").ok());
  EXPECT_TRUE(validate_mappings({{0, 1, 1}}, "m").ok());  // host id 1 is not root
  EXPECT_TRUE(validate_mappings({{0, 100000, 1000}, {1000, 300000, 64536}}, "m").ok());
  EXPECT_TRUE(validate_mappings({{4294967294u, 4294967294u, 1}}, "m").ok());
}

TEST(IdMaps, TranslatesBothWaysAndLeavesOthersUnmapped) {
  IdMaps m{{{0, 200000, 1000}, {1000, 500000, 10}}, {{0, 300000, 65536}}, true};
  EXPECT_EQ(m.host_uid(0), 200000u);
  EXPECT_EQ(m.host_uid(999), 200999u);
  EXPECT_EQ(m.host_uid(1005), 500005u);
  EXPECT_EQ(m.host_uid(1010), std::nullopt);
  EXPECT_EQ(m.inside_uid(500009), 1009u);
  EXPECT_EQ(m.inside_uid(0), std::nullopt);  // host root is nobody inside
  EXPECT_EQ(m.inside_uid(201000), std::nullopt);
  EXPECT_EQ(m.host_gid(65535), 365535u);
  EXPECT_EQ(m.inside_gid(299999), std::nullopt);
}

TEST(IdMaps, RangeMapsEveryContainerIdAboveTheBase) {
  const IdMaps m = range_maps(1879048192, 65536);
  EXPECT_TRUE(m.privileged);
  EXPECT_EQ(m.host_uid(0), 1879048192u);
  EXPECT_EQ(m.host_gid(65535), 1879048192u + 65535);
  EXPECT_EQ(m.host_uid(65536), std::nullopt);
}

TEST(IdMaps, TheWorkloadsIdsMustBeMapped) {
  const IdMaps m = range_maps(1879048192, 65536);
  Identity id;
  id.uid = 1000;
  id.gid = 1000;
  id.additional_gids = {5, 70000};
  auto s = check_mapped(id, m);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("process.user.additionalGids: 70000 is not mapped"), std::string::npos) << s.error().message;
  id.additional_gids = {5};
  EXPECT_TRUE(check_mapped(id, m).ok());
  EXPECT_EQ(host_uid(id, m), 1879048192u + 1000);
  EXPECT_EQ(host_groups(id, m), std::vector<gid_t>{1879048192u + 5});
  id.uid = 65536;
  s = check_mapped(id, m);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("process.user.uid 65536 is not mapped in the user namespace (mapped uids: 0..65535)"),
            std::string::npos)
      << s.error().message;
}

TEST(Identity, CustomMappingsNeedRootAndBothLists) {
  Identity id;
  id.uid_mappings = {{0, 100000, 65536}};
  auto s = check_identity(id);
  ASSERT_FALSE(s.ok());
  if (geteuid() != 0) {
    EXPECT_NE(s.error().message.find("need edgeward to run as root"), std::string::npos) << s.error().message;
    return;
  }
  EXPECT_NE(s.error().message.find("give both or neither"), std::string::npos) << s.error().message;
  id.gid_mappings = {{0, 0, 65536}};
  s = check_identity(id);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("linux.gidMappings[0]: maps to host id 0"), std::string::npos) << s.error().message;
  id.gid_mappings = {{0, 100000, 65536}};
  EXPECT_TRUE(check_identity(id).ok());
}

}  // namespace
}  // namespace edgeward::sandbox
