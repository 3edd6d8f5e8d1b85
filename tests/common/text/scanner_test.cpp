// The Scanner must read what an istringstream's >> and std::getline read, including where a
// failed read stops the rest; each case is checked against a real istringstream.
#include "common/text/scanner.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <sstream>
#include <vector>

namespace edgeward::text {
namespace {

std::vector<std::string> words_std(const std::string& t) {
  std::istringstream in(t);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::vector<std::string> words(const std::string& t) {
  Scanner in(t);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

TEST(Scanner, WordsAsIstream) {
  for (const char* t : {"", " ", "a", "  a  b\tc\n", "oom_kill 0\noom 1\n", "\v\f\r x \r\n"}) {
    EXPECT_EQ(words(t), words_std(t)) << t;
  }
}

TEST(Scanner, NumbersStopAtTheFirstBadOne) {
  for (const char* t : {"1 2 3", "1 2 x 3", "  +7 8", "18446744073709551615 1", "18446744073709551616 1", "", "x",
                        "0 4294967296 65536\n"}) {
    std::istringstream want(t);
    Scanner got(t);
    std::vector<uint64_t> a, b;
    for (uint64_t v; want >> v;) a.push_back(v);
    for (uint64_t v; got >> v;) b.push_back(v);
    EXPECT_EQ(b, a) << t;
  }
}

TEST(Scanner, MixedFieldsOfProcStat) {
  const std::string rest = " S 1 1 1 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 4242 ";
  std::istringstream want(rest);
  Scanner got(rest);
  char s1 = 0, s2 = 0;
  int p1 = 0, p2 = 0;
  want >> s1 >> p1;
  got >> s2 >> p2;
  EXPECT_EQ(s2, s1);
  EXPECT_EQ(p2, p1);
  std::string skip;
  for (int field = 5; field < 22 && want; ++field) want >> skip;
  for (int field = 5; field < 22 && got; ++field) got >> skip;
  uint64_t t1 = 0, t2 = 0;
  want >> t1;
  got >> t2;
  EXPECT_EQ(t2, t1);
  EXPECT_EQ(static_cast<bool>(got), static_cast<bool>(want));
}

TEST(Scanner, GetlineAsStd) {
  for (const char* t : {"", "a", "a\n", "a\n\nb", "\n", "x,y,,z,", ",", "key=1\nfast=0\nreason=r"}) {
    for (char delim : {'\n', ','}) {
      std::istringstream want(t);
      Scanner got(t);
      std::vector<std::string> a, b;
      for (std::string l; std::getline(want, l, delim);) a.push_back(l);
      for (std::string l; getline(got, l, delim);) b.push_back(l);
      EXPECT_EQ(b, a) << t << " delim " << delim;
    }
  }
}

}  // namespace
}  // namespace edgeward::text
