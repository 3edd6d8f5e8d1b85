// The config's own seccomp profile (OCI linux.seccomp, seccomp_profile.h) as a second filter,
// built with libseccomp. It is applied IN ADDITION to edgeward's filter, never instead: the
// workload loads it just before edgeward's own and execs (jail.cpp), and the kernel runs both
// on every call and takes the stricter result (KILL > TRAP > ERRNO > USER_NOTIF > TRACE > LOG >
// ALLOW). So the profile can only narrow what edgeward's policy allows: an ALLOW in the profile
// never lets through what edgeward denies.
//
// Mapping: SCMP_ACT_ALLOW, _ERRNO (errnoRet, default EPERM), _KILL (= _KILL_THREAD, as runc),
// _KILL_PROCESS, _KILL_THREAD, _TRAP, _LOG as libseccomp has them; _TRACE and _NOTIFY are refused
// by the parser. A rule whose action is the default action is skipped, and so are names this
// architecture has no syscall for (as runc does). Several conditions on one argument index are
// added as separate rules (OR), otherwise a rule's conditions all apply (AND), as runc does.
// Only the native ABI is filtered: edgeward's own filter kills every other (x32, i386).
// `seccomp` itself and prctl(PR_SET_NO_NEW_PRIVS) are always allowed by this filter (loading
// edgeward's filter after it takes them; whether the workload may use them is then edgeward's
// policy's decision: seccomp is denied by the default profile), so a profile's rule for
// `seccomp` has no effect. When both filters return ERRNO, the kernel takes edgeward's errno.
#pragma once

#include "common/result.h"
#include "runtime/sandbox/filter.h"
#include "runtime/sandbox/seccomp_profile.h"

namespace edgeward::sandbox {

// Errors name the profile's field ("linux.seccomp.syscalls[2]: ...") when libseccomp refuses.
Result<Filter> build_config_filter(const SeccompProfile& profile);

}  // namespace edgeward::sandbox
