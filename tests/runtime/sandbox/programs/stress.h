/* Iterations of a race or flood loop (the escape battery's hostile programs and the sandbox's test
 * programs): `full`, the count a native run uses, scaled to EW_SANDBOX_STRESS_PERCENT (1..100) when
 * that is in the environment; the tests pass it into the workload's environment
 * (tests/runtime/sandbox/sandbox_env.h). The arm64 test host sets it: under TCG every call is
 * ~50x slower (tests/runtime/sandbox/system/arm64-testhost). Never fewer than 20 iterations (or
 * `full` when that is smaller): no loop shrinks to a token run. */
#pragma once
#include <stdlib.h>

static inline int stress_iterations(int full) {
  const char* s = getenv("EW_SANDBOX_STRESS_PERCENT");
  long percent = s ? strtol(s, NULL, 10) : 100;
  if (percent < 1 || percent > 100) percent = 100;
  const long n = (long)full * percent / 100;
  const long least = full < 20 ? full : 20;
  return (int)(n > least ? n : least);
}
