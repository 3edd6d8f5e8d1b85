/* personality flags that weaken the address space (READ_IMPLIES_EXEC, ADDR_NO_RANDOMIZE). */
#include <sys/personality.h>
#include "hostile.h"

int main(void) {
  int before = personality(0xffffffff);
  int rc = personality(READ_IMPLIES_EXEC | ADDR_NO_RANDOMIZE);
  if (rc != -1 && personality(0xffffffff) != before) escaped("personality changed");
  must_fail(rc, "personality(READ_IMPLIES_EXEC | ADDR_NO_RANDOMIZE)");
  return refused();
}
