// KVM calibration: the classification with injected timings, then the real tiny guest on this
// host's /dev/kvm under the hard time cap.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "runtime/launch/kvm_calibration.h"
#include "vmm-lite/kvm/kvm.h"

namespace edgeward::launch {
namespace {

CalibrationSample sample(std::optional<uint64_t> ns, bool timed_out = false, bool usable = true) {
  CalibrationSample s;
  s.kvm_usable = usable;
  s.unusable_reason = usable ? "" : "/dev/kvm: No such file or directory";
  s.timed_out = timed_out;
  s.loop_ns = ns;
  s.iterations = 200000;
  return s;
}

TEST(KvmCalibration, ClassifiesInjectedTimings) {
  const CalibrationLimits limits;
  struct Case {
    const char* what;
    CalibrationSample s;
    bool fast;
    const char* reason;
  };
  const Case cases[] = {
      {"no /dev/kvm", sample(std::nullopt, false, false), false, "KVM is not usable: /dev/kvm"},
      {"hard cap hit", sample(std::nullopt, true), false, "did not finish in time"},
      {"software KVM, ~1000x", sample(150'000'000), false, "KVM is slow: 150.00 ms"},
      {"just at the limit", sample(limits.fast_below_ns), false, "KVM is slow"},
      {"hardware KVM", sample(120'000), true, "KVM is fast: 0.12 ms for 200000"},
      {"busy hardware host", sample(3'000'000), true, "KVM is fast"},
  };
  for (const auto& c : cases) {
    const KvmVerdict v = classify(c.s, limits);
    EXPECT_EQ(v.fast, c.fast) << c.what;
    EXPECT_NE(v.reason.find(c.reason), std::string::npos) << c.what << ": " << v.reason;
  }
}

TEST(KvmCalibration, MissingDeviceIsNotUsableAndNotCached) {
  const auto s = run_calibration({}, "/nonexistent/kvm");
  EXPECT_FALSE(s.kvm_usable);
  EXPECT_FALSE(s.timed_out);
  const std::string reason = classify(s, {}).reason;
  EXPECT_FALSE(classify(s, {}).fast);
  // Read as a user would: the cause once, the errno text whole, then what to do.
  EXPECT_EQ(reason,
            "KVM is not usable: cannot open /nonexistent/kvm: No such file or directory ("
#if defined(__aarch64__)
            "boot the host kernel at EL2 so KVM initialises "
#else
            "load kvm-intel or kvm-amd "
#endif
            "and check its permissions; without KVM, workloads run in the sandbox: edgeward run --backend sandbox)");
}

TEST(KvmCalibration, RealGuestFinishesOrIsCutOffAtTheCap) {
  if (!vmm::Kvm::open().ok()) GTEST_SKIP() << "SKIPPED: no usable /dev/kvm";
  CalibrationLimits limits;
  const auto t0 = std::chrono::steady_clock::now();
  const auto s = run_calibration(limits);
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(took, limits.hard_cap + std::chrono::milliseconds(500)) << "the hard cap did not hold";
  if (!s.timed_out && !s.kvm_usable) {
    // KVM ioctls through qemu-user (the aarch64 suite): nothing to measure.
    GTEST_SKIP() << "SKIPPED: the calibration guest cannot run here: " << s.unusable_reason;
  }
  EXPECT_TRUE(s.timed_out || s.loop_ns) << s.unusable_reason;
  const KvmVerdict v = classify(s, limits);
  std::cout << "this host: " << v.reason << "\n";
  // This project's machines run KVM in software (nested under an emulator): it must be classified
  // slow there. EDGEWARD_EXPECT_FAST_KVM=1 states the opposite for a hardware-KVM host.
  const char* expect_fast = std::getenv("EDGEWARD_EXPECT_FAST_KVM");
  if (expect_fast && std::string(expect_fast) == "1") {
    EXPECT_TRUE(v.fast) << v.reason;
  } else if (!v.fast) {
    EXPECT_NE(v.reason.find("slow"), std::string::npos) << v.reason;
  } else {
    GTEST_SKIP() << "SKIPPED: this host's KVM is fast (" << v.reason << "); set EDGEWARD_EXPECT_FAST_KVM=1 to assert it";
  }
}

TEST(KvmCalibration, VerdictIsCachedPerHostKey) {
  std::string t = (std::filesystem::temp_directory_path() / "ew-cal-XXXXXX").string();
  const std::string dir = ::mkdtemp(t.data());
  std::ofstream(dir + "/kvm-calibration") << "key=" << host_key() << "\nfast=1\nreason=KVM is fast: injected\n";
  const KvmVerdict cached = kvm_verdict(dir);
  EXPECT_TRUE(cached.fast);
  EXPECT_EQ(cached.reason, "KVM is fast: injected (cached)");
  std::ofstream(dir + "/kvm-calibration") << "key=another kernel\nfast=1\nreason=stale\n";
  const KvmVerdict fresh = kvm_verdict(dir, {.hard_cap = std::chrono::milliseconds(150)});
  EXPECT_EQ(fresh.reason.find("stale"), std::string::npos) << "a cache for another host key was used";
  std::ofstream(dir + "/kvm-calibration") << "garbage";
  EXPECT_EQ(kvm_verdict(dir, {.hard_cap = std::chrono::milliseconds(150)}).reason.find("garbage"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace edgeward::launch
