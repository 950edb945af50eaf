// The target system named on the command line (--machine, --without) or in a
// configuration's `target`: shared by both so that they accept the same values.
import { InvalidArgumentError } from 'commander';
import { ELF_MACHINE_NAMES } from '../../model/constants.js';
import { ARCH_PROFILES, archByMachine, archByName } from '../../model/arch/index.js';
import { isIntegerText, parseIntegerIn } from '../numbers.js';

const KNOWN_TARGETS = () => ARCH_PROFILES.map((arch) => arch.name).join(', ');

/**
 * The target architecture profile, named by profile name or alias (x86_64,
 * amd64, ppc64le), by e_machine number (62, 0x3e) or by gABI name (EM_X86_64).
 * Throws commander's InvalidArgumentError.
 */
export function parseMachine(text: string): string {
  const trimmed = text.trim();
  let machine: number | undefined;
  // Numbers first: some gABI names are digits ("860" is EM_860 = 7).
  if (isIntegerText(trimmed)) machine = parseIntegerIn(0, 0xffff)(trimmed);
  else {
    const byName = archByName(trimmed) ?? archByName(trimmed.replace(/^EM_/i, ''));
    if (byName) return byName.name;
    const upper = trimmed.toUpperCase().replace(/^EM_/, '');
    for (const [value, name] of ELF_MACHINE_NAMES) if (name === upper) machine = value;
  }
  const arch = machine === undefined ? undefined : archByMachine(machine);
  if (arch) return arch.name;
  const what = machine === undefined ? `"${text}" is not a known architecture` : `e_machine ${text} has no loader profile`;
  throw new InvalidArgumentError(`${what}; targets: ${KNOWN_TARGETS()} (or their e_machine numbers).`);
}

/** Names of the loaders some profile has (`--without`, `target.without`). */
export function knownLoaderNames(): string[] {
  return [...new Set(ARCH_PROFILES.flatMap((arch) => arch.loaders.map((loader) => loader.name)))];
}

/** The names that are not loaders of any profile. */
export function unknownLoaderNames(names: readonly string[]): string[] {
  const known = new Set(knownLoaderNames());
  return names.filter((name) => !known.has(name));
}
