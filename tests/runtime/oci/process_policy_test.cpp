// What edgeward makes of the process fields: refusals first (each names the JSON path and why),
// then what reaches the sandbox, through spec_from_bundle.
#include "runtime/oci/process_policy.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cstdlib>

#include "runtime/oci/bundle.h"

namespace edgeward::oci {
namespace {

using Caps = ProcessFields::Capabilities;

std::string refusal(const ProcessFields& f) {
  auto r = process_attrs(f);
  return r.ok() ? "(accepted)" : r.error().message;
}

TEST(OciProcessPolicy, RefusesCapabilitiesTheSandboxCannotGive) {
  const struct {
    const char* name;
    Caps caps;
    const char* error;
  } cases[] = {
      {"sys_admin bounding", {.bounding = {"CAP_KILL", "CAP_SYS_ADMIN"}},
       "process.capabilities.bounding[1]: CAP_SYS_ADMIN is refused by the sandbox: it would let the workload escape"},
      {"sys_ptrace effective", {.effective = {"CAP_SYS_PTRACE"}}, "process.capabilities.effective[0]: CAP_SYS_PTRACE is refused"},
      {"sys_module permitted", {.permitted = {"CAP_SYS_MODULE"}},
       "process.capabilities.permitted[0]: CAP_SYS_MODULE is refused by the sandbox: it acts on the host"},
      {"bpf ambient", {.ambient = {"CAP_BPF"}}, "process.capabilities.ambient[0]: CAP_BPF is refused"},
      {"sys_time inheritable", {.inheritable = {"CAP_SYS_TIME"}}, "process.capabilities.inheritable[0]: CAP_SYS_TIME is refused"},
      {"effective not permitted", {.bounding = {"CAP_KILL"}, .effective = {"CAP_KILL"}},
       "process.capabilities.effective: CAP_KILL is not in permitted"},
      {"inheritable not bounding", {.inheritable = {"CAP_CHOWN"}, .permitted = {"CAP_CHOWN"}},
       "process.capabilities.inheritable: CAP_CHOWN is not in bounding"},
  };
  for (const auto& c : cases) {
    ProcessFields f;
    f.capabilities = c.caps;
    EXPECT_NE(refusal(f).find(c.error), std::string::npos) << c.name << ": " << refusal(f);
  }
  ProcessFields f;
  f.capabilities = Caps{.bounding = {"CAP_SYS_ADMIN"}};
  EXPECT_NE(refusal(f).find("the sandbox can give CAP_CHOWN, CAP_DAC_OVERRIDE"), std::string::npos) << refusal(f);
}

// runc's own `runc spec` lists ambient capabilities that are not inheritable: as runc, they are
// not raised, with a warning, and the container runs.
TEST(OciProcessPolicy, AnAmbientCapabilityTheKernelCannotRaiseIsLeftOutWithAWarning) {
  ProcessFields f;
  f.capabilities = Caps{.bounding = {"CAP_KILL"}, .permitted = {"CAP_KILL"}, .ambient = {"CAP_KILL"}};
  auto r = process_attrs(f);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->capabilities.ambient, 0u);
  const auto w = process_warnings(f);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("CAP_KILL is not both permitted and inheritable, so it is not raised"), std::string::npos) << w[0];
}

TEST(OciProcessPolicy, DockersDefaultSetIsGiven) {
  const std::vector<std::string> docker = {"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
                                           "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
                                           "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"};
  ProcessFields f;
  f.capabilities = Caps{.bounding = docker, .effective = docker, .inheritable = {"CAP_KILL"}, .permitted = docker,
                        .ambient = {"CAP_KILL"}};
  auto r = process_attrs(f);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->capabilities.bounding, 0xa80425fbull);  // runc's CapBnd for Docker's default set
  EXPECT_EQ(r->capabilities.effective, 0xa80425fbull);
  EXPECT_EQ(r->capabilities.permitted, 0xa80425fbull);
  EXPECT_EQ(r->capabilities.inheritable, 1ull << 5);
  EXPECT_EQ(r->capabilities.ambient, 1ull << 5);
  EXPECT_TRUE(process_warnings(f).empty());
}

TEST(OciProcessPolicy, NoNewPrivilegesIsAsGivenAndFalseWhenAbsentAsRunc) {
  ProcessFields f;
  auto absent = process_attrs(f);
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->no_new_privs);
  f.no_new_privileges = true;
  auto on = process_attrs(f);
  ASSERT_TRUE(on.ok());
  EXPECT_TRUE(on->no_new_privs);
  EXPECT_TRUE(process_warnings(f).empty());
  f.no_new_privileges = false;
  auto off = process_attrs(f);
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->no_new_privs);
  EXPECT_TRUE(process_warnings(f).empty());
}

TEST(OciProcessPolicy, HardLimitsAboveTheCallersAreLoweredOnlyWithoutCapSysResource) {
  sandbox::ProcessAttrs p;
  p.rlimits = {{RLIMIT_NOFILE, 1048576, 1048576}, {RLIMIT_NPROC, 10, 100}, {RLIMIT_STACK, 5, 50000}};
  const auto own = [](int resource) -> uint64_t { return resource == RLIMIT_STACK ? 40000 : 20000; };
  sandbox::ProcessAttrs with_cap = p;
  EXPECT_TRUE(fit_rlimits(with_cap, true, own).empty());
  EXPECT_EQ(with_cap, p);
  const auto w = fit_rlimits(p, false, own);
  EXPECT_EQ(p.rlimits, (std::vector<sandbox::Rlimit>{{RLIMIT_NOFILE, 20000, 20000}, {RLIMIT_NPROC, 10, 100},
                                                      {RLIMIT_STACK, 5, 40000}}));
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0], "process.rlimits: RLIMIT_NOFILE hard limit 1048576 is above edgeward's own (20000) and edgeward lacks "
                  "CAP_SYS_RESOURCE to raise it: lowered to 20000");
  EXPECT_NE(w[1].find("RLIMIT_STACK hard limit 50000"), std::string::npos);
}

TEST(OciProcessPolicy, ReachesTheWorkloadThroughTheBundle) {
  char dir[] = "/tmp/edgeward-process-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string bundle = dir;
  ASSERT_EQ(mkdir((bundle + "/rootfs").c_str(), 0755), 0);
  OciConfig c;
  c.oci_version = "1.0.2";
  c.args = {"/bin/sh"};
  c.root_path = "rootfs";
  auto plain = spec_from_bundle(c, bundle, "p0");
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(plain->workload.process.umask, 022u);  // runc's default
  EXPECT_FALSE(plain->workload.process.capabilities.any());
  EXPECT_TRUE(plain->workload.process.rlimits.empty());

  c.process_fields.rlimits = {{"RLIMIT_NOFILE", 100, 200}, {"RLIMIT_NPROC", 7, 9}};
  c.process_fields.umask = 077;
  c.process_fields.oom_score_adj = 300;
  c.process_fields.capabilities = Caps{.bounding = {"CAP_KILL"}, .effective = {"CAP_KILL"}, .permitted = {"CAP_KILL"}};
  auto s = spec_from_bundle(c, bundle, "p1");
  ASSERT_TRUE(s.ok()) << s.error().message;
  const sandbox::ProcessAttrs& p = s->workload.process;
  EXPECT_EQ(p.rlimits, (std::vector<sandbox::Rlimit>{{RLIMIT_NOFILE, 100, 200}, {RLIMIT_NPROC, 7, 9}}));
  EXPECT_EQ(p.umask, 077u);
  EXPECT_EQ(p.oom_score_adj, 300);
  EXPECT_EQ(p.capabilities.bounding, 1ull << 5);

  c.process_fields.capabilities = Caps{.bounding = {"CAP_NET_ADMIN"}};
  auto refused = spec_from_bundle(c, bundle, "p2");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("process.capabilities.bounding[0]: CAP_NET_ADMIN is refused"), std::string::npos);
  std::system(("rm -rf " + bundle).c_str());
}

}  // namespace
}  // namespace edgeward::oci
