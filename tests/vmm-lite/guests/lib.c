// Runtime of the test guests.
#include "guest.h"

#define COM1 0x3f8
#define ACPI_SLEEP_CONTROL 0x600
#define I8042_COMMAND 0x64

void puts(const char* s) {
  for (; *s; ++s) outb(COM1, (uint8_t)*s);
}

void put_hex(uint64_t v) {
  char buf[19] = "0x";
  for (int i = 0; i < 16; ++i) buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
  buf[18] = 0;
  puts(buf);
}

void guest_poweroff(void) {
  outb(ACPI_SLEEP_CONTROL, (5 << 2) | (1 << 5));  // SLP_TYP = S5, SLP_EN
  for (;;) __asm__ volatile("cli; hlt");
}

void fail(const char* why) {
  puts("FAIL: ");
  puts(why);
  puts("\n");
  outb(I8042_COMMAND, 0xfe);  // reset: the VMM exits non-zero
  for (;;) __asm__ volatile("cli; hlt");
}

static uint64_t mmio_pd[512] __attribute__((aligned(4096)));

void map_mmio_hole(void) {
  // The VMM's boot page tables map the first 1 GiB (PML4 0x9000 -> PDPT 0xa000). Add the
  // 3..4 GiB gigabyte with 2 MiB pages, cache-disabled.
  volatile uint64_t* pdpt = (volatile uint64_t*)0xa000;
  for (uint64_t i = 0; i < 512; ++i) mmio_pd[i] = (0xc0000000ull + (i << 21)) | 0x80 | 0x10 | 0x3;
  pdpt[3] = (uint64_t)mmio_pd | 0x3;
  uint64_t cr3;
  __asm__ volatile("mov %%cr3, %0; mov %0, %%cr3" : "=r"(cr3)::"memory");
}
