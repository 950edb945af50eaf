import type { Rule } from '../rule.js';

export const parseDamage: Rule = {
  id: 'parse-damage',
  category: 'gabi',
  severity: 'error',
  summary: 'Part of the file could not be parsed',
  explanation: `The parser met bytes it could not read as the structure they should be: a table entry cut
off mid-way, a string table whose entries cannot be decoded, or another structural
fault. elf-lint never stops at such damage; it reports where it happened and checks the
rest of the file.

Fix: the file is damaged or was written by a broken tool; rebuild it.`,
  *check(elf) {
    // Reading the lazy tables first makes their damage visible here.
    void elf.programHeaders;
    void elf.sectionHeaders;
    for (const issue of elf.parseIssues) {
      yield {
        field: issue.field ?? 'file',
        message: `${issue.message}; the file is damaged, rebuild it`,
        range: { offset: issue.offset, length: 0 },
      };
    }
  },
};
