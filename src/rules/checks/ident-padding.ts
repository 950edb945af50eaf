import type { Rule } from '../rule.js';

export const identPadding: Rule = {
  id: 'ident-padding',
  category: 'gabi',
  severity: 'info',
  summary: 'The e_ident padding bytes (EI_PAD) should be zero',
  explanation: `Bytes 9 to 15 of e_ident are reserved padding; the gABI says they are set to zero and
readers ignore them. Tiny hand-made executables sometimes hide code or text there, which
every loader tolerates, but a later gABI may give those bytes a meaning.

Fix: zero bytes 9 to 15, or accept this note for a deliberately packed file.`,
  *check(elf) {
    if (elf.ident.pad.some((byte) => byte !== 0)) {
      yield {
        field: 'e_ident[EI_PAD]',
        message: 'e_ident padding (bytes 9-15) is not zero; readers ignore it but it is reserved. Zero it',
        actual: `0x${Buffer.from(elf.ident.pad).toString('hex')}`,
        expected: '0x00000000000000',
      };
    }
  },
};
