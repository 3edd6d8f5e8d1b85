// Loads an empty IDT and raises an exception: #UD -> #GP -> #DF -> triple fault. (A fault,
// not a software interrupt: "int n" through a broken IDT needs KVM's emulator on some hosts.)
#include "guest.h"

void guest_main(const uint8_t* bp) {
  (void)bp;
  puts("about to triple fault\n");
  struct __attribute__((packed)) {
    uint16_t limit;
    uint64_t base;
  } idt = {0, 0};
  __asm__ volatile("lidt %0; ud2" ::"m"(idt));
  fail("still running after the triple fault");
}
