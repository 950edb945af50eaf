// The subcommands: which module registers each, in the order `--help` lists
// them. program.ts loads only the modules a command line needs; hints.ts
// suggests these names for a mistyped one.
import type { Command } from 'commander';

export type Register = (program: Command, setExit: (code: number) => void) => void;

/** Each module is loaded only when the command line names one of its commands: `elf-lint FILE` needs lint alone. */
export const COMMAND_MODULES: readonly { readonly names: readonly string[]; readonly load: () => Promise<Register> }[] = [
  { names: ['lint'], load: async () => (await import('./lint-command.js')).registerLint },
  { names: ['rules', 'explain'], load: async () => (await import('./rules-command.js')).registerRules },
  { names: ['gen', 'spec'], load: async () => (await import('./gen-command.js')).registerGen },
  { names: ['fuzz'], load: async () => (await import('./fuzz-command.js')).registerFuzz },
  { names: ['merge'], load: async () => (await import('./merge-command.js')).registerMerge },
  { names: ['checksec'], load: async () => (await import('./checksec-command.js')).registerChecksec },
  { names: ['map'], load: async () => (await import('./map-command.js')).registerMap },
];

/** Every subcommand, with program.ts's own `help` (test/npx.test.ts checks the list against `elf-lint --help`). */
export const COMMANDS: readonly string[] = [...COMMAND_MODULES.flatMap((module) => module.names), 'help'];
