#include <gtest/gtest.h>

#include "runtime/launch/backend_choice.h"

namespace edgeward::launch {
namespace {

using runtime::Backend;

TEST(BackendChoice, ParsesNames) {
  EXPECT_FALSE(parse_backend("kvm").ok());
  EXPECT_FALSE(parse_backend("VM").ok());
  EXPECT_EQ(*parse_backend(""), BackendRequest::kAuto);
  EXPECT_EQ(*parse_backend("auto"), BackendRequest::kAuto);
  EXPECT_EQ(*parse_backend("vm"), BackendRequest::kVm);
  EXPECT_EQ(*parse_backend("sandbox"), BackendRequest::kSandbox);
}

TEST(BackendChoice, Table) {
  struct Case {
    const char* what;
    BackendRequest req;
    bool kernel, archive, kvm_fast;
    std::optional<Backend> want;  // nullopt: refused
    const char* reason;
    bool asks_kvm;
  };
  const Case cases[] = {
      {"vm forced without kernel", BackendRequest::kVm, false, true, true, std::nullopt, "has no kernel", false},
      {"sandbox forced without archive", BackendRequest::kSandbox, true, false, true, std::nullopt, "no rootfs-archive", false},
      {"auto with nothing", BackendRequest::kAuto, false, false, true, std::nullopt, "neither a kernel", false},
      {"vm forced on slow KVM", BackendRequest::kVm, true, true, false, Backend::kVm, "forced by --backend vm", false},
      {"sandbox forced", BackendRequest::kSandbox, true, true, true, Backend::kSandbox, "forced", false},
      {"auto, no kernel", BackendRequest::kAuto, false, true, true, Backend::kSandbox, "has no kernel", false},
      {"auto, fast KVM", BackendRequest::kAuto, true, true, true, Backend::kVm, "microVM: KVM is fast", true},
      {"auto, slow KVM", BackendRequest::kAuto, true, true, false, Backend::kSandbox, "sandbox: KVM is slow", true},
      {"auto, slow KVM, kernel only", BackendRequest::kAuto, true, false, false, Backend::kVm, "no rootfs archive", true},
  };
  for (const auto& c : cases) {
    bool asked = false;
    auto r = choose_backend(c.req, c.kernel, c.archive, [&] {
      asked = true;
      return c.kvm_fast ? KvmVerdict{true, "KVM is fast: 0.1 ms"} : KvmVerdict{false, "KVM is slow: 150 ms"};
    });
    EXPECT_EQ(asked, c.asks_kvm) << c.what;
    if (!c.want) {
      ASSERT_FALSE(r.ok()) << c.what;
      EXPECT_NE(r.error().message.find(c.reason), std::string::npos) << c.what << ": " << r.error().message;
      continue;
    }
    ASSERT_TRUE(r.ok()) << c.what << ": " << r.error().message;
    EXPECT_EQ(r->backend, *c.want) << c.what;
    EXPECT_NE(r->reason.find(c.reason), std::string::npos) << c.what << ": " << r->reason;
  }
}

}  // namespace
}  // namespace edgeward::launch
