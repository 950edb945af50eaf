// The floor of part (b): the least a Node process must do to check what eu-elflint checks on
// the same files, with no model, no rules and no output. `read` opens each file and reads
// its headers and the tables the checks walk (symbols, their string tables, relocations,
// hash tables, the dynamic table, notes, version sections, the section name table), and
// nothing else; `check` also hashes every defined dynamic symbol's name (the GNU hash, as
// a hash table check must) and tests every relocation's offset against the PT_LOADs (as a
// relocation check must). With `--threads 2` a worker thread takes every other file.
//
//   node bench/floor.mjs read|check LIST [--threads N]
//
// Prints one JSON line: files, bytes read, names hashed, relocations walked.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const SHT = { SYMTAB: 2, STRTAB: 3, RELA: 4, HASH: 5, DYNAMIC: 6, NOTE: 7, REL: 9, DYNSYM: 11, RELR: 19, GNU_HASH: 0x6ffffff6, VERDEF: 0x6ffffffd, VERNEED: 0x6ffffffe, VERSYM: 0x6fffffff };
const TABLES = new Set(Object.values(SHT));
const PT_LOAD = 1;

/** Reads `length` bytes at `position` (fewer at the end of the file). */
function readAt(fd, position, length, counts) {
  const bytes = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const count = readSync(fd, bytes, done, length - done, position + done);
    if (count === 0) break;
    done += count;
  }
  counts.bytes += done;
  return bytes.subarray(0, done);
}

// Field readers straight from the bytes: small enough for V8 to inline into the loops.
const u16 = (b, at, little) => (little ? b[at] | (b[at + 1] << 8) : (b[at] << 8) | b[at + 1]);
const u32 = (b, at, little) => (little ? (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000 : ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) + b[at] * 0x1000000);
// Two 32-bit halves: exact below 2^53, which every offset here is.
const u64 = (b, at, little) => (little ? u32(b, at + 4, true) * 2 ** 32 + u32(b, at, true) : u32(b, at, false) * 2 ** 32 + u32(b, at + 4, false));

/** The class and byte order's field readers over `bytes`. */
function fields(bytes, wide, little) {
  return { u16: (at) => u16(bytes, at, little), u32: (at) => u32(bytes, at, little), word: wide ? (at) => u64(bytes, at, little) : (at) => u32(bytes, at, little) };
}

/** GNU-hashes the name of every defined symbol of a symbol table; returns how many. */
function hashNames(bytes, strings, wide, little, counts) {
  const entry = wide ? 24 : 16;
  const shndxAt = wide ? 6 : 14;
  let hashed = 0;
  let sink = 0;
  for (let at = entry; at + entry <= bytes.length; at += entry) {
    if (u16(bytes, at + shndxAt, little) === 0) continue;
    let hash = 5381;
    for (let c = u32(bytes, at, little); c < strings.length && strings[c] !== 0; c += 1) hash = (Math.imul(hash, 33) + strings[c]) | 0;
    sink ^= hash;
    hashed += 1;
  }
  counts.sink ^= sink;
  return hashed;
}

/** Tests every relocation's r_offset against the PT_LOADs' [start, end) pairs; returns how many. */
function walkRelocations(bytes, entry, wide, little, loads, counts) {
  let walked = 0;
  let unmapped = 0;
  for (let at = 0; at + entry <= bytes.length; at += entry) {
    const offset = wide ? u64(bytes, at, little) : u32(bytes, at, little);
    let mapped = false;
    for (let load = 0; load < loads.length; load += 2) {
      if (offset >= loads[load] && offset < loads[load + 1]) {
        mapped = true;
        break;
      }
    }
    if (!mapped) unmapped += 1;
    walked += 1;
  }
  counts.sink += unmapped;
  return walked;
}

function checkFile(path, check, counts) {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = readAt(fd, 0, 64, counts);
    if (head.length < 52 || head[0] !== 0x7f || head[1] !== 0x45) return;
    const wide = head[4] === 2;
    const little = head[5] === 1;
    const h = fields(head, wide, little);
    const [phoff, shoff] = wide ? [h.word(32), h.word(40)] : [h.u32(28), h.u32(32)];
    const [phentsize, phnum, shentsize, shnum, shstrndx] = wide ? [54, 56, 58, 60, 62].map(h.u16) : [42, 44, 46, 48, 50].map(h.u16);
    const loads = [];
    if (phoff > 0 && phoff + phnum * phentsize <= size) {
      const ph = fields(readAt(fd, phoff, phnum * phentsize, counts), wide, little);
      for (let index = 0; index < phnum; index += 1) {
        const at = index * phentsize;
        if (ph.u32(at) !== PT_LOAD) continue;
        const [vaddr, memsz] = wide ? [ph.word(at + 16), ph.word(at + 40)] : [ph.u32(at + 8), ph.u32(at + 20)];
        loads.push(vaddr, vaddr + memsz);
      }
    }
    if (shoff === 0 || shoff + shnum * shentsize > size) return;
    const sh = fields(readAt(fd, shoff, shnum * shentsize, counts), wide, little);
    const section = (index) => {
      const at = index * shentsize;
      return wide
        ? { type: sh.u32(at + 4), offset: sh.word(at + 24), size: sh.word(at + 32), link: sh.u32(at + 40), entsize: sh.word(at + 56) }
        : { type: sh.u32(at + 4), offset: sh.u32(at + 16), size: sh.u32(at + 20), link: sh.u32(at + 24), entsize: sh.u32(at + 36) };
    };
    const readSection = (s) => (s.offset + s.size <= size ? readAt(fd, s.offset, s.size, counts) : undefined);
    if (shstrndx < shnum) readSection(section(shstrndx));
    for (let index = 0; index < shnum; index += 1) {
      const s = section(index);
      // String tables are read with the symbol tables that use them.
      if (!TABLES.has(s.type) || s.type === SHT.STRTAB) continue;
      const bytes = readSection(s);
      if (!bytes) continue;
      if (s.type === SHT.SYMTAB || s.type === SHT.DYNSYM) {
        const strings = s.link < shnum ? readSection(section(s.link)) : undefined;
        if (!check || s.type !== SHT.DYNSYM || !strings) continue;
        counts.names += hashNames(bytes, strings, wide, little, counts);
      } else if (check && (s.type === SHT.RELA || s.type === SHT.REL)) {
        const entry = s.entsize > 0 ? s.entsize : (wide ? 8 : 4) * (s.type === SHT.RELA ? 3 : 2);
        counts.relocations += walkRelocations(bytes, entry, wide, little, loads, counts);
      }
    }
  } finally {
    closeSync(fd);
  }
}

function run({ mode, list, share, shares }) {
  const files = readFileSync(list, 'utf8').trim().split('\n');
  const counts = { files: 0, bytes: 0, names: 0, relocations: 0, sink: 0 };
  for (let index = share; index < files.length; index += shares) {
    counts.files += 1;
    try {
      checkFile(files[index], mode === 'check', counts);
    } catch {
      // An unreadable file costs what it cost; the floor has nothing to report.
    }
  }
  return counts;
}

if (!isMainThread) {
  parentPort.postMessage(run(workerData));
} else {
  const [mode, list, flag, value] = process.argv.slice(2);
  if (!['read', 'check'].includes(mode) || !list || (flag !== undefined && flag !== '--threads')) {
    console.error('usage: node bench/floor.mjs read|check LIST [--threads N]');
    process.exit(2);
  }
  const shares = Math.max(1, Number(value ?? 1));
  const workers = Array.from({ length: shares - 1 }, (_, index) => new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { mode, list, share: index + 1, shares } });
    worker.once('message', resolve);
    worker.once('error', reject);
  }));
  const totals = run({ mode, list, share: 0, shares });
  for (const counts of await Promise.all(workers)) for (const key of Object.keys(totals)) totals[key] += counts[key];
  delete totals.sink;
  console.log(JSON.stringify(totals));
}
