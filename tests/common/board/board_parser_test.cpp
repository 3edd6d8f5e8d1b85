// Board parser: error cases first (each names the line and what to fix), then good boards.
#include "common/board/board_parser.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace edgeward::board {
namespace {

// A valid board; each bad case below replaces one piece of it.
const std::string kGood = R"(<?xml version="1.0"?>
<board name="test-board" schema="1">
  <description>A test board</description>
  <arch>aarch64</arch>
  <toolchain>aarch64-linux-gnu</toolchain>
  <memory>512M</memory>
  <cpus>2</cpus>
  <kvm expected="false"/>
  <console device="ttyAMA0" baud="115200"/>
  <storage data="/var/lib/edgeward">
    <slot name="A" path="/slots/a"/>
    <slot name="B" path="/slots/b"/>
  </storage>
  <labels>
    <label key="kubernetes.io/arch" value="arm64"/>
    <label key="edgeward.io/zone" value="factory-7"/>
  </labels>
</board>
)";

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << "test bug: '" << from << "' not in the base board";
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

struct BadCase {
  const char* name;
  std::string xml;
  const char* where;  // "file:line" prefix expected in the message
  const char* says;   // substring expected in the message
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class BadBoard : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadBoard, IsRefusedWithFileLineAndReason) {
  const BadCase& c = GetParam();
  auto r = parse_board_xml(c.xml, "boards/t.xml");
  ASSERT_FALSE(r.ok()) << c.name;
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(r.error().message.rfind(c.where, 0), 0u) << r.error().message;
  EXPECT_NE(r.error().message.find(c.says), std::string::npos) << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Errors, BadBoard,
    ::testing::Values(
        BadCase{"empty", "", "boards/t.xml:", "malformed XML"},
        BadCase{"malformed", replace(kGood, "</cpus>", "</cpu>"), "boards/t.xml:7:", "malformed XML"},
        BadCase{"truncated", kGood.substr(0, kGood.size() / 2), "boards/t.xml:", "malformed XML"},
        BadCase{"wrong_root", "<machine/>", "boards/t.xml:1:", "expected <board>"},
        BadCase{"unknown_arch", replace(kGood, "aarch64</arch>", "mips</arch>"), "boards/t.xml:4:",
                "unknown arch \"mips\""},
        BadCase{"missing_arch", replace(kGood, "<arch>aarch64</arch>", ""), "boards/t.xml:2:",
                "missing the required <arch>"},
        BadCase{"missing_labels",
                replace(kGood, kGood.substr(kGood.find("  <labels>"), kGood.find("</board>") - kGood.find("  <labels>")), ""),
                "boards/t.xml:2:", "missing the required <labels>"},
        BadCase{"empty_memory", replace(kGood, "512M", ""), "boards/t.xml:6:", "<memory> is empty"},
        BadCase{"bad_memory_unit", replace(kGood, "512M", "512Q"), "boards/t.xml:6:", "unknown unit"},
        BadCase{"tiny_memory", replace(kGood, "512M", "1M"), "boards/t.xml:6:", "at least 16MiB"},
        BadCase{"zero_cpus", replace(kGood, "<cpus>2", "<cpus>0"), "boards/t.xml:7:", "out of range"},
        BadCase{"text_cpus", replace(kGood, "<cpus>2", "<cpus>two"), "boards/t.xml:7:", "not a whole number"},
        BadCase{"kvm_maybe", replace(kGood, "\"false\"", "\"maybe\""), "boards/t.xml:8:", "true or false"},
        BadCase{"no_console_device", replace(kGood, "device=\"ttyAMA0\" ", ""), "boards/t.xml:9:",
                "missing the attribute device"},
        BadCase{"one_slot", replace(kGood, "<slot name=\"B\" path=\"/slots/b\"/>", ""), "boards/t.xml:10:",
                "both slots A and B"},
        BadCase{"slot_c", replace(kGood, "name=\"B\"", "name=\"C\""), "boards/t.xml:12:", "not A or B"},
        BadCase{"relative_slot", replace(kGood, "/slots/a", "slots/a"), "boards/t.xml:11:", "absolute path"},
        BadCase{"shared_slot_path", replace(kGood, "/slots/b", "/slots/a"), "boards/t.xml:10:", "share a path"},
        BadCase{"bad_label_key", replace(kGood, "edgeward.io/zone", "Edge Ward/zone"), "boards/t.xml:16:",
                "prefix has the character"},
        BadCase{"bad_label_value", replace(kGood, "factory-7", "factory 7"), "boards/t.xml:16:",
                "label value has the character"},
        BadCase{"dup_label", replace(kGood, "edgeward.io/zone", "kubernetes.io/arch"), "boards/t.xml:16:",
                "declared twice"},
        BadCase{"dup_element", replace(kGood, "<cpus>2</cpus>", "<cpus>2</cpus><cpus>3</cpus>"),
                "boards/t.xml:7:", "more than once"},
        BadCase{"unknown_element", replace(kGood, "<cpus>", "<gpu/><cpus>"), "boards/t.xml:7:",
                "unknown element <gpu>"},
        BadCase{"bad_schema", replace(kGood, "schema=\"1\"", "schema=\"9\""), "boards/t.xml:2:",
                "not supported"},
        BadCase{"userns_low_base", replace(kGood, "  <labels>", "  <userns base=\"1000\"/>\n  <labels>"),
                "boards/t.xml:14:", "overlaps the host's own users"},
        BadCase{"userns_past_ids",
                replace(kGood, "  <labels>", "  <userns base=\"4000000000\" ranges=\"10000\"/>\n  <labels>"),
                "boards/t.xml:14:", "runs past id 4294967294"},
        BadCase{"userns_text", replace(kGood, "  <labels>", "  <userns ranges=\"many\"/>\n  <labels>"),
                "boards/t.xml:14:", "not a whole number"},
        BadCase{"userns_zero_size", replace(kGood, "  <labels>", "  <userns size=\"0\"/>\n  <labels>"),
                "boards/t.xml:14:", "out of range"},
        BadCase{"userns_child", replace(kGood, "  <labels>", "  <userns><range/></userns>\n  <labels>"),
                "boards/t.xml:14:", "unknown element <range>"},
        BadCase{"bad_toolchain", replace(kGood, ">aarch64-linux-gnu<", ">../../evil<"), "boards/t.xml:5:",
                "plain name"}),
    [](const ::testing::TestParamInfo<BadCase>& i) { return std::string(i.param.name); });

TEST(BoardParser, RefusesOversizedInput) {
  std::string huge = kGood + std::string(kMaxBoardFileBytes, ' ');
  auto r = parse_board_xml(huge, "big.xml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("larger than 64 KiB"), std::string::npos);
}

TEST(BoardParser, SurvivesDeepNesting) {
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "<a>";
  auto r = parse_board_xml(deep, "deep.xml");
  EXPECT_FALSE(r.ok());
}

TEST(BoardParser, ReadsEveryField) {
  auto r = parse_board_xml(kGood, "t.xml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Board& b = *r;
  EXPECT_EQ(b.name, "test-board");
  EXPECT_EQ(b.description, "A test board");
  EXPECT_EQ(b.arch, Arch::kAarch64);
  EXPECT_EQ(b.toolchain, "aarch64-linux-gnu");
  EXPECT_EQ(b.memory_bytes, 512u << 20);
  EXPECT_EQ(b.cpus, 2u);
  EXPECT_FALSE(b.kvm_expected);
  EXPECT_EQ(b.console.device, "ttyAMA0");
  EXPECT_EQ(b.console.baud, 115200u);
  EXPECT_EQ(b.storage.data_path, "/var/lib/edgeward");
  ASSERT_EQ(b.storage.slots.size(), 2u);
  EXPECT_EQ(b.storage.slots[0].name, "A");
  EXPECT_EQ(b.storage.slots[1].path, "/slots/b");
  ASSERT_EQ(b.labels.size(), 2u);
  ASSERT_NE(b.label("edgeward.io/zone"), nullptr);
  EXPECT_EQ(*b.label("edgeward.io/zone"), "factory-7");
  EXPECT_EQ(b.label("absent"), nullptr);
}

TEST(BoardParser, UserNamespacePoolDefaultsAndOverrides) {
  auto plain = parse_board_xml(kGood, "t.xml");
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(plain->userns.base, 1879048192u);
  EXPECT_EQ(plain->userns.ranges, 1024u);
  EXPECT_EQ(plain->userns.size, 65536u);
  auto r = parse_board_xml(replace(kGood, "  <labels>", "  <userns base=\"2000000000\" ranges=\"16\"/>\n  <labels>"), "t.xml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->userns.base, 2000000000u);
  EXPECT_EQ(r->userns.ranges, 16u);
  EXPECT_EQ(r->userns.size, 65536u);  // not given: the default
}

TEST(BoardParser, LoadFileNamesMissingPath) {
  auto r = load_board_file("/nonexistent/board.xml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r.error().message.find("/nonexistent/board.xml"), std::string::npos);
}

TEST(BoardParser, LoadFileReportsItsPathAndLine) {
  const std::string path = ::testing::TempDir() + "/bad-arch.xml";
  std::ofstream(path) << replace(kGood, "aarch64</arch>", "sparc</arch>");
  auto r = load_board_file(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.rfind(path + ":4:", 0), 0u) << r.error().message;
}

}  // namespace
}  // namespace edgeward::board
