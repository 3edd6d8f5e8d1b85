// systemd's "slice:prefix:name" cgroupsPath as the cgroupfs path systemd would use
// (runtime/sandbox/systemd_cgroup.h), as runc's systemd driver names units. Errors first.
#include "runtime/sandbox/systemd_cgroup.h"

#include <gtest/gtest.h>

namespace edgeward::sandbox {
namespace {

TEST(SystemdCgroupPath, RefusesMalformedForms) {
  const struct {
    const char* path;
    const char* error;
  } cases[] = {
      {"system.slice:docker", "expected exactly three parts"},
      {"a:b:c:d", "expected exactly three parts"},
      {"system.slice:docker:", "the name (third part) is empty"},
      {"system:docker:abc", "the slice \"system\" must end in .slice"},
      {"a--b.slice:x:y", "has an empty component between dashes"},
      {"-a.slice:x:y", "has an empty component between dashes"},
      {"a-.slice:x:y", "has an empty component between dashes"},
      {"system.slice:../..:abc", "\"../..\" is not a unit name"},
      {"system.slice:x:..", "\"..\" is not a unit name"},
      {"../x.slice:x:y", "is not a unit name"},
  };
  for (const auto& c : cases) {
    auto r = systemd_cgroup_path(c.path);
    ASSERT_FALSE(r.ok()) << c.path;
    EXPECT_NE(r.error().message.find(std::string("linux.cgroupsPath: \"") + c.path + "\""), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find(c.error), std::string::npos) << c.path << ": " << r.error().message;
  }
}

TEST(SystemdCgroupPath, MapsToTheUnitsCgroup) {
  const struct {
    const char* path;
    const char* want;
  } cases[] = {
      {"system.slice:docker:abc", "/system.slice/docker-abc.scope"},
      {"kubepods-besteffort-pod1.slice:cri-containerd:abc",
       "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1.slice/cri-containerd-abc.scope"},
      {":ctr:abc", "/system.slice/ctr-abc.scope"},
      {"machine.slice::abc", "/machine.slice/abc.scope"},
      {"-.slice:libpod:abc", "/libpod-abc.scope"},
      {"user.slice:x:app.slice", "/user.slice/app.slice"},
  };
  for (const auto& c : cases) {
    auto r = systemd_cgroup_path(c.path);
    ASSERT_TRUE(r.ok()) << c.path << ": " << r.error().message;
    EXPECT_EQ(*r, c.want) << c.path;
  }
  EXPECT_TRUE(is_systemd_cgroup_path("a.slice:b:c"));
  EXPECT_FALSE(is_systemd_cgroup_path("/kubepods/pod-1/ctr"));
  EXPECT_FALSE(is_systemd_cgroup_path(""));
}

}  // namespace
}  // namespace edgeward::sandbox
