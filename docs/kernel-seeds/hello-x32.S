# hello for the x32 ABI (ELFCLASS32, EM_X86_64): write and exit_group with __X32_SYSCALL_BIT.
	.globl _start
	.text
_start:
	mov $0x40000001, %eax
	mov $1, %edi
	lea msg(%rip), %esi
	mov $len, %edx
	syscall
	mov $0x400000e7, %eax
	xor %edi, %edi
	syscall
msg:	.ascii "hello from x32\n"
	len = . - msg
