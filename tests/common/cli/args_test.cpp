#include "common/cli/args.h"

#include <gtest/gtest.h>

namespace edgeward::cli {
namespace {

const ArgParser kParser("prog [--json] [--mem SIZE] FILE", "A test command.",
                        {{"json", "", "as JSON"}, {"mem", "SIZE", "memory"}});

Result<ParsedArgs> parse(std::vector<std::string> a) { return kParser.parse(a); }

TEST(Args, Errors) {
  struct Case { std::vector<std::string> args; const char* says; };
  for (const Case& c : {Case{{"--nope"}, "unknown option '--nope'"}, Case{{"-x"}, "unknown option '-x'"},
                        Case{{"--mem"}, "needs a value SIZE"}, Case{{"--json=1"}, "takes no value"}}) {
    auto r = parse(c.args);
    ASSERT_FALSE(r.ok()) << c.says;
    EXPECT_NE(r.error().message.find(c.says), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  }
}

TEST(Args, ValuesFlagsAndPositionals) {
  auto r = parse({"a", "--json", "--mem", "256M", "b", "--", "--json", "-c"});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->flag("json"));
  EXPECT_EQ(r->value("mem").value_or(""), "256M");
  EXPECT_EQ(r->positional(), (std::vector<std::string>{"a", "b", "--json", "-c"}));
  EXPECT_FALSE(r->flag("help"));
}

TEST(Args, RepeatedOptionKeepsEveryValueInOrder) {
  auto r = parse({"--mem", "1G", "--mem=2G", "x", "--mem", "3G"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->values("mem"), (std::vector<std::string>{"1G", "2G", "3G"}));
  EXPECT_EQ(r->value_or("mem", ""), "3G");  // value() is the last one
  EXPECT_TRUE(r->values("json").empty());
}

TEST(Args, InlineValueAndHelp) {
  auto r = parse({"--mem=1G", "-h"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->value_or("mem", ""), "1G");
  EXPECT_TRUE(r->flag("help"));
  EXPECT_FALSE(r->value("absent").has_value());
}

TEST(Args, HelpListsOptions) {
  const std::string h = kParser.help();
  EXPECT_NE(h.find("usage: prog"), std::string::npos);
  EXPECT_NE(h.find("--mem SIZE"), std::string::npos);
  EXPECT_NE(h.find("--help"), std::string::npos);
}

}  // namespace
}  // namespace edgeward::cli
