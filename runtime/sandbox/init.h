// pid 1 of the sandbox's pid namespace: a minimal init (like tini or `docker --init`) that the
// jail becomes once the workload is forked. It is the running binary re-executed (a clean image:
// nothing of the supervisor's memory stays in the namespace), holds no descriptor, forwards the
// signals it receives to the workload, reaps every orphan, and exits with the workload's status.
//
// Why not let the workload be pid 1: the kernel protects a namespace's init from signals, and a
// fault signal forced on a *ptraced* init is dropped when the tracer passes it on, so a crashing
// workload re-ran its faulting instruction forever; and an ordinary program never reaps the
// orphans that the kernel gives to pid 1. See docs/sandbox.md ("pid 1").
//
// Every program that calls run_sandbox() must start its main() with
//   if (sandbox::is_init_invocation(argc, argv)) return sandbox::init_main(argc, argv);
// (the edgeward binary and the sandbox's test binaries do).
#pragma once

#include <signal.h>
#include <sys/types.h>

namespace edgeward::sandbox {

// argv[0] of the re-executed init; argv[1] is the workload's pid inside the namespace.
inline constexpr const char* kInitName = "edgeward-init";
// argv[2] of the init of a process entered into a running sandbox (`exec`, jail.h's enter mode):
// it is not pid 1 (it stays outside the sandbox's pid namespace), otherwise the same.
inline constexpr const char* kEnteredFlag = "--entered";
// argv[2] of the init of a sandbox that joined an existing pid namespace (namespaces.h): it is
// not that namespace's pid 1, so it makes itself a child subreaper (PR_SET_CHILD_SUBREAPER) to
// reap the workload's orphans all the same; the supervisor kills what is left when it ends.
inline constexpr const char* kJoinedFlag = "--joined-pid";

// Whether this process was started as the sandbox's init: argv[0] is kInitName and it is pid 1,
// or argv[2] is kEnteredFlag or kJoinedFlag.
bool is_init_invocation(int argc, char** argv);

// The init's whole life: exits (never returns) with the workload's status, its code or 128 + its
// signal; 127 for bad arguments.
int init_main(int argc, char** argv);

// The signals the init waits for and forwards (all but SIGCHLD, which makes it reap, and the
// fault signals). The jail blocks them before forking the workload, so none is lost before the
// init waits for them; the workload starts with an empty mask.
sigset_t init_forwarded_signals();

// The workload, forked, waits here until its init is confined (its seccomp filter loaded) and says
// so with init_start_signal(): no instruction of the workload runs next to an unconfined init.
// The signal is blocked already (init_forwarded_signals()); one from anyone but the parent is
// dropped. Returns with every other pending signal still pending.
int init_start_signal();
void await_confined_init();

// In the jail, at pid 1 with `workload` forked: re-executes the binary behind `exe_fd` (an O_PATH
// descriptor of /proc/self/exe opened by the supervisor) as the init (`flag`: kEnteredFlag for an
// entered process, kJoinedFlag in a joined pid namespace, nullptr at pid 1). Returns only on
// failure, with errno set.
void exec_init(int exe_fd, pid_t workload, const char* flag = nullptr);

}  // namespace edgeward::sandbox
