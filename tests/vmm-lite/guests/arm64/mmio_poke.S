// arm64 tiny hostile guest (no stack, MMU off): 4,000 random 32-bit reads and writes over 1 MiB
// from 0x0a00_0000 (the virtio-mmio windows, attached or not, and nothing beyond) and random
// bytes into the UART's registers 1-7, then it restores the UART (LCR = 0, MCR = OUT2), prints
// "EW-ARM64-TINY mmio-ok" and, last, stores a register pair (stp) to unassigned MMIO: an access
// KVM cannot decode (no valid syndrome), which must end the VM with a VMM error (exit 1) that
// says so, never a crash or a hang.
#include "guest.inc"

        .text
        .globl _start
_start:
        IMAGE_HEADER start

start:
        adr     x1, msg_start
        bl      puts
        ldr     x20, =0x2545f4914f6cdd1d  // LCG state
        ldr     x21, =6364136223846793005
        ldr     x22, =1442695040888963407
        ldr     x23, =0x0a000000
        ldr     x24, =0x09000000
        mov     x25, #4000
loop:   madd    x20, x20, x21, x22
        lsr     x2, x20, #33
        and     x2, x2, #0xffffc        // 4-byte aligned offset below 1 MiB
        add     x3, x23, x2
        tbz     x20, #17, 1f
        str     w20, [x3]               // random value, random register
        b       2f
1:      ldr     w4, [x3]
2:      lsr     x2, x20, #40
        and     x2, x2, #7
        cmp     x2, #0
        csinc   x2, x2, xzr, ne         // offsets 1-7: never the transmit register (no junk output)
        add     x3, x24, x2
        strb    w20, [x3]               // random byte into a UART register
        subs    x25, x25, #1
        b.ne    loop

        strb    wzr, [x24, #3]          // LCR = 0: THR/RBR at offset 0 again
        mov     w2, #0x08
        strb    w2, [x24, #4]           // MCR = OUT2, no loopback
        adr     x1, msg_ok
        bl      puts

        ldr     x2, =0x0b000000
        stp     x0, x1, [x2]            // no valid syndrome: KVM cannot hand this to the VMM
        adr     x1, msg_after
        bl      puts
        ldr     x0, =0x84000008         // PSCI SYSTEM_OFF (only reached if the stp was emulated)
        hvc     #0
        b       .

        PUTS_FUNCTION

        .ltorg
msg_start: .asciz "EW-ARM64-TINY start\n"
msg_ok:    .asciz "EW-ARM64-TINY mmio-ok\n"
msg_after: .asciz "EW-ARM64-TINY stp-emulated\n"
