// The JSON podman and containerd read: state (runtime-spec fields), features, log lines.
#include "runtime/oci/oci_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace edgeward::oci {
namespace {

using nlohmann::json;

TEST(OciJson, StateHasTheRuntimeSpecFields) {
  runtime::ContainerState st;
  st.id = "c1";
  st.status = runtime::Status::kRunning;
  st.pid = 1234;
  st.bundle = "/b";
  st.annotations = {{"k", "v"}};
  const json j = json::parse(state_json(st));
  EXPECT_EQ(j.at("ociVersion"), kOciVersion);
  EXPECT_EQ(j.at("id"), "c1");
  EXPECT_EQ(j.at("status"), "running");
  EXPECT_EQ(j.at("pid"), 1234);
  EXPECT_EQ(j.at("bundle"), "/b");
  EXPECT_EQ(j.at("annotations").at("k"), "v");
  EXPECT_FALSE(j.contains("exitStatus"));
}

TEST(OciJson, AStoppedContainerHasNoPidAndItsExitStatus) {
  runtime::ContainerState st;
  st.id = "c1";
  st.status = runtime::Status::kStopped;
  st.pid = 1234;
  st.exit_status = 137;
  const json j = json::parse(state_json(st));
  EXPECT_EQ(j.at("status"), "stopped");
  EXPECT_EQ(j.at("pid"), 0);
  EXPECT_EQ(j.at("exitStatus"), 137);
}

TEST(OciJson, FeaturesNameTheVersionsAndNamespaces) {
  const json j = json::parse(features_json());
  EXPECT_EQ(j.at("ociVersionMin"), "1.0.0");
  EXPECT_EQ(j.at("ociVersionMax"), kOciVersion);
  EXPECT_NE(j.at("linux").at("namespaces").dump().find("\"user\""), std::string::npos);
  EXPECT_EQ(j.at("linux").at("capabilities").size(), 14u);  // Docker's default set, what may be given
  EXPECT_EQ(j.at("linux").at("capabilities").at(0), "CAP_CHOWN");
}

TEST(OciJson, LogLinesInBothFormats) {
  const json j = json::parse(log_line("error", "it \"broke\"", true));
  EXPECT_EQ(j.at("level"), "error");
  EXPECT_EQ(j.at("msg"), "it \"broke\"");
  EXPECT_TRUE(j.contains("time"));
  const std::string text = log_line("error", "it broke", false);
  EXPECT_NE(text.find("level=error msg=\"it broke\""), std::string::npos) << text;
}

}  // namespace
}  // namespace edgeward::oci
