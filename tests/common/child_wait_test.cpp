#include "common/child_wait.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>

namespace edgeward {
namespace {

volatile sig_atomic_t g_alarms = 0;
void on_alarm(int) { g_alarms = g_alarms + 1; }

// A handler installed without SA_RESTART makes waitpid fail with EINTR, as the monitor's do.
class ChildWait : public ::testing::Test {
 protected:
  void SetUp() override {
    struct sigaction sa {};
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    ASSERT_EQ(sigaction(SIGALRM, &sa, &old_), 0);
    g_alarms = 0;
  }
  void TearDown() override {
    itimerval off {};
    setitimer(ITIMER_REAL, &off, nullptr);
    sigaction(SIGALRM, &old_, nullptr);
  }
  struct sigaction old_ {};
};

TEST_F(ChildWait, WaitsThroughSignalsAndGivesTheExitStatus) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    usleep(300 * 1000);
    _exit(7);
  }
  itimerval every {};
  every.it_interval.tv_usec = every.it_value.tv_usec = 20 * 1000;  // signals while it waits
  ASSERT_EQ(setitimer(ITIMER_REAL, &every, nullptr), 0);
  int status = 0;
  EXPECT_EQ(wait_for_child(child, &status), child);
  EXPECT_GT(g_alarms, 0) << "no signal interrupted the wait: the test proved nothing";
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 7);
}

TEST_F(ChildWait, ANonChildIsAnErrorNotAHang) {
  int status = 12345;
  EXPECT_EQ(wait_for_child(getppid(), &status), -1);
  EXPECT_EQ(errno, ECHILD);
  EXPECT_EQ(status, 12345);
}

TEST_F(ChildWait, KillAndReapLeavesNoZombie) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    for (;;) pause();
  }
  kill_and_reap(child);
  EXPECT_EQ(waitpid(child, nullptr, WNOHANG), -1);  // reaped: no longer our child
  EXPECT_EQ(errno, ECHILD);
}

}  // namespace
}  // namespace edgeward
