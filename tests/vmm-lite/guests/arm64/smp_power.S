// arm64 tiny guest (a few dozen instructions, no stack, MMU off): proves the VMM's boot contract
// and PSCI wiring from the guest's side, printing on the 16550A at 0x0900_0000:
//   1. x0 holds the device tree: 8-byte aligned, in RAM, starting with the FDT magic d00dfeed;
//   2. PSCI CPU_ON starts vCPU 1 (MPIDR 1), which prints and sets a flag, then CPU_OFFs itself;
//   3. PSCI SYSTEM_OFF ends the VM (exit 0). Any failed check prints FAIL and SYSTEM_RESETs (exit 3).
// The 64-byte header is the arm64 Image header of booting.rst, so `edgeward vm run --kernel`
// loads it like Linux.
#include "guest.inc"

        .text
        .globl _start
_start:
        IMAGE_HEADER start

start:
        mov     x19, x0                 // the device tree
        adr     x1, msg_start
        bl      puts
        tst     x19, #7                 // 8-byte aligned
        b.ne    fail
        ldr     x2, =0x80000000         // inside RAM (which starts at 2 GiB)
        cmp     x19, x2
        b.lo    fail
        ldr     w1, [x19]               // big-endian 0xd00dfeed read little-endian
        ldr     w2, =0xedfe0dd0
        cmp     w1, w2
        b.ne    fail
        adr     x1, msg_dtb
        bl      puts

        ldr     x0, =0xc4000003         // PSCI CPU_ON (SMC64): target, entry, context
        mov     x1, #1                  // MPIDR of vCPU 1
        adr     x2, secondary
        mov     x3, #0
        hvc     #0
        cbnz    x0, fail                // PSCI_SUCCESS is 0
        adr     x4, flag
wait:   ldr     w5, [x4]                // MMU off: non-cacheable, so the other vCPU's store shows
        cbz     w5, wait
        adr     x1, msg_smp
        bl      puts

        ldr     x0, =0x84000008         // PSCI SYSTEM_OFF
        hvc     #0
        b       fail                    // SYSTEM_OFF never returns

fail:   adr     x1, msg_fail
        bl      puts
        ldr     x0, =0x84000009         // PSCI SYSTEM_RESET: the VMM exits 3
        hvc     #0
        b       .

secondary:
        adr     x1, msg_cpu1
        bl      puts
        adr     x4, flag
        mov     w5, #1
        str     w5, [x4]
        ldr     x0, =0x84000002         // PSCI CPU_OFF
        hvc     #0
        b       .

        PUTS_FUNCTION

        .ltorg
        .balign 8
flag:   .word   0
msg_start: .asciz "EW-ARM64-TINY start\n"
msg_dtb:   .asciz "EW-ARM64-TINY dtb-ok\n"
msg_cpu1:  .asciz "EW-ARM64-TINY cpu1-up\n"
msg_smp:   .asciz "EW-ARM64-TINY smp-ok\n"
msg_fail:  .asciz "EW-ARM64-TINY FAIL\n"
