// The Writer must give the bytes std::ostream's defaults give: CLI output is compared byte for
// byte by the CLI tests, so each case here is checked against a real ostringstream.
#include "common/text/writer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <sstream>

namespace edgeward::text {
namespace {

template <typename T>
void expect_same(const T& v) {
  std::ostringstream want;
  want << v;
  Writer got;
  got << v;
  EXPECT_EQ(got.str(), want.str());
}

TEST(Writer, IntegersAsOstream) {
  expect_same(0);
  expect_same(-1);
  expect_same(std::numeric_limits<int64_t>::min());
  expect_same(std::numeric_limits<uint64_t>::max());
  expect_same(static_cast<short>(-300));
  expect_same(static_cast<unsigned>(4294967295u));
  expect_same(static_cast<size_t>(12345));
}

TEST(Writer, CharsAndBoolsAsOstream) {
  expect_same('x');
  expect_same(static_cast<unsigned char>('A'));  // uint8_t prints as a character, not a number
  expect_same(static_cast<signed char>('z'));
  expect_same(true);
  expect_same(false);
}

TEST(Writer, FloatingAsOstream) {
  for (double v : {0.0, -0.0, 1.5, 0.1, 1e-7, 123456.0, 1234567.0, 3.14159265358979, 1e300,
                   std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}) {
    expect_same(v);
  }
  expect_same(2.5f);
}

TEST(Writer, StringsAndChaining) {
  std::ostringstream want;
  Writer got;
  const std::string s = "name";
  const std::string_view sv = "view";
  want << "a " << s << ' ' << sv << ": " << 42 << "\n" << std::string(1, '\0') << "end";
  got << "a " << s << ' ' << sv << ": " << 42 << "\n" << std::string(1, '\0') << "end";
  EXPECT_EQ(got.str(), want.str());
}

TEST(Writer, WriteKeepsEmbeddedBytes) {
  Writer w;
  const char bytes[] = {'a', '\0', 'b'};
  w.write(bytes, sizeof bytes);
  EXPECT_EQ(w.str(), std::string(bytes, sizeof bytes));
}

TEST(Writer, FileWriterGoesToTheFile) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  Writer w(f);
  w << "pid " << 7 << "\n";
  w.flush();
  std::rewind(f);
  char buf[32] = {};
  const size_t n = std::fread(buf, 1, sizeof buf, f);
  std::fclose(f);
  EXPECT_EQ(std::string(buf, n), "pid 7\n");
  EXPECT_EQ(w.str(), "");  // a file writer collects nothing
}

}  // namespace
}  // namespace edgeward::text
