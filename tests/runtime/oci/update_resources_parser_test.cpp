// `update -r` input (linux.resources JSON) and the control JSON (ps, events): error cases first.
#include "runtime/oci/update_resources_parser.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "runtime/oci/control_json.h"

namespace edgeward::oci {
namespace {

struct BadCase {
  const char* name;
  std::string text;
  const char* error;
};

TEST(ResourcesParser, RefusesWhatItCannotApplyNamingThePath) {
  const BadCase cases[] = {
      {"not json", "{", "r.json: (document): not valid JSON"},
      {"not an object", "[1]", "r.json: (document): expected an object, got array"},
      {"too large", "{\"x\": \"" + std::string(kMaxResourcesBytes, 'a') + "\"}", "larger than 65536 bytes"},
      {"memory not object", R"({"memory": 5})", "r.json: memory: expected an object, got number"},
      {"limit a string", R"({"memory": {"limit": "1G"}})", "r.json: memory.limit: expected an integer, got string"},
      {"limit a float", R"({"memory": {"limit": 1.5}})", "r.json: memory.limit: expected an integer, got number"},
      {"limit below -1", R"({"memory": {"limit": -2}})", "r.json: memory.limit: must be at least -1, got -2"},
      {"limit overflows", R"({"memory": {"limit": 18446744073709551615}})", "r.json: memory.limit: out of range"},
      {"shares too small", R"({"cpu": {"shares": 1}})", "r.json: cpu.shares: must be at least 2"},
      {"period too small", R"({"cpu": {"period": 10}})", "r.json: cpu.period: must be at least 1000"},
      {"cpuset", R"({"cpu": {"cpus": "0-1"}})", "r.json: cpu.cpus: cannot be updated by edgeward"},
      {"blockIO", R"({"blockIO": {"weight": 10}})", "r.json: blockIO: cannot be updated by edgeward"},
      {"hugepages", R"({"hugepageLimits": [{"pageSize": "2MB", "limit": 1}]})", "r.json: hugepageLimits: cannot be updated"},
      {"kernel memory", R"({"memory": {"kernel": 1000}})", "r.json: memory.kernel: cannot be updated by edgeward"},
      {"devices not array", R"({"devices": {"a": 1}})", "r.json: devices: expected an array, got object"},
  };
  for (const auto& c : cases) {
    auto r = parse_resources(c.text, "r.json");
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.error().message.find(c.error), std::string::npos) << c.name << ": " << r.error().message;
  }
}

TEST(ResourcesParser, ReadsTheUpdatableFieldsAndLeavesZeroesUnchanged) {
  auto r = parse_resources(R"({"memory": {"limit": 33554432, "swap": 33554432, "reservation": 0},
                               "cpu": {"shares": 512, "quota": -1, "period": 100000, "cpus": "", "mems": ""},
                               "pids": {"limit": 20}, "blockIO": {}, "devices": [{"allow": false, "access": "rwm"}]})",
                           "stdin");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->memory_limit, 33554432);
  EXPECT_EQ(r->cpu_shares, 512u);
  EXPECT_EQ(r->cpu_quota, -1);
  EXPECT_EQ(r->cpu_period, 100000u);
  EXPECT_EQ(r->pids_limit, 20);
  auto unchanged = parse_resources(R"({"memory": {"limit": 0}, "cpu": {"shares": 0}})", "stdin");
  ASSERT_TRUE(unchanged.ok());
  EXPECT_FALSE(unchanged->memory_limit.has_value());
  EXPECT_FALSE(unchanged->cpu_shares.has_value());
}

TEST(ControlJson, EventsHaveRuncsShape) {
  runtime::CgroupStats s;
  s.cpu_total_ns = 5;
  s.cpu_percpu_ns = {2, 3};
  s.memory_usage = 100;
  s.memory_limit = 200;
  s.memory_raw = {{"cache", 7}};
  s.pids_current = 3;
  const auto j = nlohmann::json::parse(stats_event_json("c1", s));
  EXPECT_EQ(j.at("type"), "stats");
  EXPECT_EQ(j.at("id"), "c1");
  EXPECT_EQ(j.at("data").at("cpu").at("usage").at("total"), 5);
  EXPECT_EQ(j.at("data").at("cpu").at("usage").at("percpu"), nlohmann::json({2, 3}));
  EXPECT_EQ(j.at("data").at("memory").at("usage").at("limit"), 200);
  EXPECT_EQ(j.at("data").at("memory").at("raw").at("cache"), 7);
  EXPECT_EQ(j.at("data").at("pids").at("current"), 3);
  EXPECT_EQ(pids_json({1, 22}), "[1,22]\n");
}

}  // namespace
}  // namespace edgeward::oci
