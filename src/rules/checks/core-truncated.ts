import type { Rule } from '../rule.js';
import { ET_CORE } from '../../model/constants.js';
import { phdrField } from '../facts.js';

export const coreTruncated: Rule = {
  id: 'core-truncated',
  category: 'gabi',
  severity: 'warning',
  summary: 'A core dump whose segments run past the end of the file was cut short',
  explanation: `The kernel writes a core dump's program headers first and the memory after them; when the
dump stops early (RLIMIT_CORE, "ulimit -c", a full disk, a core_pattern pipe that exits, a
copy cut short) the headers still promise segments that the file does not hold. Debuggers
then show the missing memory as unavailable or refuse the file ("Cannot access memory").
elf-lint reports this once for the whole dump rather than once per segment, and does not
read notes that were lost with the rest (gdb writes its PT_NOTE last).

Fix: raise the limit (ulimit -c unlimited, or LimitCORE= for systemd-coredump) and take the
dump again; a dump that was copied must be copied whole.`,
  *check(elf) {
    if (elf.header?.e_type !== ET_CORE) return;
    const size = BigInt(elf.size);
    const cut = elf.programHeaders.filter((phdr) => phdr.p_filesz > 0n && phdr.p_offset + phdr.p_filesz > size);
    const first = cut[0];
    if (!first) return;
    const wanted = elf.programHeaders.reduce((end, phdr) => (phdr.p_offset + phdr.p_filesz > end ? phdr.p_offset + phdr.p_filesz : end), 0n);
    yield {
      field: phdrField(first, 'p_filesz'),
      message: `this core dump is cut short: ${cut.length} of its ${elf.programHeaders.length} segments run past the end of the ${size}-byte file, which should be ${wanted} bytes (RLIMIT_CORE or a full disk stops the dump); take it again with ulimit -c unlimited`,
      actual: `${size} bytes`,
      expected: `${wanted} bytes`,
      range: { offset: elf.size, length: 0 },
    };
  },
};
