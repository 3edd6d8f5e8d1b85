// Console input: prints READY, then echoes what arrives on the UART until a '.', as "GOT:<text>".
#include "guest.h"

void guest_main(const uint8_t* bp) {
  (void)bp;
  puts("READY\n");
  char line[64];
  int n = 0;
  for (;;) {
    while (!(inb(0x3f8 + 5) & 1)) __asm__ volatile("pause");  // LSR.DR
    const char c = (char)inb(0x3f8);
    if (c == '.' || n == (int)sizeof line - 1) break;
    line[n++] = c;
  }
  line[n] = 0;
  puts("GOT:");
  puts(line);
  puts("\n");
}
