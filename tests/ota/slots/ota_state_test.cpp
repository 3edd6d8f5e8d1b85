// The OTA state file: a round trip keeps everything, and every kind of damage is refused with the
// file and the JSON path named (one line per case).
#include "ota/slots/ota_state.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace edgeward::ota {
namespace {

const std::string kSha(64, 'a');

OtaState sample() {
  OtaState s;
  s.active = "B";
  s.trial = "A";
  s.tries_left = 2;
  s.slots["A"] = Installed{"edgeward-x86_64", 7, kSha, "2026-12-04T00:00:00Z"};
  s.slots["B"] = Installed{"", 1, std::string(64, 'b'), "2026-12-01T00:00:00Z"};
  s.floors = {{"edgeward-x86_64", 6}, {"app.ewi", 3}};
  s.workloads["app"].current = Installed{"app.ewi", 3, std::string(64, 'c'), "2026-12-02T00:00:00Z"};
  s.workloads["app"].pending = Installed{"app.ewi", 4, std::string(64, 'd'), "2026-12-03T00:00:00Z"};
  s.last_event = "installed edgeward-x86_64 version 7 into slot A (on trial)";
  return s;
}

TEST(OtaState, RoundTripKeepsEverything) {
  const OtaState s = sample();
  auto back = parse_state(state_json(s), "ota-state.json");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, s);
}

using nlohmann::json;

struct Bad {
  const char* what;
  void (*edit)(json&);
  const char* message;
};

TEST(OtaState, DamageIsRefusedWithThePath) {
  const Bad cases[] = {
      {"an array", [](json& j) { j = json::array(); }, "(file): expected an object"},
      {"future format", [](json& j) { j["format"] = 2; }, ".format: unknown format 2"},
      {"active slot C", [](json& j) { j["active"] = "C"; }, ".active: expected \"A\" or \"B\""},
      {"trial = active", [](json& j) { j["trial"] = "B"; }, ".trial: expected \"\" or the inactive slot"},
      {"tries as string", [](json& j) { j["tries_left"] = "2"; }, ".tries_left: expected number"},
      {"tries huge", [](json& j) { j["tries_left"] = 4000000000u; }, ".tries_left: more than 100"},
      {"negative version", [](json& j) { j["slots"]["A"]["version"] = -7; }, ".slots.A.version: expected number"},
      {"short sha", [](json& j) { j["slots"]["A"]["sha256"] = "abc"; }, ".slots.A.sha256: expected 64 lowercase hex digits"},
      {"path in target", [](json& j) { j["slots"]["A"]["target"] = "../../etc/passwd"; }, ".slots.A.target: not a valid target name"},
      {"path as workload", [](json& j) { j["workloads"]["../x"] = j["workloads"]["app"]; }, ".workloads: bad workload name"},
      {"empty active slot", [](json& j) { j["slots"]["B"] = nullptr; }, ".slots.B: the active slot is empty"},
      {"a third slot", [](json& j) { j["slots"]["C"] = nullptr; }, ".slots: expected exactly A and B"},
      {"floor as text", [](json& j) { j["floors"]["app.ewi"] = "3"; }, ".floors.app.ewi: expected a version number"},
      {"missing field", [](json& j) { j.erase("last_event"); }, ".last_event: missing"},
  };
  for (const auto& c : cases) {
    json j = json::parse(state_json(sample()));
    c.edit(j);
    auto r = parse_state(j.dump(), "/var/lib/edgeward/ota-state.json");
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_NE(r.error().message.find("/var/lib/edgeward/ota-state.json: "), std::string::npos) << c.what;
    EXPECT_NE(r.error().message.find(c.message), std::string::npos) << c.what << ": " << r.error().message;
  }
  auto r = parse_state("{", "f.json");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("f.json: (file): not JSON"), std::string::npos) << r.error().message;
}

TEST(OtaState, NamesAreSafeInPaths) {
  for (const char* ok : {"app", "app.ewi", "edgeward-x86_64", "a+b_c-1.2"}) EXPECT_TRUE(valid_name(ok)) << ok;
  for (const char* bad : {"", ".", "..", "a/b", "/abs", "a\\b", "sp ace", "nul\n"}) EXPECT_FALSE(valid_name(bad)) << bad;
  EXPECT_FALSE(valid_name(std::string(129, 'a')));
}

}  // namespace
}  // namespace edgeward::ota
