// Drives the first virtio-blk device: reads sector 0 and prints it, then tries to write
// sector 1 and reads past the end of the disk, printing each request's status.
#include "virtio.h"

static struct blk_req req;
static uint8_t data[512];
static volatile uint8_t status;

static uint8_t request(uint32_t type, uint64_t sector) {
  req.type = type;
  req.sector = sector;
  status = 0xee;
  vq_desc[0] = (struct desc){(uint64_t)&req, sizeof req, D_NEXT, 1};
  vq_desc[1] = (struct desc){(uint64_t)data, sizeof data, (uint16_t)(D_NEXT | (type == 0 ? D_WRITE : 0)), 2};
  vq_desc[2] = (struct desc){(uint64_t)&status, 1, D_WRITE, 0};
  const uint16_t before = vq_used.idx;
  virtio_submit(0);
  CHECK(vq_used.idx == (uint16_t)(before + 1), "request was not completed");
  CHECK(vr(REG_INTERRUPT_STATUS) & 1, "no used-buffer interrupt status");
  vw(REG_INTERRUPT_ACK, 1);
  return status;
}

void guest_main(const uint8_t* bp) {
  (void)bp;
  map_mmio_hole();
  CHECK(vr(REG_MAGIC) == 0x74726976, "no virtio-mmio device at 0xd0000000");
  CHECK(vr(REG_VERSION) == 2 && vr(REG_DEVICE_ID) == 2, "not a virtio 1.x block device");
  CHECK(virtio_setup(QSIZE, (uint64_t)vq_desc) & ST_DRIVER_OK, "device not live");
  const uint64_t capacity = vr(REG_CONFIG) | ((uint64_t)vr(REG_CONFIG + 4) << 32);
  puts("CAPACITY ");
  put_hex(capacity);
  puts("\n");

  CHECK(request(0, 0) == 0, "read of sector 0 failed");
  data[63] = 0;
  puts("DISK: ");
  puts((const char*)data);
  puts("\n");

  for (int i = 0; i < 512; ++i) data[i] = (uint8_t)('A' + i % 26);
  puts("WRITE-STATUS=");
  put_hex(request(1, 1));
  puts("\nPAST-END-STATUS=");
  put_hex(request(0, capacity));
  puts("\nBLK-DONE\n");
}
