// linux.devices against the host's devices (runtime/sandbox/devices.h): refusals first, each
// naming the entry; then where each accepted entry's node comes from (the host's node at the same
// path or by device number, a node edgeward makes for /dev/net/tun, a placeholder for a device
// number the host has no device for).
#include "runtime/sandbox/devices.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

namespace edgeward::sandbox {
namespace {

using Source = DeviceNode::Source;

// A block device the host has ("M:m" from /sys/dev/block), or "" when it has none.
std::string host_block_device() {
  DIR* d = opendir("/sys/dev/block");
  if (!d) return "";
  std::string found;
  for (dirent* e; found.empty() && (e = readdir(d));) {
    if (e->d_name[0] != '.') found = e->d_name;
  }
  closedir(d);
  return found;
}

// A character device number of the "local/experimental use" range (Documentation/admin-guide/
// devices.txt: never given to a driver), checked to be absent.
constexpr int kNoMajor = 120, kNoMinor = 42;
bool host_lacks_test_device() {
  struct stat st {};
  return stat(("/sys/dev/char/" + std::to_string(kNoMajor) + ":" + std::to_string(kNoMinor)).c_str(), &st) != 0;
}

TEST(Devices, RefusesWhatCannotBePassedSafely) {
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
      {"edgeward's staging", {"/dev/.edgeward-nodes/x", 'c', 1, 3, {}, {}, {}}, "is edgeward's own"},
      {"unknown type", {"/dev/null", 'x', 1, 3, {}, {}, {}}, "type must be c, u, b or p"},
      {"major too big", {"/dev/x", 'c', 4096, 0, {}, {}, {}}, "major must be 0..4095"},
      {"mode not permissions", {"/dev/x", 'c', kNoMajor, kNoMinor, 010666u, {}, {}}, "fileMode must be permission bits"},
      {"mode", {"/dev/null", 'c', 1, 3, (null.st_mode & 07777) ^ 02u, {}, {}}, "fileMode differs"},
      {"owner", {"/dev/null", 'c', 1, 3, {}, null.st_uid + 1, {}}, "uid differs"},
      {"group", {"/dev/null", 'c', 1, 3, {}, {}, null.st_gid + 1}, "gid differs"},
      {"mode by number", {"/dev/other", 'c', 1, 3, (null.st_mode & 07777) ^ 02u, {}, {}}, "fileMode differs"},
  };
  for (const auto& c : cases) {
    std::vector<DeviceNode> list{c.d};
    auto s = check_devices(list);
    ASSERT_FALSE(s.ok()) << c.name;
    EXPECT_NE(s.error().message.find(c.error), std::string::npos) << c.name << ": " << s.error().message;
  }
  std::vector<DeviceNode> many(kMaxDevices + 1, {"/dev/null", 'c', 1, 3, {}, {}, {}});
  EXPECT_FALSE(check_devices(many).ok());
}

TEST(Devices, AHostBlockDeviceIsRefused) {
  const std::string dev = host_block_device();
  if (dev.empty()) GTEST_SKIP() << "the host has no block device in /sys/dev/block";
  const size_t colon = dev.find(':');
  std::vector<DeviceNode> list{{"/dev/disk0", 'b', std::stoll(dev.substr(0, colon)), std::stoll(dev.substr(colon + 1)), {}, {}, {}}};
  auto s = check_devices(list);
  ASSERT_FALSE(s.ok()) << dev;
  EXPECT_NE(s.error().message.find("block devices the host has are not passed into the sandbox"), std::string::npos)
      << s.error().message;
}

TEST(Devices, TheHostsNodeByPathOrNumberTunAndFifosPass) {
  struct stat null {};
  ASSERT_EQ(stat("/dev/null", &null), 0);
  std::vector<DeviceNode> list{{"/dev/null", 'c', 1, 3, null.st_mode & 07777, null.st_uid, null.st_gid},
                               {"/dev/null", 'u', 1, 3, {}, {}, {}},
                               {"/dev/app/fifo", 'p', 0, 0, 0600u, {}, {}},
                               {"/dev/null", 'c', 1, 7, {}, {}, {}},  // the container's /dev/null is the host's full
                               {"/dev/net/tun", 'c', 10, 200, {}, {}, {}}};
  auto s = check_devices(list);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(list[0].source, Source::kHost);
  EXPECT_EQ(list[0].host_path, "/dev/null");
  EXPECT_EQ(list[1].host_path, "/dev/null");
  struct stat full {};
  if (stat("/dev/full", &full) == 0 && S_ISCHR(full.st_mode)) {
    EXPECT_EQ(list[3].source, Source::kHost);
    EXPECT_EQ(list[3].host_path, "/dev/full");  // found by number (/sys/dev/char/1:7's DEVNAME)
  }
  EXPECT_EQ(list[4].source, Source::kMade);  // made whatever the host's mode (root's 0600 on Debian)
  EXPECT_TRUE(device_warnings(list).empty());
}

TEST(Devices, ADeviceTheHostLacksIsAPlaceholderWithAWarning) {
  if (!host_lacks_test_device()) GTEST_SKIP() << "the host has a device " << kNoMajor << ":" << kNoMinor;
  std::vector<DeviceNode> list{{"/dev/test1", 'c', kNoMajor, kNoMinor, 0660u, 0u, 0u},
                               {"/dev/test2", 'b', 4095, 1048575, {}, {}, {}}};
  auto s = check_devices(list);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(list[0].source, Source::kPlaceholder);
  EXPECT_EQ(list[1].source, Source::kPlaceholder);
  const auto w = device_warnings(list);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_NE(w[0].find("linux.devices[0]: /dev/test1: the host has no device c 120:42"), std::string::npos) << w[0];
  EXPECT_NE(w[0].find("cannot be opened"), std::string::npos) << w[0];
}

}  // namespace
}  // namespace edgeward::sandbox
