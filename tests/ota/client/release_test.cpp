// plan_release: a release's members from its signed custom field, checked against the targets of
// the same metadata (pinned length and SHA-256, kinds, one runtime that fits this device).
#include "ota/client/release.h"

#include <gtest/gtest.h>

namespace edgeward::ota::client {
namespace {

const std::string kA(64, 'a'), kB(64, 'b'), kC(64, 'c');

tuf::TargetFile file(const std::string& sha, uint64_t length, nlohmann::json custom) {
  return tuf::TargetFile{length, {{"sha256", sha}}, std::move(custom)};
}
nlohmann::json member(const std::string& name, uint64_t length, const std::string& sha) {
  return {{"name", name}, {"length", length}, {"sha256", sha}};
}

TEST(ReleasePlan, MembersArePinnedAndChecked) {
  const Device device{"generic-x86_64", "x86_64"};
  const std::map<std::string, tuf::TargetFile> targets{
      {"rt", file(kA, 10, {{"kind", "runtime"}, {"version", 3}})},
      {"rt-rpi4", file(kA, 10, {{"kind", "runtime"}, {"board", "rpi4"}, {"version", 3}})},
      {"rt2", file(kC, 12, {{"kind", "runtime"}, {"version", 4}})},
      {"web.ewi", file(kB, 20, {{"kind", "workload"}, {"version", 1}})},
      {"other/web.ewi", file(kC, 20, {{"kind", "workload"}, {"version", 1}})},
      {"rel", file(kC, 5, {{"kind", "release"}})},
  };
  const auto good = nlohmann::json::array({member("rt", 10, kA), member("web.ewi", 20, kB)});
  struct Case {
    const char* name;
    nlohmann::json custom;
    const char* message;  // nullptr: accepted
  } cases[] = {
      {"a release", {{"kind", "release"}, {"version", 1}, {"members", good}}, nullptr},
      {"no version", {{"kind", "release"}, {"members", good}}, "no custom.version"},
      {"no members", {{"kind", "release"}, {"version", 1}}, "custom.members is missing"},
      {"members not a list", {{"kind", "release"}, {"version", 1}, {"members", "rt"}}, "custom.members is missing"},
      {"empty", {{"kind", "release"}, {"version", 1}, {"members", nlohmann::json::array()}}, "lists 0 members"},
      {"a member that is not an object", {{"kind", "release"}, {"version", 1}, {"members", {"rt"}}}, "not {name, length, sha256}"},
      {"a missing target", {{"kind", "release"}, {"version", 1}, {"members", {member("gone", 1, kA)}}}, "not a target of the same"},
      {"mix-and-match (other bytes)", {{"kind", "release"}, {"version", 1}, {"members", {member("rt", 10, kB)}}}, "mixed releases"},
      {"mix-and-match (other length)", {{"kind", "release"}, {"version", 1}, {"members", {member("rt", 11, kA)}}}, "mixed releases"},
      {"listed twice", {{"kind", "release"}, {"version", 1}, {"members", {member("rt", 10, kA), member("rt", 10, kA)}}}, "listed twice"},
      {"two runtimes", {{"kind", "release"}, {"version", 1}, {"members", {member("rt", 10, kA), member("rt2", 12, kC)}}}, "more than one runtime"},
      {"no runtime", {{"kind", "release"}, {"version", 1}, {"members", {member("web.ewi", 20, kB)}}}, "holds no runtime"},
      {"a runtime for another board", {{"kind", "release"}, {"version", 1}, {"members", {member("rt-rpi4", 10, kA)}}}, "built for board rpi4"},
      {"a release inside", {{"kind", "release"}, {"version", 1}, {"members", {member("rel", 5, kC)}}}, "has kind \"release\""},
      {"two members, one workload", {{"kind", "release"}, {"version", 1},
                                     {"members", {member("rt", 10, kA), member("web.ewi", 20, kB), member("other/web.ewi", 20, kC)}}},
       "two members install workload web"},
  };
  for (const auto& c : cases) {
    const tuf::TargetFile f = file(kC, 5, c.custom);
    auto plan = plan_release(describe_target("rel", f), f, targets, device);
    if (c.message == nullptr) {
      ASSERT_TRUE(plan.ok()) << c.name << ": " << plan.error().message;
      EXPECT_EQ(plan->runtime.name, "rt");
      ASSERT_EQ(plan->workloads.size(), 1u);
      EXPECT_EQ(plan->workloads[0].first, "web");
    } else {
      ASSERT_FALSE(plan.ok()) << c.name;
      EXPECT_NE(plan.error().message.find(c.message), std::string::npos) << c.name << ": " << plan.error().message;
      EXPECT_EQ(plan.error().message.rfind("refused: release rel: ", 0), 0u) << plan.error().message;
    }
  }
  nlohmann::json many = nlohmann::json::array();
  for (int i = 0; i <= 64; ++i) many.push_back(member("rt", 10, kA));
  const tuf::TargetFile big = file(kC, 5, {{"kind", "release"}, {"version", 1}, {"members", many}});
  auto too_many = plan_release(describe_target("rel", big), big, targets, device);
  ASSERT_FALSE(too_many.ok());
  EXPECT_NE(too_many.error().message.find("65 members (1 to 64"), std::string::npos) << too_many.error().message;
}

}  // namespace
}  // namespace edgeward::ota::client
