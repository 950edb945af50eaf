import type { Rule } from '../rule.js';
import { ET_EXEC } from '../../model/constants.js';
import { hex } from '../../model/hex.js';
import { loadSegments, pageDown, phdrField } from '../facts.js';

export const segmentBelowMmapMinAddr: Rule = {
  id: 'segment-below-mmap-min-addr',
  category: 'loader',
  severity: 'error',
  summary: 'ET_EXEC PT_LOAD segments must not start below vm.mmap_min_addr',
  explanation: `Linux refuses to map user memory below the sysctl vm.mmap_min_addr (65536 on most
distributions, 4096 on some hosts) unless the process has CAP_SYS_RAWIO, to keep NULL
pointer dereferences from reaching mapped memory. An ET_EXEC file is mapped exactly at
its p_vaddr, so a segment that starts lower fails with EPERM after the point of no
return and the process is killed with SIGSEGV. ET_DYN files are relocated above it.

The limit and the privilege are assumptions (--mmap-min-addr, default 65536;
--privileged).

Fix: link at a conventional base such as 0x400000, or build a PIE.`,
  *check(elf, { assumptions }) {
    if (elf.header?.e_type !== ET_EXEC || assumptions.privileged) return;
    // A segment with p_memsz 0 maps nothing, so it cannot be refused.
    for (const phdr of loadSegments(elf).filter((segment) => segment.p_memsz > 0n)) {
      const start = pageDown(phdr.p_vaddr, assumptions.pageSize);
      if (start < assumptions.mmapMinAddr) {
        yield {
          field: phdrField(phdr, 'p_vaddr'),
          message: `PT_LOAD ${phdr.index} is mapped at ${hex(start)}, below vm.mmap_min_addr ${hex(assumptions.mmapMinAddr)}; an unprivileged execve is killed (EPERM). Link at 0x400000 or build a PIE`,
          actual: hex(phdr.p_vaddr),
          expected: `>= ${hex(assumptions.mmapMinAddr)}`,
        };
      }
    }
  },
};
