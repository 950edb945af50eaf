// The table of architecture profiles in the README, generated from the
// profiles so that it cannot drift (npm run docs; a test compares).
import { ARCH_PROFILES } from './index.js';
import { ELF_MACHINE_NAMES, nameOr } from '../constants.js';

const hex = (value: bigint) => `0x${value.toString(16)}`;
const size = (bytes: bigint) => (bytes >= 1024n ? `${bytes / 1024n} KiB` : `${bytes}`);

export function archTable(): string[] {
  const rows = ARCH_PROFILES.map((arch) => {
    const loaders = arch.loaders.map((loader) => {
      const machines = loader.machines.map((machine) => `EM_${nameOr(ELF_MACHINE_NAMES, machine)}`).join('/');
      return `${loader.name} (${loader.elfClass}, ${machines}, TASK_SIZE ${hex(loader.taskSize)})`;
    }).join('; ');
    const names = [arch.name, ...arch.aliases].map((name) => `\`${name}\``).join(', ');
    return `| ${names} | ${arch.byteOrder} | ${loaders} | ${arch.pageSizes.map(size).join(', ')} | ${arch.mmapMinAddr} | ${arch.assumes} | \`${arch.source}\` |`;
  });
  return [
    '| `--machine` | byte order | loaders, in the order execve tries them | page sizes (first is the default) | mmap_min_addr | assumes | source |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ];
}
