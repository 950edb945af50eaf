import type { Rule } from '../rule.js';
import { hex } from '../../model/hex.js';
import { loadSegments, phdrField } from '../facts.js';

export const segmentFileszExceedsMemsz: Rule = {
  id: 'segment-filesz-exceeds-memsz',
  category: 'loader',
  severity: 'error',
  summary: 'A PT_LOAD segment must not have p_filesz greater than p_memsz',
  explanation: `p_filesz is how many bytes come from the file and p_memsz how many the segment occupies
in memory; the gABI requires p_filesz <= p_memsz (the rest is zero-filled, like .bss).

Linux checks this only after the point of no return, once the segments are mapped:
execve "succeeds" from the caller's side, the old program image is already gone, and the
new process is killed with SIGSEGV before running an instruction (EINVAL internally).

Fix: set p_memsz to at least p_filesz.`,
  *check(elf) {
    for (const phdr of loadSegments(elf)) {
      if (phdr.p_filesz > phdr.p_memsz) {
        yield {
          field: phdrField(phdr, 'p_filesz'),
          message: `PT_LOAD ${phdr.index} has p_filesz ${hex(phdr.p_filesz)} > p_memsz ${hex(phdr.p_memsz)}; the kernel kills the process during execve. Raise p_memsz to at least p_filesz`,
          actual: hex(phdr.p_filesz),
          expected: `<= ${hex(phdr.p_memsz)}`,
        };
      }
    }
  },
};
