// linux.devices against the host's nodes (runtime/sandbox/devices.h): refusals first, each
// naming the entry; then the host's own /dev/null passes.
#include "runtime/sandbox/devices.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

namespace edgeward::sandbox {
namespace {

TEST(Devices, RefusesWhatIsNotTheHostsOwnNode) {
  struct stat null {};
  ASSERT_EQ(stat("/dev/null", &null), 0);
  const struct {
    const char* name;
    DeviceNode d;
    const char* error;
  } cases[] = {
      {"relative", {"dev/null", 'c', 1, 3, {}, {}, {}}, "linux.devices[0]: path: \"dev/null\" must be an absolute path"},
      {"dot-dot", {"/dev/../etc/x", 'c', 1, 3, {}, {}, {}}, "must not hold"},
      {"outside /dev", {"/etc/null", 'c', 1, 3, {}, {}, {}}, "path \"/etc/null\" must be below /dev"},
      {"block", {"/dev/loop0", 'b', 7, 0, {}, {}, {}}, "block devices are not passed into the sandbox"},
      {"unknown type", {"/dev/null", 'x', 1, 3, {}, {}, {}}, "type must be c, u, b or p"},
      {"missing", {"/dev/edgeward-none", 'c', 1, 3, {}, {}, {}}, "the host has no /dev/edgeward-none"},
      {"other minor", {"/dev/null", 'c', 1, 7, {}, {}, {}}, "the host's /dev/null is 1:3, not c 1:7"},
      {"not a device", {"/dev/shm", 'c', 1, 3, {}, {}, {}}, "the host's /dev/shm is not a character device"},
      {"mode", {"/dev/null", 'c', 1, 3, (null.st_mode & 07777) ^ 02u, {}, {}}, "fileMode differs"},
      {"owner", {"/dev/null", 'c', 1, 3, {}, null.st_uid + 1, {}}, "uid differs"},
      {"group", {"/dev/null", 'c', 1, 3, {}, {}, null.st_gid + 1}, "gid differs"},
  };
  for (const auto& c : cases) {
    auto s = check_devices({c.d});
    ASSERT_FALSE(s.ok()) << c.name;
    EXPECT_NE(s.error().message.find(c.error), std::string::npos) << c.name << ": " << s.error().message;
  }
  EXPECT_FALSE(check_devices(std::vector<DeviceNode>(kMaxDevices + 1, {"/dev/null", 'c', 1, 3, {}, {}, {}})).ok());
}

TEST(Devices, TheHostsNodeAndFifosPass) {
  struct stat null {};
  ASSERT_EQ(stat("/dev/null", &null), 0);
  EXPECT_TRUE(check_devices({{"/dev/null", 'c', 1, 3, null.st_mode & 07777, null.st_uid, null.st_gid},
                             {"/dev/null", 'u', 1, 3, {}, {}, {}},
                             {"/dev/app/fifo", 'p', 0, 0, 0600u, {}, {}}})
                  .ok());
}

}  // namespace
}  // namespace edgeward::sandbox
