// What scripts/compare.mjs knows about the peers' messages: one line per message class.
//
// A message class is a peer's message with quoted names, symbol names, section indices and
// numbers replaced by % (see messageClass in compare.mjs). Each entry says what elf-lint does
// about it:
//   rule: 'id' (or 'id, id')   the elf-lint rule(s) that report the same fault
//   notMatched: 'reason'       a real check elf-lint does not have (yet), or leaves to other tools
//   falsePositive: 'reason'    the peer is wrong about correct toolchain output; elf-lint says nothing on purpose
// and optionally family (else the first of FAMILIES whose pattern matches the class).
// `match` is the class itself, or a RegExp for a family of classes. Adding an elf-lint rule that
// answers a class means changing its line to `rule: '<id>'`.

/** Check families, in the order the document shows them; a class falls in the first whose pattern matches. */
export const FAMILIES = [
  ['ELF header', /^Not an ELF file|ELF header|e_ident|\bEI_|object file (type|version)|machine type|section header (index|size)|e_shentsize|Elf descriptor|file header|OS ABI|number of program header entries|zero program header offset/],
  ['program headers', /program header|\bPHDR\b|\bINTERP\b|segment|phdr\[|loadable|\bPT_|headers, phnum|interpreter/],
  ['hash tables', /hash|bucket|chain|bloom/i],
  ['versioning', /version|verdef|verneed|versym/i],
  ['notes', /note/i],
  ['relocations', /relocation|\bREL(A)?\b|reloc/i],
  ['dynamic', /dynamic|\bDT_|\bDF_/],
  ['symbols', /symbol|symtab|\bST[BTV]_/],
  ['groups', /group/i],
  ['sections', /section/i],
  ['hardening', /stack|relro|execstack|textrel/i],
];

/** elf-lint rule id → check family (first match; by category `hardening`, else other). */
export const RULE_FAMILIES = [
  ['ELF header', /^(header|ident|not-elf|machine)-?/],
  ['program headers', /^(phdr|segment|load|interp|entry|no-load|pie|core-truncated)-?/],
  ['versioning', /^(version|verdef|verneed|versym)/],
  ['hash tables', /hash/],
  ['notes', /^(note|core-notes)/],
  ['relocations', /^(rel|reloc)/],
  ['dynamic', /^(dynamic|dyn|dt)-/],
  ['symbols', /^(symbol|sym|symtab|dynsym)-/],
  ['sections', /^(sections?|shdr|strtab|group|compressed)-/],
  ['hardening', /^(exec-stack|wx-segment|relro|bind-now|fortify|stack)/],
];

export const EU_ELFLINT = [
  // ELF header
  { match: 'Not an ELF file - it has the wrong magic bytes at the start', rule: 'not-elf, ident-class, ident-data, ident-version', note: 'eu-elflint says this for a bad EI_CLASS, EI_DATA or EI_VERSION too' },
  { match: "cannot generate Elf descriptor for '%': invalid ELF file data", rule: 'header-truncated' },
  { match: 'unknown object file version', rule: 'header-version' },
  { match: 'unknown object file type %', rule: 'header-type' },
  { match: 'unknown machine type %', rule: 'header-machine' },
  { match: "unsupported OS ABI e_ident[%] == '%'", rule: 'ident-osabi' },
  { match: 'e_ident[%] is not zero', rule: 'ident-padding' },
  { match: 'invalid section header index', rule: 'header-shstrndx' },
  { match: 'invalid section header size: %', rule: 'header-shentsize' },
  { match: 'invalid number of program header entries', rule: 'phdr-count' },
  { match: 'executables and DSOs cannot have zero program header offset', notMatched: 'the kernel reads the program headers wherever e_phoff points, 0 included; elf-lint judges the entries it finds there' },
  { match: 'only executables, shared objects, and core files can have program headers', rule: 'relocatable-structure, header-type', note: 'relocatable-structure for an ET_REL file; for an e_type nobody defines (ET_NONE), header-type reports the type' },
  { match: 'section header table must be present', rule: 'relocatable-structure, header-type', note: 'relocatable-structure reports an ET_REL object without section headers (corpus/object-no-sections); eu-elflint says it of ET_NONE files too, where header-type reports the e_type' },
  // program headers
  { match: 'program header entry %: file offset and virtual address not module of alignment', rule: 'segment-align-congruence, segment-page-congruence', note: 'on real files only in separate debug files, whose segments are never mapped and which elf-lint does not judge as programs' },
  { match: 'program header entry %: alignment not a power of %', rule: 'segment-align-invalid' },
  { match: 'program header entry %: file size greater than memory size', rule: 'segment-filesz-exceeds-memsz' },
  { match: 'more than one INTERP entry in program header', rule: 'interp-count' },
  { match: 'PHDR segment not contained in a loaded segment', rule: 'phdr-segment-covered' },
  { match: 'invalid program header position or size', rule: 'phdr-table-bounds' },
  { match: 'Can only check % headers, phnum was %', rule: 'phdr-table-bounds' },
  { match: 'loadable segment [%] is executable but contains no executable sections', notMatched: 'elf-lint does not compare segment flags with the flags of the sections inside; on real files eu-elflint says it only of separate debug files (NOBITS .text), on the corpus of hand-made files whose code has no section' },
  // sections
  { match: 'invalid section header position or size', rule: 'shdr-table-bounds' },
  { match: 'cannot get section header of zeroth section', rule: 'shdr-table-bounds, header-shstrndx', note: 'follows from a section header table eu-elflint cannot read' },
  { match: 'section [%]: invalid name', rule: 'section-name-in-strtab' },
  { match: 'cannot get section header', notMatched: 'follows from another fault of the section header table (elf-lint reports that one)' },
  { match: "section [%] '%' has wrong flags: expected WRITE|ALLOC, is none", rule: 'section-special-type' },
  { match: "section [%] '%' has wrong type: expected REL, is <unknown>: %", falsePositive: 'SHT_RELR (19), the type of the .relr.dyn that ld -z pack-relative-relocs writes (glibc 2.36 reads it); elfutils 0.188 knows the name .relr.dyn but not the type' },
  // Separate debug files (objcopy --only-keep-debug): every allocated section is NOBITS and the
  // program headers are the program's; eu-elflint checks them as if they were the program.
  { match: "section [%] '%' has wrong type: expected REL, is NOBITS", family: 'sections', falsePositive: 'lld\'s .relro_padding (SHT_NOBITS, the padding of the RELRO segment to a page), which eu-elflint takes for a relocation section because its name starts with .rel; and the .rela.* sections of separate debug files, NOBITS like every allocated section there' },
  { match: /^section \[%\] '%' has wrong type: expected \w+, is NOBITS$/, family: 'sections', falsePositive: 'a separate debug file (objcopy --only-keep-debug), whose allocated sections are all NOBITS; eu-elflint checks it as the program itself' },
  { match: "section [%] '%' has unexpected type % for an executable section", falsePositive: 'a separate debug file: its .text and the rest are NOBITS' },
  { match: 'PT_GNU_EH_FRAME present but no .eh_frame_hdr section', falsePositive: 'a separate debug file: .eh_frame_hdr is NOBITS there' },
  { match: "section [%] '%' not fully contained in segment of program header entry %", falsePositive: 'a separate debug file: NOBITS sections at the program\'s addresses, program headers with the debug file\'s offsets' },
  { match: 'loadable segment [%] is writable but contains no writable sections', falsePositive: 'separate debug files (NOBITS sections only) and files patchelf rewrote (a new PT_LOAD for the moved .dynamic and .dynstr)' },
  { match: "section [%] '%': _DYNAMIC_ symbol value % does not match dynamic segment address %", notMatched: 'a stale _DYNAMIC in .symtab after patchelf moved .dynamic (Python wheels repaired by auditwheel); nothing reads .symtab at run time, and elf-lint does not compare _DYNAMIC with PT_DYNAMIC (symbol-value-in-section reports it only when the value leaves the image)' },
  { match: "section [%] '%': alloc flag set but section not in any loaded segment", rule: 'section-outside-segment' },
  { match: "section [%] '%': merge flag set but entry size is zero", rule: 'section-flags', note: 'elf-lint reports it in relocatable objects, where the linker merges by sh_entsize; on real files eu-elflint says it of linked files (lld writes .rodata as AMS with sh_entsize 0), where SHF_MERGE has no consumer left, so elf-lint says nothing there' },
  { match: "section [%] '%' has wrong flags: expected none and possibly ALLOC|INFO_LINK, is WRITE|ALLOC", falsePositive: 'on real files only lld\'s .relro_padding (SHT_NOBITS, WA), which eu-elflint takes for a relocation section because its name starts with .rel. A real SHT_REL/SHT_RELA section with SHF_WRITE is outside the gABI (ALLOC only when loaded, INFO_LINK for sh_info) but harmless in a linked file, since ld.so finds relocations through DT_RELA and DT_JMPREL, never through section flags, so elf-lint has no check for it' },
  { match: "section [%] '%' contains unknown flag(s) %", rule: 'section-flags' },
  { match: "section [%] '%' has wrong flags: expected none and possibly MERGE|STRINGS, is %", rule: 'section-flags', note: 'said of .comment; only the corpus twin with an undefined flag bit gets it, and section-flags reports that bit' },
  { match: "section [%] '%' contains invalid processor-specific flag(s) %", rule: 'section-flags', note: 'section-flags reports SHF_MASKPROC bits the machine\'s profile does not define (corpus/hello-section-flags-processor); on real files eu-elflint 0.188 says it only of a .lbss with SHF_X86_64_LARGE (0x10000000, the large code model, gcc -mcmodel=large), which the x86-64 psABI defines and elf-lint accepts' },
  // relocations
  { match: "section [%] '%': relocation %: invalid symbol index", rule: 'reloc-symbol', note: 'on real files eu-elflint says it only of gold\'s static executables: R_X86_64_IRELATIVE relocations (symbol 0) in a section with sh_link 0, which elf-lint accepts (symbol 0 needs no symbol table)' },
  { match: "section [%] '%': relocation %: invalid type", rule: 'reloc-type' },
  { match: "section [%] '%': relocation %: read-only section modified but text relocation flag not set", rule: 'reloc-offset' },
  // dynamic
  { match: 'INTERP program header entry but no .interp section', family: 'program headers', notMatched: 'the kernel reads PT_INTERP, not .interp; the corpus\'s dynamic twins have the segment without the section, and they run' },
  { match: "section [%] '%': contains RELA entry but not RELASZ", family: 'dynamic', rule: 'dynamic-required' },
  { match: "section [%] '%': not all of DT_RELA, DT_RELASZ, and DT_RELAENT are present", rule: 'dynamic-required' },
  { match: "section [%] '%': entry %: NEEDED value must be valid offset in section [%] '%'", family: 'dynamic', rule: 'dynamic-string' },
  { match: "section [%] '%': entry %: more than one entry with tag STRSZ", family: 'dynamic', rule: 'dynamic-duplicate' },
  { match: "section [%] '%': entry %: pointer does not match address of section [%] '%' referenced by sh_link", family: 'dynamic', rule: 'dynamic-address', note: 'eu-elflint compares DT_STRTAB with .dynstr\'s address; elf-lint reports the address when no PT_LOAD maps the table from the file, which is what breaks loading' },
  // hash tables
  { match: "section [%] '%': no hash section present", family: 'hash tables', notMatched: 'a .dynsym of imports only (the hardening twins) needs no hash table, since nothing is looked up in it; dynamic-required reports a dynamic symbol table that defines symbols without DT_HASH or DT_GNU_HASH' },
  { match: "section [%] '%': bitmask does not match names in the hash table", rule: 'gnu-hash-table' },
  { match: "symbol % referenced in new hash table in [%] '%' but not in old hash table in [%] '%'", family: 'hash tables', rule: 'hash-table', note: 'eu-elflint compares the two tables; elf-lint checks each on its own (here .hash\'s nchain, one short of the symbol count)' },
  // symbols and versioning
  { match: "section [%] '%': symbol %: invalid version index %", rule: 'version-index', note: 'on real files eu-elflint says it only after failing to walk a valid version section (libjansson\'s two definitions share one Elf_Verdaux; lld writes every Elf_Verneed before all the Elf_Vernaux, as in chromium), where elf-lint finds every index defined' },
  { match: "section [%] '%': symbol % (%): st_value out of bounds", rule: 'symbol-value-in-section', note: 'on real files eu-elflint says it mostly of linker-defined symbols (__ehdr_start at the ELF header, _end aligned past the last segment) and crtend.o\'s __TMC_END__ past .data, which elf-lint accepts; both report libpython3.so, whose .dynsym st_shndx patchelf left stale when it renumbered the sections' },
  { match: "section [%] '%': symbol % (%): st_value out of bounds of referenced section [%] '%'", falsePositive: 'an STT_TLS symbol (in .tbss) of a separate debug file: the value of a TLS symbol in a linked file is an offset in the TLS segment, not an address in its section' },
  { match: "section [%] '%': symbol % (%): symbol in dynamic symbol table with non-default visibility", family: 'symbols', falsePositive: 'STV_PROTECTED symbols, which are exported by design (ld gives __start_SECTION and __stop_SECTION protected visibility, as in node); symbol-info reports hidden and internal symbols in .dynsym' },
  { match: "section [%] '%': symbol % (%): unknown symbol binding", rule: 'symbol-info', note: 'on real files eu-elflint says it only of STB_GNU_UNIQUE symbols in files whose EI_OSABI is SYSV (g++ output; ld does not set ELFOSABI_GNU for them), which elf-lint accepts as the OS-specific binding 10' },
  { match: "section [%] '%': symbol % (%): unique symbol not of object type", falsePositive: 'g++ makes thread_local static members of inline templates STB_GNU_UNIQUE STT_TLS symbols (node); unique TLS symbols are what the compiler means' },
  { match: "section [%] '%': symbol % (%) does not fit completely in referenced section [%] '%'", rule: 'symbol-value-in-section', note: 'symbol-value-in-section checks st_value + st_size against the section (corpus/hello-symbol-size); on real files eu-elflint says it only of the last STT_TLS symbols of a .tbss that follows a .tdata (node): their values are offsets in PT_TLS, and eu-elflint compares them with .tbss\'s size instead of its place in PT_TLS, which elf-lint does' },
  { match: "section [%] '%': symbol %: invalid name value", rule: 'symbol-name' },
  { match: "section [%] '%': symbol % (%): invalid section index", rule: 'symbol-section' },
  { match: "section [%] '%': symbol % (%): local symbol outside range described in sh_info", family: 'symbols', rule: 'symbol-order' },
  { match: "section [%] '%' has different number of entries than symbol table [%] '%'", family: 'versioning', rule: 'versym-count' },
  { match: "section [%] '%': entry % has wrong version %", family: 'versioning', rule: 'version-definitions, version-needs' },
  { match: "section [%] '%': auxiliary entry % of entry % has wrong hash value: %, expected %", family: 'versioning', rule: 'version-hash' },
  { match: "section [%] '%': entry % references unknown dependency", family: 'versioning', rule: 'version-needs' },
  // notes
  { match: "section [%] '%': unknown object file note type % with owner name '%' at offset %", falsePositive: 'notes of owners and types eu-elflint 0.188 does not know (SystemTap probes: owner stapsdt; the Go build id; FDO packaging metadata); note-unknown-type knows them and gives only a truly unknown owner or type an info finding' },
  { match: 'phdr[%]: cannot get content of note section: no error', rule: 'note-bounds' },
  { match: "section [%] '%': cannot get content of note section", rule: 'note-bounds' },
  { match: 'phdr[%]: unknown core file note type % at offset %', family: 'notes', falsePositive: 'core notes the kernel writes that eu-elflint 0.188 does not know (NT_SIGINFO, NT_FILE, NT_X86_XSTATE, gdb\'s NT_GDB_TDESC); core-notes checks NT_PRSTATUS, NT_AUXV and NT_FILE instead' },
  { match: "section [%] '%': element % references section [%] '%' without SHF_GROUP flag set", rule: 'group-section' },
  { match: "section [%] '%': section group [%] '%' does not precede group member", rule: 'group-section' },
  { match: "phdr[%]: unknown object file note type % with owner name '%' at offset %", family: 'notes', falsePositive: 'notes of owners eu-elflint 0.188 does not know, such as the Go build id (owner Go, type 4) and Chromium\'s Crashpad note; note-unknown-type knows them' },
  { match: "section [%] '%': entry % has invalid offset to next entry", family: 'versioning', rule: 'version-definitions, version-needs', note: 'on real files eu-elflint says it only of valid lists it cannot walk: libjansson\'s .gnu.version_d, whose two definitions share one Elf_Verdaux, and lld\'s .gnu.version_r, every Elf_Verneed before all the Elf_Vernaux (chromium); elf-lint walks both' },
  { match: 'zeroth section has nonzero size value while ELF header has nonzero shnum value', rule: 'section-zero-null' },
  { match: 'call frame search table reference in program header has wrong offset', rule: 'segment-section-mismatch' },
  { match: "section [%] '%' has type NOBITS but is read from the file in segment of program header entry % and file contents is non-zero", rule: 'section-outside-segment' },
  { match: "section [%] '%': entry size is does not match ElfXX_Sym", rule: 'section-entsize' },
  { match: "section [%] '%': size not multiple of entry size", rule: 'section-entsize' },
];

export const READELF = [
  { match: "Warning: Section '%': has a size of zero - is this intended ?", family: 'sections', falsePositive: 'empty sections (.note.GNU-stack, an empty .data or .text in an object) are normal compiler output' },
  { match: "Error: the segment's file size is larger than its memory size", rule: 'segment-filesz-exceeds-memsz' },
  { match: 'Error: Unable to find program interpreter name', rule: 'interp-in-file', note: 'on real files only in separate debug files, whose PT_INTERP points at a NOBITS .interp (nothing runs them)' },
  { match: 'Error: the PHDR segment is not covered by a LOAD segment', rule: 'phdr-segment-covered' },
  { match: 'Warning: possibly corrupt ELF header - it has a non-zero program header offset, but no program headers', rule: 'phdr-count' },
  { match: 'Warning: possibly corrupt ELF file header - it has a non-zero section header offset, but no section headers', notMatched: 'nothing reads a section header table of no entries, so elf-lint accepts any e_shoff with e_shnum 0' },
  { match: 'Error: Reading % bytes extends past end of file for program headers', rule: 'phdr-table-bounds' },
  { match: 'Error: Reading % bytes extends past end of file for section headers', rule: 'shdr-table-bounds' },
  { match: 'Error: Section headers are not available!', rule: 'shdr-table-bounds, header-shentsize', note: 'follows from a section header table readelf cannot read' },
  { match: 'Error: The e_shentsize field in the ELF header is less than the size of an ELF section header', rule: 'header-shentsize' },
  { match: 'Error: FILE: Failed to read file header', rule: 'header-truncated' },
  { match: 'Warning: Corrupt note: alignment %, expecting % or %', rule: 'note-alignment' },
  { match: 'Warning: note with invalid namesz and/or descsz found at offset %', rule: 'note-bounds' },
  { match: 'Warning: type: %, namesize: %, descsize: %, alignment: %', rule: 'note-bounds', note: 'readelf prints the header of the note it could not walk after the warning above' },
  { match: 'Warning: Gap in build notes detected from % to %', notMatched: 'elf-lint does not read annobin build-attribute notes' },
  { match: "Warning: Section '%': zero-sized relocation section", falsePositive: 'ld keeps an empty .rela.dyn (ldconfig, a static PIE); nothing reads it' },
  { match: 'Error: bad symbol index: % in reloc', rule: 'reloc-symbol' },
  { match: 'Error: histogram chain is corrupt', family: 'hash tables', rule: 'hash-table' },
  { match: 'Warning: [%]: Link field (%) should index a symtab section.', rule: 'section-link' },
  { match: "Warning: local symbol % found at index >= .symtab's sh_info value of %", rule: 'symbol-order' },
  { match: 'Error: Section % has invalid sh_entsize of %', rule: 'section-entsize' },
  { match: 'Error: (Using the expected size of % for the rest of this dump)', rule: 'section-entsize', note: 'follows the invalid sh_entsize above' },
];
