// A guest agent on virtio-console: sends "HELLO-FROM-GUEST" to the host, waits for the
// host's reply on the receive queue and prints it on the serial console.
#include "virtio.h"

struct vq {
  struct desc d[QSIZE] __attribute__((aligned(16)));
  struct avail a __attribute__((aligned(4)));
  struct used u __attribute__((aligned(4)));
};
static struct vq rxq, txq;
static char rx_buf[64];
static const char hello[] = "HELLO-FROM-GUEST";

static void setup_queue(uint32_t index, struct vq* q) {
  vw(REG_QUEUE_SEL, index);
  vw(REG_QUEUE_NUM, QSIZE);
  vw(REG_QUEUE_DESC, (uint32_t)(uint64_t)q->d);
  vw(REG_QUEUE_DESC + 4, 0);
  vw(REG_QUEUE_DRIVER, (uint32_t)(uint64_t)&q->a);
  vw(REG_QUEUE_DRIVER + 4, 0);
  vw(REG_QUEUE_DEVICE, (uint32_t)(uint64_t)&q->u);
  vw(REG_QUEUE_DEVICE + 4, 0);
  vw(REG_QUEUE_READY, 1);
}

static void post(struct vq* q, uint64_t addr, uint32_t len, uint16_t flags, uint32_t index) {
  q->d[0] = (struct desc){addr, len, flags, 0};
  q->a.ring[q->a.idx % QSIZE] = 0;
  __asm__ volatile("mfence" ::: "memory");
  q->a.idx++;
  __asm__ volatile("mfence" ::: "memory");
  vw(REG_QUEUE_NOTIFY, index);
}

void guest_main(const uint8_t* bp) {
  (void)bp;
  map_mmio_hole();
  CHECK(vr(REG_MAGIC) == 0x74726976 && vr(REG_DEVICE_ID) == 3, "no virtio-console at 0xd0000000");
  vw(REG_STATUS, 0);
  vw(REG_STATUS, ST_ACK | ST_DRIVER);
  vw(REG_DRIVER_FEATURES_SEL, 1);
  vw(REG_DRIVER_FEATURES, 1);
  vw(REG_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK);
  setup_queue(0, &rxq);
  setup_queue(1, &txq);
  vw(REG_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK);

  post(&rxq, (uint64_t)rx_buf, sizeof rx_buf - 1, D_WRITE, 0);
  post(&txq, (uint64_t)hello, sizeof hello - 1, 0, 1);
  CHECK(*(volatile uint16_t*)&txq.u.idx == 1, "transmit buffer not consumed");
  puts("AGENT-SENT\n");
  for (uint64_t spin = 0; *(volatile uint16_t*)&rxq.u.idx == 0; ++spin) {
    CHECK(spin < 2000000000ull, "no reply from the host");
    __asm__ volatile("pause");
  }
  rx_buf[rxq.u.ring[0].len] = 0;
  puts("AGENT-SAYS: ");
  puts(rx_buf);
  puts("\n");
}
