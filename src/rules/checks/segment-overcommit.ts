import type { Rule } from '../rule.js';
import { PF_W } from '../../model/constants.js';
import { hex } from '../../model/hex.js';
import { isExecutableType, loadSegments, pageDown, phdrField } from '../facts.js';

export const segmentOvercommit: Rule = {
  id: 'segment-overcommit',
  category: 'loader',
  severity: 'error',
  summary: 'A PT_LOAD must not ask for more memory than the target has',
  explanation: `Linux charges two kinds of mappings against the memory it may hand out: the anonymous
pages of a segment's bss (p_memsz beyond p_filesz, mapped with vm_brk_flags) and the
file image of a writable segment (a private writable mapping). Under the default
overcommit heuristic (vm.overcommit_memory = 0) a single request larger than RAM plus
swap is refused with ENOMEM; execve is past the point of no return, so the process is
killed with SIGSEGV. With vm.overcommit_memory = 1 nothing is refused; with 2 the limit
is the commit limit minus what is already committed.

The size of the target's memory is an assumption (\`--memory\`, RAM plus swap; the
fuzzer reads the host's). Without it elf-lint assumes between 256 MiB and 16 TiB: this
rule reports what no such system could map, and the loader verdict is marked uncertain
for sizes in between.

Fix: make p_memsz the size the program needs; allocate large buffers at run time.`,
  *check(elf, { assumptions }) {
    if (!isExecutableType(elf) || assumptions.overcommit === 'always') return;
    const page = assumptions.pageSize;
    const limit = assumptions.memory.max;
    for (const phdr of loadSegments(elf)) {
      const start = pageDown(phdr.p_vaddr + phdr.p_filesz + page - 1n, page);
      const bss = phdr.p_memsz > phdr.p_filesz ? phdr.p_vaddr + phdr.p_memsz - start : 0n;
      const charged = [bss, (phdr.p_flags & PF_W) !== 0 ? phdr.p_filesz : 0n];
      const largest = charged.reduce((a, b) => (a > b ? a : b));
      if (largest > limit) {
        yield {
          field: phdrField(phdr, largest === bss ? 'p_memsz' : 'p_filesz'),
          message: `PT_LOAD ${phdr.index} asks for ${hex(largest)} bytes of memory, more than the target's RAM and swap (${hex(limit)}); the kernel refuses it and kills the process during execve. Shrink the segment and allocate at run time`,
          actual: hex(largest),
          expected: `<= ${hex(limit)}`,
        };
      }
    }
  },
};
