meta:
  id: elf
  title: Executable and Linkable Format, as elf-lint reads it
  license: MIT
  ks-version: 0.11
  endian: le
doc: |
  elf-lint's own schema for ELF files of both classes and both byte orders.
  It is written for linting, so it is deliberately forgiving: only the magic
  is validated, every table is a lazy instance guarded by bounds checks
  against the real file size, and every address-sized field is a `word`: one
  or two 32-bit halves, so that the TypeScript side can rebuild it exactly as
  a BigInt (Kaitai's JavaScript u8 is a lossy double).

  The caller passes the real file size as `file_size`. The caller may pad a
  short file with zeros up to 64 bytes, as the Linux loader does with its
  zeroed buffer; bounds checks always use `file_size`.

  Positions are whole file offsets: a `word`'s `value` is the offset or size
  as a number, exact below 2^53 (past any real file), so tables and contents
  past 4 GiB are read where they are. The stream may be the file read by
  ranges (elf-lint's facade gives a stream with no buffer of its own): every
  region read at a position is sized, so only it is read, into a substream.

  By default the file is read as it declares itself: EI_CLASS 1 is ELF32 and
  anything else ELF64; EI_DATA 2 is big-endian and anything else
  little-endian. `read_class` and `read_order` override that: a kernel reads
  every file with its own structures and byte order, whatever e_ident says.

  The tables are read in windows (`table_first`, `table_window`): a caller
  reads a table of any size a window at a time, each with a fresh root, so
  that the objects of one window only are alive at once.

  Section and segment contents are read through a region (`region_pos`,
  `region_size`, `region_unit`) the caller sets on a fresh root: a table of
  fixed-size entries (symbols, relocations, dynamic entries, u2/u4/word
  arrays) is read in the same windows, entry `table_first` on, and one
  structure of a linked or variable-length list (a note header, a version
  definition or need and their auxiliary entries, a compression header) is
  read at `region_pos`. The caller takes every position and size from the
  class layout (elf-lint's model/layout.ts), so this schema says only the
  order and width of the fields, and the locator of findings and the parser
  cannot disagree on where an entry lies.
params:
  - id: file_size
    type: u8
    doc: Size of the file on disk, exact below 2^53; may be smaller than the stream.
  - id: read_class
    type: u1
    doc: 0 reads the class EI_CLASS declares; 1 forces ELF32, 2 forces ELF64.
  - id: read_order
    type: u1
    doc: 0 reads the byte order EI_DATA declares; 1 forces little-endian, 2 big-endian.
  - id: table_first
    type: u4
    doc: Index of the first entry that program_headers and section_headers hold.
  - id: table_window
    type: u4
    doc: The most entries program_headers and section_headers hold (from table_first on).
  - id: region_pos
    type: u8
    doc: File offset of the contents region a content instance reads.
  - id: region_size
    type: u8
    doc: Bytes of the region that lie inside the file (the caller clips it).
  - id: region_unit
    type: u4
    doc: Size of one entry of a region table, or of the one structure read at region_pos.
seq:
  - id: ident
    type: identification
  - id: header
    type: file_header
instances:
  is64:
    -ts-type: boolean
    value: 'read_class != 0 ? read_class == 2 : ident.file_class != 1'
  big_endian:
    -ts-type: boolean
    value: 'read_order != 0 ? read_order == 2 : ident.data == 2'
  phdr_size:
    -ts-type: number
    value: 'is64 ? 56 : 32'
  shdr_size:
    -ts-type: number
    value: 'is64 ? 64 : 40'
  dyn_size:
    -ts-type: number
    value: 'is64 ? 16 : 8'
types:
  identification:
    doc: e_ident, the 16 bytes whose layout does not depend on class or byte order.
    seq:
      - id: magic
        size: 4
        valid: '[0x7f, 0x45, 0x4c, 0x46]'
      - id: file_class
        type: u1
      - id: data
        type: u1
      - id: version
        type: u1
      - id: os_abi
        type: u1
      - id: abi_version
        type: u1
      - id: pad
        size: 7
  file_header:
    meta:
      endian:
        switch-on: _root.big_endian
        cases:
          true: be
          false: le
    seq:
      - id: e_type
        type: u2
      - id: e_machine
        type: u2
      - id: e_version
        type: u4
      - id: e_entry
        type: word
      - id: e_phoff
        type: word
      - id: e_shoff
        type: word
      - id: e_flags
        type: u4
      - id: e_ehsize
        type: u2
      - id: e_phentsize
        type: u2
      - id: e_phnum
        type: u2
      - id: e_shentsize
        type: u2
      - id: e_shnum
        type: u2
      - id: e_shstrndx
        type: u2
    instances:
      section_zero_readable:
        -ts-type: boolean
        value: >-
          e_shoff.value != 0 and e_shentsize >= _root.shdr_size
          and e_shoff.value + _root.shdr_size <= _root.file_size
      section_zero:
        doc: Section 0, which carries the real counts under extended numbering.
        io: _root._io
        pos: e_shoff.value
        size: _root.shdr_size
        type: section_header
        if: section_zero_readable
      phnum:
        -ts-type: number
        doc: Program header count, with PN_XNUM (0xffff) resolved through section 0's sh_info.
        value: 'e_phnum == 0xffff and section_zero_readable ? section_zero.sh_info : e_phnum'
      shnum:
        -ts-type: number
        doc: Section header count; 0 in e_shnum with e_shoff set means section 0's sh_size holds it.
        value: >-
          e_shnum != 0 ? e_shnum :
          (section_zero_readable and section_zero.sh_size.hi == 0 ? section_zero.sh_size.lo : 0)
      shstrndx:
        -ts-type: number
        doc: Section name table index, with SHN_XINDEX (0xffff) resolved through section 0's sh_link.
        value: 'e_shstrndx == 0xffff and section_zero_readable ? section_zero.sh_link : e_shstrndx'
      phdr_table_starts_in_file:
        -ts-type: boolean
        value: 'e_phoff.value < _root.file_size and e_phentsize >= _root.phdr_size'
      phnum_in_file:
        -ts-type: number
        doc: How many whole program header entries lie inside the file.
        value: >-
          phdr_table_starts_in_file ?
          ((_root.file_size - e_phoff.value) / e_phentsize < phnum ? (_root.file_size - e_phoff.value) / e_phentsize : phnum)
          : 0
      phnum_in_window:
        -ts-type: number
        doc: How many of those entries program_headers holds, from entry table_first on.
        value: >-
          phnum_in_file > _root.table_first ?
          (phnum_in_file - _root.table_first < _root.table_window ? phnum_in_file - _root.table_first : _root.table_window)
          : 0
      program_headers:
        io: _root._io
        pos: e_phoff.value + _root.table_first * e_phentsize
        size: e_phentsize
        type: program_header
        repeat: expr
        repeat-expr: phnum_in_window
        if: phnum_in_window > 0
      shdr_table_starts_in_file:
        -ts-type: boolean
        value: 'e_shoff.value != 0 and e_shoff.value < _root.file_size and e_shentsize >= _root.shdr_size'
      shnum_in_file:
        -ts-type: number
        doc: How many whole section header entries lie inside the file.
        value: >-
          shdr_table_starts_in_file ?
          ((_root.file_size - e_shoff.value) / e_shentsize < shnum ? (_root.file_size - e_shoff.value) / e_shentsize : shnum)
          : 0
      shnum_in_window:
        -ts-type: number
        doc: How many of those entries section_headers holds, from entry table_first on.
        value: >-
          shnum_in_file > _root.table_first ?
          (shnum_in_file - _root.table_first < _root.table_window ? shnum_in_file - _root.table_first : _root.table_window)
          : 0
      section_headers:
        io: _root._io
        pos: e_shoff.value + _root.table_first * e_shentsize
        size: e_shentsize
        type: section_header
        repeat: expr
        repeat-expr: shnum_in_window
        if: shnum_in_window > 0
      names_section:
        doc: The header of the section name table, read on its own so that the names do not depend on the window.
        io: _root._io
        pos: e_shoff.value + shstrndx * e_shentsize
        size: e_shentsize
        type: section_header
        if: shstrndx != 0 and shstrndx < shnum_in_file
      section_names_readable:
        -ts-type: boolean
        value: >-
          shstrndx != 0 and shstrndx < shnum_in_file
          and names_section.sh_type != 8
          and names_section.sh_offset.value <= _root.file_size
          and names_section.sh_size.value <= _root.file_size - names_section.sh_offset.value
      section_names:
        doc: The section name string table (.shstrtab), when it lies inside the file.
        io: _root._io
        pos: names_section.sh_offset.value
        size: names_section.sh_size.value
        type: string_table
        if: section_names_readable
      region_entries_in_window:
        -ts-type: number
        doc: How many whole entries of the region a table instance holds, from entry table_first on.
        value: >-
          _root.region_unit == 0 ? 0 :
          (_root.region_size / _root.region_unit > _root.table_first ?
          (_root.region_size / _root.region_unit - _root.table_first < _root.table_window ?
          _root.region_size / _root.region_unit - _root.table_first : _root.table_window)
          : 0)
      region_window_pos:
        -ts-type: number
        value: '_root.region_pos + _root.table_first * _root.region_unit'
      symbols:
        doc: Elf32_Sym or Elf64_Sym entries (SHT_SYMTAB, SHT_DYNSYM).
        io: _root._io
        pos: region_window_pos
        size: _root.region_unit
        type: symbol
        repeat: expr
        repeat-expr: region_entries_in_window
        if: region_entries_in_window > 0
      rels:
        doc: Elf32_Rel or Elf64_Rel entries (SHT_REL).
        io: _root._io
        pos: region_window_pos
        size: _root.region_unit
        type: rel
        repeat: expr
        repeat-expr: region_entries_in_window
        if: region_entries_in_window > 0
      relas:
        doc: Elf32_Rela or Elf64_Rela entries (SHT_RELA).
        io: _root._io
        pos: region_window_pos
        size: _root.region_unit
        type: rela
        repeat: expr
        repeat-expr: region_entries_in_window
        if: region_entries_in_window > 0
      dynamic_entries:
        doc: Elf32_Dyn or Elf64_Dyn entries of an SHT_DYNAMIC section.
        io: _root._io
        pos: region_window_pos
        size: _root.region_unit
        type: dynamic_entry
        repeat: expr
        repeat-expr: region_entries_in_window
        if: region_entries_in_window > 0
      u2_values:
        doc: An array of 16-bit values (SHT_GNU_versym); region_unit is 2.
        io: _root._io
        pos: region_window_pos
        type: u2
        repeat: expr
        repeat-expr: region_entries_in_window
        if: region_entries_in_window > 0
      u4_values:
        doc: An array of 32-bit values (SHT_SYMTAB_SHNDX, SHT_GROUP, SHT_HASH, SHT_GNU_HASH); region_unit is 4.
        io: _root._io
        pos: region_window_pos
        type: u4
        repeat: expr
        repeat-expr: region_entries_in_window
        if: region_entries_in_window > 0
      word_values:
        doc: An array of words of the class (SHT_RELR, the GNU hash Bloom filter, 8-byte SHT_HASH); region_unit is the word size.
        io: _root._io
        pos: region_window_pos
        type: word
        repeat: expr
        repeat-expr: region_entries_in_window
        if: region_entries_in_window > 0
      note_header:
        doc: The Elf_Nhdr at region_pos (the same in both classes).
        io: _root._io
        pos: _root.region_pos
        size: _root.region_unit
        type: note_header
      verdef:
        doc: The Elf_Verdef at region_pos.
        io: _root._io
        pos: _root.region_pos
        size: _root.region_unit
        type: verdef
      verdaux:
        doc: The Elf_Verdaux at region_pos.
        io: _root._io
        pos: _root.region_pos
        size: _root.region_unit
        type: verdaux
      verneed:
        doc: The Elf_Verneed at region_pos.
        io: _root._io
        pos: _root.region_pos
        size: _root.region_unit
        type: verneed
      vernaux:
        doc: The Elf_Vernaux at region_pos.
        io: _root._io
        pos: _root.region_pos
        size: _root.region_unit
        type: vernaux
      compression_header:
        doc: The Elf32_Chdr or Elf64_Chdr at region_pos (SHF_COMPRESSED).
        io: _root._io
        pos: _root.region_pos
        size: _root.region_unit
        type: compression_header
    types:
      word:
        doc: |
          An address, offset or size: 4 bytes in ELF32, 8 in ELF64, kept as
          two exact 32-bit halves in the file's byte order.
        seq:
          - id: first
            type: u4
          - id: second
            type: u4
            if: _root.is64
        instances:
          lo:
            -ts-type: number
            value: '_root.is64 and _root.big_endian ? second : first'
          hi:
            -ts-type: number
            value: '_root.is64 ? (_root.big_endian ? first : second) : 0'
          value:
            -ts-type: number
            doc: |
              The whole value as a number, for positions and bounds: exact below
              2^53, and never below 2^53 when the word is not, so it compares
              with file_size exactly. Exact values are rebuilt from lo and hi.
            value: 'hi * 4294967296 + lo'
      program_header:
        doc: Elf32_Phdr or Elf64_Phdr; p_flags sits after p_type in ELF64 and after p_memsz in ELF32.
        seq:
          - id: p_type
            type: u4
          - id: p_flags64
            type: u4
            if: _root.is64
          - id: p_offset
            type: word
          - id: p_vaddr
            type: word
          - id: p_paddr
            type: word
          - id: p_filesz
            type: word
          - id: p_memsz
            type: word
          - id: p_flags32
            type: u4
            if: not _root.is64
          - id: p_align
            type: word
        instances:
          p_flags:
            -ts-type: number
            value: '_root.is64 ? p_flags64 : p_flags32'
          contents_in_file:
            -ts-type: boolean
            value: >-
              p_offset.value <= _root.file_size and p_filesz.value <= _root.file_size - p_offset.value
          interpreter:
            doc: The bytes of a PT_INTERP segment, when they lie inside the file and fit the kernel's 4 KiB limit.
            io: _root._io
            pos: p_offset.value
            size: p_filesz.value
            if: p_type == 3 and p_filesz.value <= 4096 and contents_in_file
          dynamic:
            doc: The entries of a PT_DYNAMIC segment that lie inside the file.
            io: _root._io
            pos: p_offset.value
            size: '(p_filesz.value / _root.dyn_size) * _root.dyn_size'
            type: dynamic_table
            if: p_type == 2 and contents_in_file
      dynamic_table:
        seq:
          - id: entries
            type: dynamic_entry
            repeat: until
            repeat-until: '(_.d_tag.lo == 0 and _.d_tag.hi == 0) or _io.eof'
      dynamic_entry:
        seq:
          - id: d_tag
            type: word
          - id: d_val
            type: word
      section_header:
        seq:
          - id: sh_name
            type: u4
          - id: sh_type
            type: u4
          - id: sh_flags
            type: word
          - id: sh_addr
            type: word
          - id: sh_offset
            type: word
          - id: sh_size
            type: word
          - id: sh_link
            type: u4
          - id: sh_info
            type: u4
          - id: sh_addralign
            type: word
          - id: sh_entsize
            type: word
        instances:
          name:
            doc: The section's name from .shstrtab; absent when sh_name points outside it.
            io: _root.header.section_names._io
            pos: sh_name
            type: str
            terminator: 0
            eos-error: false
            encoding: UTF-8
            if: _root.header.section_names_readable and sh_name < _root.header.section_names._io.size
      string_table:
        seq:
          - id: data
            size-eos: true
      symbol:
        doc: Elf32_Sym or Elf64_Sym; ELF64 moves st_info, st_other and st_shndx before the 8-byte fields.
        seq:
          - id: st_name
            type: u4
          - id: st_info64
            type: u1
            if: _root.is64
          - id: st_other64
            type: u1
            if: _root.is64
          - id: st_shndx64
            type: u2
            if: _root.is64
          - id: st_value
            type: word
          - id: st_size
            type: word
          - id: st_info32
            type: u1
            if: not _root.is64
          - id: st_other32
            type: u1
            if: not _root.is64
          - id: st_shndx32
            type: u2
            if: not _root.is64
        instances:
          st_info:
            -ts-type: number
            value: '_root.is64 ? st_info64 : st_info32'
          st_other:
            -ts-type: number
            value: '_root.is64 ? st_other64 : st_other32'
          st_shndx:
            -ts-type: number
            value: '_root.is64 ? st_shndx64 : st_shndx32'
      rel:
        seq:
          - id: r_offset
            type: word
          - id: r_info
            type: word
      rela:
        seq:
          - id: r_offset
            type: word
          - id: r_info
            type: word
          - id: r_addend
            type: word
      note_header:
        seq:
          - id: n_namesz
            type: u4
          - id: n_descsz
            type: u4
          - id: n_type
            type: u4
      verdef:
        seq:
          - id: vd_version
            type: u2
          - id: vd_flags
            type: u2
          - id: vd_ndx
            type: u2
          - id: vd_cnt
            type: u2
          - id: vd_hash
            type: u4
          - id: vd_aux
            type: u4
          - id: vd_next
            type: u4
      verdaux:
        seq:
          - id: vda_name
            type: u4
          - id: vda_next
            type: u4
      verneed:
        seq:
          - id: vn_version
            type: u2
          - id: vn_cnt
            type: u2
          - id: vn_file
            type: u4
          - id: vn_aux
            type: u4
          - id: vn_next
            type: u4
      vernaux:
        seq:
          - id: vna_hash
            type: u4
          - id: vna_flags
            type: u2
          - id: vna_other
            type: u2
          - id: vna_name
            type: u4
          - id: vna_next
            type: u4
      compression_header:
        doc: Elf32_Chdr (12 bytes) or Elf64_Chdr (24 bytes, a reserved word after ch_type).
        seq:
          - id: ch_type
            type: u4
          - id: ch_reserved
            type: u4
            if: _root.is64
          - id: ch_size
            type: word
          - id: ch_addralign
            type: word
