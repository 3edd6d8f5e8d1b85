// The start-up trace (`vm run --trace-startup`): silent until enabled, then every mark once, in
// order, with offsets from main() and from the process start that are consistent.
#include "common/startup_trace.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

namespace edgeward::startup_trace {
namespace {

// What flush() writes to stderr.
std::string flushed() {
  int p[2];
  EXPECT_EQ(::pipe(p), 0);
  const int saved = ::dup(STDERR_FILENO);
  ::dup2(p[1], STDERR_FILENO);
  flush();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  ::close(p[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(p[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  ::close(p[0]);
  return out;
}

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  for (size_t at = 0, nl; (nl = s.find('\n', at)) != std::string::npos; at = nl + 1) out.push_back(s.substr(at, nl - at));
  return out;
}

// The from-start and from-main columns of a line.
std::pair<double, double> offsets(const std::string& line) {
  double from_start = -1, from_main = -1;
  EXPECT_EQ(std::sscanf(line.c_str(), "edgeward: startup: %lf ms %lf ms", &from_start, &from_main), 2) << line;
  return {from_start, from_main};
}

TEST(StartupTrace, SilentUntilEnabledThenEachMarkOnceInOrderUpToItsCapacity) {
  note_main();
  mark("before enable");
  EXPECT_FALSE(enabled());
  EXPECT_EQ(flushed(), "") << "off: nothing recorded, nothing written";

  enable();
  ASSERT_TRUE(enabled());
  mark("first step");
  mark("vCPU step", 3);
  const auto out = lines(flushed());
  ASSERT_EQ(out.size(), 5u) << "header, process start, main, two marks";
  EXPECT_NE(out[0].find("columns: from process start"), std::string::npos) << out[0];
  EXPECT_NE(out[1].find("process start (fork)"), std::string::npos) << out[1];
  EXPECT_NE(out[2].find(" main "), std::string::npos) << out[2];
  EXPECT_NE(out[3].find("first step"), std::string::npos) << out[3];
  EXPECT_NE(out[4].find("vCPU step 3"), std::string::npos) << out[4];
  EXPECT_EQ(out[4].find("before enable"), std::string::npos);
  // The process started before main(), and each mark is later than the one before it.
  const auto [start_main, main_main] = offsets(out[2]);
  EXPECT_GT(start_main, 0.0) << "main() runs after the process started";
  EXPECT_EQ(main_main, 0.0);
  const auto [start3, main3] = offsets(out[3]);
  const auto [start4, main4] = offsets(out[4]);
  EXPECT_GE(main3, 0.0);
  EXPECT_GE(main4, main3);
  EXPECT_NEAR(start3 - main3, start_main, 0.01) << "both columns measure from fixed points";

  EXPECT_EQ(flushed(), "") << "a mark is written once";
  mark("later");
  const auto more = lines(flushed());
  ASSERT_EQ(more.size(), 1u);
  EXPECT_NE(more[0].find("later"), std::string::npos);

  // One test, not two: enabling cannot be undone, and the order above must not depend on shuffling.
  for (int i = 0; i < 2 * kMaxMarks; ++i) mark("many", i);
  const auto many = lines(flushed());
  EXPECT_EQ(many.size(), static_cast<size_t>(kMaxMarks - 3)) << "marks past the capacity are dropped, never overflow";
  EXPECT_NE(many.back().find("many " + std::to_string(kMaxMarks - 4)), std::string::npos) << many.back();
}

}  // namespace
}  // namespace edgeward::startup_trace
