// The large files of `npm run bench`: an x86-64 program (the `gen exit`
// template, built by our own generator) followed by a section table of any
// size, a .symtab of any number of Elf64_Sym entries with its .strtab, and
// filler sections that share the rest of the file. The file is written as
// a stream of table chunks at the end of a sparse file, so a 1 GiB file
// with a million symbols and a million sections costs about 100 MB of disk
// and a few MB of memory to write. From SHN_LORESERVE sections on, it uses
// extended numbering: e_shnum 0 with the count in section 0's sh_size, and
// e_shstrndx SHN_XINDEX with the index of .shstrtab (the last section) in
// section 0's sh_link.
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { buildElf } from '../dist/gen/build.js';
import { exitSpec } from '../dist/gen/templates.js';
import { ELF64_LAYOUT } from '../dist/model/layout.js';
import { SHF_ALLOC, SHF_EXECINSTR, SHN_LORESERVE, SHN_XINDEX, SHT_PROGBITS, SHT_STRTAB, SHT_SYMTAB } from '../dist/model/constants.js';

const STB_GLOBAL = 1;
const STT_FUNC = 2;
const CHUNK = 1 << 16;
const FIXED = ['', '.text', '.symtab', '.strtab'];
const SHSTRTAB_NAMES = '\0.text\0.symtab\0.strtab\0.shstrtab\0.fill\0';
const nameAt = (name) => SHSTRTAB_NAMES.indexOf(`\0${name}\0`) + 1;

function put(view, base, slot, value) {
  const at = base + slot.offset;
  if (slot.size === 1) view.setUint8(at, Number(value));
  else if (slot.size === 2) view.setUint16(at, Number(value), true);
  else if (slot.size === 4) view.setUint32(at, Number(value), true);
  else view.setBigUint64(at, BigInt(value), true);
}

function putAll(view, base, slots, values) {
  for (const [field, value] of Object.entries(values)) put(view, base, slots[field], value);
}

const align8 = (n) => Math.ceil(n / 8) * 8;
const strtabSize = (symbols) => {
  // "\0" then "s1\0" .. "s{symbols-1}\0": digits of every index, plus "s" and NUL each.
  let size = 1;
  for (let digits = 1, low = 1; low < symbols; digits += 1, low *= 10) size += (Math.min(symbols, low * 10) - low) * (digits + 2);
  return size;
};

/** Where each part goes, for `bytes` (at least), `symbols` entries (null entry included) and `sections` headers (at least 5). */
export function planBigElf({ bytes, symbols, sections }) {
  if (symbols < 1 || sections < 5) throw new Error('a bench file needs at least 1 symbol entry and 5 sections');
  const head = buildElf(exitSpec(0));
  const symSize = ELF64_LAYOUT.entrySize.sym;
  const tables = align8(symbols * symSize) + align8(strtabSize(symbols)) + align8(SHSTRTAB_NAMES.length) + sections * ELF64_LAYOUT.shdrSize;
  const fillStart = align8(head.length);
  const tablesStart = Math.max(fillStart, Math.floor((bytes - tables) / 8) * 8);
  const symtab = tablesStart;
  const strtab = symtab + align8(symbols * symSize);
  const shstrtab = strtab + align8(strtabSize(symbols));
  const shoff = shstrtab + align8(SHSTRTAB_NAMES.length);
  const size = Math.max(bytes, shoff + sections * ELF64_LAYOUT.shdrSize);
  return { head, symbols, sections, fillStart, fillBytes: tablesStart - fillStart, symtab, strtab, shstrtab, shoff, size };
}

/** Writes the file; returns its plan. */
export function writeBigElf(path, options) {
  const plan = planBigElf(options);
  const { head, symbols, sections, shoff } = plan;
  const symSize = ELF64_LAYOUT.entrySize.sym;
  const shSize = ELF64_LAYOUT.shdrSize;
  const extended = sections >= SHN_LORESERVE;
  const fillers = sections - FIXED.length - 1;
  const fillEach = Math.floor(plan.fillBytes / fillers);
  const fd = openSync(path, 'w', 0o755);
  try {
    ftruncateSync(fd, plan.size);
    const header = Uint8Array.from(head);
    putAll(new DataView(header.buffer), 0, ELF64_LAYOUT.ehdr, {
      e_shoff: shoff, e_shentsize: shSize, e_shnum: extended ? 0 : sections, e_shstrndx: extended ? SHN_XINDEX : sections - 1,
    });
    writeSync(fd, header, 0, header.length, 0);
    const entry = Number(new DataView(header.buffer).getBigUint64(ELF64_LAYOUT.ehdr.e_entry.offset, true));
    const codeOffset = entry - 0x400000;
    // .symtab and .strtab, a chunk of entries at a time.
    let nameOffset = 1;
    let strtabAt = plan.strtab;
    writeSync(fd, new Uint8Array(1), 0, 1, strtabAt);
    strtabAt += 1;
    for (let first = 0; first < symbols; first += CHUNK) {
      const count = Math.min(CHUNK, symbols - first);
      const syms = new Uint8Array(count * symSize);
      const view = new DataView(syms.buffer);
      const names = [];
      for (let i = 0; i < count; i += 1) {
        const index = first + i;
        if (index === 0) continue;
        const name = `s${index}\0`;
        putAll(view, i * symSize, ELF64_LAYOUT.contents.sym.fields, {
          st_name: nameOffset, st_info: (STB_GLOBAL << 4) | STT_FUNC, st_shndx: 1, st_value: entry, st_size: 0,
        });
        names.push(name);
        nameOffset += name.length;
      }
      writeSync(fd, syms, 0, syms.length, plan.symtab + first * symSize);
      const text = Buffer.from(names.join(''), 'latin1');
      writeSync(fd, text, 0, text.length, strtabAt);
      strtabAt += text.length;
    }
    const shstr = Buffer.from(SHSTRTAB_NAMES, 'latin1');
    writeSync(fd, shstr, 0, shstr.length, plan.shstrtab);
    // The section header table: null, .text, .symtab, .strtab, the fillers, .shstrtab last.
    const fixed = [
      { sh_size: extended ? sections : 0, sh_link: extended ? sections - 1 : 0 },
      { sh_name: nameAt('.text'), sh_type: SHT_PROGBITS, sh_flags: SHF_ALLOC | SHF_EXECINSTR, sh_addr: entry, sh_offset: codeOffset, sh_size: head.length - codeOffset, sh_addralign: 1 },
      { sh_name: nameAt('.symtab'), sh_type: SHT_SYMTAB, sh_offset: plan.symtab, sh_size: symbols * symSize, sh_link: 3, sh_info: 1, sh_addralign: 8, sh_entsize: symSize },
      { sh_name: nameAt('.strtab'), sh_type: SHT_STRTAB, sh_offset: plan.strtab, sh_size: nameOffset, sh_addralign: 1 },
    ];
    const last = { sh_name: nameAt('.shstrtab'), sh_type: SHT_STRTAB, sh_offset: plan.shstrtab, sh_size: shstr.length, sh_addralign: 1 };
    for (let first = 0; first < sections; first += CHUNK) {
      const count = Math.min(CHUNK, sections - first);
      const table = new Uint8Array(count * shSize);
      const view = new DataView(table.buffer);
      for (let i = 0; i < count; i += 1) {
        const index = first + i;
        const filler = index - FIXED.length;
        const values = index < FIXED.length ? fixed[index]
          : index === sections - 1 ? last
            : { sh_name: nameAt('.fill'), sh_type: SHT_PROGBITS, sh_offset: plan.fillStart + filler * fillEach, sh_size: fillEach, sh_addralign: 1 };
        putAll(view, i * shSize, ELF64_LAYOUT.shdr, values);
      }
      writeSync(fd, table, 0, table.length, shoff + first * shSize);
    }
  } finally {
    closeSync(fd);
  }
  return plan;
}

/** Where the file for these options goes in the bench cache: named by the options and a fingerprint of this generator and its head. */
export function bigElfPath(cache, fingerprint, { bytes, symbols, sections }) {
  const version = fingerprint(readFileSync(new URL(import.meta.url)) + planBigElf({ bytes, symbols, sections }).head.join(','));
  return join(cache, `gen-${bytes}-${symbols}sym-${sections}sec-${version}.elf`);
}

/**
 * The file for these options in the bench cache, written the first time
 * (older versions of it removed).
 */
export function cachedBigElf(cache, fingerprint, options) {
  const { bytes, symbols, sections } = options;
  const path = bigElfPath(cache, fingerprint, options);
  if (existsSync(path)) return { path, written: false };
  mkdirSync(cache, { recursive: true });
  for (const stale of readdirSync(cache)) if (stale.startsWith(`gen-${bytes}-${symbols}sym-${sections}sec-`)) rmSync(join(cache, stale), { force: true });
  const partial = `${path}.partial`;
  try {
    writeBigElf(partial, options);
    renameSync(partial, path);
  } finally {
    rmSync(partial, { force: true });
  }
  return { path, written: true };
}
