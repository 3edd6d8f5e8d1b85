// Bundle policy: the root resolved against the bundle, limits and defaults, and the annotations
// that choose the backend. Error cases first.
#include "runtime/oci/bundle.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace edgeward::oci {
namespace {

class BundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/edgeward-bundle-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    bundle_ = dir;
    ASSERT_EQ(mkdir((bundle_ + "/rootfs").c_str(), 0755), 0);
    config_.oci_version = "1.0.2";
    config_.args = {"/bin/sh"};
    config_.root_path = "rootfs";
  }
  void TearDown() override { std::system(("rm -rf " + bundle_).c_str()); }
  std::string bundle_;
  OciConfig config_;
};

TEST_F(BundleTest, RefusesBadAnnotationsAndAMissingRoot) {
  struct Case {
    const char* name;
    std::map<std::string, std::string> annotations;
    std::string root;
    const char* error;
  } cases[] = {
      {"missing root", {}, "nonexistent", "root.path"},
      {"unknown backend", {{"io.edgeward.backend", "kvm"}}, "rootfs", "io.edgeward.backend\"]: must be sandbox, vm or auto"},
      {"typo", {{"io.edgeward.vm.kernal", "k"}}, "rootfs", "io.edgeward.vm.kernal\"]: unknown edgeward annotation"},
      {"vm without kernel", {{"io.edgeward.backend", "vm"}}, "rootfs", "io.edgeward.vm.kernel\"]: required"},
      {"bad mem", {{"io.edgeward.backend", "vm"}, {"io.edgeward.vm.kernel", "k"}, {"io.edgeward.vm.mem", "lots"}},
       "rootfs", "io.edgeward.vm.mem\"]"},
      {"bad vcpus", {{"io.edgeward.backend", "vm"}, {"io.edgeward.vm.kernel", "k"}, {"io.edgeward.vm.vcpus", "0"}},
       "rootfs", "io.edgeward.vm.vcpus\"]"},
      {"bad net", {{"io.edgeward.net", "bridge"}}, "rootfs", "io.edgeward.net\"]: must be none or host"},
  };
  for (const auto& c : cases) {
    OciConfig cfg = config_;
    cfg.annotations = c.annotations;
    cfg.root_path = c.root;
    auto r = spec_from_bundle(cfg, bundle_, "id1");
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.error().message.find(c.error), std::string::npos) << c.name << ": " << r.error().message;
  }
}

TEST_F(BundleTest, NamespacesThatCannotBeJoinedAreRefusedWithTheReason) {
  // Under qemu-user the namespace ioctl is not passed on: every namespace file then reads as
  // "not a namespace file at all", and the user namespace is refused before its maps are read.
  const int probe = open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
  const bool nsfs = probe >= 0 && ioctl(probe, NS_GET_NSTYPE) == CLONE_NEWUSER;
  if (probe >= 0) close(probe);
  const std::string host_user_error =
      !nsfs             ? "/proc/self/ns/user is not a user namespace"
      : geteuid() == 0 ? "the user namespace /proc/self/ns/user may not be joined: its uid_map maps uid 0 to host uid 0 (host root)"
                        : "joining the user namespace /proc/self/ns/user needs edgeward to run as root";
  // A mount namespace is joinable (joined_mount.h), but never the host's initial one: pid 1's,
  // or kthreadd's (pid 2) where pid 1's files are unreadable (a protected init).
  const int init_mnt = open("/proc/1/ns/mnt", O_RDONLY | O_CLOEXEC);
  const std::string host_mnt = init_mnt >= 0 ? "/proc/1/ns/mnt" : "/proc/2/ns/mnt";
  if (init_mnt >= 0) close(init_mnt);
  const std::string host_mount_error =
      !nsfs             ? host_mnt + " is not a mount namespace"
      : geteuid() == 0 ? "the mount namespace " + host_mnt + " may not be joined: it is the host's initial mount namespace"
                        : "joining the mount namespace " + host_mnt + " needs edgeward to run as root";
  struct Case {
    const char* name;
    std::vector<OciConfig::Namespace> namespaces;
    std::string error;
  } cases[] = {
      {"pid given a network namespace", {{"pid", "/proc/self/ns/net"}}, "/proc/self/ns/net is not a pid namespace"},
      {"the host's user namespace (host root)", {{"user", "/proc/self/ns/user"}}, host_user_error},
      {"the host's mount namespace", {{"mount", host_mnt}}, host_mount_error},
      {"time", {{"time", "/proc/self/ns/time"}}, "joining an existing time namespace"},
      {"missing file", {{"network", "/run/netns/cni-nope"}}, "cannot open network namespace /run/netns/cni-nope: No such file"},
      {"wrong type", {{"ipc", "/proc/self/ns/uts"}}, "/proc/self/ns/uts is not a ipc namespace"},
      {"not a namespace", {{"uts", "/proc/self/status"}}, "/proc/self/status is not a uts namespace (not a namespace file at all)"},
      {"unknown type", {{"wormhole", "/proc/self/ns/ipc"}}, "unknown namespace type \"wormhole\""},
  };
  for (const auto& c : cases) {
    OciConfig cfg = config_;
    cfg.namespaces = c.namespaces;
    auto r = spec_from_bundle(cfg, bundle_, "id1");
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.error().message.find(c.error), std::string::npos) << c.name << ": " << r.error().message;
  }
}

TEST_F(BundleTest, NetworkIpcAndUtsNamespacesAreJoinedByPath) {
  {  // qemu-user (the aarch64 test run) does not pass the namespace ioctl on
    const int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    const bool nsfs = fd >= 0 && ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWNET;
    if (fd >= 0) close(fd);
    if (!nsfs) GTEST_SKIP() << "namespace files cannot be asked their type here (qemu-user)";
  }
  config_.has_namespaces = true;
  config_.namespaces = {{"pid", ""}, {"mount", ""}, {"network", "/proc/self/ns/net"}, {"ipc", "/proc/self/ns/ipc"},
                        {"uts", "/proc/self/ns/uts"}};
  auto r = spec_from_bundle(config_, bundle_, "id1");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->workload.join_namespaces.size(), 3u);
  EXPECT_EQ(r->workload.join_namespaces[0].type, "network");
  EXPECT_EQ(r->workload.join_namespaces[1].path, "/proc/self/ns/ipc");
  EXPECT_FALSE(r->workload.net_host);
  config_.namespaces = {{"pid", ""}, {"network", ""}};
  ASSERT_TRUE(spec_from_bundle(config_, bundle_, "id1").ok());
  EXPECT_TRUE(spec_from_bundle(config_, bundle_, "id1")->workload.join_namespaces.empty());
}

TEST_F(BundleTest, ListedNamespacesWithoutANetworkOneShareTheHostNetwork) {  // Kubernetes hostNetwork
  config_.has_namespaces = true;
  config_.namespaces = {{"pid", ""}, {"ipc", ""}, {"mount", ""}};
  auto r = spec_from_bundle(config_, bundle_, "id1");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->workload.net_host);
  config_.annotations = {{"edgeward.io/net", "none"}};
  EXPECT_FALSE(spec_from_bundle(config_, bundle_, "id1")->workload.net_host);
}

TEST_F(BundleTest, UserMountsRootAndCgroupsPathReachTheWorkload) {
  config_.uid = 1000;
  config_.gid = 3000;
  config_.additional_gids = {4000};
  config_.root_readonly = false;
  config_.cgroups_path = "/pod-1/ctr-1";
  config_.cpu_shares = 256;
  config_.cpu_quota = 50000;
  config_.cpu_period = -1;  // not a period: the default is kept
  config_.mounts = {{"/data", "bind", "/tmp", {"rbind", "ro"}}};
  auto r = spec_from_bundle(config_, bundle_, "id1");
  if (geteuid() != 0) {  // another uid than 0 needs the identity mapping, which needs root
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("needs edgeward to run as root"), std::string::npos) << r.error().message;
    return;
  }
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& w = r->workload;
  EXPECT_TRUE(w.identity.uid_mappings.empty());  // a range of the pool, leased when it runs
  EXPECT_EQ(w.identity.uid, 1000u);
  EXPECT_EQ(w.identity.gid, 3000u);
  EXPECT_EQ(w.identity.additional_gids, std::vector<uint32_t>{4000});
  EXPECT_FALSE(w.readonly_root);
  EXPECT_TRUE(w.init_is_pid);
  EXPECT_EQ(w.cgroup_path, "/pod-1/ctr-1");
  EXPECT_EQ(w.cpu.shares, 256u);
  EXPECT_EQ(w.cpu.quota, 50000);
  EXPECT_EQ(w.cpu.period, 0u);
  ASSERT_EQ(w.mounts.size(), 1u);
  EXPECT_EQ(w.mounts[0].options, (std::vector<std::string>{"rbind", "ro"}));
}

TEST_F(BundleTest, RefusesBadIdMappingsAndEscapingCgroupPaths) {
  struct Case {
    const char* name;
    std::vector<OciConfig::IdMapping> uids, gids;
    const char* error;  // as root; an unprivileged caller is refused any mapping
  };
  const std::vector<Case> cases = {
      {"host root", {{0, 0, 65536}}, {{0, 200000, 65536}}, "linux.uidMappings[0]: maps to host id 0: edgeward never maps"},
      {"gid host root", {{0, 200000, 65536}}, {{0, 0, 1}}, "linux.gidMappings[0]: maps to host id 0"},
      {"only uids", {{0, 200000, 65536}}, {}, "give both or neither"},
      {"overlap inside", {{0, 200000, 10}, {5, 300000, 10}}, {{0, 200000, 10}}, "linux.uidMappings[1]: containerID range overlaps"},
      {"overlap host", {{0, 200000, 10}, {10, 200005, 10}}, {{0, 200000, 10}}, "linux.uidMappings[1]: hostID range overlaps"},
      {"overflow", {{0, 4294967295u, 2}}, {{0, 200000, 10}}, "runs past id 4294967295"},
      {"user unmapped", {{0, 200000, 10}}, {{0, 200000, 10}}, "process.user.uid 1000 is not mapped"},
  };
  for (const auto& c : cases) {
    OciConfig cfg = config_;
    cfg.uid = 1000;
    cfg.uid_mappings = c.uids;
    cfg.gid_mappings = c.gids;
    auto r = spec_from_bundle(cfg, bundle_, "id1");
    ASSERT_FALSE(r.ok()) << c.name;
    const std::string want = geteuid() == 0 ? c.error : "need edgeward to run as root";
    EXPECT_NE(r.error().message.find(want), std::string::npos) << c.name << ": " << r.error().message;
  }
  OciConfig cfg = config_;
  cfg.cgroups_path = "/pod/../../escape";
  auto r = spec_from_bundle(cfg, bundle_, "id1");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("linux.cgroupsPath"), std::string::npos) << r.error().message;
}

TEST_F(BundleTest, SystemdCgroupsPathBecomesTheUnitsCgroupfsPath) {
  config_.cgroups_path = "kubepods-pod1.slice:cri-containerd:abc";
  auto r = spec_from_bundle(config_, bundle_, "id1");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->workload.cgroup_path, "/kubepods.slice/kubepods-pod1.slice/cri-containerd-abc.scope");
  config_.cgroups_path = "pods:cri:abc";
  r = spec_from_bundle(config_, bundle_, "id1");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("the slice \"pods\" must end in .slice"), std::string::npos) << r.error().message;
}

TEST_F(BundleTest, TakesValidIdMappingsAsRoot) {
  if (geteuid() != 0) GTEST_SKIP() << "id mappings need root";
  OciConfig cfg = config_;
  cfg.uid = 1000;
  cfg.gid = 1000;
  cfg.additional_gids = {5};
  cfg.uid_mappings = {{0, 300000, 65536}};
  cfg.gid_mappings = {{0, 300000, 1}, {1, 400001, 65535}};
  auto r = spec_from_bundle(cfg, bundle_, "id1");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& id = r->workload.identity;
  EXPECT_EQ(id.uid_mappings, (std::vector<sandbox::IdMapping>{{0, 300000, 65536}}));
  EXPECT_EQ(id.gid_mappings, (std::vector<sandbox::IdMapping>{{0, 300000, 1}, {1, 400001, 65535}}));
}

TEST_F(BundleTest, TheKubernetesAnnotationSpellingIsRead) {  // deploy/k8s forwards edgeward.io/*
  config_.annotations = {{"edgeward.io/backend", "vm"}, {"edgeward.io/vm.kernel", "bzImage"}, {"edgeward.io/vm.vcpus", "2"}};
  auto r = spec_from_bundle(config_, bundle_, "id1");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->workload.backend, runtime::Backend::kVm);
  EXPECT_EQ(r->workload.vm.vcpus, 2u);
  config_.annotations = {{"edgeward.io/backend", "qemu"}};
  r = spec_from_bundle(config_, bundle_, "id1");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("annotations[\"edgeward.io/backend\"]: must be sandbox, vm or auto"), std::string::npos)
      << r.error().message;
  config_.annotations = {{"edgeward.io/backend", "vm"}, {"io.edgeward.backend", "sandbox"}};
  r = spec_from_bundle(config_, bundle_, "id1");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("contradicts"), std::string::npos) << r.error().message;
  config_.annotations = {{"edgeward.io/backend", "auto"}};  // no kernel given: the sandbox
  r = spec_from_bundle(config_, bundle_, "id1");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->workload.backend, runtime::Backend::kSandbox);
  config_.annotations = {{"edgeward.io/vm.kernal", "k"}};
  EXPECT_FALSE(spec_from_bundle(config_, bundle_, "id1").ok());
}

// A CRI pod never becomes half a pod: a microVM is refused for its sandbox (pause) and app
// containers alike, before anything is created; auto means the sandbox for pods.
TEST_F(BundleTest, APodIsRefusedAMicroVmAndAutoMeansTheSandbox) {
  for (const char* type : {"io.kubernetes.cri.container-type", "io.kubernetes.cri-o.ContainerType"}) {
    config_.annotations = {{type, "sandbox"}, {"edgeward.io/backend", "vm"}, {"edgeward.io/vm.kernel", "bzImage"}};
    auto r = spec_from_bundle(config_, bundle_, "id1");
    ASSERT_FALSE(r.ok()) << type;
    EXPECT_NE(r.error().message.find("annotations[\"edgeward.io/backend\"]: vm is not available for Kubernetes pods"),
              std::string::npos)
        << r.error().message;
    config_.annotations = {{type, "container"}, {"edgeward.io/backend", "auto"}, {"edgeward.io/vm.kernel", "bzImage"}};
    r = spec_from_bundle(config_, bundle_, "id1");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->workload.backend, runtime::Backend::kSandbox);
  }
}

TEST_F(BundleTest, LoadBundleReportsAMissingOrMalformedConfig) {
  auto missing = load_bundle(bundle_, "id1");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("config.json"), std::string::npos) << missing.error().message;
  std::ofstream(bundle_ + "/config.json") << R"({"ociVersion":"1.0.2","process":{"args":[1]}})";
  auto bad = load_bundle(bundle_, "id1");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find(bundle_ + "/config.json: process.args[0]: expected a string"), std::string::npos)
      << bad.error().message;
}

TEST_F(BundleTest, SandboxByDefaultWithTheRootInsideTheBundle) {
  config_.env = {"A=1"};
  config_.cwd = "/srv";
  config_.hostname = "edge";
  config_.memory_limit = 64 << 20;
  config_.pids_limit = 16;
  config_.annotations = {{"org.example", "x"}};
  auto r = spec_from_bundle(config_, bundle_, "id1");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->id, "id1");
  EXPECT_EQ(r->bundle, bundle_);
  EXPECT_EQ(r->workload.backend, runtime::Backend::kSandbox);
  EXPECT_EQ(r->workload.rootfs, bundle_ + "/rootfs");
  EXPECT_EQ(r->workload.argv, std::vector<std::string>{"/bin/sh"});
  EXPECT_EQ(r->workload.env, std::vector<std::string>{"A=1"});
  EXPECT_EQ(r->workload.cwd, "/srv");
  EXPECT_EQ(r->workload.hostname, "edge");
  EXPECT_EQ(r->workload.memory_bytes, 64u << 20);
  EXPECT_EQ(r->workload.pids, 16u);
  EXPECT_FALSE(r->workload.net_host);
  EXPECT_EQ(r->annotations.at("org.example"), "x");
}

TEST_F(BundleTest, NoLimitsGivenMeansTheDefaults) {
  config_.memory_limit = -1;
  auto r = spec_from_bundle(config_, bundle_, "id1");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->workload.memory_bytes, runtime::WorkloadSpec{}.memory_bytes);
  EXPECT_EQ(r->workload.pids, kDefaultPidsLimit);
  EXPECT_EQ(r->workload.hostname, "edgeward");
}

TEST_F(BundleTest, AnnotationsAskForAMicroVm) {
  config_.annotations = {{"io.edgeward.backend", "vm"},     {"io.edgeward.vm.kernel", "bzImage"},
                         {"io.edgeward.vm.initrd", "/abs/initrd"}, {"io.edgeward.vm.cmdline", "quiet"},
                         {"io.edgeward.vm.mem", "128M"},    {"io.edgeward.vm.vcpus", "2"}};
  auto r = spec_from_bundle(config_, bundle_, "id1");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& w = r->workload;
  EXPECT_EQ(w.backend, runtime::Backend::kVm);
  EXPECT_EQ(w.vm.kernel, bundle_ + "/bzImage");
  EXPECT_EQ(w.vm.initrd, "/abs/initrd");
  EXPECT_EQ(w.vm.cmdline, "quiet");
  EXPECT_EQ(w.vm.mem_bytes, 128u << 20);
  EXPECT_EQ(w.vm.vcpus, 2u);
}

TEST_F(BundleTest, SandboxAnnotations) {
  config_.annotations = {{"io.edgeward.sandbox.policy", "policy.xml"}, {"io.edgeward.net", "host"}};
  auto r = spec_from_bundle(config_, bundle_, "id1");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->workload.policy_file, bundle_ + "/policy.xml");
  EXPECT_TRUE(r->workload.net_host);
}

// The file-system fields (linux_fields.h) are judged against the namespaces the bundle ends up
// with: linux.namespaces without a network entry, or io.edgeward.net=host, is the host's network.
TEST_F(BundleTest, FileSystemFieldsFollowTheFinalNamespaces) {
  config_.sysctl = {{"net.ipv4.ip_forward", "1"}};
  config_.masked_paths = {"/proc/kcore"};
  config_.has_namespaces = true;
  config_.namespaces = {{"pid", ""}, {"network", ""}};
  auto own = spec_from_bundle(config_, bundle_, "id1");
  ASSERT_TRUE(own.ok()) << own.error().message;
  EXPECT_EQ(own->workload.fs.sysctl.at("net.ipv4.ip_forward"), "1");
  EXPECT_EQ(own->workload.fs.masked_paths, std::vector<std::string>{"/proc/kcore"});
  OciConfig host_net = config_;
  host_net.namespaces = {{"pid", ""}};
  auto r = spec_from_bundle(host_net, bundle_, "id1");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("linux.sysctl[\"net.ipv4.ip_forward\"]: the network namespace is the host's"),
            std::string::npos) << r.error().message;
  OciConfig annotated = config_;
  annotated.annotations = {{"io.edgeward.net", "host"}};
  EXPECT_FALSE(spec_from_bundle(annotated, bundle_, "id1").ok());
}

TEST_F(BundleTest, HooksMustBeExecutableHostFilesAndNotForAMicroVm) {
  const std::string script = bundle_ + "/hook.sh";
  std::ofstream(script) << "#!/bin/sh\nexit 0\n";
  ASSERT_EQ(chmod(script.c_str(), 0644), 0);  // not executable yet
  config_.hooks.poststop = {{script, {}, {}, 5}};
  auto r = spec_from_bundle(config_, bundle_, "id1");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("hooks.poststop[0].path: " + script + " is not an executable file"), std::string::npos)
      << r.error().message;
  config_.hooks.poststop = {{bundle_ + "/missing", {}, {}, 5}};
  EXPECT_FALSE(spec_from_bundle(config_, bundle_, "id1").ok());
  config_.hooks.poststop = {{bundle_, {}, {}, 5}};  // a directory
  EXPECT_FALSE(spec_from_bundle(config_, bundle_, "id1").ok());

  ASSERT_EQ(chmod(script.c_str(), 0755), 0);
  config_.hooks.poststop = {};
  config_.hooks.create_runtime = {{script, {"hook", "a"}, {"K=V"}, 7}};
  r = spec_from_bundle(config_, bundle_, "id1");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->hooks.create_runtime.size(), 1u);
  EXPECT_EQ(r->hooks.create_runtime[0].args, (std::vector<std::string>{"hook", "a"}));
  EXPECT_EQ(r->hooks.create_runtime[0].timeout, 7);

  config_.annotations = {{"io.edgeward.backend", "vm"}, {"io.edgeward.vm.kernel", "k"}};
  r = spec_from_bundle(config_, bundle_, "id1");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("hooks: not supported for a microVM"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace edgeward::oci
