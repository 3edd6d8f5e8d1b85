// A minimal virtio-mmio driver for test guests: one split queue of 8 descriptors at a
// device window, enough to send virtio-blk requests (and to break the rules on purpose).
#pragma once

#include "guest.h"

#define VIRTIO0 0xd0000000ull
#define QSIZE 8

enum {
  REG_MAGIC = 0x000, REG_VERSION = 0x004, REG_DEVICE_ID = 0x008, REG_DEVICE_FEATURES = 0x010,
  REG_DEVICE_FEATURES_SEL = 0x014, REG_DRIVER_FEATURES = 0x020, REG_DRIVER_FEATURES_SEL = 0x024,
  REG_QUEUE_SEL = 0x030, REG_QUEUE_NUM_MAX = 0x034, REG_QUEUE_NUM = 0x038, REG_QUEUE_READY = 0x044,
  REG_QUEUE_NOTIFY = 0x050, REG_INTERRUPT_STATUS = 0x060, REG_INTERRUPT_ACK = 0x064, REG_STATUS = 0x070,
  REG_QUEUE_DESC = 0x080, REG_QUEUE_DRIVER = 0x090, REG_QUEUE_DEVICE = 0x0a0, REG_CONFIG = 0x100,
};
enum { ST_ACK = 1, ST_DRIVER = 2, ST_DRIVER_OK = 4, ST_FEATURES_OK = 8, ST_NEEDS_RESET = 0x40 };
enum { D_NEXT = 1, D_WRITE = 2, D_INDIRECT = 4 };

struct desc {
  uint64_t addr;
  uint32_t len;
  uint16_t flags;
  uint16_t next;
};
struct avail {
  uint16_t flags, idx, ring[QSIZE], used_event;
};
struct used {
  uint16_t flags, idx;
  struct {
    uint32_t id, len;
  } ring[QSIZE];
  uint16_t avail_event;
};
struct blk_req {
  uint32_t type, reserved;
  uint64_t sector;
};

extern struct desc vq_desc[QSIZE];
extern struct avail vq_avail;
extern struct used vq_used;

static inline uint32_t vr(uint32_t off) { return mmio_read32(VIRTIO0 + off); }
static inline void vw(uint32_t off, uint32_t v) { mmio_write32(VIRTIO0 + off, v); }

// Resets the device and brings it to DRIVER_OK with queue 0 of QSIZE entries (rings above);
// `queue_num` and `desc_addr` may be wrong on purpose. Returns the final status register.
uint32_t virtio_setup(uint32_t queue_num, uint64_t desc_addr);
// Publishes descriptor `head` in the available ring and notifies queue 0.
void virtio_submit(uint16_t head);
