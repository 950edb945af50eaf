// The note owners (n_name) and types that real files carry. The gABI leaves
// note types to each owner, so a type is known only together with its owner.
// Collected from binutils' readelf (get_note_type, get_gnu_elf_note_type, the
// core-file types), the Linux kernel (include/uapi/linux/elf.h, the vDSO and
// module notes), Xen's public/elfnote.h, SystemTap's sdt.h, Go's
// cmd/link/internal/ld/elf.go, systemd's packaging and dlopen notes
// (uapi-group.org), annobin, gdb and Crashpad.

/** An owner's known types, or `'any'` when the owner numbers its types freely (register sets). */
export interface NoteOwner {
  readonly description: string;
  readonly types: ReadonlyMap<number, string> | 'any';
}

const types = (entries: readonly (readonly [number, string])[]): ReadonlyMap<number, string> => new Map(entries);

/** Annobin's build-attribute notes: the owner is "GA" then the attribute's kind and bytes. */
const ANNOBIN: NoteOwner = {
  description: 'annobin build attributes',
  types: types([[0x100, 'NT_GNU_BUILD_ATTRIBUTE_OPEN'], [0x101, 'NT_GNU_BUILD_ATTRIBUTE_FUNC']]),
};

const CORE_TYPES: readonly (readonly [number, string])[] = [
  [1, 'NT_PRSTATUS'], [2, 'NT_FPREGSET'], [3, 'NT_PRPSINFO'], [4, 'NT_TASKSTRUCT'], [6, 'NT_AUXV'],
  [0x46e62b7f, 'NT_PRXFPREG'], [0x53494749, 'NT_SIGINFO'], [0x46494c45, 'NT_FILE'],
];

const OWNERS: ReadonlyMap<string, NoteOwner> = new Map<string, NoteOwner>([
  ['GNU', {
    description: 'the GNU toolchain',
    types: types([[1, 'NT_GNU_ABI_TAG'], [2, 'NT_GNU_HWCAP'], [3, 'NT_GNU_BUILD_ID'], [4, 'NT_GNU_GOLD_VERSION'], [5, 'NT_GNU_PROPERTY_TYPE_0']]),
  }],
  ['CORE', { description: 'core dumps', types: types(CORE_TYPES) }],
  // Register sets of every architecture (NT_X86_XSTATE, NT_ARM_*, NT_PPC_*, NT_S390_*, ...): the kernel adds them freely.
  ['LINUX', { description: 'Linux core-dump register sets', types: 'any' }],
  ['GDB', { description: 'gdb core dumps', types: types([[0xff000000, 'NT_GDB_TDESC']]) }],
  ['Linux', { description: 'the Linux kernel', types: types([[0, 'LINUX_VERSION_CODE'], [0x100, 'LINUX_ELFNOTE_BUILD_SALT'], [0x101, 'LINUX_ELFNOTE_LTO_INFO']]) }],
  // XEN_ELFNOTE_INFO (0) to XEN_ELFNOTE_PHYS32_RELOC (19) and the few added since.
  ['Xen', { description: 'Xen guest kernels', types: types(Array.from({ length: 24 }, (_, type) => [type, `XEN_ELFNOTE ${type}`] as const)) }],
  ['stapsdt', { description: 'SystemTap static probes', types: types([[3, 'NT_STAPSDT']]) }],
  ['Go', { description: 'the Go linker', types: types([[1, 'ELF_NOTE_GOPKGLIST'], [2, 'ELF_NOTE_GOABIHASH'], [3, 'ELF_NOTE_GODEPS'], [4, 'ELF_NOTE_GOBUILDID']]) }],
  ['FDO', { description: 'freedesktop.org package and dlopen metadata', types: types([[0xcafe1a7e, 'FDO_PACKAGING_METADATA'], [0x407c0c0a, 'FDO_DLOPEN_METADATA']]) }],
  ['Android', { description: 'Android', types: types([[1, 'NT_ANDROID_TYPE_IDENT'], [3, 'NT_ANDROID_TYPE_KUSER'], [4, 'NT_ANDROID_TYPE_MEMTAG']]) }],
  ['FreeBSD', { description: 'FreeBSD', types: types([[1, 'NT_FREEBSD_ABI_TAG'], [2, 'NT_FREEBSD_NOINIT_TAG'], [3, 'NT_FREEBSD_ARCH_TAG'], [4, 'NT_FREEBSD_FEATURE_CTL']]) }],
  ['NetBSD', { description: 'NetBSD', types: types([[1, 'NT_NETBSD_IDENT'], [2, 'NT_NETBSD_EMULATION'], [5, 'NT_NETBSD_MARCH'], [6, 'NT_NETBSD_CMODEL']]) }],
  ['OpenBSD', { description: 'OpenBSD', types: types([[1, 'NT_OPENBSD_IDENT']]) }],
  ['PaX', { description: 'PaX flags', types: types([[3, 'NT_NETBSD_PAX']]) }],
  ['VMCOREINFO', { description: 'kdump vmcore information', types: types([[0, 'VMCOREINFO']]) }],
  // Chromium's crash handler: CRASHPAD_ELF_NOTE_TYPE_CRASHPAD_INFO ("INFO").
  ['Crashpad', { description: 'Crashpad (Chromium)', types: types([[0x4f464e49, 'CRASHPAD_INFO']]) }],
  ['LLVMOFFLOAD', { description: 'LLVM offload images', types: types([[1, 'NT_LLVM_OPENMP_OFFLOAD_VERSION'], [2, 'NT_LLVM_OPENMP_OFFLOAD_PRODUCER'], [3, 'NT_LLVM_OPENMP_OFFLOAD_PRODUCER_VERSION']]) }],
]);

/** The owner a note name belongs to, or undefined for an owner nobody here registers. */
export function noteOwner(name: string): NoteOwner | undefined {
  return OWNERS.get(name) ?? (name.startsWith('GA') ? ANNOBIN : undefined);
}

/** The type's name under its owner: undefined when the owner or the type is unknown. */
export function noteTypeName(name: string | undefined, type: number): string | undefined {
  const owner = name === undefined ? undefined : noteOwner(name);
  if (!owner) return undefined;
  return owner.types === 'any' ? `type 0x${type.toString(16)}` : owner.types.get(type);
}
