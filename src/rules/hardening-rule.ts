// The hardening rules are one shape: a protection of model/hardening.ts, and
// the statuses that make a finding. Each rule module gives its metadata and
// says which protection it reads; the facts are computed once per file.
import type { ElfFile } from '../model/elf.js';
import type { RuleMeta } from '../model/finding.js';
import { hardeningOf, type Hardening, type HardeningCheck, type HardeningStatus } from '../model/hardening.js';
import type { Rule } from './rule.js';
import { perFile } from './facts.js';

const hardeningFor: (elf: ElfFile) => Hardening | undefined = perFile(hardeningOf);

export function hardeningRule(
  meta: Omit<RuleMeta, 'category' | 'optIn'>,
  protection: (hardening: Hardening) => HardeningCheck,
  reportOn: readonly HardeningStatus[] = ['fail'],
): Rule {
  return {
    ...meta,
    category: 'hardening',
    optIn: true,
    *check(elf) {
      const hardening = hardeningFor(elf);
      if (!hardening) return;
      const found = protection(hardening);
      if (reportOn.includes(found.status)) yield { field: found.field, message: found.reason, actual: found.label };
    },
  };
}
