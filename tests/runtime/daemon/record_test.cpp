#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "runtime/daemon/record.h"

namespace edgeward::daemon {
namespace {

WorkloadRecord sample() {
  WorkloadRecord r;
  r.name = "web";
  r.image = "/img/web.ewi";
  r.image_name = "web 1.0";
  r.manifest_digest = std::string(64, 'a');
  r.signer = "CN=signer";
  r.backend_reason = "sandbox: KVM is slow";
  r.restart = "on-failure:3";
  r.container_id = "ew-web-2";
  r.phase = "running";
  r.restarts = 2;
  r.consecutive_failures = 1;
  r.created_unix = 1700000000;
  r.has_exit = true;
  r.exit_status = 1;
  r.spec.rootfs = "/var/lib/edgeward/workloads/web/rootfs";
  r.spec.argv = {"/bin/sh", "-c", "echo hi"};
  r.spec.env = {"PATH=/bin"};
  r.spec.memory_bytes = 64 << 20;
  r.spec.vm.kernel = "/k";
  r.spec.vm.vcpus = 2;
  return r;
}

void expect_same(const WorkloadRecord& a, const WorkloadRecord& b) {
  EXPECT_EQ(encode_record(a), encode_record(b));
}

TEST(Record, RefusesCorruptOrForeignText) {
  const char* bad[] = {"", "not json", "[]", "{\"format\": 1}"};
  for (const char* t : bad) EXPECT_FALSE(decode_record(t).ok()) << t;
  WorkloadRecord evil = sample();
  evil.name = "../x";
  EXPECT_FALSE(decode_record(encode_record(evil)).ok()) << "a name that is a path";
  std::string wrong_type = encode_record(sample());
  const std::string field = "\"io.edgeward.restarts\": \"2\"";
  ASSERT_NE(wrong_type.find(field), std::string::npos) << wrong_type;
  wrong_type.replace(wrong_type.find(field), field.size(), "\"io.edgeward.restarts\": \"2x\"");
  auto r = decode_record(wrong_type);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("'restarts' missing or malformed"), std::string::npos) << r.error().message;
}

TEST(Record, RoundTripAndDirectory) {
  auto dec = decode_record(encode_record(sample()));
  ASSERT_TRUE(dec.ok()) << dec.error().message;
  expect_same(*dec, sample());

  std::string t = (std::filesystem::temp_directory_path() / "ew-rec-XXXXXX").string();
  const std::string dir = ::mkdtemp(t.data());
  ASSERT_TRUE(save_record(dir, sample()).ok());
  std::ofstream(dir + "/junk.json") << "{";
  WorkloadRecord other = sample();
  other.name = "other";
  ASSERT_TRUE(save_record(dir, other).ok());
  std::filesystem::rename(dir + "/other.json", dir + "/renamed.json");  // name must match the file
  std::vector<std::string> problems;
  auto all = load_records(dir, problems);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].name, "web");
  EXPECT_EQ(problems.size(), 2u);
  delete_record(dir, "web");
  problems.clear();
  EXPECT_TRUE(load_records(dir, problems).empty());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace edgeward::daemon
