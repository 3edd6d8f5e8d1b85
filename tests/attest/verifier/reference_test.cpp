// Reference XML parser: error cases with line numbers first, then a good file.
#include "attest/verifier/reference.h"

#include <gtest/gtest.h>

namespace edgeward::attest {
namespace {

const std::string kDigest(64, 'a');

TEST(Reference, RefusesBadFiles) {
  struct Case {
    const char* name;
    std::string xml;
    const char* error;
  };
  const Case cases[] = {
      {"malformed", "<reference schema=\"1\">", "malformed XML"},
      {"wrong root", "<ref schema=\"1\"/>", "root element must be <reference>"},
      {"no schema", "<reference><runtime version=\"1\"/></reference>", "schema=\"1\""},
      {"no runtime", "<reference schema=\"1\"/>", "no <runtime"},
      {"bad digest", "<reference schema=\"1\">\n<runtime version=\"1\"/>\n<image name=\"a\" digest=\"xyz\"/></reference>",
       ":3: digest \"xyz\" is not 64 hex digits"},
      {"unknown element", "<reference schema=\"1\"><runtime version=\"1\"/><pcr/></reference>", "unknown element <pcr>"},
      {"unknown attribute", "<reference schema=\"1\"><runtime version=\"1\" commit=\"x\"/></reference>",
       "unknown attribute 'commit'"},
      {"text content", "<reference schema=\"1\"><runtime version=\"1\">x</runtime></reference>", "must be empty"},
      {"missing name", "<reference schema=\"1\"><runtime version=\"1\"/><image digest=\"" + kDigest + "\"/></reference>",
       "needs a name="},
      {"ota version not a number", "<reference schema=\"1\"><runtime version=\"1\"/><ota min-targets-version=\"-1\"/></reference>",
       "min-targets-version=\"-1\" is not a number"},
      {"ota version too long", "<reference schema=\"1\"><runtime version=\"1\"/><ota min-targets-version=\"1234567890123456789\"/></reference>",
       "is not a number"},
      {"two ota elements", "<reference schema=\"1\"><runtime version=\"1\"/><ota/><ota/></reference>", "more than one <ota>"},
      {"unknown ota attribute", "<reference schema=\"1\"><runtime version=\"1\"/><ota slot=\"A\"/></reference>",
       "unknown attribute 'slot'"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = parse_reference_xml(c.xml, "ref.xml");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find(c.error), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.rfind("ref.xml:", 0), 0u) << r.error().message;
  }
}

TEST(Reference, ParsesAllElements) {
  auto r = parse_reference_xml("<reference schema=\"1\"><runtime version=\"0.1.0\"/><runtime version=\"0.2.0\"/>"
                               "<runtime-binary digest=\"" + kDigest + "\"/><image name=\"web\" digest=\"" + kDigest +
                                   "\"/><board name=\"rpi4\"/><revoked-device-cert digest=\"" + kDigest + "\"/></reference>",
                               "ref.xml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->runtime_versions, (std::vector<std::string>{"0.1.0", "0.2.0"}));
  ASSERT_EQ(r->images.size(), 1u);
  EXPECT_EQ(r->images[0].name, "web");
  EXPECT_EQ(r->images[0].digest[0], 0xaa);
  EXPECT_EQ(r->boards, std::vector<std::string>{"rpi4"});
  EXPECT_EQ(r->runtime_binaries.size(), 1u);
  ASSERT_EQ(r->revoked_device_certs.size(), 1u);
  EXPECT_EQ(r->revoked_device_certs[0][31], 0xaa);
  EXPECT_FALSE(r->ota.has_value());
}

TEST(Reference, OtaElement) {
  auto required = parse_reference_xml("<reference schema=\"1\"><runtime version=\"1\"/><ota/></reference>", "ref.xml");
  ASSERT_TRUE(required.ok()) << required.error().message;
  ASSERT_TRUE(required->ota.has_value());
  EXPECT_EQ(required->ota->min_targets_version, 0u);
  auto min = parse_reference_xml("<reference schema=\"1\"><runtime version=\"1\"/><ota min-targets-version=\"12\"/></reference>",
                                 "ref.xml");
  ASSERT_TRUE(min.ok()) << min.error().message;
  EXPECT_EQ(min->ota->min_targets_version, 12u);
}

}  // namespace
}  // namespace edgeward::attest
