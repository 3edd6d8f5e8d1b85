// ew-exec-floor: the floor of process start on this machine, for bench/vm_boot. Forks and execs
// COMMAND RUNS times and measures fork -> the first byte COMMAND writes to stdout, then waits for
// it to exit. With ew-exec-floor-main (a static C main that writes one byte first thing) that is
// process start -> main: the kernel's exec of a static binary and libc's start, nothing else.
// With `edgeward --version` it adds the CLI's own start. Prints each run, the median and the fastest.
//
//   ew-exec-floor RUNS COMMAND [ARGS...]
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
  const int runs = argc > 2 ? std::atoi(argv[1]) : 0;
  if (runs < 1) {
    std::fprintf(stderr, "usage: %s RUNS COMMAND [ARGS...]\n", argv[0]);
    return 2;
  }
  std::vector<double> ms;
  std::printf("exec floor: %s, fork -> first stdout byte, each run (ms):", argv[2]);
  for (int i = 0; i < runs; ++i) {
    int out[2];
    if (::pipe(out) != 0) return 1;
    const auto t0 = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::execv(argv[2], argv + 2);
      ::_exit(127);
    }
    ::close(out[1]);
    char c;
    pollfd p{out[0], POLLIN, 0};
    const bool got = ::poll(&p, 1, 10000) == 1 && ::read(out[0], &c, 1) == 1;
    const auto t1 = std::chrono::steady_clock::now();
    char drain[256];
    while (got && ::read(out[0], drain, sizeof drain) > 0) {
    }
    ::close(out[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!got || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "\nrun %d: %s wrote nothing or failed (status %d)\n", i, argv[2], status);
      return 1;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    std::printf(" %.2f", ms.back());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("\n  exec floor, %s: fork -> first stdout byte, %d runs: median %.2f ms, fastest %.2f ms\n", argv[2], runs,
              ms[ms.size() / 2], ms.front());
  return 0;
}
