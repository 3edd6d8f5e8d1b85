#include "runtime/sandbox/supervisor/supervisor.h"

#include <seccomp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

#include "runtime/sandbox/policy_parser.h"
#include "runtime/sandbox/supervisor/handler_table.h"

namespace edgeward::sandbox {
namespace {

constexpr long kOptions = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
                          PTRACE_O_TRACEEXEC | PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL;

bool is_group_stop_signal(int sig) { return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU; }

timeval tv_sub(const timeval& a, const timeval& b) {
  timeval r{};
  timersub(&a, &b, &r);
  return r;
}

rusage usage_delta(const rusage& a, const rusage& b) {
  rusage d = b;
  d.ru_utime = tv_sub(b.ru_utime, a.ru_utime);
  d.ru_stime = tv_sub(b.ru_stime, a.ru_stime);
  d.ru_minflt = b.ru_minflt - a.ru_minflt;
  d.ru_majflt = b.ru_majflt - a.ru_majflt;
  d.ru_nvcsw = b.ru_nvcsw - a.ru_nvcsw;
  d.ru_nivcsw = b.ru_nivcsw - a.ru_nivcsw;
  return d;  // ru_maxrss stays the largest of any child so far
}

// A fault the kernel raised (not a kill() of the signal): the task would re-run the faulting
// instruction if the signal were dropped.
bool is_raised_fault(pid_t tid, int sig) {
  switch (sig) {
    case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP: case SIGSYS: break;
    default: return false;
  }
  siginfo_t info{};
  return ptrace(PTRACE_GETSIGINFO, tid, nullptr, &info) == 0 && info.si_code > 0;
}

void resume(pid_t tid, int sig = 0) { ptrace(PTRACE_CONT, tid, nullptr, reinterpret_cast<void*>(static_cast<long>(sig))); }

}  // namespace

Status seize(pid_t root) {
  if (ptrace(PTRACE_SEIZE, root, nullptr, reinterpret_cast<void*>(kOptions)) != 0) {
    return Error::io(std::string("PTRACE_SEIZE of the sandbox failed: ") + std::strerror(errno) +
                     " (is ptrace forbidden here? check /proc/sys/kernel/yama/ptrace_scope and seccomp of the caller)");
  }
  return {};
}

Supervisor::Supervisor(const Policy& policy, pid_t root, bool host_network, const Identity& identity, const IdMaps& maps)
    : policy_(policy), root_(root), host_network_(host_network), identity_(identity), maps_(maps), by_nr_(index_by_number(decisions())) {
  for (const auto& r : policy.syscalls) {
    const int nr = seccomp_syscall_resolve_name(r.name.c_str());
    if (nr >= 0 && r.action == Action::kDeny) denied_[nr] = &r;
  }
  mmap_nr_ = seccomp_syscall_resolve_name("mmap");
}

Tracee& Supervisor::task(pid_t tid) {
  auto it = tasks_.find(tid);
  if (it == tasks_.end()) it = tasks_.emplace(tid, Tracee(tid)).first;
  return it->second;
}

void Supervisor::run(RunResult& out) {
  out_ = &out;
  Report report(out);
  report_ = &report;
  task(root_).started = true;  // seized while running: no initial stop
  // Resource usage: the growth of RUSAGE_CHILDREN once the root is reaped (cheaper than asking
  // wait4 for it at every stop).
  rusage before{};
  getrusage(RUSAGE_CHILDREN, &before);
  for (;;) {
    int status = 0;
    const pid_t tid = waitpid(-1, &status, __WALL);
    if (tid < 0) {
      if (errno == EINTR) continue;
      break;  // ECHILD: every task is gone
    }
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
      // The workload's own end is the run's outcome; the init's only when there was no workload
      // (set-up failed) or the init was killed first.
      if (tid == workload_ || (tid == root_ && !ended_)) {
        ended_ = true;
        out.exited = WIFEXITED(status) && !root_fault_;
        out.exit_code = out.exited ? WEXITSTATUS(status) : 0;
        out.signal = out.exited ? 0 : root_fault_ ? root_fault_ : WTERMSIG(status);
      }
      if (tid == root_) {
        rusage after{};
        getrusage(RUSAGE_CHILDREN, &after);
        out.usage = usage_delta(before, after);
        ending_ = end_all_with_root_;
        if (ending_) {
          for (const auto& [other, t] : tasks_) kill(other, SIGKILL);
        }
      }
      tasks_.erase(tid);
      continue;
    }
    if (WIFSTOPPED(status) && ending_) {
      kill_task(task(tid));  // stopped before it was killed (a fork's new child): it ends too
    } else if (WIFSTOPPED(status)) {
      on_stop(task(tid), status);
    }
  }
  notifier_.reset();  // every task is gone: its thread has nothing left to answer
  report_ = nullptr;
}

// The workload loaded either the notifying filter (its listener is still open in the task, which
// is stopped at the first traced call of the sandbox, the execve of the workload) or the
// ptrace-only one. The init has no traced calls, so no other task can be first.
void Supervisor::take_listener(pid_t from) {
  listener_checked_ = true;
  auto fds = Notifier::take_listener(from);
  if (!fds) {
    if (fds.error().code == ErrorCode::kUnsupported) return;  // ptrace only: every call stops here
    report_->denial({root_, "seccomp", fds.error().message, "killed"});
    kill(root_, SIGKILL);
    return;
  }
  notifier_ = std::make_unique<Notifier>(std::move(fds->first), std::move(fds->second), policy_, *report_, identity_, maps_);
  notifier_->enter_namespaces_of(from);
  if (auto s = notifier_->start(); !s) {
    report_->denial({root_, "seccomp", s.error().message, "killed"});
    notifier_.reset();
    kill(root_, SIGKILL);
    return;
  }
  out_->user_notify = true;
}

void Supervisor::on_stop(Tracee& t, int status) {
  const int sig = WSTOPSIG(status);
  const int event = status >> 16;
  if (sig == (SIGTRAP | 0x80)) {  // syscall-exit stop: only asked for while injecting
    if (t.injecting) finish_injection(t);
    else if (t.copy_back_count) finish_copy_back(t);
    else resume(t.tid());
    return;
  }
  switch (event) {
    case 0:  // signal-delivery stop: pass the signal on
      if (t.tid() == root_ && is_raised_fault(t.tid(), sig)) {
        // The kernel would drop it for the namespace's init and re-run the faulting instruction
        // forever: end the namespace instead and report the fault.
        root_fault_ = sig;
        return kill_task(t);
      }
      resume(t.tid(), sig);
      return;
    case PTRACE_EVENT_SECCOMP:
      if (!listener_checked_) take_listener(t.tid());
      report_->inspected(false);
      on_seccomp(t);
      return;
    case PTRACE_EVENT_CLONE:
    case PTRACE_EVENT_FORK:
    case PTRACE_EVENT_VFORK: {
      unsigned long child = 0;
      ptrace(PTRACE_GETEVENTMSG, t.tid(), nullptr, &child);
      task(static_cast<pid_t>(child));  // known before its first stop arrives
      if (t.tid() == root_ && !workload_) workload_ = static_cast<pid_t>(child);  // the init's one child
      resume(t.tid());
      return;
    }
    case PTRACE_EVENT_EXEC: {
      unsigned long former = 0;
      ptrace(PTRACE_GETEVENTMSG, t.tid(), nullptr, &former);
      if (static_cast<pid_t>(former) != t.tid()) tasks_.erase(static_cast<pid_t>(former));
      t.new_address_space();
      resume(t.tid());
      return;
    }
    case PTRACE_EVENT_STOP:
      if (!t.started) {  // a new task's first stop
        t.started = true;
        resume(t.tid());
      } else if (is_group_stop_signal(sig)) {
        ptrace(PTRACE_LISTEN, t.tid(), nullptr, nullptr);
      } else {
        resume(t.tid());
      }
      return;
    default:
      resume(t.tid());
  }
}

void Supervisor::on_seccomp(Tracee& t) {
  auto regs = arch::get_regs(t.tid());
  if (!regs) return resume(t.tid());  // gone (killed meanwhile)
  if (auto d = denied_.find(regs->nr); d != denied_.end()) {
    return refuse(t, *regs, d->second->name, {Verdict::kDeny, d->second->errno_value, "policy"});
  }
  auto it = by_nr_.find(regs->nr);
  if (it == by_nr_.end()) {  // cannot happen with our filter; fail closed
    return refuse(t, *regs, "syscall " + std::to_string(regs->nr), {Verdict::kKill, 0, "no decision"});
  }
  CallContext ctx{t, *regs, policy_, host_network_,
                  [this](uint64_t a, uint64_t l) { return touches_scratch(a, l); }};
  const arch::SyscallRegs before = *regs;
  const Verdict v = it->second->decide(ctx);
  if (v.kind == Verdict::kNeedScratch) return start_injection(t, before);
  if (v.kind != Verdict::kAllow) return refuse(t, *regs, it->second->name, v);
  if (std::memcmp(&before, &*regs, offsetof(arch::SyscallRegs, raw)) != 0 && !arch::set_regs(t.tid(), *regs)) {
    return kill_task(t);
  }
  if (t.copy_back_count) {  // stop again at the call's exit (finish_copy_back)
    ptrace(PTRACE_SYSCALL, t.tid(), nullptr, nullptr);
    return;
  }
  resume(t.tid());
}

// sendmmsg ran as sendmsg of a pinned copy of its first header (decide_socket.cpp): the byte
// count goes into the task's vec[0].msg_len, written as the kernel would (page protections
// apply), and the result becomes the number of messages sent, 1.
void Supervisor::finish_copy_back(Tracee& t) {
  t.copy_back_count = 0;
  auto r = arch::get_regs(t.tid());
  if (!r) return kill_task(t);
  if (r->ret >= 0) {
    unsigned int len = static_cast<unsigned int>(r->ret);
    iovec local{&len, sizeof len};
    iovec remote{reinterpret_cast<void*>(t.copy_back_to + offsetof(mmsghdr, msg_len)), sizeof len};
    r->ret = process_vm_writev(t.tid(), &local, 1, &remote, 1, 0) == sizeof len ? 1 : -EFAULT;
    if (!arch::set_regs(t.tid(), *r)) return kill_task(t);
  }
  resume(t.tid());
}

void Supervisor::refuse(Tracee& t, arch::SyscallRegs& regs, std::string_view name, const Verdict& v) {
  if (v.reported) {
    report_->denial({t.tid(), std::string(name), v.detail, v.kind == Verdict::kKill ? "killed" : errno_name(v.err)});
  }
  if (v.kind == Verdict::kKill) return kill_task(t);
  regs.nr = -1;
  regs.ret = -v.err;
  if (!arch::set_regs(t.tid(), regs)) return kill_task(t);
  resume(t.tid());
}

// The task has no scratch region yet: turn the stopped call into
//   mmap(NULL, kScratchBytes, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
// catch its syscall-exit stop, then rewind the task to re-issue the original call.
void Supervisor::start_injection(Tracee& t, const arch::SyscallRegs& regs) {
  t.saved = regs;
  arch::SyscallRegs m = regs;
  m.nr = mmap_nr_;
  m.args[0] = 0;
  m.args[1] = kScratchBytes;
  m.args[2] = PROT_READ;
  m.args[3] = MAP_PRIVATE | MAP_ANONYMOUS;
  m.args[4] = static_cast<uint64_t>(-1);
  m.args[5] = 0;
  if (!arch::set_regs(t.tid(), m)) return kill_task(t);
  t.injecting = true;
  ptrace(PTRACE_SYSCALL, t.tid(), nullptr, nullptr);
}

void Supervisor::finish_injection(Tracee& t) {
  t.injecting = false;
  auto r = arch::get_regs(t.tid());
  if (!r) return kill_task(t);
  const uint64_t addr = static_cast<uint64_t>(r->ret);
  if (r->ret < 0 && r->ret > -4096) return kill_task(t);  // mmap failed: out of memory
  t.scratch = addr;
  arch::SyscallRegs back = t.saved;
  arch::rewind_to_reissue(back);
  if (!arch::set_regs(t.tid(), back)) return kill_task(t);
  resume(t.tid());
}

bool Supervisor::touches_scratch(uint64_t addr, uint64_t len) const {
  if (addr + len < addr) return true;  // wraps around: refuse
  for (const auto& [tid, t] : tasks_) {
    if (t.scratch && addr < t.scratch + kScratchBytes && t.scratch < addr + len) return true;
  }
  return false;
}

void Supervisor::kill_task(Tracee& t) {
  kill(t.tid(), SIGKILL);
  resume(t.tid());
}

}  // namespace edgeward::sandbox
