// docs/loader-study.md: for each header field, what Linux did with the values
// the fuzzer tried, and where the gABI and the kernel part ways.
import { basename } from 'node:path';
import type { CampaignResult } from './campaign.js';
import { outcomeRank, sortedOutcomeKeys } from './summary.js';
import type { RuleMeta } from '../model/finding.js';
import { archByName } from '../model/arch/index.js';

const FIELD_NOTES: Record<string, string> = {
  EI_MAG: 'The only identification bytes Linux reads.',
  EI_CLASS: 'Never read by the x86-64 loader: the file is read with the ELF64 layout whatever it says.',
  EI_DATA: 'Never read: fields are read in the machine\'s byte order.',
  EI_VERSION: 'Never read.',
  EI_OSABI: 'Never read.',
  EI_ABIVERSION: 'Never read.',
  EI_PAD: 'Never read.',
  e_type: 'Only ET_EXEC (2) and ET_DYN (3) are executable.',
  e_machine: 'Must be EM_X86_64 (62) on this kernel.',
  e_version: 'Never read.',
  e_entry: 'Checked only against TASK_SIZE; everything else shows up on the first instruction.',
  e_phoff: 'The table must be readable whole; it need not be aligned or mapped.',
  e_shoff: 'Never read: section headers do not matter to the loader.',
  e_flags: 'Never read on x86-64.',
  e_ehsize: 'Never read.',
  e_phentsize: 'Must be exactly 56.',
  e_phnum: '1 to 1170 entries (64 KiB of program headers).',
  e_shentsize: 'Never read.',
  e_shnum: 'Never read.',
  e_shstrndx: 'Never read.',
  'phdr.p_type': 'Only PT_LOAD, PT_INTERP, PT_GNU_STACK (and PT_GNU_PROPERTY, ignored on x86) matter.',
  'phdr.p_flags': 'Only R, W and X matter; they become the mapping\'s permissions.',
  'phdr.p_offset': 'Must be congruent to p_vaddr modulo the page size when p_filesz > 0.',
  'phdr.p_vaddr': 'Must lie between vm.mmap_min_addr and TASK_SIZE (ET_EXEC).',
  'phdr.p_paddr': 'Never read.',
  'phdr.p_filesz': 'Must not exceed p_memsz; bytes past the end of the file read as zero or raise SIGBUS.',
  'phdr.p_memsz': 'Bounded by TASK_SIZE and by the memory the process may map.',
  'phdr.p_align': 'Ignored for ET_EXEC; for ET_DYN only powers of two count.',
  truncate: 'Cutting the file short.',
  'table:move': 'Moving the program header table.',
  'table:duplicate': 'Duplicating a program header entry.',
  'table:extra-segment': 'Adding a program header entry.',
};

function cell(stats: { count: number; examples: string[] } | undefined): string {
  if (!stats) return '';
  return `${stats.count} (${stats.examples.slice(0, 3).map((value) => `\`${value}\``).join(', ')})`;
}

export interface StudyInput {
  readonly result: CampaignResult;
  readonly command: string;
  readonly rules: readonly RuleMeta[];
  /** The campaigns to compare, one column each (this campaign first), when there are several. */
  readonly kernels?: readonly KernelColumn[];
}

type FieldOutcomes = Record<string, Record<string, { readonly count: number; readonly examples: readonly string[] }>>;

/** One campaign as a column of the study across kernels: read from its --report document. */
export interface KernelColumn {
  /** "amd64 6.1 · hello-i386", "host 6.18 · hello". */
  readonly label: string;
  /** The Debian kernel package and `uname -r`, for a guest. */
  readonly kernel?: string;
  readonly machine: string;
  readonly seed: string;
  readonly completed: number;
  readonly agreements: number;
  readonly disagreements: number;
  readonly unresolved: number;
  readonly rate: number;
  readonly mmapMinAddr?: string;
  readonly disabledLoaders: readonly string[];
  /** Kernel command line words the guest was booted with beyond the console's. */
  readonly kernelArgs: readonly string[];
  readonly byField: FieldOutcomes;
  /** Where the column comes from: the report file, or this campaign. */
  readonly source: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const texts = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/** The column of a --report document (parsed JSON); the error is a sentence naming `source`. */
export function kernelColumn(document: unknown, source: string): KernelColumn | { readonly error: string } {
  if (!isRecord(document) || !isRecord(document.byField) || typeof document.completed !== 'number' || typeof document.seedPath !== 'string') {
    return { error: `${source} is not an elf-lint fuzz --report document` };
  }
  const environment = isRecord(document.environment) ? document.environment : {};
  const guest = isRecord(environment.guest) ? environment.guest : undefined;
  const machine = typeof environment.machine === 'string' ? environment.machine : 'x86_64';
  const kernel = isRecord(environment.kernel) ? `${String(environment.kernel.major)}.${String(environment.kernel.minor)}` : '?';
  const packageName = typeof guest?.kernel === 'string' ? guest.kernel : undefined;
  const debian = packageName?.split('-').at(-1);
  const seed = document.seedPath;
  const duration = typeof document.durationMs === 'number' ? document.durationMs : 0;
  return {
    label: `${guest ? debian : 'host'} ${kernel} · ${basename(seed)}`,
    ...(packageName ? { kernel: `${packageName} (${String(guest?.release)})` } : {}),
    machine, seed, source,
    completed: document.completed,
    agreements: typeof document.agreements === 'number' ? document.agreements : 0,
    disagreements: Array.isArray(document.disagreements) ? document.disagreements.length : 0,
    unresolved: typeof document.unresolved === 'number' ? document.unresolved : 0,
    rate: duration > 0 ? Math.round((document.completed * 1000) / duration) : 0,
    ...(typeof environment.mmapMinAddr === 'string' ? { mmapMinAddr: environment.mmapMinAddr } : {}),
    disabledLoaders: texts(environment.disabledLoaders),
    kernelArgs: texts(guest?.kernelArgs),
    byField: document.byField as FieldOutcomes,
  };
}

/** A cell of the table across kernels: each outcome's share of the field's mutants, most frequent kinds first. */
function shareCell(outcomes: FieldOutcomes[string] | undefined): string {
  if (!outcomes) return '—';
  const total = Object.values(outcomes).reduce((sum, stats) => sum + stats.count, 0);
  return Object.keys(outcomes).sort((a, b) => outcomeRank(a) - outcomeRank(b) || a.localeCompare(b)).map((key) => {
    const percent = (outcomes[key]!.count * 100) / total;
    return `${key.replace(/^exec-error /, '')} ${percent < 1 ? '<1' : Math.round(percent)}%`;
  }).join(' · ');
}

/** What the profile of a column's machine says about the facts that differ between architectures. */
function profileFacts(machine: string): string {
  const arch = archByName(machine);
  if (!arch) return '';
  const facts = [arch.gnuProperty ? 'reads PT_GNU_PROPERTY' : 'ignores PT_GNU_PROPERTY'];
  facts.push(`fetch past EOF from a non-executable page: ${arch.fetchFault?.order === 'permission-first' ? 'SIGSEGV' : 'SIGBUS'}`);
  return facts.join('; ');
}

function kernelsSection(columns: readonly KernelColumn[]): string[] {
  const header = (cells: readonly string[]) => [`| ${cells.join(' | ')} |`, `| ${cells.map(() => '---').join(' | ')} |`];
  const lines = [
    ...header(['column', 'kernel', 'seed', 'mutants', 'agree', 'disagree', 'uncertain, not confirmed', 'mutants/s', 'mmap_min_addr', 'loaders off', 'booted with', 'architecture facts', 'from']),
    ...columns.map((column) => `| ${[
      column.label, column.kernel ?? 'this machine\'s', `\`${column.seed}\``, column.completed, column.agreements, column.disagreements, column.unresolved, column.rate,
      column.mmapMinAddr ?? '', column.disabledLoaders.join(', ') || 'none', column.kernelArgs.map((arg) => `\`${arg}\``).join(' '), profileFacts(column.machine), column.source,
    ].join(' | ')} |`),
    '',
    'Each cell below gives the share of that field\'s mutants with each outcome (`runs`, `start-fault SIG…`,',
    '`exec-killed SIGSEGV`, or execve\'s errno); **≠** marks the fields where the kernels did not produce the same',
    'kinds of outcome. The seeds differ by architecture, so a field can differ because the seed does (its code,',
    'its addresses) as well as because the kernel does; the rows of one seed on several kernels (hello on the',
    'amd64 guests and the host) differ only by kernel.',
    '',
    ...header(['field', '', ...columns.map((column) => column.label)]),
  ];
  const fields = [...new Set(columns.flatMap((column) => Object.keys(column.byField)))].sort();
  for (const field of fields) {
    // Only the campaigns that mutated the field count (a seed without sections has no section fields).
    const kinds = columns.filter((column) => column.byField[field]).map((column) => Object.keys(column.byField[field]!).sort().join(','));
    const differs = new Set(kinds).size > 1 ? '≠' : '';
    lines.push(`| \`${field}\` | ${differs} | ${columns.map((column) => shareCell(column.byField[field])).join(' | ')} |`);
  }
  return lines;
}

function fieldSection(result: CampaignResult): string[] {
  const keys = sortedOutcomeKeys(result);
  const lines = ['| field | what Linux checks | ' + keys.join(' | ') + ' |', `| --- | --- | ${keys.map(() => '---').join(' | ')} |`];
  for (const field of Object.keys(result.byField).sort()) {
    const outcomes = result.byField[field]!;
    lines.push(`| \`${field}\` | ${FIELD_NOTES[field] ?? ''} | ${keys.map((key) => cell(outcomes[key])).join(' | ')} |`);
  }
  return lines;
}

/** Rules that fired on mutants the kernel ran anyway: the gABI and the kernel part ways. */
function divergenceSection(result: CampaignResult, rules: readonly RuleMeta[]): string[] {
  const lines = ['| rule | severity | mutants it fired on | of which ran | what that means |', '| --- | --- | --- | --- | --- |'];
  for (const meta of [...rules].sort((a, b) => a.id.localeCompare(b.id))) {
    const outcomes = result.byRule[meta.id];
    if (!outcomes) continue;
    const total = Object.values(outcomes).reduce((a, b) => a + b, 0);
    const ran = outcomes['runs'] ?? 0;
    const meaning = ran === total
      ? (meta.severity === 'error' ? 'the program starts, then misbehaves' : 'the kernel ignores it; other tools do not')
      : ran === 0 ? 'the kernel refuses or faults every time' : 'depends on the value';
    lines.push(`| [\`${meta.id}\`](rules/${meta.id}.md) | ${meta.severity} | ${total} | ${ran} | ${meaning} |`);
  }
  return lines;
}

export function renderStudy({ result, command, rules, kernels = [] }: StudyInput): string {
  const rate = result.durationMs > 0 ? Math.round((result.completed * 1000) / result.durationMs) : 0;
  return [
    '# What Linux does with each ELF header field',
    '',
    'Generated by `elf-lint fuzz`: every mutant below is the 910-byte hello-world executable with one field',
    'changed (or the file cut short, or its program header table moved, duplicated or extended), executed by',
    'the kernel as an unprivileged user and classified by what execve did. Reproduce it with:',
    '',
    '```sh',
    command,
    '```',
    '',
    `Campaign: ${result.completed} mutants from seed \`${result.randomSeed}\`, ${result.executed ? 'executed' : 'not executed'},`,
    `${result.agreements} predictions confirmed, ${result.disagreements.length} disagreements; ${result.uncertain} predictions rested on`,
    `what the model cannot know (an unanalysed first instruction, or where address randomisation puts the image), of which`,
    `${result.unresolved} were not confirmed; ${rate} mutants/s. Seed file sha256 \`${result.seedSha256}\`.`,
    '',
    'Outcomes: **runs** — the first instruction at the entry point completed; **start-fault** — execve succeeded',
    'and the first instruction raised the signal; **exec-killed** — the kernel gave up after the point of no return',
    'and killed the process; **exec-error** — execve returned the errno. Each cell gives the number of mutants and',
    'the first values that produced that outcome.',
    '',
    '## The path through execve',
    '',
    'Linux checks a file in this order (fs/exec.c, then load_elf_binary in fs/binfmt_elf.c); the first check',
    'that fails decides the outcome, which is why one broken field masks the ones after it.',
    '',
    '```',
    'open, permission, first 256 bytes ── EACCES / ETXTBSY / ENOEXEC (empty file)            exec-error',
    'magic, e_type, e_machine ─────────── ENOEXEC                                            exec-error',
    'e_phentsize, e_phnum, e_phoff ────── ENOEXEC (table size 1..1170 entries, whole read)   exec-error',
    'first PT_INTERP: size, read, NUL ─── ENOEXEC / EIO / EINVAL, then open: ENOENT, EACCES   exec-error',
    'PT_GNU_PROPERTY note (arm64 only) ── ENOEXEC (malformed) / EIO (short read)             exec-error',
    '── point of no return: the old program is gone ──',
    'each PT_LOAD in table order: mmap ── EINVAL (congruence, wrap) / ENOMEM / EPERM / EFAULT exec-killed (SIGSEGV)',
    '  then p_filesz <= p_memsz, end <= TASK_SIZE ── EINVAL                                   exec-killed (SIGSEGV)',
    'e_entry below TASK_SIZE ──────────── EINVAL                                             exec-killed (SIGSEGV)',
    '── the program starts ──',
    'first instruction at e_entry ─────── unmapped, not executable, past EOF, faulting code  start-fault',
    'otherwise ─────────────────────────────────────────────────────────────────────────────── runs',
    '```',
    '',
    '## By field',
    '',
    ...fieldSection(result),
    '',
    '## Where the gABI and the kernel part ways',
    '',
    'Each rule below fired on some mutants; the second count says how many of those the kernel still ran. A',
    'warning that fires on mutants that all run is a gABI requirement Linux does not enforce; an error whose',
    'mutants all run means the program starts but does not work as built.',
    '',
    ...divergenceSection(result, rules),
    '',
    ...(kernels.length > 1 ? [
      '## Across kernels',
      '',
      'The same study for the campaigns of each guest kernel (`--kernel`, Debian\'s kernels under qemu-system;',
      'i386 through the amd64 guest\'s compat loader) beside this one, made by the same command (`--study-with`',
      'names their reports, each of which holds the command that made it). Every column is a campaign the model',
      'predicted with that kernel\'s own facts (its version, mmap_min_addr, memory, and the loaders it has).',
      '',
      ...kernelsSection(kernels),
      '',
    ] : []),
  ].join('\n');
}
