// e_machine values: the EM_ name, readelf's description, and the ELF classes
// the architecture's ABIs use where the architecture fixes them.
import { ELF_MACHINE_NAMES } from './constants.js';

export interface MachineInfo {
  readonly name: string;
  readonly description: string;
  readonly classes?: readonly ('ELF32' | 'ELF64')[];
}

const CLASSES: ReadonlyMap<number, readonly ('ELF32' | 'ELF64')[]> = new Map([
  [3, ['ELF32']], [6, ['ELF32']], [2, ['ELF32']], [20, ['ELF32']], [21, ['ELF64']], [40, ['ELF32']], [43, ['ELF64']],
  [50, ['ELF64']], [41, ['ELF64']], [183, ['ELF64']],
] as const);

export const MACHINES: ReadonlyMap<number, MachineInfo> = new Map([...ELF_MACHINE_NAMES].map(([value, name]) => {
  const classes = CLASSES.get(value);
  return [value, { name, description: name, ...(classes ? { classes } : {}) }];
}));
