import type { Rule } from '../rule.js';
import { MACHINES } from '../../model/machines.js';

export const headerMachineClass: Rule = {
  id: 'header-machine-class',
  category: 'gabi',
  severity: 'error',
  summary: "EI_CLASS must be a class the e_machine architecture defines",
  explanation: `Each architecture's psABI says which ELF classes it uses: i386, 32-bit ARM and 32-bit
PowerPC are ELFCLASS32 only; AArch64, ppc64, SPARC V9, IA-64 and Alpha are ELFCLASS64
only; x86-64 has both (ELFCLASS32 with EM_X86_64 is the x32 ABI), and so do MIPS, RISC-V,
s390 and LoongArch. A file that pairs a machine with a class its ABI does not define is
read by no loader and misread by every tool that trusts either field: an EM_386 file
that says ELFCLASS64 is not an i386 program in any sense.

Fix: use the class of the ABI the code was built for, or the machine value of that ABI
(EM_X86_64 for 64-bit x86, EM_AARCH64 for 64-bit ARM, EM_PPC64 for 64-bit PowerPC).`,
  *check(elf) {
    const header = elf.header;
    if (!header) return;
    const machine = MACHINES.get(header.e_machine);
    const elfClass = elf.layout.elfClass;
    if (!machine?.classes || machine.classes.includes(elfClass)) return;
    yield {
      field: 'e_ident[EI_CLASS]',
      message: `EI_CLASS says ${elfClass}, but EM_${machine.name} (${machine.description}) is ${machine.classes.join(' or ')} only; no loader reads this pair. Set EI_CLASS to match the code, or e_machine to its ${elfClass} architecture`,
      actual: elf.ident.fileClass,
      expected: machine.classes.join(' or '),
    };
  },
};
