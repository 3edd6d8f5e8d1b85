// What the cgroup code writes, on fake hierarchies (plain directories standing in for cgroup file
// systems, so no privileges are needed): memory reservation and swap, and cpusets (v1: new
// parents get their parent's sets; v2: the controller enabled down the path). Errors first.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "runtime/sandbox/cgroup.h"

namespace edgeward::sandbox {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

class CgroupValues : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/edgeward-cgvalues-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    tmp_ = dir;
    for (const char* d : {"/mem", "/pids", "/cpuset", "/v2"}) ASSERT_EQ(mkdir((tmp_ + d).c_str(), 0755), 0);
    std::ofstream(tmp_ + "/cpuset/cpuset.cpus") << "0-1";
    std::ofstream(tmp_ + "/cpuset/cpuset.mems") << "0";
    std::ofstream(tmp_ + "/v2/cgroup.controllers") << "cpuset cpu memory pids\n";
  }
  void TearDown() override { (void)!std::system(("rm -rf " + tmp_).c_str()); }
  std::string tmp_;
};

TEST_F(CgroupValues, ACpusetWithoutAControllerIsRefused) {
  Cgroup cg = Cgroup::create_in({"", tmp_ + "/mem", tmp_ + "/pids"}, 64 << 20, 10, "/pod/ctr");
  ASSERT_EQ(cg.mode(), "v1");
  auto r = cg.set_cpuset({0, 0, 0, "1", ""});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("linux.resources.cpu.cpus/mems: this host offers no cpuset controller"), std::string::npos);
  EXPECT_TRUE(cg.set_cpuset({}).ok());  // nothing asked, nothing needed
}

TEST_F(CgroupValues, V1ReservationSwapAndCpuset) {
  CgroupMounts m{"", tmp_ + "/mem", tmp_ + "/pids", {}, tmp_ + "/cpuset"};
  Cgroup cg = Cgroup::create_in(m, 64 << 20, 10, "/pod/ctr");
  ASSERT_EQ(cg.mode(), "v1") << cg.why_none();
  EXPECT_EQ(slurp(tmp_ + "/mem/pod/ctr/memory.limit_in_bytes"), "67108864");
  EXPECT_EQ(slurp(tmp_ + "/pids/pod/ctr/pids.max"), "10");
  ASSERT_TRUE(cg.set_memory_extras({32 << 20, 128 << 20}, 64 << 20).ok());
  EXPECT_EQ(slurp(tmp_ + "/mem/pod/ctr/memory.soft_limit_in_bytes"), "33554432");
  EXPECT_EQ(slurp(tmp_ + "/mem/pod/ctr/memory.memsw.limit_in_bytes"), "134217728");
  ASSERT_TRUE(cg.set_memory_extras({0, -1}, 64 << 20).ok());
  EXPECT_EQ(slurp(tmp_ + "/mem/pod/ctr/memory.memsw.limit_in_bytes"), "-1");

  ASSERT_TRUE(cg.set_cpuset({0, 0, 0, "1", ""}).ok());
  EXPECT_EQ(slurp(tmp_ + "/cpuset/pod/cpuset.cpus"), "0-1");  // a new parent: its parent's sets
  EXPECT_EQ(slurp(tmp_ + "/cpuset/pod/cpuset.mems"), "0");
  EXPECT_EQ(slurp(tmp_ + "/cpuset/pod/ctr/cpuset.cpus"), "1");
  EXPECT_EQ(slurp(tmp_ + "/cpuset/pod/ctr/cpuset.mems"), "0");  // not given: inherited
  ASSERT_TRUE(cg.add(4242).ok());
  EXPECT_EQ(slurp(tmp_ + "/cpuset/pod/ctr/cgroup.procs"), "4242");
}

TEST_F(CgroupValues, V2ReservationSwapAndCpuset) {
  Cgroup cg = Cgroup::create_in({tmp_ + "/v2", "", ""}, 64 << 20, 10, "/pod/ctr");
  ASSERT_EQ(cg.mode(), "v2") << cg.why_none();
  EXPECT_EQ(slurp(tmp_ + "/v2/pod/ctr/memory.max"), "67108864");
  ASSERT_TRUE(cg.set_memory_extras({1 << 20, 96 << 20}, 64 << 20).ok());
  EXPECT_EQ(slurp(tmp_ + "/v2/pod/ctr/memory.low"), "1048576");
  EXPECT_EQ(slurp(tmp_ + "/v2/pod/ctr/memory.swap.max"), "33554432");  // memory + swap - memory
  ASSERT_TRUE(cg.set_memory_extras({0, -1}, 64 << 20).ok());
  EXPECT_EQ(slurp(tmp_ + "/v2/pod/ctr/memory.swap.max"), "max");
  ASSERT_TRUE(cg.set_cpuset({0, 0, 0, "0", "0"}).ok());
  EXPECT_EQ(slurp(tmp_ + "/v2/pod/cgroup.subtree_control"), "+cpuset");
  EXPECT_EQ(slurp(tmp_ + "/v2/pod/ctr/cpuset.cpus"), "0");
  EXPECT_EQ(slurp(tmp_ + "/v2/pod/ctr/cpuset.mems"), "0");
}

}  // namespace
}  // namespace edgeward::sandbox
