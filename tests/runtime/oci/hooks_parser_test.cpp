// config.json's hooks (runtime/oci/hooks_parser.h) through the config parser: malformed hooks
// first (each error names the JSON path), then what is read.
#include <gtest/gtest.h>

#include "runtime/oci/config_parser.h"

namespace edgeward::oci {
namespace {

std::string with_hooks(const std::string& hooks) {
  return R"({"ociVersion":"1.0.2","process":{"args":["/bin/sh"]},"root":{"path":"r"},"hooks":)" + hooks + "}";
}

TEST(OciHooksParser, RefusesMalformedHooksNamingThePath) {
  const struct {
    const char* name;
    const char* hooks;
    const char* error;
  } cases[] = {
      {"hooks type", R"([])", "hooks: expected an object, got array"},
      {"phase type", R"({"prestart":{}})", "hooks.prestart: expected an array, got object"},
      {"hook type", R"({"poststop":["/bin/true"]})", "hooks.poststop[0]: expected an object, got string"},
      {"no path", R"({"createRuntime":[{"args":["x"]}]})", "hooks.createRuntime[0].path: missing"},
      {"path type", R"({"createRuntime":[{"path":1}]})", "hooks.createRuntime[0].path: expected a string, got number"},
      {"relative path", R"({"poststart":[{"path":"bin/hook"}]})", "hooks.poststart[0].path: \"bin/hook\" must be an absolute path"},
      {"NUL in path", R"({"poststart":[{"path":"/bin/a\u0000b"}]})", "hooks.poststart[0].path: contains a NUL byte"},
      {"args type", R"({"createContainer":[{"path":"/h","args":"x"}]})", "hooks.createContainer[0].args: expected an array of strings"},
      {"arg type", R"({"createContainer":[{"path":"/h","args":["h",2]}]})", "hooks.createContainer[0].args[1]: expected a string, got number"},
      {"env type", R"({"poststop":[{"path":"/h","env":[true]}]})", "hooks.poststop[0].env[0]: expected a string, got boolean"},
      {"zero timeout", R"({"prestart":[{"path":"/h","timeout":0}]})", "hooks.prestart[0].timeout: must be 1 .. 3600 seconds, got 0"},
      {"negative timeout", R"({"prestart":[{"path":"/h","timeout":-5}]})", "hooks.prestart[0].timeout: must be 1 .. 3600"},
      {"huge timeout", R"({"prestart":[{"path":"/h","timeout":18446744073709551615}]})", "hooks.prestart[0].timeout: must be 1 .. 3600"},
      {"timeout type", R"({"prestart":[{"path":"/h","timeout":1.5}]})", "hooks.prestart[0].timeout: expected an integer (seconds), got number"},
      {"startContainer relative", R"({"startContainer":[{"path":"h"}]})", "hooks.startContainer[0].path: \"h\" must be an absolute path"},
  };
  for (const auto& c : cases) {
    auto r = parse_oci_config(with_hooks(c.hooks), "config.json");
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.error().message.find(std::string("config.json: ") + c.error), std::string::npos)
        << c.name << ": " << r.error().message;
  }
}

TEST(OciHooksParser, RefusesTooManyHooksInOnePhase) {
  std::string list = "[";
  for (int i = 0; i < 65; ++i) list += std::string(i ? "," : "") + R"({"path":"/h"})";
  auto r = parse_oci_config(with_hooks(R"({"poststop":)" + list + "]}"), "config.json");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("hooks.poststop: more than 64 entries"), std::string::npos) << r.error().message;
}

TEST(OciHooksParser, ReadsEveryPhaseInOrderWithDefaults) {
  auto r = parse_oci_config(with_hooks(R"({
      "prestart": [{"path": "/usr/bin/pre", "args": ["pre", "-x"], "env": ["A=1"], "timeout": 5}],
      "createRuntime": [{"path": "/cr1"}, {"path": "/cr2", "timeout": 3600}],
      "createContainer": [{"path": "/cc"}],
      "startContainer": [{"path": "/bin/sh", "args": ["sh", "-c", "true"], "timeout": 2}],
      "poststart": [{"path": "/ps", "args": null}],
      "poststop": [{"path": "/stop", "env": ["B=2", "C=3"]}],
      "x-vendor": "ignored"})"), "config.json");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const runtime::Hooks& h = r->hooks;
  ASSERT_EQ(h.prestart.size(), 1u);
  EXPECT_EQ(h.prestart[0].path, "/usr/bin/pre");
  EXPECT_EQ(h.prestart[0].args, (std::vector<std::string>{"pre", "-x"}));
  EXPECT_EQ(h.prestart[0].env, std::vector<std::string>{"A=1"});
  EXPECT_EQ(h.prestart[0].timeout, 5);
  ASSERT_EQ(h.create_runtime.size(), 2u);
  EXPECT_EQ(h.create_runtime[0].path, "/cr1");
  EXPECT_EQ(h.create_runtime[0].timeout, runtime::kDefaultHookTimeout);
  EXPECT_EQ(h.create_runtime[1].timeout, 3600);
  ASSERT_EQ(h.create_container.size(), 1u);
  ASSERT_EQ(h.start_container.size(), 1u);
  EXPECT_EQ(h.start_container[0].args, (std::vector<std::string>{"sh", "-c", "true"}));
  EXPECT_EQ(h.start_container[0].timeout, 2);
  ASSERT_EQ(h.poststart.size(), 1u);
  EXPECT_TRUE(h.poststart[0].args.empty());
  ASSERT_EQ(h.poststop.size(), 1u);
  EXPECT_EQ(h.poststop[0].env, (std::vector<std::string>{"B=2", "C=3"}));
}

TEST(OciHooksParser, AbsentOrNullHooksAreNone) {
  auto absent = parse_oci_config(R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"}})", "c");
  ASSERT_TRUE(absent.ok());
  EXPECT_TRUE(absent->hooks.empty());
  auto null = parse_oci_config(with_hooks("null"), "c");
  ASSERT_TRUE(null.ok());
  EXPECT_TRUE(null->hooks.empty());
}

}  // namespace
}  // namespace edgeward::oci
