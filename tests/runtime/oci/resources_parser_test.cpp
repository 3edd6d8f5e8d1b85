// linux.resources fields of runtime/oci/resources_parser.h through the config parser and the
// bundle policy: malformed values first, then what is read and what is refused.
#include <gtest/gtest.h>

#include "runtime/oci/bundle.h"
#include "runtime/oci/config_parser.h"

namespace edgeward::oci {
namespace {

std::string with_resources(const std::string& res) {
  return R"({"ociVersion":"1.0.2","process":{"args":["/bin/sh"]},"root":{"path":"/"},"linux":{"resources":)" + res + "}}";
}

TEST(OciResourcesParser, RefusesMalformedValuesNamingThePath) {
  const struct {
    const char* res;
    const char* error;
  } cases[] = {
      {R"({"memory":{"reservation":"1G"}})", "linux.resources.memory.reservation: expected an integer, got string"},
      {R"({"memory":{"swap":1.5}})", "linux.resources.memory.swap: expected an integer, got number"},
      {R"({"memory":{"disableOOMKiller":1}})", "linux.resources.memory.disableOOMKiller: expected true or false"},
      {R"({"cpu":{"cpus":3}})", "linux.resources.cpu.cpus: expected a string, got number"},
      {R"({"cpu":{"mems":"0;rm -rf"}})", "linux.resources.cpu.mems: \"0;rm -rf\" is not a cpuset list"},
  };
  for (const auto& c : cases) {
    auto r = parse_oci_config(with_resources(c.res), "config.json");
    ASSERT_FALSE(r.ok()) << c.res;
    EXPECT_NE(r.error().message.find(std::string("config.json: ") + c.error), std::string::npos) << r.error().message;
  }
}

TEST(OciResourcesParser, ReadsAndMapsOrRefuses) {
  auto r = parse_oci_config(with_resources(R"({"memory":{"limit":67108864,"reservation":1048576,"swap":134217728},
                                               "cpu":{"cpus":"0-1,3","mems":"0"}})"), "config.json");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->resources.memory_reservation, 1048576);
  EXPECT_EQ(r->resources.memory_swap, 134217728);
  EXPECT_EQ(r->resources.cpus, "0-1,3");
  EXPECT_EQ(r->resources.mems, "0");
  auto s = spec_from_bundle(*r, "/", "id1");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->workload.memory_extras.reservation, 1048576u);
  EXPECT_EQ(s->workload.memory_extras.swap, 134217728);
  EXPECT_EQ(s->workload.cpu.cpus, "0-1,3");

  const struct {
    const char* res;
    const char* error;
  } refused[] = {
      {R"({"memory":{"limit":67108864,"disableOOMKiller":true}})", "linux.resources.memory.disableOOMKiller: not supported"},
      {R"({"memory":{"limit":67108864,"swap":1024}})", "linux.resources.memory.swap: is memory + swap"},
      {R"({"memory":{"swap":134217728}})", "linux.resources.memory.swap: is memory + swap"},
      {R"({"memory":{"swap":-2}})", "linux.resources.memory.swap: must be -1"},
  };
  for (const auto& c : refused) {
    auto cfg = parse_oci_config(with_resources(c.res), "config.json");
    ASSERT_TRUE(cfg.ok()) << cfg.error().message;
    auto spec = spec_from_bundle(*cfg, "/", "id1");
    ASSERT_FALSE(spec.ok()) << c.res;
    EXPECT_NE(spec.error().message.find(c.error), std::string::npos) << spec.error().message;
  }
}

}  // namespace
}  // namespace edgeward::oci
