// Never host root (runtime/sandbox/identity.h, id_range.h, idmap_mount.h): run as root, a
// sandbox's ids map to a host range of its own, the workload becomes process.user inside it, and
// the rootfs is idmapped so a writable root stays container root's.
#include <stdlib.h>
#include <sys/mount.h>

#include <filesystem>
#include <fstream>

#include "runtime/sandbox/id_range.h"
#include "runtime/sandbox/identity.h"
#include "tests/runtime/sandbox/sandbox_env.h"

namespace edgeward::sandbox {
namespace {

using testing::rootfs;
using testing::test_policy;

std::vector<std::string> shell(const std::string& script) { return {"/bin/sh", "-c", script}; }

class UsernsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "host id ranges are root's (an unprivileged caller maps its own id)";
    if (auto why = testing::unsupported_reason()) GTEST_SKIP() << *why;
    char tmpl[] = "/tmp/edgeward-userns-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    // A pool of its own (two ranges) so that the test knows which ranges exist.
    pool_ = {1946157056, 2, 65536, dir_ + "/locks"};
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  SandboxConfig config(const std::string& script) {
    SandboxConfig c;
    c.rootfs = rootfs();
    c.policy = test_policy();
    c.argv = shell(script);
    c.id_pool = pool_;
    c.on_spawned = [this](pid_t p) {
      auto m = read_id_maps(p);
      if (m) seen_ = *m;
    };
    return c;
  }
  std::string dir_;
  IdPool pool_;
  IdMaps seen_;
};

TEST_F(UsernsTest, ARangeOfItsOwnNeverHostRoot) {
  auto held = IdRangeLease::acquire(pool_, {});  // another workload's
  ASSERT_TRUE(held.ok()) << held.error().message;
  const uint32_t other = held->base() == pool_.base ? pool_.base + pool_.size : pool_.base;
  auto r = run_sandbox(config("read a b c < /proc/self/uid_map; echo \"$a $b $c\"; "
                              "[ \"$a $b $c\" = '0 " + std::to_string(other) + " 65536' ] && exit 7; exit 3"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 7) << "the workload's uid_map is not the free range";
  ASSERT_EQ(seen_.uid.size(), 1u);
  EXPECT_EQ(seen_.uid[0], (IdMapping{0, other, 65536}));
  EXPECT_EQ(seen_.gid, seen_.uid);
  // Both ranges taken: the next workload is refused, not given a shared or root range.
  auto second = IdRangeLease::acquire(pool_, {});
  ASSERT_TRUE(second.ok()) << second.error().message;
  auto refused = run_sandbox(config("exit 0"));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("every host id range of the pool"), std::string::npos) << refused.error().message;
}

TEST_F(UsernsTest, TheWorkloadIsProcessUserInside) {
  SandboxConfig c = config("[ \"$(id -u):$(id -g)\" = 1000:1001 ] && id -G | grep -qw 5 && exit 7; id; exit 3");
  c.identity.uid = 1000;
  c.identity.gid = 1001;
  c.identity.additional_gids = {5};
  auto r = run_sandbox(c);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 7);
  c.identity.uid = 70000;  // outside 0..65535
  r = run_sandbox(c);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("process.user.uid 70000 is not mapped"), std::string::npos) << r.error().message;
}

TEST_F(UsernsTest, AWritableRootIsContainerRootsThroughTheIdmappedMount) {
  // Image files of host root's show as container root's, and what container root creates is
  // stored as host root's (the rootfs here is on ext4, which idmapped mounts support).
  const std::string probe = "/userns-probe-" + std::to_string(getpid());
  SandboxConfig c = config("[ \"$(stat -c %u /bin/busybox)\" = 0 ] || exit 4; echo x > " + probe + " || exit 5; "
                           "[ \"$(stat -c %u " + probe + ")\" = 0 ] || exit 6; exit 7");
  c.readonly_root = false;
  std::erase_if(c.policy.paths, [](const PathRule& r) { return r.pattern == "/"; });
  c.policy.paths.push_back({"/", Access::kWrite, "a writable root (as container_policy grants it)"});
  auto r = run_sandbox(c);
  struct stat st {};
  const bool created = stat((rootfs() + probe).c_str(), &st) == 0;
  std::filesystem::remove(rootfs() + probe);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 7);
  ASSERT_TRUE(created);
  EXPECT_EQ(st.st_uid, 0u) << "container root's file is not stored as the image's root";
}

TEST_F(UsernsTest, ConfiguredMappingsReplaceTheRange) {
  SandboxConfig c = config("read a b c < /proc/self/uid_map; [ \"$b\" = 1990000000 ] && exit 7; exit 3");
  c.identity.uid_mappings = {{0, 1990000000, 65536}};
  c.identity.gid_mappings = {{0, 1990000000, 65536}};
  auto r = run_sandbox(c);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 7);
  c.identity.uid_mappings = {{0, 0, 65536}};
  r = run_sandbox(c);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("maps to host id 0"), std::string::npos) << r.error().message;
}

// Overlayfs (containerd's snapshots) cannot be idmapped: the documented fallback mounts it as is.
// The workload reads the image; a writable root lets it write only where "other" may.
TEST_F(UsernsTest, AnOverlayRootfsFallsBackToAPlainMount) {
  for (const char* d : {"/upper", "/work", "/merged"}) ASSERT_EQ(mkdir((dir_ + d).c_str(), 0755), 0);
  const std::string merged = dir_ + "/merged";
  const std::string opts = "lowerdir=" + rootfs() + ",upperdir=" + dir_ + "/upper,workdir=" + dir_ + "/work";
  if (mount("overlay", merged.c_str(), "overlay", 0, opts.c_str()) != 0) GTEST_SKIP() << "no overlayfs here: " << strerror(errno);
  SandboxConfig c = config("cat /data/hello.txt >/dev/null || exit 4; [ \"$(stat -c %u /bin/busybox)\" = 65534 ] || exit 5; "
                           "echo x > /new 2>/dev/null && exit 3; exit 7");
  c.rootfs = merged;
  c.readonly_root = false;
  std::erase_if(c.policy.paths, [](const PathRule& r) { return r.pattern == "/"; });
  c.policy.paths.push_back({"/", Access::kWrite, "a writable root"});
  auto r = run_sandbox(c);
  umount2(merged.c_str(), MNT_DETACH);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 7) << "4: image unreadable, 5: host root not shown as nobody, 3: wrote a root-owned directory";
}


// A rootfs on a shared mount (systemd makes "/" shared): the idmapped tree is a clone of it, in
// its peer group, until the jail cuts it off; else the sandbox's /proc, /dev and /tmp appeared
// in this mount namespace and pivot_root refused the shared root (EINVAL).
TEST_F(UsernsTest, ARootfsOnASharedMountLeaksNoMountToTheHost) {
  const std::string shared = dir_ + "/shared", root = shared + "/rootfs";
  ASSERT_EQ(mkdir(shared.c_str(), 0755), 0);
  ASSERT_EQ(mount("tmpfs", shared.c_str(), "tmpfs", 0, "size=1m"), 0) << strerror(errno);
  ASSERT_EQ(mount(nullptr, shared.c_str(), nullptr, MS_SHARED, nullptr), 0) << strerror(errno);
  ASSERT_EQ(mkdir(root.c_str(), 0755), 0);
  ASSERT_EQ(mount(rootfs().c_str(), root.c_str(), nullptr, MS_BIND | MS_REC, nullptr), 0) << strerror(errno);
  SandboxConfig c = config("[ -d /proc/1 ] && exit 7; exit 3");
  c.rootfs = root;
  auto r = run_sandbox(c);
  std::string leaked;
  std::ifstream info("/proc/self/mountinfo");
  for (std::string line; std::getline(info, line);) {
    if (line.find(" " + root + "/") != std::string::npos) leaked += line + "\n";
  }
  umount2(shared.c_str(), MNT_DETACH);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 7);
  EXPECT_EQ(leaked, "") << "the sandbox's mounts reached this mount namespace";
}

}  // namespace
}  // namespace edgeward::sandbox
