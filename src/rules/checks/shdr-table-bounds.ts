import type { Rule } from '../rule.js';
import { hex } from '../../model/hex.js';

export const shdrTableBounds: Rule = {
  id: 'shdr-table-bounds',
  category: 'gabi',
  severity: 'warning',
  summary: 'The section header table must lie inside the file',
  explanation: `The section header table occupies e_shnum entries of e_shentsize bytes at file offset
e_shoff (e_shoff = 0 means there is none). Linux never reads it, so the program still
runs, but debuggers, strip, objdump and readelf fail or show garbage. A table cut off
by the end of the file usually means the file was truncated.

Fix: restore the end of the file, or for a file without sections set e_shoff, e_shnum
and e_shstrndx to 0.`,
  *check(elf) {
    const header = elf.header;
    if (!header || header.e_shoff === 0n) return;
    const end = header.e_shoff + BigInt(elf.shnum) * BigInt(header.e_shentsize);
    const start = header.e_shoff;
    if (end > BigInt(elf.size) || start >= BigInt(elf.size)) {
      yield {
        field: 'e_shoff',
        message: `section header table [${hex(start)}, ${hex(end)}) is not inside the ${elf.size}-byte file; tools that read sections will fail. Fix e_shoff/e_shnum or clear them`,
        actual: hex(start),
        expected: `< ${hex(BigInt(elf.size))}`,
      };
    }
  },
};
