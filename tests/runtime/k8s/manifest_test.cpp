// Manifest syntax (YAML via libyaml, JSON via nlohmann): hostile and malformed input first, each
// error naming the source and line; then how YAML scalars resolve (as Kubernetes' decoder does).
#include "runtime/k8s/manifest.h"

#include <gtest/gtest.h>

#include <string>

namespace edgeward::k8s {
namespace {

std::string nested(size_t depth) {
  std::string s;
  for (size_t i = 0; i < depth; ++i) s += "[";
  for (size_t i = 0; i < depth; ++i) s += "]";
  return s;
}

struct BadCase {
  const char* name;
  std::string text;
  ManifestFormat format;
  const char* error;  // substring of the message
};

TEST(Manifest, RejectsBadInput) {
  const BadCase cases[] = {
      {"empty", "", ManifestFormat::kYaml, "pod.yaml: empty manifest"},
      {"malformed yaml", "a: [1, 2\nb: 3\n", ManifestFormat::kYaml, "pod.yaml:2:2: malformed YAML"},
      {"tab indentation", "a:\n\tb: 1\n", ManifestFormat::kYaml, "pod.yaml:2:1: malformed YAML"},
      {"malformed json", "{\"a\": 1,\n \"b\": }", ManifestFormat::kJson, "pod.yaml:2:7: malformed JSON"},
      {"number overflow (fuzz)", "{\"a\": 9999999999e99999}", ManifestFormat::kJson,
       "pod.yaml: malformed JSON: [json.exception.out_of_range.406] number overflow"},
      {"truncated json", "{\"a\": [1, 2", ManifestFormat::kJson, "malformed JSON"},
      {"alias", "a: &x {b: 1}\nc: *x\n", ManifestFormat::kYaml, "pod.yaml:2:4: YAML aliases (*name) are not supported"},
      {"billion laughs", "a: &a [x, x]\nb: &b [*a, *a]\n", ManifestFormat::kYaml, "aliases"},
      {"duplicate key", "a: 1\nb: 2\na: 3\n", ManifestFormat::kYaml, "pod.yaml:3:1: duplicate key \"a\""},
      {"two documents", "a: 1\n---\nb: 2\n", ManifestFormat::kYaml, "more than one YAML document"},
      {"complex key", "? [a, b]\n: 1\n", ManifestFormat::kYaml, "mapping key must be a plain value"},
      {"deep yaml", nested(kMaxManifestDepth + 1), ManifestFormat::kYaml, "nesting deeper than 64 levels"},
      {"oversized", std::string(kMaxManifestBytes + 1, ' '), ManifestFormat::kAuto,
       "manifest is larger than the limit of 1048576 bytes"},
      {"merge key", "a:\n  <<: {b: 1}\n", ManifestFormat::kYaml,
       "pod.yaml:2:3: YAML merge keys (<<) are not supported"},
  };
  for (const BadCase& c : cases) {
    auto r = parse_manifest(c.text, "pod.yaml", c.format);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput) << c.name;
    EXPECT_NE(r.error().message.find(c.error), std::string::npos) << c.name << ": " << r.error().message;
  }
}

TEST(Manifest, DeepButAllowedNestingParses) {
  auto r = parse_manifest(nested(kMaxManifestDepth), "x", ManifestFormat::kYaml);
  EXPECT_TRUE(r.ok()) << r.error().message;
}

TEST(Manifest, YamlScalarsResolveLikeKubernetes) {
  struct Case {
    const char* yaml;
    Json want;
  };
  const Case cases[] = {
      {"v: true", true},
      {"v: yes", true},
      {"v: On", true},
      {"v: false", false},
      {"v: no", false},
      {"v: \"true\"", "true"},
      {"v: 'yes'", "yes"},
      {"v: !!str true", "true"},
      {"v: ~", nullptr},
      {"v: null", nullptr},
      {"v:", nullptr},
      {"v: 3", 3},
      {"v: -3", -3},
      {"v: 0.5", 0.5},
      {"v: 2e3", 2000.0},
      {"v: 500m", "500m"},
      {"v: 128Mi", "128Mi"},
      {"v: \"3\"", "3"},
      {"v: 1.2.3", "1.2.3"},
      {"v: inf", "inf"},
      {"v: |\n  line\n", "line\n"},
      {"v: 99999999999999999999999", 1e23},
  };
  for (const Case& c : cases) {
    auto r = parse_manifest(c.yaml, "x.yaml", ManifestFormat::kYaml);
    ASSERT_TRUE(r.ok()) << c.yaml << ": " << r.error().message;
    EXPECT_EQ((*r)["v"], c.want) << c.yaml << " gave " << (*r)["v"].dump();
  }
}

TEST(Manifest, AutoDetectsJsonAndYaml) {
  auto j = parse_manifest("  {\"kind\": \"Pod\", \"n\": [1]}", "x", ManifestFormat::kAuto);
  ASSERT_TRUE(j.ok()) << j.error().message;
  EXPECT_EQ((*j)["kind"], "Pod");
  auto y = parse_manifest("kind: Pod\nn:\n  - 1\n", "x", ManifestFormat::kAuto);
  ASSERT_TRUE(y.ok()) << y.error().message;
  EXPECT_EQ(*j, *y);
}

TEST(Manifest, LoadFileErrors) {
  auto missing = load_manifest_file("/nonexistent/pod.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("/nonexistent/pod.yaml: cannot open"), std::string::npos);
}

}  // namespace
}  // namespace edgeward::k8s
