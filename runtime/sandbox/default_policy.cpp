#include "runtime/sandbox/default_policy.h"

#include <cerrno>
#include <cstring>

#include "common/text/file_text.h"
#include "runtime/sandbox/policy_parser.h"

namespace edgeward::sandbox {
namespace {

// Syscalls not listed are killed (SECCOMP_RET_KILL_PROCESS). "trace" sends the call to the
// supervisor, which decides on its arguments (see supervisor/decisions.cpp).
constexpr std::string_view kDefaultPolicy = R"XML(<?xml version="1.0"?>
<sandbox-policy name="default" schema="1">
  <network allowed="false" reason="workloads get no network unless their policy asks for it"/>

  <path pattern="/" access="read" reason="the rootfs is the workload's own read-only image"/>
  <path pattern="/bin" access="exec" reason="the image's programs"/>
  <path pattern="/sbin" access="exec" reason="the image's programs"/>
  <path pattern="/usr/bin" access="exec" reason="the image's programs"/>
  <path pattern="/usr/sbin" access="exec" reason="the image's programs"/>
  <path pattern="/usr/local/bin" access="exec" reason="the image's programs"/>
  <path pattern="/lib" access="exec" reason="the dynamic loader and shared libraries are mapped executable"/>
  <path pattern="/lib64" access="exec" reason="the dynamic loader and shared libraries are mapped executable"/>
  <path pattern="/usr/lib" access="exec" reason="the dynamic loader and shared libraries are mapped executable"/>
  <path pattern="/tmp" access="write" reason="private tmpfs, gone when the sandbox ends (mounted noexec)"/>
  <path pattern="/dev/null" access="write" reason="the usual sink"/>
  <path pattern="/dev/zero" access="read" reason="harmless source of zeros"/>
  <path pattern="/dev/full" access="write" reason="harmless, for programs that test write errors"/>
  <path pattern="/dev/random" access="read" reason="entropy"/>
  <path pattern="/dev/urandom" access="read" reason="entropy"/>
  <path pattern="/dev/tty" access="write" reason="the controlling terminal, if any"/>
  <path pattern="/proc/*/mem" access="deny" reason="writes through it ignore page protections (the TOCTOU scratch page)"/>
  <path pattern="/proc/*/task/*/mem" access="deny" reason="same as /proc/*/mem, per thread"/>
  <path pattern="/proc/*/map_files" access="deny" reason="opens mapped files behind the policy's back"/>
  <path pattern="/proc/*/task/*/map_files" access="deny" reason="same as /proc/*/map_files, per thread"/>
  <path pattern="/proc/sys" access="deny" reason="kernel tunables are not the workload's business"/>
  <path pattern="/proc/sysrq-trigger" access="deny" reason="host control"/>
  <path pattern="/proc/kcore" access="deny" reason="kernel memory"/>
  <path pattern="/proc/keys" access="deny" reason="kernel keyrings"/>
  <path pattern="/sys" access="deny" reason="not mounted; refuse anything placed there"/>

  <!-- path-taking calls: decided by the supervisor against the path rules above -->
  <syscall name="open" action="trace" reason="path checked against the path rules; opened race-free via openat2"/>
  <syscall name="openat" action="trace" reason="path checked against the path rules; opened race-free via openat2"/>
  <syscall name="creat" action="trace" reason="path must be writable"/>
  <syscall name="openat2" action="trace" reason="refused (ENOSYS: its open_how lives in tracee memory, libc falls back to openat); the supervisor's own rewritten opens pass"/>
  <syscall name="stat" action="trace" reason="reveals metadata: path must be readable"/>
  <syscall name="lstat" action="trace" reason="reveals metadata: path must be readable"/>
  <syscall name="newfstatat" action="trace" reason="reveals metadata: path must be readable"/>
  <syscall name="statx" action="trace" reason="reveals metadata: path must be readable"/>
  <syscall name="access" action="trace" reason="reveals existence: path must be readable"/>
  <syscall name="faccessat" action="trace" reason="reveals existence: path must be readable"/>
  <syscall name="faccessat2" action="trace" reason="reveals existence: path must be readable"/>
  <syscall name="readlink" action="trace" reason="reveals link targets: path must be readable"/>
  <syscall name="readlinkat" action="trace" reason="reveals link targets: path must be readable"/>
  <syscall name="statfs" action="trace" reason="path must be readable"/>
  <syscall name="chdir" action="trace" reason="path must be readable"/>
  <syscall name="getxattr" action="trace" reason="path must be readable"/>
  <syscall name="lgetxattr" action="trace" reason="path must be readable"/>
  <syscall name="mkdir" action="trace" reason="creates: path must be writable"/>
  <syscall name="mkdirat" action="trace" reason="creates: path must be writable"/>
  <syscall name="rmdir" action="trace" reason="removes: path must be writable"/>
  <syscall name="unlink" action="trace" reason="removes: path must be writable"/>
  <syscall name="unlinkat" action="trace" reason="removes: path must be writable"/>
  <syscall name="rename" action="trace" reason="both paths must be writable"/>
  <syscall name="renameat" action="trace" reason="both paths must be writable"/>
  <syscall name="renameat2" action="trace" reason="both paths must be writable"/>
  <syscall name="link" action="trace" reason="both paths must be writable"/>
  <syscall name="linkat" action="trace" reason="both paths must be writable"/>
  <syscall name="symlink" action="trace" reason="the new link must be writable"/>
  <syscall name="symlinkat" action="trace" reason="the new link must be writable"/>
  <syscall name="chmod" action="trace" reason="path must be writable"/>
  <syscall name="fchmodat" action="trace" reason="path must be writable"/>
  <syscall name="chown" action="trace" reason="path must be writable"/>
  <syscall name="lchown" action="trace" reason="path must be writable"/>
  <syscall name="fchownat" action="trace" reason="path must be writable"/>
  <syscall name="truncate" action="trace" reason="path must be writable"/>
  <syscall name="utimensat" action="trace" reason="path must be writable (a NULL path means the fd)"/>
  <syscall name="utimes" action="trace" reason="path must be writable (the older call: busybox's touch)"/>
  <syscall name="mknod" action="trace" reason="only FIFOs and sockets, in writable places"/>
  <syscall name="mknodat" action="trace" reason="only FIFOs and sockets, in writable places"/>
  <syscall name="execve" action="trace" reason="only programs under exec paths run"/>
  <syscall name="execveat" action="trace" reason="only programs under exec paths run; fd-only (memfd) exec refused"/>
  <syscall name="socket" action="trace" reason="unix sockets always; inet only with network allowed; raw/packet/netlink never"/>
  <syscall name="prctl" action="trace" reason="only a short list of harmless options (names, pdeathsig, queries)"/>
  <syscall name="personality" action="trace" reason="only querying or PER_LINUX; no READ_IMPLIES_EXEC or ADDR_NO_RANDOMIZE"/>
  <syscall name="mprotect" action="trace" reason="refused on the supervisor's read-only scratch pages (TOCTOU defence)"/>
  <syscall name="pkey_mprotect" action="trace" reason="refused on the supervisor's read-only scratch pages"/>
  <syscall name="munmap" action="trace" reason="refused on the supervisor's read-only scratch pages"/>
  <syscall name="mremap" action="trace" reason="refused on or onto the supervisor's scratch pages"/>
  <syscall name="mmap" action="allow" reason="kernel speed; MAP_FIXED is always sent to the supervisor (scratch pages)"/>

  <!-- process and thread life cycle -->
  <syscall name="clone" action="allow" reason="threads and processes; namespace flags are always refused by the filter"/>
  <syscall name="clone3" action="deny" errno="ENOSYS" reason="its flags live in memory the filter cannot read; libc falls back to clone"/>
  <syscall name="fork" action="allow" reason="children are traced from their first instruction"/>
  <syscall name="vfork" action="allow" reason="children are traced from their first instruction"/>
  <syscall name="exit" action="allow" reason="thread exit"/>
  <syscall name="exit_group" action="allow" reason="process exit"/>
  <syscall name="wait4" action="allow" reason="reaping children"/>
  <syscall name="waitid" action="allow" reason="reaping children"/>
  <syscall name="kill" action="allow" reason="only reaches the sandbox's own pid namespace"/>
  <syscall name="tgkill" action="allow" reason="only reaches the sandbox's own pid namespace"/>
  <syscall name="tkill" action="allow" reason="only reaches the sandbox's own pid namespace"/>
  <syscall name="set_tid_address" action="allow" reason="libc thread start"/>
  <syscall name="set_robust_list" action="allow" reason="libc thread start"/>
  <syscall name="get_robust_list" action="allow" reason="libc"/>
  <syscall name="rseq" action="allow" reason="libc thread start"/>
  <syscall name="arch_prctl" action="allow" reason="x86_64 TLS setup"/>
  <syscall name="futex" action="allow" reason="locks"/>
  <syscall name="sched_yield" action="allow" reason="scheduling"/>
  <syscall name="sched_getaffinity" action="allow" reason="libc CPU count"/>
  <syscall name="sched_setaffinity" action="allow" reason="within the sandbox's cpuset"/>
  <syscall name="getpriority" action="allow" reason="query"/>
  <syscall name="setpriority" action="allow" reason="nice, only lowering priority without capabilities"/>
  <syscall name="setsid" action="allow" reason="shells and daemons"/>
  <syscall name="setpgid" action="allow" reason="job control"/>
  <syscall name="getpgid" action="allow" reason="job control"/>
  <syscall name="getpgrp" action="allow" reason="job control"/>
  <syscall name="getsid" action="allow" reason="job control"/>
  <syscall name="prlimit64" action="allow" reason="lowering limits; raising needs capabilities the sandbox lacks"/>
  <syscall name="getrlimit" action="allow" reason="query"/>
  <syscall name="setrlimit" action="allow" reason="lowering limits"/>
  <syscall name="getrusage" action="allow" reason="query"/>

  <!-- identity queries (one uid mapped, no capabilities: changing identity cannot gain anything) -->
  <syscall name="getpid" action="allow" reason="query"/>
  <syscall name="getppid" action="allow" reason="query"/>
  <syscall name="gettid" action="allow" reason="query"/>
  <syscall name="getuid" action="allow" reason="query"/>
  <syscall name="geteuid" action="allow" reason="query"/>
  <syscall name="getgid" action="allow" reason="query"/>
  <syscall name="getegid" action="allow" reason="query"/>
  <syscall name="getresuid" action="allow" reason="query"/>
  <syscall name="getresgid" action="allow" reason="query"/>
  <syscall name="getgroups" action="allow" reason="query"/>
  <syscall name="capget" action="allow" reason="query (all capabilities are dropped)"/>
  <syscall name="uname" action="allow" reason="query (own uts namespace)"/>
  <syscall name="sysinfo" action="allow" reason="query"/>
  <syscall name="umask" action="allow" reason="own file mode mask"/>

  <!-- file descriptors already opened under the policy -->
  <syscall name="read" action="allow" reason="I/O on descriptors the policy let it open"/>
  <syscall name="write" action="allow" reason="I/O on descriptors the policy let it open"/>
  <syscall name="readv" action="allow" reason="I/O"/>
  <syscall name="writev" action="allow" reason="I/O"/>
  <syscall name="pread64" action="allow" reason="I/O"/>
  <syscall name="pwrite64" action="allow" reason="I/O"/>
  <syscall name="preadv" action="allow" reason="I/O"/>
  <syscall name="pwritev" action="allow" reason="I/O"/>
  <syscall name="sendfile" action="allow" reason="I/O between open descriptors"/>
  <syscall name="copy_file_range" action="allow" reason="I/O between open descriptors"/>
  <syscall name="splice" action="allow" reason="I/O between open descriptors"/>
  <syscall name="tee" action="allow" reason="I/O between open descriptors"/>
  <syscall name="lseek" action="allow" reason="I/O"/>
  <syscall name="close" action="allow" reason="descriptors"/>
  <syscall name="close_range" action="allow" reason="descriptors"/>
  <syscall name="dup" action="allow" reason="descriptors"/>
  <syscall name="dup2" action="allow" reason="descriptors"/>
  <syscall name="dup3" action="allow" reason="descriptors"/>
  <syscall name="fcntl" action="allow" reason="descriptor flags and locks"/>
  <syscall name="flock" action="allow" reason="locks"/>
  <syscall name="fstat" action="allow" reason="metadata of an open descriptor"/>
  <syscall name="fstatfs" action="allow" reason="metadata of an open descriptor"/>
  <syscall name="fsync" action="allow" reason="I/O"/>
  <syscall name="fdatasync" action="allow" reason="I/O"/>
  <syscall name="ftruncate" action="allow" reason="only descriptors opened for writing"/>
  <syscall name="fallocate" action="allow" reason="only descriptors opened for writing"/>
  <syscall name="fchmod" action="allow" reason="only files it could open; the rootfs is read-only"/>
  <syscall name="fchown" action="allow" reason="only files it could open; no capabilities"/>
  <syscall name="fchdir" action="allow" reason="only into directories it could open"/>
  <syscall name="getdents" action="allow" reason="listing directories it could open"/>
  <syscall name="getdents64" action="allow" reason="listing directories it could open"/>
  <syscall name="getcwd" action="allow" reason="query"/>
  <syscall name="ioctl" action="allow" reason="device control of open descriptors; TIOCSTI and TIOCLINUX are always refused by the filter"/>
  <syscall name="pipe" action="allow" reason="pipelines"/>
  <syscall name="pipe2" action="allow" reason="pipelines"/>
  <syscall name="eventfd2" action="allow" reason="event loops"/>
  <syscall name="timerfd_create" action="allow" reason="event loops"/>
  <syscall name="timerfd_settime" action="allow" reason="event loops"/>
  <syscall name="timerfd_gettime" action="allow" reason="event loops"/>
  <syscall name="signalfd4" action="allow" reason="event loops"/>
  <syscall name="select" action="allow" reason="event loops"/>
  <syscall name="pselect6" action="allow" reason="event loops"/>
  <syscall name="poll" action="allow" reason="event loops"/>
  <syscall name="ppoll" action="allow" reason="event loops"/>
  <syscall name="epoll_create" action="allow" reason="event loops"/>
  <syscall name="epoll_create1" action="allow" reason="event loops"/>
  <syscall name="epoll_ctl" action="allow" reason="event loops"/>
  <syscall name="epoll_wait" action="allow" reason="event loops"/>
  <syscall name="epoll_pwait" action="allow" reason="event loops"/>
  <syscall name="epoll_pwait2" action="allow" reason="event loops"/>

  <!-- memory -->
  <syscall name="brk" action="allow" reason="heap"/>
  <syscall name="madvise" action="allow" reason="can only zero the private scratch pages, never fill them"/>
  <syscall name="mincore" action="allow" reason="query"/>
  <syscall name="msync" action="allow" reason="file mappings"/>
  <syscall name="mlock" action="allow" reason="bounded by RLIMIT_MEMLOCK"/>
  <syscall name="munlock" action="allow" reason="memory"/>
  <syscall name="membarrier" action="allow" reason="runtimes (JITs) need it"/>
  <syscall name="get_mempolicy" action="allow" reason="query"/>

  <!-- signals and time -->
  <syscall name="rt_sigaction" action="allow" reason="signals"/>
  <syscall name="rt_sigprocmask" action="allow" reason="signals"/>
  <syscall name="rt_sigreturn" action="allow" reason="signals"/>
  <syscall name="restart_syscall" action="allow" reason="the kernel resumes a sleep a stop or ignored signal interrupted"/>
  <syscall name="rt_sigsuspend" action="allow" reason="signals"/>
  <syscall name="rt_sigpending" action="allow" reason="signals"/>
  <syscall name="rt_sigtimedwait" action="allow" reason="signals"/>
  <syscall name="rt_sigqueueinfo" action="allow" reason="own pid namespace only"/>
  <syscall name="rt_tgsigqueueinfo" action="allow" reason="own pid namespace only"/>
  <syscall name="sigaltstack" action="allow" reason="signals"/>
  <syscall name="pause" action="allow" reason="signals"/>
  <syscall name="alarm" action="allow" reason="timers"/>
  <syscall name="getitimer" action="allow" reason="timers"/>
  <syscall name="setitimer" action="allow" reason="timers"/>
  <syscall name="timer_create" action="allow" reason="timers"/>
  <syscall name="timer_settime" action="allow" reason="timers"/>
  <syscall name="timer_gettime" action="allow" reason="timers"/>
  <syscall name="timer_delete" action="allow" reason="timers"/>
  <syscall name="timer_getoverrun" action="allow" reason="timers"/>
  <syscall name="nanosleep" action="allow" reason="time"/>
  <syscall name="clock_nanosleep" action="allow" reason="time"/>
  <syscall name="clock_gettime" action="allow" reason="time"/>
  <syscall name="clock_getres" action="allow" reason="time"/>
  <syscall name="gettimeofday" action="allow" reason="time"/>
  <syscall name="time" action="allow" reason="time"/>
  <syscall name="times" action="allow" reason="time"/>
  <syscall name="getrandom" action="allow" reason="entropy"/>

  <!-- sockets: created only through the socket rule; addresses are confined by the namespaces -->
  <syscall name="socketpair" action="allow" reason="unix socket pairs only reach the sandbox"/>
  <syscall name="connect" action="trace" reason="the address is checked and pinned: inet only with network allowed, unix path sockets only at writable paths, abstract names only in the sandbox's own network namespace"/>
  <syscall name="bind" action="trace" reason="as connect; a unix socket file is created, so its path must be writable"/>
  <syscall name="listen" action="allow" reason="servers"/>
  <syscall name="accept" action="allow" reason="servers"/>
  <syscall name="accept4" action="allow" reason="servers"/>
  <syscall name="sendto" action="trace" reason="I/O; only calls naming a destination stop (checked as connect), the rest run at kernel speed"/>
  <syscall name="recvfrom" action="allow" reason="I/O"/>
  <syscall name="sendmsg" action="trace" reason="I/O; the destination (msg_name) is checked as connect and the header pinned; passed descriptors were opened inside the sandbox"/>
  <syscall name="recvmsg" action="allow" reason="I/O"/>
  <syscall name="sendmmsg" action="trace" reason="I/O; sent as sendmsg of its first message, checked and pinned (one message per call)"/>
  <syscall name="recvmmsg" action="allow" reason="I/O"/>
  <syscall name="shutdown" action="allow" reason="sockets"/>
  <syscall name="getsockname" action="allow" reason="query"/>
  <syscall name="getpeername" action="allow" reason="query"/>
  <syscall name="setsockopt" action="allow" reason="socket options"/>
  <syscall name="getsockopt" action="allow" reason="socket options"/>

  <!-- refused with an error and reported, so that programs that probe for them carry on -->
  <syscall name="ptrace" action="deny" errno="EPERM" reason="the supervisor is the only tracer"/>
  <syscall name="process_vm_readv" action="deny" errno="EPERM" reason="cross-process memory access"/>
  <syscall name="process_vm_writev" action="deny" errno="EPERM" reason="cross-process memory access"/>
  <syscall name="mount" action="deny" errno="EPERM" reason="the mount table is fixed"/>
  <syscall name="umount2" action="deny" errno="EPERM" reason="the mount table is fixed"/>
  <syscall name="pivot_root" action="deny" errno="EPERM" reason="the root is fixed"/>
  <syscall name="chroot" action="deny" errno="EPERM" reason="the root is fixed"/>
  <syscall name="unshare" action="deny" errno="EPERM" reason="new namespaces would shed the policy's assumptions"/>
  <syscall name="setns" action="deny" errno="EPERM" reason="joining other namespaces"/>
  <syscall name="open_by_handle_at" action="deny" errno="EPERM" reason="opens files by handle, bypassing paths (shocker)"/>
  <syscall name="name_to_handle_at" action="deny" errno="EPERM" reason="companion of open_by_handle_at"/>
  <syscall name="io_uring_setup" action="deny" errno="EPERM" reason="io_uring performs syscalls the filter never sees"/>
  <syscall name="io_uring_enter" action="deny" errno="EPERM" reason="io_uring"/>
  <syscall name="io_uring_register" action="deny" errno="EPERM" reason="io_uring"/>
  <syscall name="bpf" action="deny" errno="EPERM" reason="kernel attack surface"/>
  <syscall name="perf_event_open" action="deny" errno="EPERM" reason="kernel attack surface and side channels"/>
  <syscall name="userfaultfd" action="deny" errno="EPERM" reason="makes kernel races easy to win"/>
  <syscall name="keyctl" action="deny" errno="EPERM" reason="kernel keyrings are shared beyond the sandbox"/>
  <syscall name="add_key" action="deny" errno="EPERM" reason="kernel keyrings"/>
  <syscall name="request_key" action="deny" errno="EPERM" reason="kernel keyrings"/>
  <syscall name="seccomp" action="deny" errno="EPERM" reason="stacking filters is not needed by workloads"/>
  <syscall name="memfd_create" action="allow" reason="anonymous files are fine; executing them is refused at execveat"/>
  <syscall name="shmat" action="deny" errno="EPERM" reason="System V shm could be attached over the scratch pages"/>
  <syscall name="setuid" action="deny" errno="EPERM" reason="one uid is mapped; nothing to switch to"/>
  <syscall name="setgid" action="deny" errno="EPERM" reason="one gid is mapped; nothing to switch to"/>
  <syscall name="setreuid" action="deny" errno="EPERM" reason="one uid is mapped"/>
  <syscall name="setregid" action="deny" errno="EPERM" reason="one gid is mapped"/>
  <syscall name="setresuid" action="deny" errno="EPERM" reason="one uid is mapped"/>
  <syscall name="setresgid" action="deny" errno="EPERM" reason="one gid is mapped"/>
  <syscall name="setgroups" action="deny" errno="EPERM" reason="groups are fixed"/>
  <syscall name="capset" action="deny" errno="EPERM" reason="capabilities are all dropped"/>
  <syscall name="sethostname" action="deny" errno="EPERM" reason="the hostname is fixed"/>
  <syscall name="syslog" action="deny" errno="EPERM" reason="the kernel log is the host's"/>
</sandbox-policy>
)XML";

Result<Policy> parse_and_extend(std::string_view xml, const std::string& source) {
  EW_ASSIGN(ParsedPolicy parsed, parse_policy_xml(xml, source));
  if (parsed.extends.empty()) return parsed.policy;
  EW_ASSIGN(Policy base, default_policy());
  return merge_policies(std::move(base), parsed.policy);
}

}  // namespace

std::string_view default_policy_xml() { return kDefaultPolicy; }

Result<Policy> default_policy() {
  EW_ASSIGN(ParsedPolicy parsed, parse_policy_xml(kDefaultPolicy, "<built-in default policy>"));
  return parsed.policy;
}

Result<Policy> load_policy_file(const std::string& path) {
  const auto in = text::read_file(path, kMaxPolicyBytes + 1);
  if (!in) {
    return Error::not_found("cannot open policy file " + path + ": " + std::strerror(errno) +
                            " (check the path given to --policy)");
  }
  if (in->size() > kMaxPolicyBytes) return Error::invalid(path + ": policy is larger than 256 KiB");
  return parse_and_extend(*in, path);
}

}  // namespace edgeward::sandbox
