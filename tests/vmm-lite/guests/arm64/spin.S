// arm64 tiny guest for bench/vm_boot (vm_boot_local): its first instructions write one byte to
// the 16550A at 0x0900_0000 (the benchmark times process start -> that byte), then it spins so
// the VMM's resident memory can be measured while the guest runs. Killed by the benchmark.
#include "guest.inc"

        .text
        .globl _start
_start:
        IMAGE_HEADER start

start:
        ldr     x3, =0x09000000
        mov     w2, #'!'
        strb    w2, [x3]
1:      wfe
        b       1b
