#include "runtime/container/process.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "common/child_wait.h"
#include "common/errno_error.h"
#include "common/text/scanner.h"
#include "common/unique_fd.h"
#include "runtime/container/entry.h"

namespace edgeward::runtime {

std::optional<ProcInfo> proc_info(pid_t pid) {
  if (pid <= 0) return std::nullopt;
  auto text = read_text("/proc/" + std::to_string(pid) + "/stat");
  if (!text) return std::nullopt;
  const size_t paren = text->rfind(')');  // the command name may hold spaces and parentheses
  if (paren == std::string::npos) return std::nullopt;
  text::Scanner in(text->substr(paren + 1));
  ProcInfo info;
  std::string skip;
  in >> info.state >> info.ppid;
  for (int field = 5; field < 22 && in; ++field) in >> skip;
  in >> info.start_time;
  if (!in) return std::nullopt;
  return info;
}

pid_t first_child(pid_t pid) {
  const std::string p = std::to_string(pid);
  auto text = read_text("/proc/" + p + "/task/" + p + "/children");
  if (!text) return 0;
  text::Scanner in(*text);
  pid_t child = 0;
  return in >> child ? child : 0;
}

bool wait_for_workload_exec(pid_t init, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  const std::string init_exe = "/proc/" + std::to_string(init) + "/exe";
  for (;;) {
    struct stat own {}, child {};
    if (stat(init_exe.c_str(), &own) != 0) return true;  // the init is gone
    const pid_t workload = first_child(init);
    if (workload > 0) {
      if (stat(("/proc/" + std::to_string(workload) + "/exe").c_str(), &child) != 0) return true;  // gone already
      if (child.st_ino != own.st_ino || child.st_dev != own.st_dev) return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    usleep(1000);
  }
}

bool process_alive(pid_t pid, uint64_t start_time) {
  const auto info = proc_info(pid);
  return info && info->state != 'Z' && info->state != 'X' && info->start_time == start_time;
}

Result<SpawnedMonitor> spawn_detached(const std::vector<std::string>& argv, const std::vector<int>& keep_fds,
                                      int stdio_fd, bool null_stdin) {
  if (keep_fds.size() > kMaxKeptFds) return Error::internal("spawn_detached: too many descriptors to keep");
  int pid_pipe[2];
  if (pipe2(pid_pipe, O_CLOEXEC) != 0) return errno_error("pipe2");
  UniqueFd pid_read(pid_pipe[0]), pid_write(pid_pipe[1]);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  const pid_t middle = fork();
  if (middle < 0) return errno_error("fork");
  if (middle == 0) {
    setsid();
    const pid_t monitor = fork();
    if (monitor != 0) {
      const int32_t p = monitor;
      _exit(write(pid_write.get(), &p, sizeof p) == sizeof p && monitor > 0 ? 0 : 1);
    }
    // The monitor: only async-signal-safe calls until exec. Move the fds to keep above every
    // target slot first, then into 3, 4, ...
    int moved[kMaxKeptFds];
    const size_t kept = keep_fds.size();
    for (size_t i = 0; i < kept; ++i) moved[i] = fcntl(keep_fds[i], F_DUPFD_CLOEXEC, 100);
    if (stdio_fd >= 0) {
      const int s = fcntl(stdio_fd, F_DUPFD_CLOEXEC, 100);
      for (int i = 0; i < 3; ++i) dup2(s, i);
    }
    if (null_stdin) {
      const int n = open("/dev/null", O_RDONLY);
      dup2(n, 0);
    }
    for (size_t i = 0; i < kept; ++i) dup2(moved[i], 3 + static_cast<int>(i));
    syscall(SYS_close_range, 3 + static_cast<unsigned>(kept), ~0u, 0u);
    execv("/proc/self/exe", args.data());
    _exit(127);
  }
  pid_write.reset();
  int status = 0;
  wait_for_child(middle, &status);
  int32_t monitor = 0;
  if (read(pid_read.get(), &monitor, sizeof monitor) != sizeof monitor || monitor <= 0) {
    return Error::io("cannot start the container monitor (fork failed)");
  }
  const auto info = proc_info(monitor);
  return SpawnedMonitor{monitor, info ? info->start_time : 0};
}

}  // namespace edgeward::runtime
