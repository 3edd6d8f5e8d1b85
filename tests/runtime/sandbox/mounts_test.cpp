// The container's mounts (runtime/sandbox/mounts.h): option parsing and refusals (error cases
// first), which mounts the sandbox applies, and mount points made without following symlinks.
#include "runtime/sandbox/mounts.h"

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace edgeward::sandbox {
namespace {

TEST(MountPlan, RefusesBadMountsNamingTheDestination) {
  const struct {
    const char* name;
    MountSpec m;
    const char* error;
  } cases[] = {
      {"relative", {"data", "tmpfs", "tmpfs", {}}, "mounts: data: the destination must be absolute"},
      {"dot-dot", {"/data/../etc", "tmpfs", "tmpfs", {}}, "must not hold \"..\""},
      {"unknown type", {"/d", "nfs", "srv:/x", {}}, "mounts: /d: mount type \"nfs\" is not supported"},
      {"relative bind source", {"/d", "bind", "srv", {"rbind"}}, "a bind mount needs an absolute source, got \"srv\""},
      {"missing bind source", {"/d", "none", "/no/such/dir", {"bind"}}, "bind source /no/such/dir does not exist"},
      {"tmpcopyup on a bind", {"/d", "bind", "/tmp", {"rbind", "tmpcopyup"}}, "tmpcopyup applies to tmpfs mounts only"},
      {"tmpcopyup read-only", {"/d", "tmpfs", "tmpfs", {"tmpcopyup", "ro"}}, "tmpcopyup with ro is not supported"},
  };
  for (const auto& c : cases) {
    auto r = plan_mount(c.m);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.error().message.find(c.error), std::string::npos) << c.name << ": " << r.error().message;
  }
}

TEST(MountPlan, OptionsBecomeFlagsAndData) {
  auto shm = plan_mount({"/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}});
  ASSERT_TRUE(shm.ok()) << shm.error().message;
  EXPECT_EQ(shm->flags, static_cast<unsigned long>(MS_NOSUID | MS_NOEXEC | MS_NODEV));
  EXPECT_EQ(shm->data, "mode=1777,size=65536k");
  auto bind = plan_mount({"/etc/resolv.conf", "bind", "/etc/hostname", {"rbind", "rprivate", "ro"}});
  ASSERT_TRUE(bind.ok()) << bind.error().message;
  EXPECT_EQ(bind->flags, static_cast<unsigned long>(MS_BIND | MS_REC | MS_RDONLY));
  EXPECT_EQ(bind->data, "");
  auto rw = plan_mount({"/d", "", "/tmp", {"bind", "ro", "rw"}});  // a bind without a type; the last of ro/rw wins
  ASSERT_TRUE(rw.ok()) << rw.error().message;
  EXPECT_EQ(rw->flags, static_cast<unsigned long>(MS_BIND));
}

TEST(MountPlan, PropagationAndTmpcopyupAreNotFileSystemData) {
  const struct {
    const char* option;
    unsigned long propagation;
  } cases[] = {
      {"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC}, {"shared", MS_SHARED},
      {"rshared", MS_SHARED | MS_REC}, {"slave", MS_SLAVE},             {"rslave", MS_SLAVE | MS_REC},
      {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
  };
  for (const auto& c : cases) {
    auto p = plan_mount({"/d", "bind", "/tmp", {"rbind", c.option}});
    ASSERT_TRUE(p.ok()) << c.option << ": " << p.error().message;
    EXPECT_EQ(p->propagation, c.propagation) << c.option;
    EXPECT_EQ(p->flags, static_cast<unsigned long>(MS_BIND | MS_REC)) << c.option;
    EXPECT_EQ(p->data, "") << c.option;
  }
  auto last = plan_mount({"/d", "bind", "/tmp", {"bind", "rshared", "private"}});  // the last one wins
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->propagation, static_cast<unsigned long>(MS_PRIVATE));
  auto copy = plan_mount({"/etc", "tmpfs", "tmpfs", {"tmpcopyup", "mode=755"}});
  ASSERT_TRUE(copy.ok()) << copy.error().message;
  EXPECT_TRUE(copy->copy_up);
  EXPECT_EQ(copy->data, "mode=755");
  EXPECT_EQ(copy->propagation, 0u);
}

TEST(MountPlan, TheSandboxKeepsItsOwnProcDevAndNoCgroups) {
  EXPECT_FALSE(sandbox_applies({"/proc", "proc", "proc", {}}));
  EXPECT_FALSE(sandbox_applies({"/dev", "tmpfs", "tmpfs", {"mode=755"}}));
  EXPECT_FALSE(sandbox_applies({"/sys/fs/cgroup", "cgroup", "cgroup", {"ro"}}));
  EXPECT_TRUE(sandbox_applies({"/dev/shm", "tmpfs", "shm", {}}));
  EXPECT_TRUE(sandbox_applies({"/dev", "bind", "/dev", {"rbind"}}));  // only the config's /dev tmpfs is replaced
  EXPECT_TRUE(mount_writable({"/data", "bind", "/srv", {"rbind"}}));
  EXPECT_FALSE(mount_writable({"/data", "bind", "/srv", {"rbind", "ro"}}));
  EXPECT_FALSE(mount_writable({"/sys", "sysfs", "sysfs", {}}));
}

TEST(MountPoint, MadeInsideTheRootWithoutFollowingSymlinks) {
  char dir[] = "/tmp/edgeward-mountpoint-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string root = dir;
  EXPECT_TRUE(make_mount_point(root, "/etc/resolv.conf", true));
  struct stat st {};
  ASSERT_EQ(stat((root + "/etc/resolv.conf").c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_TRUE(make_mount_point(root, "/dev/shm", false));
  ASSERT_EQ(stat((root + "/dev/shm").c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  // A symlink on the way (here to the host's /tmp) is refused, nothing is made outside.
  ASSERT_EQ(symlink("/tmp", (root + "/escape").c_str()), 0);
  EXPECT_FALSE(make_mount_point(root, "/escape/edgeward-mountpoint-leak", false));
  EXPECT_NE(stat("/tmp/edgeward-mountpoint-leak", &st), 0);
  std::ofstream(root + "/file") << "x";
  EXPECT_FALSE(make_mount_point(root, "/file/sub", false));
  std::system(("rm -rf " + root).c_str());
}

}  // namespace
}  // namespace edgeward::sandbox
