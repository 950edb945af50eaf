import type { Rule } from '../rule.js';

export const elf32NotAnalysed: Rule = {
  id: 'elf32-not-analysed',
  category: 'portability',
  severity: 'warning',
  summary: 'ELF32 files are recognised but not yet analysed beyond e_ident',
  explanation: `The file says it is ELFCLASS32. This version of elf-lint parses the 64-bit layout
only, so it checked the identification bytes and nothing else: no header, segment or
entry-point rule ran. The finding is a warning so that a CI gate does not mistake an
unchecked file for a clean one.

Fix: none needed in the file; run a later elf-lint with ELF32 support, or use
\`--fail-on error\` if unchecked 32-bit files are acceptable in your pipeline.`,
  *check(elf) {
    if (elf.layout === 'ELF32') {
      yield {
        field: 'e_ident[EI_CLASS]',
        message: 'ELF32 file: only e_ident was checked, the 32-bit layout is not analysed by this version',
        actual: elf.ident.fileClass,
      };
    }
  },
};
