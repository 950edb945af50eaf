import type { Rule } from '../rule.js';
import { hex } from '../../model/hex.js';

export const phdrTableBounds: Rule = {
  id: 'phdr-table-bounds',
  category: 'loader',
  severity: 'error',
  summary: 'The program header table must lie inside the file',
  explanation: `The program header table occupies e_phnum entries of e_phentsize bytes starting at file
offset e_phoff. Linux reads the whole table with one read; if it runs past the end of
the file the read is short and execve fails with ENOEXEC. Other readers see only the
entries that fit, or nothing.

The table does not have to be aligned and does not have to lie inside a PT_LOAD: only
its bytes must exist.

Fix: point e_phoff at the table, correct e_phnum, or restore the missing end of a
truncated file.`,
  *check(elf) {
    const header = elf.header;
    if (!header || elf.phnum === 0 || header.e_phentsize === 0) return;
    const end = header.e_phoff + BigInt(elf.phnum) * BigInt(header.e_phentsize);
    if (end > BigInt(elf.size)) {
      yield {
        field: 'e_phoff',
        message: `program header table [${hex(header.e_phoff)}, ${hex(end)}) runs past the end of the ${elf.size}-byte file; execve fails with ENOEXEC. Fix e_phoff/e_phnum or restore the truncated file`,
        actual: hex(header.e_phoff),
        expected: `<= ${hex(BigInt(elf.size) - BigInt(elf.phnum) * BigInt(header.e_phentsize))}`,
      };
    }
  },
};
