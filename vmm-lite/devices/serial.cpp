#include "vmm-lite/devices/serial.h"

#include <string>

namespace edgeward::vmm {
namespace {

// Register offsets and bits (PC16550D data sheet).
constexpr uint8_t kRbrThr = 0, kIer = 1, kIirFcr = 2, kLcr = 3, kMcr = 4, kLsr = 5, kMsr = 6, kScr = 7;
constexpr uint8_t kIerRdi = 0x01, kIerThri = 0x02;
constexpr uint8_t kIirNone = 0x01, kIirThri = 0x02, kIirRdi = 0x04, kIirFifo = 0xc0;
constexpr uint8_t kLcrDlab = 0x80;
constexpr uint8_t kLsrDr = 0x01, kLsrThre = 0x20, kLsrTemt = 0x40;
constexpr uint8_t kMcrLoop = 0x10;
constexpr uint8_t kMsrDcd = 0x80, kMsrDsr = 0x20, kMsrCts = 0x10;

}  // namespace

uint8_t Serial::iir() const {
  const uint8_t fifo = (fcr_ & 0x01) ? kIirFifo : 0;
  if ((ier_ & kIerRdi) && !rx_.empty()) return kIirRdi | fifo;
  if ((ier_ & kIerThri) && thr_empty_pending_) return kIirThri | fifo;
  return kIirNone | fifo;
}

void Serial::update_irq() {
  // ISA interrupts are edge-triggered: every event that leaves an interrupt pending (a byte
  // sent with THRI enabled, input arriving, an interrupt being enabled) is a fresh edge, even
  // if an earlier one is still unacknowledged. Tracking a level instead loses the interrupt
  // for good when an edge arrives while the guest has the line masked.
  if ((iir() & kIirNone) == 0 && irq_) {
    irq_(true);
    irq_(false);
  }
}

void Serial::read(uint64_t offset, std::span<uint8_t> data) {
  std::lock_guard lock(mu_);
  uint8_t v = 0;
  const bool dlab = lcr_ & kLcrDlab;
  switch (offset) {
    case kRbrThr:
      if (dlab) {
        v = dll_;
      } else if (!rx_.empty()) {
        v = rx_.front();
        rx_.pop_front();
      }
      break;
    case kIer: v = dlab ? dlm_ : ier_; break;
    case kIirFcr:
      v = iir();
      // Reading IIR while it reports "THR empty" clears that interrupt.
      if ((v & 0x0f) == kIirThri) thr_empty_pending_ = false;
      break;
    case kLcr: v = lcr_; break;
    case kMcr: v = mcr_; break;
    case kLsr: v = kLsrThre | kLsrTemt | (rx_.empty() ? 0 : kLsrDr); break;
    case kMsr: v = (mcr_ & kMcrLoop) ? static_cast<uint8_t>((mcr_ & 0x0f) << 4) : (kMsrDcd | kMsrDsr | kMsrCts); break;
    case kScr: v = scr_; break;
    default: break;
  }
  store_le(data, v);
}

void Serial::write(uint64_t offset, std::span<const uint8_t> data) {
  std::lock_guard lock(mu_);
  const uint8_t v = static_cast<uint8_t>(load_le(data));
  const bool dlab = lcr_ & kLcrDlab;
  switch (offset) {
    case kRbrThr:
      if (dlab) {
        dll_ = v;
      } else if (mcr_ & kMcrLoop) {
        if (rx_.size() < kRxLimit) rx_.push_back(v);
      } else {
        if (out_) out_({&v, 1});
        thr_empty_pending_ = true;
      }
      break;
    case kIer:
      if (dlab) {
        dlm_ = v;
      } else {
        // Enabling the THR-empty interrupt while the THR is empty raises it at once.
        if (!(ier_ & kIerThri) && (v & kIerThri)) thr_empty_pending_ = true;
        ier_ = v & 0x0f;
      }
      break;
    case kIirFcr:
      fcr_ = v;
      if (v & 0x02) rx_.clear();  // clear receive FIFO
      break;
    case kLcr: lcr_ = v; break;
    case kMcr: mcr_ = v & 0x1f; break;
    case kScr: scr_ = v; break;
    default: break;  // LSR/MSR are read-only
  }
  update_irq();
}

void Serial::enqueue_input(std::span<const uint8_t> bytes) {
  std::lock_guard lock(mu_);
  for (uint8_t b : bytes) {
    if (rx_.size() >= kRxLimit) break;
    rx_.push_back(b);
  }
  update_irq();
}

void Serial::describe(DeviceTreeWriter& out, const Placement& where) const {
  out.begin_node("uart", where.base);
  out.string("compatible", "ns16550a");
  out.reg(where);
  out.u32("clock-frequency", kClockHz);
  out.interrupts(where.irq, Trigger::kEdgeRising);  // update_irq pulses the line per event
  out.end_node();
}

void Serial::describe(AcpiWriter& out, const Placement& where) const {
  // Hardware-reduced ACPI has no legacy PIC, so Linux maps no ISA IRQ on its own: the UART's
  // interrupt exists only through this _CRS. COM1 is instance 0.
  out.begin_device("COM" + std::to_string(where.instance + 1), "PNP0501", where.instance);
  out.window(where);
  out.interrupt(where.irq, Trigger::kEdgeRising);
  out.end_device();
}

}  // namespace edgeward::vmm
