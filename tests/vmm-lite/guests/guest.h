// Freestanding helpers for test guests: port I/O, MMIO, the UART, power-off and reset.
#pragma once

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) {
  uint8_t v;
  __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
  return v;
}
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port)); }
static inline uint32_t inl(uint16_t port) {
  uint32_t v;
  __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
  return v;
}
static inline void mmio_write32(uint64_t addr, uint32_t v) { *(volatile uint32_t*)addr = v; }
static inline uint32_t mmio_read32(uint64_t addr) { return *(volatile uint32_t*)addr; }

void puts(const char* s);
void put_hex(uint64_t v);
void fail(const char* why) __attribute__((noreturn));  // prints "FAIL: why" and resets
void guest_poweroff(void) __attribute__((noreturn));    // ACPI S5 through the FADT's register
void map_mmio_hole(void);  // maps 3..4 GiB (virtio-mmio windows) uncached

#define CHECK(cond, why) \
  do {                   \
    if (!(cond)) fail(why); \
  } while (0)
