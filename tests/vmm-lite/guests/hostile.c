// A hostile guest: random port I/O and MMIO, then one broken virtio queue after another.
// Each broken queue must be caught by the VMM (the device reports DEVICE_NEEDS_RESET) and the
// device must work again after a reset. Prints HOSTILE-DONE when every case held.
#include "virtio.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t next_rand(void) {
  rng = rng * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(rng >> 33);
}

static struct blk_req req;
static uint8_t data[512];
static volatile uint8_t status;

// Ports whose effect would end this test early (power-off, reset) or spam the console.
static int spared(uint16_t p) {
  return (p >= 0x600 && p < 0x604) || p == 0x64 || p == 0x60 || (p >= 0x3f8 && p < 0x400) || p == 0xcf9;
}

static void poke_ports(int n) {
  for (int i = 0; i < n; ++i) {
    const uint16_t port = (uint16_t)next_rand();
    if (spared(port)) continue;
    switch (next_rand() % 4) {
      case 0: (void)inb(port); break;
      case 1: outb(port, (uint8_t)next_rand()); break;
      case 2: (void)inl(port); break;
      default: outl(port, next_rand()); break;
    }
  }
}

static void poke_mmio(int n) {
  for (int i = 0; i < n; ++i) {
    // The virtio windows and the unassigned space around them (not the in-kernel APICs).
    const uint64_t addr = 0xcfff0000ull + ((next_rand() % 0x40000) & ~3ull);
    if (next_rand() & 1) {
      (void)mmio_read32(addr);
    } else {
      mmio_write32(addr, next_rand());
    }
  }
}

static void good_chain(void) {
  req = (struct blk_req){0, 0, 0};
  vq_desc[0] = (struct desc){(uint64_t)&req, sizeof req, D_NEXT, 1};
  vq_desc[1] = (struct desc){(uint64_t)data, sizeof data, D_NEXT | D_WRITE, 2};
  vq_desc[2] = (struct desc){(uint64_t)&status, 1, D_WRITE, 0};
}

static void expect_fault(const char* name) {
  if (!(vr(REG_STATUS) & ST_NEEDS_RESET)) fail(name);
  puts("caught: ");
  puts(name);
  puts("\n");
}

static void expect_works(const char* after) {
  CHECK(virtio_setup(QSIZE, (uint64_t)vq_desc) == (ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK), after);
  good_chain();
  status = 0xee;
  virtio_submit(0);
  CHECK(status == 0 && vq_used.idx == 1, after);
}

void guest_main(const uint8_t* bp) {
  (void)bp;
  map_mmio_hole();
  poke_ports(3000);
  poke_mmio(3000);
  puts("random I/O survived\n");

  // Each case: a live device, one lie, a notify.
  expect_works("device unusable after random I/O");

  virtio_setup(QSIZE, (uint64_t)vq_desc);
  good_chain();
  vq_desc[1].flags = D_NEXT;  // all readable, so only the loop is wrong
  vq_desc[2].flags = D_NEXT;
  vq_desc[2].next = 0;  // 0 -> 1 -> 2 -> 0 ...
  virtio_submit(0);
  expect_fault("descriptor loop");

  virtio_setup(QSIZE, (uint64_t)vq_desc);
  good_chain();
  vq_desc[1].addr = 0xfff000000000ull;  // far outside guest RAM
  virtio_submit(0);
  expect_fault("buffer outside guest RAM");

  virtio_setup(QSIZE, (uint64_t)vq_desc);
  good_chain();
  vq_desc[1].len = 0xffffffffu;  // runs off the end of RAM
  virtio_submit(0);
  expect_fault("buffer length past guest RAM");

  virtio_setup(QSIZE, (uint64_t)vq_desc);
  good_chain();
  vq_avail.ring[0] = 200;  // head index past the queue
  vq_avail.idx = 1;
  vw(REG_QUEUE_NOTIFY, 0);
  expect_fault("head index out of range");

  virtio_setup(QSIZE, (uint64_t)vq_desc);
  good_chain();
  vq_avail.idx = 50;  // claims more buffers than the queue holds
  vw(REG_QUEUE_NOTIFY, 0);
  expect_fault("available index lies");

  virtio_setup(QSIZE, (uint64_t)vq_desc);
  good_chain();
  vq_desc[1].next = 300;
  virtio_submit(0);
  expect_fault("next index out of range");

  virtio_setup(QSIZE, (uint64_t)vq_desc);
  good_chain();
  vq_desc[0].flags |= D_INDIRECT;
  virtio_submit(0);
  expect_fault("indirect descriptor not negotiated");

  virtio_setup(QSIZE, (uint64_t)vq_desc);
  good_chain();
  vq_desc[1].flags = D_NEXT | D_WRITE;
  vq_desc[2].flags = 0;  // readable after writable
  virtio_submit(0);
  expect_fault("readable descriptor after writable");

  virtio_setup(QSIZE, (uint64_t)vq_desc);
  vq_desc[0] = (struct desc){(uint64_t)&req, sizeof req, 0, 0};  // header only: no status byte
  virtio_submit(0);
  expect_fault("request without status descriptor");

  virtio_setup(QSIZE, 0x7ffffffff000ull);  // descriptor table outside guest RAM
  expect_fault("descriptor table outside guest RAM");

  virtio_setup(3, (uint64_t)vq_desc);  // not a power of two
  expect_fault("queue size not a power of two");

  // A sector past the end of the disk is an I/O error for that request, not a fault.
  expect_works("device unusable after the faults");
  good_chain();
  req.sector = 0xffffffffffffff00ull;
  status = 0xee;
  virtio_submit(0);
  CHECK(status == 1, "read past the end of the disk did not fail with IOERR");

  expect_works("device unusable at the end");
  puts("HOSTILE-DONE\n");
}
