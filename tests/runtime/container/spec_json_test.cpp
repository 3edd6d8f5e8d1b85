// spec.json keeps the workload's user namespace: configured id mappings and the host id pool
// (runtime/container/spec_json.h); a spec written before they existed still reads.
#include "runtime/container/spec_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace edgeward::runtime {
namespace {

ContainerSpec with_ids() {
  ContainerSpec s;
  s.id = "ids";
  s.workload.identity.uid = 1000;
  s.workload.identity.uid_mappings = {{0, 300000, 65536}};
  s.workload.identity.gid_mappings = {{0, 300000, 1}, {1, 400001, 65535}};
  s.workload.id_pool = sandbox::IdPool{2000000000, 16, 65536};
  return s;
}

TEST(SpecJson, KeepsIdMappingsAndThePool) {
  auto back = spec_from_json(spec_to_json(with_ids()), "spec.json");
  ASSERT_TRUE(back.ok()) << back.error().message;
  const WorkloadSpec& w = back->workload;
  EXPECT_EQ(w.identity.uid, 1000u);
  EXPECT_EQ(w.identity.uid_mappings, (std::vector<sandbox::IdMapping>{{0, 300000, 65536}}));
  EXPECT_EQ(w.identity.gid_mappings, (std::vector<sandbox::IdMapping>{{0, 300000, 1}, {1, 400001, 65535}}));
  ASSERT_TRUE(w.id_pool.has_value());
  EXPECT_EQ(w.id_pool->base, 2000000000u);
  EXPECT_EQ(w.id_pool->ranges, 16u);
  EXPECT_EQ(w.id_pool->size, 65536u);
}

// The monitor re-reads linux.devices from spec.json: an entry the allow-list denies stays a
// placeholder there (runtime/sandbox/devices.h), with its mode and owner.
TEST(SpecJson, KeepsDeviceEntriesAndTheirDenial) {
  ContainerSpec s = with_ids();
  s.workload.fs.devices = {{"/dev/test1", 'c', 10, 666, 0660u, 0u, 5u}, {"/dev/null", 'c', 1, 3, {}, {}, {}}};
  s.workload.fs.devices[0].denied = true;
  auto back = spec_from_json(spec_to_json(s), "spec.json");
  ASSERT_TRUE(back.ok()) << back.error().message;
  const auto& d = back->workload.fs.devices;
  ASSERT_EQ(d.size(), 2u);
  EXPECT_TRUE(d[0].denied);
  EXPECT_EQ(d[0].file_mode, 0660u);
  EXPECT_EQ(d[0].gid, 5u);
  EXPECT_FALSE(d[1].denied);
  EXPECT_FALSE(d[1].file_mode.has_value());
}

TEST(SpecJson, ASpecWithoutThemReadsAsNone) {
  auto j = nlohmann::json::parse(spec_to_json(with_ids()));
  auto& id = j["workload"]["container"]["identity"];
  id.erase("uid_mappings");
  id.erase("gid_mappings");
  id.erase("id_pool");
  auto back = spec_from_json(j.dump(), "spec.json");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(back->workload.identity.uid_mappings.empty());
  EXPECT_FALSE(back->workload.id_pool.has_value());
}

TEST(SpecJson, ADamagedPoolIsAnErrorNamingTheFile) {
  auto j = nlohmann::json::parse(spec_to_json(with_ids()));
  j["workload"]["container"]["identity"]["id_pool"]["base"] = -1;
  auto back = spec_from_json(j.dump(), "/run/x/spec.json");
  ASSERT_FALSE(back.ok());
  EXPECT_NE(back.error().message.find("/run/x/spec.json is damaged"), std::string::npos) << back.error().message;
}

}  // namespace
}  // namespace edgeward::runtime
