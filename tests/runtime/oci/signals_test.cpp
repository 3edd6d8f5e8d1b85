#include "runtime/oci/signals.h"

#include <gtest/gtest.h>
#include <signal.h>

namespace edgeward::oci {
namespace {

TEST(ParseSignal, RefusesUnknownNamesAndBadNumbers) {
  for (const char* bad : {"", "TERMINATE", "SIGFOO", "0", "-9", "99999", "9x"}) {
    EXPECT_FALSE(parse_signal(bad).ok()) << bad;
  }
}

TEST(ParseSignal, AcceptsNamesWithOrWithoutSigAndNumbers) {
  const std::pair<const char*, int> cases[] = {{"TERM", SIGTERM}, {"SIGTERM", SIGTERM}, {"term", SIGTERM},
                                               {"KILL", SIGKILL}, {"9", SIGKILL},       {"SIGUSR1", SIGUSR1},
                                               {"hup", SIGHUP},   {"15", SIGTERM},      {"WINCH", SIGWINCH}};
  for (const auto& [text, sig] : cases) {
    auto r = parse_signal(text);
    ASSERT_TRUE(r.ok()) << text;
    EXPECT_EQ(*r, sig) << text;
  }
}

}  // namespace
}  // namespace edgeward::oci
