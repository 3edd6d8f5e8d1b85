// arm64 tiny guest (no stack, MMU off): drives the virtio-blk device in the first virtio-mmio
// window (0x0a00_0000, where `edgeward vm run --disk` puts the first disk) as a virtio 1.x driver:
//   1. magic "virt", version 2, device id 2; reset, ACKNOWLEDGE | DRIVER, VIRTIO_F_VERSION_1 only,
//      FEATURES_OK read back; queue 0 with 4 entries (desc / avail / used rings in the image's
//      zeroed tail), DRIVER_OK;
//   2. reads sector 2 (the ext2 superblock of scripts/make-guest-disk's image): status OK, magic
//      0xef53 at byte 56, volume label "ewdisk" at byte 120, used-buffer interrupt status set;
//   3. reads the sector at the disk's capacity (one past its end): status IOERR, never data;
//   4. prints "EW-ARM64-TINY virtio-blk-ok" and SYSTEM_OFFs (exit 0). Any failed check prints a
//      FAIL line naming it and SYSTEM_RESETs (exit 3).
// All accesses are naturally aligned (with the MMU off, memory is Device memory to the guest).
#include "guest.inc"

        .equ    VIRTIO, 0x0a000000
        .equ    QSIZE, 4
        // Offsets from _start of the queue and request buffers (inside the 64 KiB image_size).
        .equ    DESC, 0x4000
        .equ    AVAIL, 0x5000
        .equ    USED, 0x6000
        .equ    REQ, 0x7000
        .equ    DATA, 0x8000
        .equ    STATUS, 0x9000

        .text
        .globl _start
_start:
        IMAGE_HEADER start

start:
        adr     x1, msg_start
        bl      puts
        adr     x20, _start             // base of the rings and buffers
        ldr     x21, =VIRTIO

        ldr     w2, [x21, #0x000]       // MagicValue
        ldr     w3, =0x74726976
        adr     x1, f_magic
        cmp     w2, w3
        b.ne    fail
        ldr     w2, [x21, #0x004]       // Version
        ldr     w3, [x21, #0x008]       // DeviceID
        adr     x1, f_id
        cmp     w2, #2
        ccmp    w3, #2, #0, eq
        b.ne    fail

        str     wzr, [x21, #0x070]      // Status: reset
        mov     w2, #1
        str     w2, [x21, #0x070]       // ACKNOWLEDGE
        mov     w2, #3
        str     w2, [x21, #0x070]       // | DRIVER
        mov     w2, #1
        str     w2, [x21, #0x014]       // DeviceFeaturesSel = 1 (bits 32..63)
        ldr     w3, [x21, #0x010]
        adr     x1, f_version1
        tbz     w3, #0, fail            // VIRTIO_F_VERSION_1 must be offered
        str     wzr, [x21, #0x024]      // DriverFeaturesSel = 0
        str     wzr, [x21, #0x020]      //   no feature bits 0..31
        str     w2, [x21, #0x024]       // DriverFeaturesSel = 1
        str     w2, [x21, #0x020]       //   VIRTIO_F_VERSION_1
        mov     w2, #0xb
        str     w2, [x21, #0x070]       // | FEATURES_OK
        ldr     w3, [x21, #0x070]
        adr     x1, f_features
        tbz     w3, #3, fail

        str     wzr, [x21, #0x030]      // QueueSel = 0
        ldr     w3, [x21, #0x034]       // QueueNumMax
        adr     x1, f_queue
        cmp     w3, #QSIZE
        b.lo    fail
        mov     w2, #QSIZE
        str     w2, [x21, #0x038]       // QueueNum
        add     x2, x20, #DESC
        str     w2, [x21, #0x080]       // QueueDescLow / High
        lsr     x2, x2, #32
        str     w2, [x21, #0x084]
        add     x2, x20, #AVAIL
        str     w2, [x21, #0x090]       // QueueDriverLow / High
        lsr     x2, x2, #32
        str     w2, [x21, #0x094]
        add     x2, x20, #USED
        str     w2, [x21, #0x0a0]       // QueueDeviceLow / High
        lsr     x2, x2, #32
        str     w2, [x21, #0x0a4]
        mov     w2, #1
        str     w2, [x21, #0x044]       // QueueReady
        mov     w2, #0xf
        str     w2, [x21, #0x070]       // | DRIVER_OK
        ldr     w3, [x21, #0x070]
        adr     x1, f_live
        cmp     w3, #0xf
        b.ne    fail

        // Sector 2: the ext2 superblock.
        mov     x4, #2
        bl      request
        adr     x1, f_read
        cbnz    w2, fail
        add     x5, x20, #DATA
        ldrh    w2, [x5, #56]
        mov     w3, #0xef53
        adr     x1, f_super
        cmp     w2, w3
        b.ne    fail
        ldr     w2, [x5, #120]
        ldr     w3, =0x69647765         // "ewdi"
        cmp     w2, w3
        b.ne    fail
        ldrh    w2, [x5, #124]
        mov     w3, #0x6b73             // "sk"
        cmp     w2, w3
        b.ne    fail
        ldr     w2, [x21, #0x060]       // InterruptStatus: used buffer
        adr     x1, f_irq
        tbz     w2, #0, fail
        mov     w2, #1
        str     w2, [x21, #0x064]       // InterruptACK

        // One past the end: capacity (config space, in 512-byte sectors) must fail with IOERR.
        ldr     w4, [x21, #0x100]
        ldr     w2, [x21, #0x104]
        orr     x4, x4, x2, lsl #32
        adr     x1, f_capacity
        cbz     x4, fail
        bl      request
        adr     x1, f_past_end
        cmp     w2, #1                  // VIRTIO_BLK_S_IOERR
        b.ne    fail

        adr     x1, msg_ok
        bl      puts
        ldr     x0, =0x84000008         // PSCI SYSTEM_OFF
        hvc     #0
        b       .

// request(x4 = sector) -> w2 = the device's status byte: a read (VIRTIO_BLK_T_IN) of one sector
// into DATA through descriptors 0-2, published as avail entry #n (n = avail.idx), waited for on
// used.idx. Fails (prints and resets) when the device does not complete it. Clobbers x1-x9.
request:
        mov     x9, x30
        add     x6, x20, #REQ
        str     wzr, [x6]               // type = IN
        str     wzr, [x6, #4]
        str     x4, [x6, #8]            // sector
        add     x5, x20, #STATUS
        mov     w2, #0xee
        strb    w2, [x5]
        add     x7, x20, #DESC
        str     x6, [x7]                // desc 0: the header, 16 bytes, NEXT -> 1
        mov     w2, #16
        str     w2, [x7, #8]
        ldr     w2, =0x00010001         // flags NEXT, next 1
        str     w2, [x7, #12]
        add     x2, x20, #DATA
        str     x2, [x7, #16]           // desc 1: the data, 512 bytes, NEXT | WRITE -> 2
        mov     w2, #512
        str     w2, [x7, #24]
        ldr     w2, =0x00020003
        str     w2, [x7, #28]
        str     x5, [x7, #32]           // desc 2: the status byte, WRITE
        mov     w2, #1
        str     w2, [x7, #40]
        mov     w2, #2
        str     w2, [x7, #44]
        add     x7, x20, #AVAIL
        ldrh    w8, [x7, #2]            // avail.idx
        and     w2, w8, #(QSIZE - 1)
        add     x2, x7, x2, lsl #1
        strh    wzr, [x2, #4]           // avail.ring[idx % QSIZE] = descriptor 0
        dmb     sy
        add     w8, w8, #1
        strh    w8, [x7, #2]            // avail.idx + 1
        dmb     sy
        str     wzr, [x21, #0x050]      // QueueNotify = 0
        add     x7, x20, #USED
        ldr     x3, =100000000          // bounded wait
1:      ldrh    w2, [x7, #2]            // used.idx
        and     w8, w8, #0xffff
        cmp     w2, w8
        b.eq    2f
        subs    x3, x3, #1
        b.ne    1b
        adr     x1, f_timeout
        b       fail
2:      dmb     sy
        ldrb    w2, [x5]
        ret     x9

fail:   mov     x19, x1
        adr     x1, msg_fail
        bl      puts
        mov     x1, x19
        bl      puts
        ldr     x0, =0x84000009         // PSCI SYSTEM_RESET: exit 3
        hvc     #0
        b       .

        PUTS_FUNCTION

        .ltorg
msg_start:  .asciz "EW-ARM64-TINY start\n"
msg_ok:     .asciz "EW-ARM64-TINY virtio-blk-ok\n"
msg_fail:   .asciz "EW-ARM64-TINY FAIL: "
f_magic:    .asciz "no virtio-mmio magic at 0x0a000000\n"
f_id:       .asciz "not a virtio 1.x block device (version 2, device id 2)\n"
f_version1: .asciz "VIRTIO_F_VERSION_1 not offered\n"
f_features: .asciz "FEATURES_OK not kept\n"
f_queue:    .asciz "queue 0 smaller than 4 entries\n"
f_live:     .asciz "device not live after DRIVER_OK\n"
f_read:     .asciz "read of sector 2 did not return status OK\n"
f_super:    .asciz "sector 2 holds no ext2 superblock labelled ewdisk\n"
f_irq:      .asciz "no used-buffer interrupt status\n"
f_capacity: .asciz "capacity 0\n"
f_past_end: .asciz "read past the end did not fail with IOERR\n"
f_timeout:  .asciz "request not completed\n"
