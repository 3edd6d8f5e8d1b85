// ContainerCgroups::of must never hand out a group that also holds the caller: `delete --force`,
// `kill --all` and `pause` signal or freeze every process of the group they get, and a process
// still (or again) in its parent's group — on a v1 machine whose pids hierarchy puts everything
// at "/", the root cgroup2 group of the whole host — is not a container's.
#include "runtime/container/container_cgroups.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace edgeward::runtime {
namespace {

TEST(ContainerCgroups, TheCallersOwnGroupIsRefused) {
  auto g = ContainerCgroups::of(getpid());
  ASSERT_FALSE(g.ok()) << "this test's own group was handed out as a container's";
  EXPECT_NE(g.error().message.find("no cgroup of its own"), std::string::npos) << g.error().message;
}

TEST(ContainerCgroups, AChildInTheCallersGroupIsRefusedAndNothingIsSignalled) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    pause();
    _exit(0);
  }
  auto g = ContainerCgroups::of(child);
  EXPECT_FALSE(g.ok());
  if (g.ok()) (void)g->pids();  // never signal_all here: it would reach this test's group
  EXPECT_EQ(kill(child, 0), 0) << "the child is still alive";
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
}

TEST(ContainerCgroups, AProcessThatIsGoneIsNotFound) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  EXPECT_FALSE(ContainerCgroups::of(child).ok());
}

}  // namespace
}  // namespace edgeward::runtime
