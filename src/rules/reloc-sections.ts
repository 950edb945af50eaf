// The relocation sections the relocation rules walk, with their entries.
import type { ElfFile, SectionHeader } from '../model/elf.js';
import type { Relocation } from '../model/contents.js';
import type { FieldPath } from '../model/layout.js';
import { SHT_REL, SHT_RELA } from '../model/constants.js';

export interface RelocationSection {
  readonly section: SectionHeader;
  /** Read on call (cached by the contents reader). */
  entries(): readonly Relocation[];
  /** `sec[5].rela[3].r_info` and the like. */
  field(relocation: Relocation, field: 'r_offset' | 'r_info'): FieldPath;
}

export function* relocationSections(elf: ElfFile): Generator<RelocationSection> {
  for (const section of elf.sectionHeaders) {
    if (section.sh_type !== SHT_REL && section.sh_type !== SHT_RELA) continue;
    const kind = section.sh_type === SHT_RELA ? 'rela' : 'rel';
    yield {
      section,
      entries: () => elf.contents.relocations(section.index),
      field: (relocation, field) => `sec[${section.index}].${kind}[${relocation.index}].${field}`,
    };
  }
}
