#include "runtime/container/hooks.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "common/child_wait.h"
#include "common/errno_error.h"
#include "common/unique_fd.h"

namespace edgeward::runtime {
namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kKeptOutput = 1024;  // of a failed hook's stdout + stderr, into the error

// The namespaces a hook joins, opened before the fork so that failing to open them is an error
// of the caller's, not an exit status.
Result<std::vector<UniqueFd>> open_namespaces(pid_t pid) {
  std::vector<UniqueFd> fds;
  if (pid <= 0) return fds;
  for (const char* ns : {"ipc", "uts", "net", "mnt"}) {  // mount last: /proc is the host's until then
    const std::string path = "/proc/" + std::to_string(pid) + "/ns/" + ns;
    UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return errno_error("open the container's namespace " + path);
    fds.push_back(std::move(fd));
  }
  return fds;
}

[[noreturn]] void child_fail(const char* what) {
  const std::string msg = std::string("edgeward: cannot run the hook: ") + what + ": " + std::strerror(errno) + "\n";
  (void)!write(STDERR_FILENO, msg.data(), msg.size());
  _exit(127);
}

// The hook's process: its own process group (killed as one on timeout), stdin/stdout/stderr
// from the runtime, default signals, only fds 0-2, then the namespaces, the cwd and execve.
[[noreturn]] void exec_hook(const Hook& h, int in, int out, const std::vector<UniqueFd>& ns, const std::string& cwd) {
  setpgid(0, 0);
  if (dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 || dup2(out, STDERR_FILENO) < 0) child_fail("dup2");
  for (const auto& fd : ns) {
    if (setns(fd.get(), 0) != 0) child_fail("join the container's namespaces (setns)");
  }
  if (syscall(SYS_close_range, 3u, ~0u, 0u) != 0) {
    for (int fd = 3; fd < 1024; ++fd) close(fd);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  signal(SIGPIPE, SIG_DFL);
  if (!cwd.empty() && chdir(cwd.c_str()) != 0) child_fail(("chdir " + cwd).c_str());
  std::vector<char*> argv, envp;
  if (h.args.empty()) argv.push_back(const_cast<char*>(h.path.c_str()));
  for (const auto& a : h.args) argv.push_back(const_cast<char*>(a.c_str()));
  for (const auto& e : h.env) envp.push_back(const_cast<char*>(e.c_str()));
  argv.push_back(nullptr);
  envp.push_back(nullptr);
  execve(h.path.c_str(), argv.data(), envp.data());
  child_fail(("execute " + h.path).c_str());
}

std::string describe(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("was killed by signal ") + strsignal(WTERMSIG(status));
  return "ended with wait status " + std::to_string(status);
}

}  // namespace

edgeward::Status run_hook(const Hook& h, std::string_view what, std::string_view state, const HookPlace& place) {
  const std::string name = std::string(what) + " (" + h.path + ")";
  EW_ASSIGN(std::vector<UniqueFd> ns, open_namespaces(place.namespaces_of));
  int sv[2], pp[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return errno_error("socketpair for " + name);
  UniqueFd in(sv[0]), child_in(sv[1]);
  if (pipe2(pp, O_CLOEXEC) != 0) return errno_error("pipe for " + name);
  UniqueFd out(pp[0]), child_out(pp[1]);
  const pid_t pid = fork();
  if (pid < 0) return errno_error("fork for " + name);
  if (pid == 0) exec_hook(h, child_in.get(), child_out.get(), ns, place.cwd);
  child_in.reset();
  child_out.reset();
  return await_hook(pid, in.get(), out.get(), state, h.timeout, name);
}

edgeward::Status await_hook(pid_t pid, int in, int out, std::string_view state, int timeout, const std::string& name) {
  fcntl(out, F_SETFL, fcntl(out, F_GETFL) | O_NONBLOCK);
  const auto deadline = Clock::now() + std::chrono::seconds(timeout);
  std::string output;
  size_t sent = 0;
  bool sending = true;
  int status = 0;
  for (;;) {
    const pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) return errno_error("wait for " + name);
    if (Clock::now() >= deadline) {
      kill(-pid, SIGKILL);
      kill_and_reap(pid);
      return Error::io(name + " did not finish within " + std::to_string(timeout) + " s (its timeout); killed it");
    }
    pollfd p[2] = {{out, POLLIN, 0}, {in, static_cast<short>(sending ? POLLOUT : 0), 0}};
    (void)poll(p, sending ? 2 : 1, 20);
    if (sending && (p[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t n = send(in, state.data() + sent, state.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) sent += static_cast<size_t>(n);
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || sent == state.size()) {
        shutdown(in, SHUT_WR);  // EOF (or it stopped reading)
        sending = false;
      }
    }
    char buf[512];
    for (ssize_t n; (n = read(out, buf, sizeof buf)) > 0;) {
      if (output.size() < kKeptOutput) output.append(buf, static_cast<size_t>(n));
    }
  }
  char buf[512];
  for (ssize_t n; (n = read(out, buf, sizeof buf)) > 0;) {  // what it wrote before exiting
    if (output.size() < kKeptOutput) output.append(buf, static_cast<size_t>(n));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  if (output.size() > kKeptOutput) output.resize(kKeptOutput);
  while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.pop_back();
  return Error::io(name + " " + describe(status) + (output.empty() ? "" : ": " + output));
}

edgeward::Status run_hooks(const std::vector<Hook>& hooks, std::string_view phase, std::string_view state,
                           const HookPlace& place) {
  for (size_t i = 0; i < hooks.size(); ++i) {
    EW_TRY(run_hook(hooks[i], std::string(phase) + "[" + std::to_string(i) + "]", state, place));
  }
  return {};
}

std::vector<std::string> run_hooks_warning(const std::vector<Hook>& hooks, std::string_view phase,
                                           std::string_view state, const HookPlace& place) {
  std::vector<std::string> warnings;
  for (size_t i = 0; i < hooks.size(); ++i) {
    auto r = run_hook(hooks[i], std::string(phase) + "[" + std::to_string(i) + "]", state, place);
    if (!r) warnings.push_back(r.error().message);
  }
  return warnings;
}

}  // namespace edgeward::runtime
