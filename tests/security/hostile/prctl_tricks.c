/* prctl options that would loosen the process: dumpable, ptracer, ambient capabilities, mm. */
#include <linux/capability.h>
#include <sys/prctl.h>
#include "hostile.h"

int main(void) {
  must_fail(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), "PR_SET_DUMPABLE");
  must_fail(prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0), "PR_SET_PTRACER any");
  must_fail(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_SYS_ADMIN, 0, 0), "PR_CAP_AMBIENT_RAISE");
  must_fail(prctl(PR_SET_MM, PR_SET_MM_EXE_FILE, 0, 0, 0), "PR_SET_MM");
  must_fail(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0), "PR_SET_KEEPCAPS");
  must_fail(prctl(PR_SET_SECUREBITS, 0, 0, 0, 0), "PR_SET_SECUREBITS");
  return refused();
}
