// Checks the boot state the VMM hands a kernel under the 64-bit boot protocol, then powers off.
#include "guest.h"

static uint64_t rdmsr(uint32_t msr) {
  uint32_t lo, hi;
  __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
  return ((uint64_t)hi << 32) | lo;
}

static int starts_with(const char* s, const char* prefix) {
  for (; *prefix; ++s, ++prefix)
    if (*s != *prefix) return 0;
  return 1;
}

void guest_main(const uint8_t* bp) {
  CHECK((uint64_t)bp == 0x7000, "boot_params not at 0x7000 in %rsi");
  CHECK(*(const uint32_t*)(bp + 0x202) == 0x53726448, "setup header (HdrS) not copied into boot_params");
  CHECK(bp[0x210] == 0xff, "type_of_loader is not 0xff");
  CHECK(bp[0x1e8] >= 3, "e820 map has fewer than 3 entries");
  const uint8_t* e820 = bp + 0x2d0;
  int ram_above_1m = 0;
  for (int i = 0; i < bp[0x1e8]; ++i) {
    const uint64_t addr = *(const uint64_t*)(e820 + 20 * i);
    const uint32_t type = *(const uint32_t*)(e820 + 20 * i + 16);
    if (addr == 0x100000 && type == 1) ram_above_1m = 1;
  }
  CHECK(ram_above_1m, "e820 has no RAM at 1 MiB");
  const char* cmdline = (const char*)(uint64_t) * (const uint32_t*)(bp + 0x228);
  CHECK(starts_with(cmdline, "console=ttyS0"), "command line does not start with console=ttyS0");

  uint64_t cr0, cr4;
  uint16_t cs, ds;
  __asm__ volatile("mov %%cr0, %0; mov %%cr4, %1" : "=r"(cr0), "=r"(cr4));
  __asm__ volatile("mov %%cs, %0; mov %%ds, %1" : "=r"(cs), "=r"(ds));
  CHECK((cr0 & 0x80000001) == 0x80000001, "CR0.PE/PG not set");
  CHECK(cr4 & (1 << 5), "CR4.PAE not set");
  CHECK(rdmsr(0xc0000080) & (1 << 10), "EFER.LMA not set");
  CHECK(cs == 0x10 && ds == 0x18, "selectors are not __BOOT_CS/__BOOT_DS");

  uint32_t eax = 1, ebx, ecx, edx;
  __asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
  CHECK(ecx & (1u << 31), "CPUID does not report a hypervisor");
  CHECK((ebx >> 24) == 0, "bootstrap processor's APIC id is not 0");

  const uint8_t* rsdp = (const uint8_t*)*(const uint64_t*)(bp + 0x70);
  CHECK(starts_with((const char*)rsdp, "RSD PTR "), "boot_params.acpi_rsdp_addr has no RSDP");
  uint8_t sum = 0;
  for (int i = 0; i < 36; ++i) sum += rsdp[i];
  CHECK(sum == 0, "RSDP checksum is wrong");

  puts(ecx & (1u << 24) ? "TSC-DEADLINE=yes\n" : "TSC-DEADLINE=no\n");
  puts("BOOT-STATE-OK cmdline=");
  puts(cmdline);
  puts("\n");
}
