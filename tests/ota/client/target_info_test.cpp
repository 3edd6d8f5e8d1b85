// What a target is for this device (ota/client/target_info.h) and which targets install refuses
// before anything is downloaded (ota/client/install.h): tables, error cases first.
#include <gtest/gtest.h>

#include "ota/client/install.h"
#include "ota/client/target_info.h"

namespace edgeward::ota::client {
namespace {

const std::string kSha(64, 'a');

TargetInfo target(const nlohmann::json& custom, const std::string& name = "rt") {
  return describe_target(name, tuf::TargetFile{10, {{"sha256", kSha}}, custom});
}

TEST(TargetInfo, CustomFieldsOfTheWrongTypeCountAsAbsent) {
  const TargetInfo t = target({{"kind", 7}, {"board", "b"}, {"version", "2"}});
  EXPECT_EQ(t.kind, "");
  EXPECT_EQ(t.board, "b");
  EXPECT_FALSE(t.version.has_value());
  EXPECT_EQ(target(nullptr).kind, "");
}

TEST(TargetInfo, DefaultWorkloadName) {
  EXPECT_EQ(default_workload_name("app.ewi"), "app");
  EXPECT_EQ(default_workload_name("dir/app.ewi"), "app");
  EXPECT_EQ(default_workload_name(".ewi"), ".ewi");
  EXPECT_EQ(default_workload_name("plain"), "plain");
}

TEST(TargetInfo, UpdateStatus) {
  OtaState st;
  st.slots["A"] = Installed{"rt", 3, std::string(64, 'b'), ""};
  st.floors["rt"] = 3;
  st.workloads["app"].pending = Installed{"app.ewi", 1, kSha, ""};
  struct Case {
    const char* name;
    nlohmann::json custom;
    const char* target;
    const char* expected;
  } cases[] = {
      {"below the floor", {{"version", 2}}, "rt", "below-floor"},
      {"same version, other bytes", {{"version", 3}}, "rt", "not-newer"},
      {"newer", {{"version", 4}}, "rt", "newer"},
      {"no version below a floor", nlohmann::json::object(), "rt", "below-floor"},
      {"the pending workload's bytes", {{"version", 1}}, "app.ewi", "installed"},
      {"a target never installed", {{"version", 1}}, "other", "newer"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(update_status(&st, target(c.custom, c.target), default_workload_name(c.target)), c.expected) << c.name;
  }
  EXPECT_EQ(update_status(nullptr, target({{"version", 1}}), "rt"), "newer") << "not provisioned";
}

TEST(Install, RefusedBeforeDownload) {
  const Device device{"generic-x86_64", "x86_64"};
  struct Case {
    const char* name;
    nlohmann::json custom;
    const char* message;  // nullptr: accepted
  } cases[] = {
      {"another board", {{"kind", "runtime"}, {"board", "rpi4"}, {"version", 2}}, "built for board rpi4"},
      {"another arch", {{"kind", "runtime"}, {"arch", "aarch64"}, {"version", 2}}, "built for arch aarch64"},
      {"a runtime without a version", {{"kind", "runtime"}}, "has no custom.version"},
      {"a release (its members are checked by plan_release)", {{"kind", "release"}}, nullptr},
      {"no kind", nlohmann::json::object(), "has kind \"\""},
      {"a runtime for this board", {{"kind", "runtime"}, {"board", "generic-x86_64"}, {"arch", "x86_64"}, {"version", 2}}, nullptr},
      {"a runtime that does not say", {{"kind", "runtime"}, {"version", 2}}, nullptr},
      {"a workload", {{"kind", "workload"}}, nullptr},
  };
  for (const auto& c : cases) {
    const Status s = check_installable(target(c.custom), device);
    if (c.message == nullptr) {
      EXPECT_TRUE(s.ok()) << c.name << ": " << s.error().message;
    } else {
      ASSERT_FALSE(s.ok()) << c.name;
      EXPECT_NE(s.error().message.find(c.message), std::string::npos) << c.name << ": " << s.error().message;
    }
  }
}

}  // namespace
}  // namespace edgeward::ota::client
