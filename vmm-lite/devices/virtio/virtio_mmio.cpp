#include "vmm-lite/devices/virtio/virtio_mmio.h"

#include <cstdio>

namespace edgeward::vmm {
namespace {

enum Reg : uint64_t {
  kMagic = 0x000, kVersion = 0x004, kDeviceId = 0x008, kVendorId = 0x00c,
  kDeviceFeatures = 0x010, kDeviceFeaturesSel = 0x014, kDriverFeatures = 0x020, kDriverFeaturesSel = 0x024,
  kQueueSel = 0x030, kQueueNumMax = 0x034, kQueueNum = 0x038, kQueueReady = 0x044, kQueueNotify = 0x050,
  kInterruptStatus = 0x060, kInterruptAck = 0x064, kStatus = 0x070,
  kQueueDescLow = 0x080, kQueueDescHigh = 0x084, kQueueDriverLow = 0x090, kQueueDriverHigh = 0x094,
  kQueueDeviceLow = 0x0a0, kQueueDeviceHigh = 0x0a4, kConfigGeneration = 0x0fc, kConfig = 0x100,
};
constexpr uint32_t kMagicValue = 0x74726976;  // "virt"
constexpr uint32_t kVendor = 0x45574152;       // "RAWE"
constexpr uint32_t kStatusDriverOk = 4, kStatusFeaturesOk = 8;
constexpr uint32_t kIntUsedBuffer = 1, kIntConfigChange = 2;

void set_low(uint64_t& v, uint32_t lo) { v = (v & ~uint64_t{0xffffffff}) | lo; }
void set_high(uint64_t& v, uint32_t hi) { v = (v & 0xffffffff) | (uint64_t{hi} << 32); }

}  // namespace

VirtioMmio::VirtioMmio(std::unique_ptr<VirtioDevice> device, const GuestMemory& mem, IrqLine irq)
    : dev_(std::move(device)), mem_(mem), irq_(std::move(irq)), name_("virtio-mmio:" + std::string(dev_->name())),
      queues_(dev_->num_queues()) {}

Queue* VirtioMmio::selected() { return queue_sel_ < queues_.size() ? &queues_[queue_sel_] : nullptr; }

void VirtioMmio::raise(uint32_t bits) {
  interrupt_status_ |= bits;
  if (irq_) {  // edge-triggered line (see the DSDT): a pulse per event
    irq_(true);
    irq_(false);
  }
}

void VirtioMmio::set_fault(const std::string& why) {
  if (fault_.empty()) {
    fault_ = why;
    std::fprintf(stderr, "edgeward: %s: guest driver error, device stopped: %s\n", name_.c_str(), why.c_str());
  }
  status_ |= kStatusNeedsReset;
  raise(kIntConfigChange);
}

void VirtioMmio::reset() {
  dev_->reset();
  for (auto& q : queues_) q.reset();
  status_ = 0;
  driver_features_ = 0;
  interrupt_status_ = 0;
  fault_.clear();
}

void VirtioMmio::notify(uint32_t queue_index) {
  if (!(status_ & kStatusDriverOk) || (status_ & kStatusNeedsReset)) return;
  if (queue_index >= queues_.size() || !queues_[queue_index].ready) return;
  auto used = dev_->process_queue(queue_index, queues_[queue_index], mem_);
  if (!used) {
    set_fault("queue " + std::to_string(queue_index) + ": " + used.error().message);
  } else if (*used) {
    raise(kIntUsedBuffer);
  }
}

void VirtioMmio::host_event(const std::function<void(VirtioDevice&)>& fn, uint32_t index) {
  std::lock_guard lock(mu_);
  fn(*dev_);
  notify(index);
}

void VirtioMmio::read(uint64_t offset, std::span<uint8_t> data) {
  std::lock_guard lock(mu_);
  if (offset >= kConfig) {
    dev_->read_config(offset - kConfig, data);
    return;
  }
  // Registers below the config space are 32-bit wide and 32-bit aligned.
  if (data.size() != 4 || offset % 4) return store_le(data, 0);
  const uint64_t features = dev_->features() | kVirtioFVersion1;
  uint32_t v = 0;
  Queue* q = selected();
  switch (offset) {
    case kMagic: v = kMagicValue; break;
    case kVersion: v = 2; break;
    case kDeviceId: v = dev_->device_id(); break;
    case kVendorId: v = kVendor; break;
    case kDeviceFeatures: v = device_features_sel_ < 2 ? static_cast<uint32_t>(features >> (32 * device_features_sel_)) : 0; break;
    case kQueueNumMax: v = q ? Queue::kMaxSize : 0; break;
    case kQueueReady: v = q && q->ready; break;
    case kInterruptStatus: v = interrupt_status_; break;
    case kStatus: v = status_; break;
    case kConfigGeneration: v = config_generation_; break;
    default: break;
  }
  store_le(data, v);
}

void VirtioMmio::write(uint64_t offset, std::span<const uint8_t> data) {
  std::lock_guard lock(mu_);
  if (offset >= kConfig) {
    dev_->write_config(offset - kConfig, data);
    return;
  }
  if (data.size() != 4 || offset % 4) return;
  const auto v = static_cast<uint32_t>(load_le(data));
  Queue* q = selected();
  // Queue configuration may only change while the queue is not live.
  const bool q_writable = q && !q->ready && !(status_ & kStatusDriverOk);
  switch (offset) {
    case kDeviceFeaturesSel: device_features_sel_ = v; break;
    case kDriverFeaturesSel: driver_features_sel_ = v; break;
    case kDriverFeatures:
      if (driver_features_sel_ == 0) set_low(driver_features_, v);
      if (driver_features_sel_ == 1) set_high(driver_features_, v);
      break;
    case kQueueSel: queue_sel_ = v; break;
    case kQueueNum:
      if (q_writable) q->size = static_cast<uint16_t>(v > Queue::kMaxSize ? 0 : v);
      break;
    case kQueueDescLow: if (q_writable) set_low(q->desc_gpa, v); break;
    case kQueueDescHigh: if (q_writable) set_high(q->desc_gpa, v); break;
    case kQueueDriverLow: if (q_writable) set_low(q->avail_gpa, v); break;
    case kQueueDriverHigh: if (q_writable) set_high(q->avail_gpa, v); break;
    case kQueueDeviceLow: if (q_writable) set_low(q->used_gpa, v); break;
    case kQueueDeviceHigh: if (q_writable) set_high(q->used_gpa, v); break;
    case kQueueReady:
      if (!q) break;
      if (v == 1 && !q->ready) {
        if (auto ok = q->validate(mem_); !ok) {
          set_fault("queue " + std::to_string(queue_sel_) + ": " + ok.error().message);
          break;
        }
      }
      q->ready = v == 1;
      break;
    case kQueueNotify: notify(v); break;
    case kInterruptAck: interrupt_status_ &= ~v; break;
    case kStatus:
      if (v == 0) {
        reset();
        break;
      }
      if ((v & kStatusFeaturesOk) && !(status_ & kStatusFeaturesOk)) {
        const uint64_t offered = dev_->features() | kVirtioFVersion1;
        // Refuse drivers that want features we did not offer, or legacy ones.
        if ((driver_features_ & ~offered) || !(driver_features_ & kVirtioFVersion1)) {
          status_ = v & ~kStatusFeaturesOk;
          break;
        }
      }
      status_ = v | (status_ & kStatusNeedsReset);
      break;
    default: break;
  }
}

void VirtioMmio::describe(DeviceTreeWriter& out, const Placement& where) const {
  out.begin_node("virtio_mmio", where.base);
  out.string("compatible", "virtio,mmio");
  out.reg(where);
  out.interrupts(where.irq, Trigger::kEdgeRising);  // raise() pulses the line per event
  out.flag("dma-coherent");  // the "DMA" is the VMM reading guest memory: always coherent
  out.end_node();
}

void VirtioMmio::describe(AcpiWriter& out, const Placement& where) const {
  char name[8];
  std::snprintf(name, sizeof name, "VR%02X", where.instance);
  out.begin_device(name, "LNRO0005", where.instance);
  out.window(where);
  out.interrupt(where.irq, Trigger::kEdgeRising);
  out.end_device();
}

}  // namespace edgeward::vmm
