/*
 * The accelerator probe guest (see AcceleratorProbe.java, which embeds the assembled bytes).
 *
 * A multiboot (v1, "a.out kludge") kernel loaded by QEMU at 1 MiB (<os><kernel>). QEMU's multiboot loader runs
 * after SeaBIOS and enters it in 32-bit protected mode. It prints STAGE32 to COM1, switches to 64-bit long mode
 * (PAE, identity-mapped 2 MiB page, EFER.LME, paging) -- the step at which a Linux kernel stalls under the nested
 * KVM seen on Skiff's test machines ("Probing EDD ... ok", then nothing) -- prints MARKER from 64-bit code and
 * resets the machine through the keyboard controller. With on_reboot=destroy QEMU then exits.
 *
 * Rebuild (binutils):
 *   as --32 -o probe.o accel-probe.S && ld -m elf_i386 -Ttext=0x100000 --oformat binary -o probe.bin probe.o
 *   xxd -p probe.bin | tr -d '\n'     # -> AcceleratorProbe.KERNEL_HEX
 */
    .intel_syntax noprefix
    .text
    .code32
    .globl _start
_start:
header:
    .long 0x1BADB002                      /* magic */
    .long 0x00010000                      /* flags: the address fields below are valid */
    .long -(0x1BADB002 + 0x00010000)      /* checksum */
    .long header                          /* header_addr */
    .long header                          /* load_addr */
    .long 0                               /* load_end_addr: the whole file */
    .long 0                               /* bss_end_addr: none */
    .long start32                         /* entry_addr */

start32:
    cli
    mov esp, 0x300000
    mov esi, offset stage32
    call print32
    /* page tables at 2 MiB: PML4, PDPT, PD; one 2 MiB page maps 0..2 MiB onto itself */
    mov edi, 0x200000
    xor eax, eax
    mov ecx, 3 * 1024
    rep stosd
    mov dword ptr [0x200000], 0x201003
    mov dword ptr [0x201000], 0x202003
    mov dword ptr [0x202000], 0x000083
    mov eax, 0x200000
    mov cr3, eax
    mov eax, cr4
    or eax, 0x20                          /* PAE */
    mov cr4, eax
    mov ecx, 0xC0000080                   /* EFER */
    rdmsr
    or eax, 0x100                         /* LME */
    wrmsr
    lgdt [gdtr]
    mov eax, cr0
    or eax, 0x80000001                    /* PG, PE */
    mov cr0, eax
    .byte 0xEA                            /* jmp far 0x08:start64 */
    .long start64
    .word 0x08

print32:
    mov dx, 0x3F8
1:  lodsb
    test al, al
    jz 2f
    out dx, al
    jmp 1b
2:  ret

    .code64
start64:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    lea rsi, [rip + marker]
    mov dx, 0x3F8
3:  lodsb
    test al, al
    jz 4f
    out dx, al
    jmp 3b
4:  mov al, 0xFE                          /* pulse the reset line */
    out 0x64, al
5:  hlt
    jmp 5b

    .balign 8
gdt:
    .quad 0
    .quad 0x00AF9A000000FFFF              /* 0x08: 64-bit code */
    .quad 0x00CF92000000FFFF              /* 0x10: data */
gdtr:
    .word gdtr - gdt - 1
    .long gdt

stage32:
    .asciz "SKIFF-ACCEL-PROBE-32\n"
marker:
    .asciz "SKIFF-ACCEL-PROBE-OK\n"
