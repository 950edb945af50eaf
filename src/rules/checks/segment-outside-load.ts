import type { Report, Rule } from '../rule.js';
import type { ElfFile, ProgramHeader } from '../../model/elf.js';
import {
  nameOr, PF_W, PT_DYNAMIC, PT_GNU_EH_FRAME, PT_GNU_PROPERTY, PT_GNU_RELRO, PT_NAMES, PT_NOTE, PT_TLS,
} from '../../model/constants.js';
import { hex } from '../../model/hex.js';
import { pageUp } from '../../model/segments.js';
import { hasLinkedImage, loadHolding, loadSegments, memoryEnd, pageDown, phdrField } from '../facts.js';

/** The segments that the dynamic linker, libc or an unwinder read from memory, not from the file. */
const READ_FROM_MEMORY = new Set([PT_DYNAMIC, PT_TLS, PT_GNU_EH_FRAME, PT_GNU_PROPERTY, PT_NOTE]);

/** The part of the segment a PT_LOAD must map: TLS only its initialization image (.tdata; .tbss is per thread). */
function mappedPart(phdr: ProgramHeader): { size: bigint; fileSize: bigint } {
  if (phdr.p_type === PT_TLS) return { size: phdr.p_filesz, fileSize: phdr.p_filesz };
  return { size: phdr.p_memsz, fileSize: phdr.p_filesz };
}

/**
 * PT_GNU_RELRO: the pages ld.so makes read-only (_dl_protect_relro: from the
 * page of p_vaddr to the end rounded down to a page) must be pages of a
 * writable PT_LOAD's mapping, which runs to the end of its last page (lld
 * before 18 rounded p_memsz past the PT_LOAD to that page end).
 */
function* relroReports(elf: ElfFile, phdr: ProgramHeader, pageSize: bigint): Generator<Report> {
  const start = pageDown(phdr.p_vaddr, pageSize);
  const end = pageDown(phdr.p_vaddr + phdr.p_memsz, pageSize);
  if (end <= start) return;
  const holding = loadSegments(elf).filter((load) => pageDown(load.p_vaddr, pageSize) <= start && end <= pageUp(memoryEnd(load), pageSize));
  if (holding.some((load) => (load.p_flags & PF_W) !== 0)) return;
  const pages = `[${hex(start)}, ${hex(end)})`;
  yield {
    field: phdrField(phdr, 'p_vaddr'),
    message: holding[0]
      ? `PT_GNU_RELRO ${phdr.index} protects pages ${pages} of read-only PT_LOAD ${holding[0].index}; it must cover relocated data in a writable PT_LOAD. Relink`
      : `PT_GNU_RELRO ${phdr.index} protects pages ${pages}, which no PT_LOAD maps; relink, or move it inside the writable PT_LOAD that holds the relocated data`,
    actual: hex(phdr.p_vaddr),
    expected: 'pages of a writable PT_LOAD',
  };
}

export const segmentOutsideLoad: Rule = {
  id: 'segment-outside-load',
  category: 'gabi',
  severity: 'warning',
  summary: 'PT_DYNAMIC, PT_TLS, PT_NOTE, PT_GNU_EH_FRAME, PT_GNU_PROPERTY and PT_GNU_RELRO must lie inside a PT_LOAD',
  explanation: `These segments describe parts of the memory image that are read at run time from memory,
so a PT_LOAD must map them, with its own offset-to-address mapping for their file bytes:

- PT_DYNAMIC: the dynamic linker reads the dynamic table at its address.
- PT_TLS: libc copies the initialization image (p_filesz bytes) into every thread's TLS
  block; the zero-filled rest (.tbss) is per thread and needs no mapping.
- PT_GNU_EH_FRAME: unwinders (C++ exceptions, backtraces) find .eh_frame_hdr through
  dl_iterate_phdr and read it in memory.
- PT_NOTE and PT_GNU_PROPERTY: the build ID and the CET/BTI properties are read from the
  mapped notes by debuggers, crash handlers and the dynamic linker.
- PT_GNU_RELRO: the dynamic linker makes these pages read-only after relocation (from
  the page of p_vaddr to p_vaddr + p_memsz rounded down to a page), so the pages it
  protects must be pages of a writable PT_LOAD's mapping, which runs to the end of the
  segment's last page; elsewhere it protects the wrong pages or nothing. A RELRO range
  that ends in the page it starts in protects nothing and is not checked.

A segment outside every PT_LOAD makes those readers fault or read unrelated bytes. Linux
itself only reads PT_GNU_PROPERTY, from the file. Relocatable objects, core dumps and
separate debug files are not checked.

Fix: relink; when you edit program headers by hand, keep these segments inside the
PT_LOAD that maps their sections (a writable one for PT_GNU_RELRO).`,
  *check(elf, context) {
    if (!hasLinkedImage(elf)) return;
    for (const phdr of elf.programHeaders) {
      if (phdr.p_type === PT_GNU_RELRO) {
        yield* relroReports(elf, phdr, context.assumptions.pageSize);
        continue;
      }
      if (!READ_FROM_MEMORY.has(phdr.p_type)) continue;
      const { size, fileSize } = mappedPart(phdr);
      if (size === 0n || loadHolding(elf, phdr.p_vaddr, size, phdr.p_offset, fileSize < size ? fileSize : size)) continue;
      yield {
        field: phdrField(phdr, 'p_vaddr'),
        message: `PT_${nameOr(PT_NAMES, phdr.p_type)} ${phdr.index} [${hex(phdr.p_vaddr)}, ${hex(phdr.p_vaddr + size)}) at file offset ${hex(phdr.p_offset)} is not mapped there by any PT_LOAD; relink, or move it inside the PT_LOAD that maps it`,
        actual: hex(phdr.p_vaddr),
        expected: 'inside a PT_LOAD, with its offset-to-address mapping',
      };
    }
  },
};
