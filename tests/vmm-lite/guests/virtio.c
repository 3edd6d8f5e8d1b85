#include "virtio.h"

struct desc vq_desc[QSIZE] __attribute__((aligned(16)));
struct avail vq_avail __attribute__((aligned(4)));
struct used vq_used __attribute__((aligned(4)));

uint32_t virtio_setup(uint32_t queue_num, uint64_t desc_addr) {
  vw(REG_STATUS, 0);
  for (int i = 0; i < (int)sizeof vq_avail; ++i) ((volatile uint8_t*)&vq_avail)[i] = 0;
  for (int i = 0; i < (int)sizeof vq_used; ++i) ((volatile uint8_t*)&vq_used)[i] = 0;
  vw(REG_STATUS, ST_ACK);
  vw(REG_STATUS, ST_ACK | ST_DRIVER);
  vw(REG_DEVICE_FEATURES_SEL, 1);
  CHECK(vr(REG_DEVICE_FEATURES) & 1, "device does not offer VIRTIO_F_VERSION_1");
  vw(REG_DRIVER_FEATURES_SEL, 1);
  vw(REG_DRIVER_FEATURES, 1);
  vw(REG_DRIVER_FEATURES_SEL, 0);
  vw(REG_DRIVER_FEATURES, 0);
  vw(REG_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK);
  CHECK(vr(REG_STATUS) & ST_FEATURES_OK, "device refused our features");
  vw(REG_QUEUE_SEL, 0);
  CHECK(vr(REG_QUEUE_NUM_MAX) >= QSIZE, "queue too small");
  vw(REG_QUEUE_NUM, queue_num);
  vw(REG_QUEUE_DESC, (uint32_t)desc_addr);
  vw(REG_QUEUE_DESC + 4, (uint32_t)(desc_addr >> 32));
  vw(REG_QUEUE_DRIVER, (uint32_t)(uint64_t)&vq_avail);
  vw(REG_QUEUE_DRIVER + 4, 0);
  vw(REG_QUEUE_DEVICE, (uint32_t)(uint64_t)&vq_used);
  vw(REG_QUEUE_DEVICE + 4, 0);
  vw(REG_QUEUE_READY, 1);
  vw(REG_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK);
  return vr(REG_STATUS);
}

void virtio_submit(uint16_t head) {
  vq_avail.ring[vq_avail.idx % QSIZE] = head;
  __asm__ volatile("mfence" ::: "memory");
  vq_avail.idx++;
  __asm__ volatile("mfence" ::: "memory");
  vw(REG_QUEUE_NOTIFY, 0);
}
