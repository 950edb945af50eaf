import type { Rule } from '../rule.js';
import { DF_1_KNOWN, DF_KNOWN, DT_FLAGS, DT_FLAGS_1 } from '../../model/constants.js';
import { hex } from '../../model/hex.js';
import { dynField, linkedDynamic } from '../dynamic-facts.js';

const KNOWN: ReadonlyMap<bigint, { readonly name: string; readonly mask: bigint }> = new Map([
  [DT_FLAGS, { name: 'DT_FLAGS', mask: DF_KNOWN }],
  [DT_FLAGS_1, { name: 'DT_FLAGS_1', mask: DF_1_KNOWN }],
]);

export const dynamicFlags: Rule = {
  id: 'dynamic-flags',
  category: 'gabi',
  severity: 'info',
  summary: 'DT_FLAGS and DT_FLAGS_1 should set only defined bits',
  explanation: `DT_FLAGS holds the gABI's DF_* bits (DF_ORIGIN, DF_SYMBOLIC, DF_TEXTREL, DF_BIND_NOW,
DF_STATIC_TLS: 0x1f) and DT_FLAGS_1 the DF_1_* bits (DF_1_NOW to DF_1_NOCOMMON, 0x1 to
0x40000000, as glibc's elf.h names them). The dynamic linker ignores bits it does not know,
so an undefined bit does nothing today and may mean something else tomorrow; it usually
comes from a tool that wrote the wrong value or a flag meant for the other tag.

Relocatable objects, core dumps and separate debug files are not checked.

Fix: relink; when you set flags by hand, use only the DF_* bits in DT_FLAGS and the DF_1_*
bits in DT_FLAGS_1.`,
  *check(elf) {
    const dynamic = linkedDynamic(elf);
    if (!dynamic) return;
    for (const entry of dynamic.entries) {
      const known = KNOWN.get(entry.d_tag);
      const unknown = known ? entry.d_val & ~known.mask : 0n;
      if (!known || unknown === 0n) continue;
      yield {
        field: dynField(entry, 'd_val'),
        message: `${known.name} ${hex(entry.d_val)} sets bits ${hex(unknown)} that no ${known.name === 'DT_FLAGS' ? 'DF_*' : 'DF_1_*'} flag defines; clear them`,
        actual: hex(entry.d_val),
        expected: `bits within ${hex(known.mask)}`,
      };
    }
  },
};
