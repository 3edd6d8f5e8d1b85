// launch_image: a real signed image (in-process fleet PKI) to a sandbox WorkloadSpec. Refusals
// first (each leaves no directory and measures nothing), then the prepared launch and its
// measurement (once per boot for the same image and configuration).
#include <gtest/gtest.h>

#include <filesystem>

#include "attest/image/image.h"
#include "attest/measure/store.h"
#include "runtime/launch/launch.h"
#include "tests/attest/testing.h"
#include "tests/runtime/launch/tar_writer.h"

namespace edgeward::launch {
namespace {

using attest::testing::must;

class Launch : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto tar = testing::make_tar({{"bin/", AE_IFDIR, 0755}, {"bin/app", AE_IFREG, 0755, "#!/bin/sh\n"}});
    attest::testing::write_bytes(dir_.file("rootfs.tar"), tar);
    ASSERT_TRUE(attest::write_file_atomic(dir_.file("ca.crt"), pki_.ca_pem).ok());
    image("app.ewi", {}, signer_);
  }

  void image(const std::string& name, std::vector<std::pair<std::string, std::string>> selector,
             const attest::testing::Identity& who) {
    attest::BuildSpec spec;
    spec.manifest.name = "app";
    spec.manifest.version = "1.0";
    spec.manifest.entry = "/bin/app --serve";
    spec.manifest.memory_bytes = 32 << 20;
    spec.manifest.vcpus = 1;
    spec.manifest.sandbox_profile = "default";
    spec.manifest.node_selector = std::move(selector);
    spec.inputs.push_back({attest::ComponentKind::kRootfsArchive, "rootfs-archive", dir_.file("rootfs.tar")});
    must(attest::build_image(spec, dir_.file(name)));
    ASSERT_TRUE(attest::sign_image(dir_.file(name), who.key, who.cert_pem).ok());
  }

  LaunchOptions options(const std::string& img, const std::string& work) {
    LaunchOptions o;
    o.image = dir_.file(img);
    o.ca_path = dir_.file("ca.crt");
    o.attest_dir = dir_.path();
    o.workdir = dir_.file(work);
    o.node_labels = {{"edgeward.io/arch", "x86_64"}};
    o.kvm_verdict = [] { return KvmVerdict{false, "KVM is slow: injected"}; };
    return o;
  }

  size_t events() { return must(attest::MeasurementStore::open(dir_.path())).state().events.size(); }

  attest::testing::TempDir dir_;
  attest::testing::Pki pki_;
  attest::testing::Identity signer_ = pki_.issue(attest::Purpose::kCodeSigning, "signer");
};

TEST_F(Launch, RefusalsLeaveNothingAndMeasureNothing) {
  attest::testing::Pki other;
  image("foreign.ewi", {}, other.issue(attest::Purpose::kCodeSigning, "stranger"));
  image("picky.ewi", {{"edgeward.io/arch", "riscv64"}}, signer_);
  image("needy.ewi", {{"edgeward.io/gpu", "yes"}}, signer_);
  struct Case {
    const char* what;
    std::string image;
    BackendRequest backend;
    const char* error;
  };
  const Case cases[] = {
      {"missing image", "none.ewi", BackendRequest::kAuto, "none.ewi"},
      {"another fleet's signer", "foreign.ewi", BackendRequest::kAuto, "not trusted by the fleet CA"},
      {"wrong label value", "picky.ewi", BackendRequest::kAuto, "needs node label edgeward.io/arch=riscv64; this node has edgeward.io/arch=x86_64"},
      {"missing label", "needy.ewi", BackendRequest::kAuto, "this node has no label edgeward.io/gpu"},
      {"vm without kernel", "app.ewi", BackendRequest::kVm, "has no kernel"},
  };
  for (const auto& c : cases) {
    auto o = options(c.image, "w");
    o.backend = c.backend;
    auto r = launch_image(o);
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_NE(r.error().message.find(c.error), std::string::npos) << c.what << ": " << r.error().message;
    EXPECT_FALSE(std::filesystem::exists(dir_.file("w"))) << c.what;
  }
  EXPECT_EQ(events(), 0u) << "a refused launch was measured";
  std::filesystem::create_directory(dir_.file("taken"));
  EXPECT_FALSE(launch_image(options("app.ewi", "taken")).ok());
  EXPECT_TRUE(std::filesystem::exists(dir_.file("taken"))) << "an existing directory must not be removed";
}

TEST_F(Launch, PreparesASandboxWorkloadAndMeasuresItOncePerBoot) {
  auto p = launch_image(options("app.ewi", "w1"));
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->workload.backend, runtime::Backend::kSandbox);
  EXPECT_EQ(p->backend_reason, "sandbox: the image has no kernel");
  EXPECT_EQ(p->workload.argv, (std::vector<std::string>{"/bin/app", "--serve"}));
  EXPECT_EQ(p->workload.rootfs, dir_.file("w1") + "/rootfs");
  EXPECT_EQ(p->workload.memory_bytes, 32u << 20);
  for (const char* d : {"bin/app", "tmp", "dev", "proc"}) {
    EXPECT_TRUE(std::filesystem::exists(p->workload.rootfs + "/" + d)) << d;
  }
  EXPECT_EQ(p->signer, "CN=signer");
  EXPECT_EQ(p->manifest_digest.size(), 64u);
  EXPECT_EQ(events(), 3u) << "manifest, one component, launch configuration";
  ASSERT_TRUE(launch_image(options("app.ewi", "w2")).ok());
  EXPECT_EQ(events(), 3u) << "the same image and configuration is measured once per boot";
}

}  // namespace
}  // namespace edgeward::launch
