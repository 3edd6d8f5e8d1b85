/* Kernel keyrings are shared beyond the sandbox. */
#include "hostile.h"

int main(void) {
  must_fail(syscall(SYS_add_key, "user", "edgeward-escape", "x", 1, -3 /* KEY_SPEC_SESSION_KEYRING */), "add_key");
  must_fail(syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, 0), "keyctl join");
  must_fail(syscall(SYS_request_key, "user", "edgeward-escape", NULL, 0), "request_key");
  return refused();
}
