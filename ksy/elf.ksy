meta:
  id: elf
  title: Executable and Linkable Format, as elf-lint reads it
  license: MIT
  ks-version: 0.11
  endian: le
doc: |
  elf-lint's own schema for ELF files. It is written for linting, so it is
  deliberately forgiving: only the magic is validated, every table is a lazy
  instance guarded by bounds checks against the real file size, and every
  64-bit field is read as two 32-bit halves so that the TypeScript side can
  rebuild it exactly as a BigInt (Kaitai's JavaScript u8 is a lossy double).

  The caller passes the real file size as `file_size`. The caller may pad a
  short file with zeros up to the 64-byte ELF64 header, as the Linux loader
  does with its zeroed buffer; bounds checks always use `file_size`.

  A file whose EI_CLASS is not ELFCLASS32 is read with the ELF64 layout, and a
  file whose EI_DATA is not ELFDATA2MSB is read little-endian: that is what
  the Linux x86-64 loader does, since it reads neither byte.
params:
  - id: file_size
    type: u4
    doc: Size of the file on disk; may be smaller than the stream.
  - id: force_elf64
    type: bool
    doc: Read the ELF64 layout even when EI_CLASS says ELF32, as the x86-64 kernel does.
  - id: force_lsb
    type: bool
    doc: Read little-endian whatever EI_DATA says, as a little-endian kernel does.
seq:
  - id: ident
    type: identification
  - id: body
    type: elf64
    if: ident.file_class != 1 or force_elf64
    doc: ELF32 files stop after the identification for now.
instances:
  big_endian:
    value: 'not force_lsb and ident.data == 2'
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
  elf64:
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
        type: u8_exact
      - id: e_phoff
        type: u8_exact
      - id: e_shoff
        type: u8_exact
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
        value: >-
          e_shoff.hi == 0 and e_shoff.lo != 0 and e_shentsize >= 64
          and e_shoff.lo + 64 <= _root.file_size
      section_zero:
        doc: Section 0, which carries the real counts under extended numbering.
        io: _root._io
        pos: e_shoff.lo
        size: 64
        type: section_header
        if: section_zero_readable
      phnum:
        doc: Program header count, with PN_XNUM (0xffff) resolved through section 0's sh_info.
        value: 'e_phnum == 0xffff and section_zero_readable ? section_zero.sh_info : e_phnum'
      shnum:
        doc: Section header count; 0 in e_shnum with e_shoff set means section 0's sh_size holds it.
        value: >-
          e_shnum != 0 ? e_shnum :
          (section_zero_readable and section_zero.sh_size.hi == 0 ? section_zero.sh_size.lo : 0)
      shstrndx:
        doc: Section name table index, with SHN_XINDEX (0xffff) resolved through section 0's sh_link.
        value: 'e_shstrndx == 0xffff and section_zero_readable ? section_zero.sh_link : e_shstrndx'
      phdr_table_starts_in_file:
        value: 'e_phoff.hi == 0 and e_phoff.lo < _root.file_size and e_phentsize >= 56'
      phnum_in_file:
        doc: How many whole program header entries lie inside the file.
        value: >-
          phdr_table_starts_in_file ?
          ((_root.file_size - e_phoff.lo) / e_phentsize < phnum ? (_root.file_size - e_phoff.lo) / e_phentsize : phnum)
          : 0
      program_headers:
        io: _root._io
        pos: e_phoff.lo
        size: e_phentsize
        type: program_header
        repeat: expr
        repeat-expr: phnum_in_file
        if: phnum_in_file > 0
      shdr_table_starts_in_file:
        value: 'e_shoff.hi == 0 and e_shoff.lo != 0 and e_shoff.lo < _root.file_size and e_shentsize >= 64'
      shnum_in_file:
        doc: How many whole section header entries lie inside the file.
        value: >-
          shdr_table_starts_in_file ?
          ((_root.file_size - e_shoff.lo) / e_shentsize < shnum ? (_root.file_size - e_shoff.lo) / e_shentsize : shnum)
          : 0
      section_headers:
        io: _root._io
        pos: e_shoff.lo
        size: e_shentsize
        type: section_header
        repeat: expr
        repeat-expr: shnum_in_file
        if: shnum_in_file > 0
      section_names_readable:
        value: >-
          shstrndx != 0 and shstrndx < shnum_in_file
          and section_headers[shstrndx].sh_type != 8
          and section_headers[shstrndx].sh_offset.hi == 0
          and section_headers[shstrndx].sh_size.hi == 0
          and section_headers[shstrndx].sh_offset.lo <= _root.file_size
          and section_headers[shstrndx].sh_size.lo <= _root.file_size - section_headers[shstrndx].sh_offset.lo
      section_names:
        doc: The section name string table (.shstrtab), when it lies inside the file.
        io: _root._io
        pos: section_headers[shstrndx].sh_offset.lo
        size: section_headers[shstrndx].sh_size.lo
        type: string_table
        if: section_names_readable
    types:
      u8_exact:
        doc: A 64-bit field as two exact 32-bit halves, in the file's byte order.
        seq:
          - id: first
            type: u4
          - id: second
            type: u4
        instances:
          lo:
            value: '_root.big_endian ? second : first'
          hi:
            value: '_root.big_endian ? first : second'
      program_header:
        seq:
          - id: p_type
            type: u4
          - id: p_flags
            type: u4
          - id: p_offset
            type: u8_exact
          - id: p_vaddr
            type: u8_exact
          - id: p_paddr
            type: u8_exact
          - id: p_filesz
            type: u8_exact
          - id: p_memsz
            type: u8_exact
          - id: p_align
            type: u8_exact
        instances:
          interpreter:
            doc: The bytes of a PT_INTERP segment, when they lie inside the file and fit the kernel's 4 KiB limit.
            io: _root._io
            pos: p_offset.lo
            size: p_filesz.lo
            if: >-
              p_type == 3 and p_offset.hi == 0 and p_filesz.hi == 0 and p_filesz.lo <= 4096
              and p_offset.lo <= _root.file_size and p_filesz.lo <= _root.file_size - p_offset.lo
      section_header:
        seq:
          - id: sh_name
            type: u4
          - id: sh_type
            type: u4
          - id: sh_flags
            type: u8_exact
          - id: sh_addr
            type: u8_exact
          - id: sh_offset
            type: u8_exact
          - id: sh_size
            type: u8_exact
          - id: sh_link
            type: u4
          - id: sh_info
            type: u4
          - id: sh_addralign
            type: u8_exact
          - id: sh_entsize
            type: u8_exact
        instances:
          name:
            doc: The section's name from .shstrtab; absent when sh_name points outside it.
            io: _root.body.section_names._io
            pos: sh_name
            type: str
            terminator: 0
            eos-error: false
            encoding: UTF-8
            if: _root.body.section_names_readable and sh_name < _root.body.section_names._io.size
      string_table:
        seq:
          - id: data
            size-eos: true
