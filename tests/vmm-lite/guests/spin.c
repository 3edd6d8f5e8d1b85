// Prints a marker and then spins forever (the VMM is stopped from outside).
#include "guest.h"

void guest_main(const uint8_t* bp) {
  (void)bp;
  puts("SPINNING\n");
  for (;;) __asm__ volatile("pause");
}
