/* A minimal bzImage wrapper for freestanding test guests: a boot sector + one setup sector
 * carrying the Linux setup header (boot protocol 2.15, 64-bit entry), then the "kernel",
 * loaded by the VMM at 1 MiB with its 64-bit entry point at +0x200 — the same path a real
 * Linux kernel takes. */
	.section .header, "a"
	.org 0x1f1
	.byte 1                 /* setup_sects */
	.org 0x1fe
	.word 0xaa55
	.org 0x201
	.byte 0x66              /* setup header ends at 0x202 + 0x66 */
	.ascii "HdrS"
	.word 0x020f            /* boot protocol 2.15 */
	.org 0x211
	.byte 0x01              /* loadflags: LOADED_HIGH */
	.org 0x22c
	.long 0x7fffffff        /* initrd_addr_max */
	.org 0x236
	.word 0x0001            /* xloadflags: XLF_KERNEL_64 */
	.long 2048              /* cmdline_size */
	.org 0x260
	.long 0x100000          /* init_size */
	.org 0x400

	.section .text.start, "ax"
	.code64
	.org 0x200
	.globl entry64
entry64:
	lea stack_top(%rip), %rsp
	mov %rsi, %rdi          /* boot_params */
	call guest_main
	jmp guest_poweroff

	.section .bss
	.balign 16
	.skip 16384
stack_top:
