// Canonical JSON: byte-exact outputs of securesystemslib's encode_canonical, derived from its
// rules (sorted keys, no whitespace, only \ and " escaped, integers only).
#include "ota/tuf/canonical_json.h"

#include <gtest/gtest.h>

namespace edgeward::ota::tuf {
namespace {

struct Case {
  const char* name;
  const char* json;      // input, as JSON text
  const char* expected;  // canonical bytes, or nullptr when it must be refused
};

const Case kCases[] = {
    // Refusals first.
    {"float refused", R"({"a": 1.5})", nullptr},
    {"integral float refused", R"([1.0])", nullptr},
    {"exponent refused", R"({"x": [1e3]})", nullptr},
    // Accepted values.
    {"empty object", "{}", "{}"},
    {"empty array", "[]", "[]"},
    {"empty string", R"("")", R"("")"},
    {"scalars", R"([true, false, null, 0, -5, 18446744073709551615])", "[true,false,null,0,-5,18446744073709551615]"},
    {"keys sorted", R"({"b": 1, "a": 2, "c": {"z": 1, "y": 2}})", R"({"a":2,"b":1,"c":{"y":2,"z":1}})"},
    {"code point order", R"({"é": 1, "aa": 2, "a": 3, "_": 4, "B": 5})", "{\"B\":5,\"_\":4,\"a\":3,\"aa\":2,\"\xc3\xa9\":1}"},
    {"quote and backslash escaped", R"(["a\"b\\c"])", R"(["a\"b\\c"])"},
    {"control characters raw", R"(["line\nbreak\ttab"])", "[\"line\nbreak\ttab\"]"},
    {"unicode passthrough", R"(["\u00e9\u4e2d \ud83d\ude00"])", "[\"\xc3\xa9\xe4\xb8\xad \xf0\x9f\x98\x80\"]"},
    {"slash not escaped", R"(["a/b"])", R"(["a/b"])"},
    {"nested arrays", R"([[1, [2, [3, []]]], [], {"k": [[]]}])", R"([[1,[2,[3,[]]]],[],{"k":[[]]}])"},
    {"key with quote", R"({"a\"b": "\\"})", R"({"a\"b":"\\"})"},
    {"tuf key object", R"({"keyval": {"public": "abc"}, "scheme": "ed25519", "keytype": "ed25519"})",
     R"({"keytype":"ed25519","keyval":{"public":"abc"},"scheme":"ed25519"})"},
};

TEST(CanonicalJson, Vectors) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    const auto value = nlohmann::json::parse(c.json);
    auto out = canonical_json(value);
    if (!c.expected) {
      ASSERT_FALSE(out.ok());
      EXPECT_NE(out.error().message.find("floating-point"), std::string::npos) << out.error().message;
      continue;
    }
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(*out, c.expected);
  }
}

TEST(CanonicalJson, ErrorNamesThePointer) {
  auto out = canonical_json(nlohmann::json::parse(R"({"signed": {"meta": {"x": 0.5}}})"));
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().message.find("/signed/meta/x"), std::string::npos) << out.error().message;
}

TEST(CanonicalJson, DeepNestingRefused) {
  nlohmann::json v = 1;
  for (int i = 0; i < kMaxCanonicalDepth + 2; ++i) v = nlohmann::json::array({v});
  EXPECT_FALSE(canonical_json(v).ok());
  nlohmann::json ok = 1;
  for (int i = 0; i < kMaxCanonicalDepth; ++i) ok = nlohmann::json::array({ok});
  EXPECT_TRUE(canonical_json(ok).ok());
}

}  // namespace
}  // namespace edgeward::ota::tuf
