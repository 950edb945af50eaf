// The architecture profiles against the kernel facts they encode: which
// headers each loader takes, how names resolve, and whether the address
// space numbers hang together.
import { describe, expect, it } from 'vitest';
import {
  ARCH_PROFILES, archByMachine, archByName, archForFile, coreNoteSizesFor, processorSectionFlagsFor, type ArchProfile, type LoaderProfile,
} from '../src/model/arch/index.js';
import { RISCV64_COMPAT_RV32 } from '../src/model/arch/riscv64.js';
import {
  ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFDATA2MSB, EM_386, EM_486, EM_AARCH64, EM_ARM, EM_LOONGARCH, EM_MIPS,
  EM_MIPS_RS3_LE, EM_PPC, EM_PPC64, EM_RISCV, EM_S390, EM_S390_OLD, EM_X86_64, ET_EXEC,
} from '../src/model/constants.js';
import type { FileHeader, Identification } from '../src/model/elf.js';
import { MACHINES } from '../src/model/machines.js';
import { processRanges, type AddressRange } from '../src/loader/process-layout.js';

type Class = 'ELF32' | 'ELF64';

function ident(elfClass: Class, byteOrder: 'LSB' | 'MSB' = 'LSB', osAbi = 0): Identification {
  return {
    magic: Uint8Array.of(0x7f, 0x45, 0x4c, 0x46),
    fileClass: elfClass === 'ELF32' ? ELFCLASS32 : ELFCLASS64,
    data: byteOrder === 'MSB' ? ELFDATA2MSB : ELFDATA2LSB,
    version: 1,
    osAbi,
    abiVersion: 0,
    pad: new Uint8Array(7),
  };
}

function header(e_machine: number, e_flags = 0, e_entry = 0x10000n): FileHeader {
  return {
    e_type: ET_EXEC, e_machine, e_version: 1, e_entry, e_phoff: 64n, e_shoff: 0n, e_flags,
    e_ehsize: 64, e_phentsize: 56, e_phnum: 1, e_shentsize: 64, e_shnum: 0, e_shstrndx: 0,
  };
}

function profile(name: string): ArchProfile {
  const found = archByName(name);
  if (!found) throw new Error(`no profile ${name}`);
  return found;
}

function loader(arch: ArchProfile, name: string): LoaderProfile {
  const found = arch.loaders.find((each) => each.name === name);
  if (!found) throw new Error(`${arch.name} has no loader ${name}`);
  return found;
}

/** The e_flags a well-formed file of this loader carries (ARM EABI version 5, n32's ABI2 bit). */
function ownFlags(each: LoaderProfile): number {
  if (each.machines.includes(EM_ARM)) return 0x05000400;
  if (each.name === 'n32') return 0x20;
  return 0;
}

const isPowerOfTwo = (value: bigint): boolean => value > 0n && (value & (value - 1n)) === 0n;

describe('every profile', () => {
  it('is registered in the documented order', () => {
    expect(ARCH_PROFILES.map((arch) => arch.name)).toEqual([
      'x86_64', 'i386', 'aarch64', 'arm', 'riscv64', 'ppc64le', 'ppc64', 's390x',
      'mips64el', 'mips64', 'mipsel', 'mips', 'loongarch64',
    ]);
  });

  it('has names and aliases that are unique and lower case', () => {
    const all = ARCH_PROFILES.flatMap((arch) => [arch.name, ...arch.aliases]);
    expect(new Set(all).size).toBe(all.length);
    for (const name of all) expect(name).toBe(name.toLowerCase());
  });

  for (const arch of ARCH_PROFILES) {
    describe(arch.name, () => {
      const native = arch.loaders[0]!;
      const foreign = native.machines.includes(EM_X86_64) ? EM_AARCH64 : EM_X86_64;

      it('resolves by its name and every alias, in any case', () => {
        expect(archByName(arch.name)).toBe(arch);
        expect(archByName(arch.name.toUpperCase())).toBe(arch);
        for (const alias of arch.aliases) expect(archByName(alias)).toBe(arch);
      });

      it('has a native loader that takes its own machine and class and refuses a foreign machine', () => {
        for (const machine of native.machines) {
          expect(native.accepts(header(machine, ownFlags(native)), ident(native.elfClass, arch.byteOrder))).toBe(true);
        }
        expect(native.accepts(header(foreign, ownFlags(native)), ident(native.elfClass, arch.byteOrder))).toBe(false);
        expect(native.accepts(header(0), ident(native.elfClass, arch.byteOrder))).toBe(false);
      });

      it('finds its own files through archForFile', () => {
        const found = archForFile(ident(native.elfClass, arch.byteOrder), header(native.machines[0]!, ownFlags(native)));
        // Two profiles can share a native machine (mips64el and mips64 differ only in byte order, which this checks).
        expect(found?.loader).toBe(native);
        expect(found?.arch.byteOrder).toBe(arch.byteOrder);
      });

      it('has loaders with distinct names, each taking its own machines', () => {
        const names = arch.loaders.map((each) => each.name);
        expect(new Set(names).size).toBe(names.length);
        for (const each of arch.loaders) {
          for (const machine of each.machines) {
            expect(each.accepts(header(machine, ownFlags(each)), ident(each.elfClass, arch.byteOrder)), `${each.name} EM ${machine}`).toBe(true);
          }
          expect(each.accepts(header(foreign), ident(each.elfClass, arch.byteOrder))).toBe(false);
        }
      });

      it('has power-of-two page sizes and a sane address space for each loader', () => {
        expect(arch.pageSizes.length).toBeGreaterThan(0);
        for (const size of arch.pageSizes) expect(isPowerOfTwo(size), `${size}`).toBe(true);
        expect(new Set(arch.pageSizes).size).toBe(arch.pageSizes.length);
        const page = arch.pageSizes[0]!;
        expect(arch.mmapMinAddr % 4096n).toBe(0n);
        for (const each of arch.loaders) {
          const wordTop = each.elfClass === 'ELF32' ? 1n << 32n : 1n << 64n;
          expect(each.taskSize).toBeLessThanOrEqual(wordTop);
          expect(each.taskSize % page, `${each.name} taskSize`).toBe(0n);
          expect(each.dynBase % page, `${each.name} dynBase`).toBe(0n);
          expect(each.dynBase).toBeGreaterThan(arch.mmapMinAddr);
          expect(each.dynBase).toBeLessThan(each.taskSize);
          // The highest randomised base still leaves room below TASK_SIZE.
          expect(each.dynBase + (1n << BigInt(each.randomBits)) * page).toBeLessThan(each.taskSize);
          expect(each.randomBits).toBeGreaterThanOrEqual(7);
          expect(each.randomBits).toBeLessThanOrEqual(33);
          expect(each.source).toMatch(/^(arch|fs|mm)\//);
        }
        expect(arch.source).toMatch(/^arch\//);
        expect(arch.assumes.length).toBeGreaterThan(20);
      });
    });
  }
});

describe('x86_64', () => {
  const x86 = profile('amd64');

  it('takes EM_386 and EM_486 ELF32 files through ia32, and ELF32 EM_X86_64 through x32', () => {
    const ia32 = loader(x86, 'ia32');
    const x32 = loader(x86, 'x32');
    expect(ia32.accepts(header(EM_386), ident('ELF32'))).toBe(true);
    expect(ia32.accepts(header(EM_486), ident('ELF32'))).toBe(true);
    expect(ia32.accepts(header(EM_X86_64), ident('ELF32'))).toBe(false);
    expect(x32.accepts(header(EM_X86_64), ident('ELF32'))).toBe(true);
    expect(x32.accepts(header(EM_386), ident('ELF32'))).toBe(false);
    expect(archForFile(ident('ELF32'), header(EM_X86_64))?.loader).toBe(x32);
  });

  it('places 64-bit PIEs at 2/3 of 47 bits and 32-bit ones at TASK_UNMAPPED_BASE + 16 MiB', () => {
    expect(x86.loaders[0]!.dynBase).toBe(0x555555554000n);
    expect(loader(x86, 'ia32').dynBase).toBe(0x56555000n);
    expect(loader(x86, 'x32').dynBase).toBe(0x56555000n);
    expect(loader(x86, 'ia32').taskSize).toBe(0xffffe000n);
  });
});

describe('i386', () => {
  const i386 = profile('i686');

  it('is a native ELF32 kernel with a 3G/1G split', () => {
    expect(i386.loaders).toHaveLength(1);
    expect(i386.loaders[0]!.taskSize).toBe(0xc0000000n);
    expect(i386.loaders[0]!.dynBase).toBe(0x400000n);
    expect(i386.loaders[0]!.accepts(header(EM_486), ident('ELF32'))).toBe(true);
  });

  it('is where an i386 file goes, ahead of the x86-64 compat loader', () => {
    expect(archForFile(ident('ELF32'), header(EM_386))?.arch).toBe(i386);
    expect(archByMachine(EM_386)).toBe(i386);
    expect(archByName('x86')).toBe(i386);
    expect(archByName('ia32')).toBeUndefined();
  });
});

describe('aarch64', () => {
  const arm64 = profile('arm64');
  const aarch32 = loader(arm64, 'aarch32');

  it('takes only EABI ARM files in AArch32', () => {
    expect(aarch32.accepts(header(EM_ARM, 0x05000000), ident('ELF32'))).toBe(true);
    expect(aarch32.accepts(header(EM_ARM, 0x00000400), ident('ELF32'))).toBe(false);
  });

  it('places AArch32 PIEs at 0x400000 like 32-bit ARM', () => {
    expect(aarch32.dynBase).toBe(0x400000n);
    expect(arm64.loaders[0]!.dynBase).toBe(0xaaaaaaaaa000n);
  });

  it('reads PT_GNU_PROPERTY (the native loader insists on a 4-byte FEATURE_1_AND) and checks VM_EXEC before faulting a fetch in', () => {
    expect(arm64.gnuProperty?.source).toContain('parse_elf_properties');
    expect(arm64.loaders[0]!.gnuPropertySizes).toEqual([[0xc0000000, 4]]);
    expect(aarch32.gnuPropertySizes).toBeUndefined();
    expect(arm64.fetchFault?.order).toBe('permission-first');
  });
});

describe('fault and property facts across the profiles (confirmed on the guest kernels)', () => {
  it('only arm64 parses GNU properties at execve; arm64 and riscv64 refuse a fetch before faulting the page in, x86 faults it in first', () => {
    expect(ARCH_PROFILES.filter((arch) => arch.gnuProperty).map((arch) => arch.name)).toEqual(['aarch64']);
    expect(ARCH_PROFILES.filter((arch) => arch.fetchFault?.order === 'permission-first').map((arch) => arch.name).sort()).toEqual(['aarch64', 'riscv64']);
    expect(profile('x86_64').fetchFault).toBeUndefined();
  });
});

describe('arm', () => {
  const arm = profile('armhf');
  const native = arm.loaders[0]!;
  const eabi5 = 0x05000400;

  it('checks the entry point: word aligned for ARM code, any odd address for Thumb', () => {
    expect(native.accepts(header(EM_ARM, eabi5, 0x10000n), ident('ELF32'))).toBe(true);
    expect(native.accepts(header(EM_ARM, eabi5, 0x10001n), ident('ELF32'))).toBe(true);
    expect(native.accepts(header(EM_ARM, eabi5, 0x10003n), ident('ELF32'))).toBe(true);
    expect(native.accepts(header(EM_ARM, eabi5, 0x10002n), ident('ELF32'))).toBe(false);
  });

  it('refuses legacy-ABI APCS-26 files but not EABI files with that bit', () => {
    expect(native.accepts(header(EM_ARM, 0x00000008), ident('ELF32'))).toBe(false);
    expect(native.accepts(header(EM_ARM, 0x05000008), ident('ELF32'))).toBe(true);
    expect(native.accepts(header(EM_ARM, 0x00000400), ident('ELF32'))).toBe(true);
    expect(native.accepts(header(EM_ARM, 0x00000200), ident('ELF32'))).toBe(true);
  });

  it('leaves FDPIC files (EI_OSABI 65) to another handler', () => {
    expect(native.accepts(header(EM_ARM, eabi5), ident('ELF32', 'LSB', 65))).toBe(false);
  });

  it('has a 3G/1G user space less the module area', () => {
    expect(native.taskSize).toBe(0xbf000000n);
    expect(native.dynBase).toBe(0x400000n);
    expect(archByName('armel')).toBe(arm);
  });

  it('is where a 32-bit ARM file goes, ahead of arm64 compat', () => {
    expect(archForFile(ident('ELF32'), header(EM_ARM, eabi5))?.arch).toBe(arm);
  });
});

describe('riscv64', () => {
  const riscv = profile('riscv64');

  it('checks EI_CLASS: the native loader refuses RV32 files', () => {
    expect(riscv.loaders[0]!.accepts(header(EM_RISCV), ident('ELF64'))).toBe(true);
    expect(riscv.loaders[0]!.accepts(header(EM_RISCV), ident('ELF32'))).toBe(false);
  });

  it('has no rv32 loader (CONFIG_COMPAT off, as in Debian); the compat profile takes only ELFCLASS32', () => {
    expect(riscv.loaders).toHaveLength(1);
    expect(archForFile(ident('ELF32'), header(EM_RISCV))).toBeUndefined();
    expect(RISCV64_COMPAT_RV32.accepts(header(EM_RISCV), ident('ELF32'))).toBe(true);
    expect(RISCV64_COMPAT_RV32.accepts(header(EM_RISCV), ident('ELF64'))).toBe(false);
    expect(RISCV64_COMPAT_RV32.dynBase).toBeLessThan(RISCV64_COMPAT_RV32.taskSize);
  });

  it('assumes Sv39', () => {
    expect(riscv.loaders[0]!.taskSize).toBe(1n << 38n);
    expect(riscv.loaders[0]!.dynBase).toBe(0x2aaaaaa000n);
  });
});

describe('ppc64 and ppc64le', () => {
  const le = profile('ppc64el');
  const be = profile('powerpc64');

  it('read fields in their own byte order', () => {
    expect(le.byteOrder).toBe('LSB');
    expect(be.byteOrder).toBe('MSB');
  });

  it('do not check the ELF ABI version in e_flags', () => {
    for (const flags of [0, 1, 2, 3]) expect(le.loaders[0]!.accepts(header(EM_PPC64, flags), ident('ELF64'))).toBe(true);
  });

  it('take 32-bit PowerPC only on the big-endian (CONFIG_COMPAT) kernel', () => {
    expect(le.loaders).toHaveLength(1);
    const ppc32 = loader(be, 'ppc32');
    expect(ppc32.accepts(header(EM_PPC), ident('ELF32', 'MSB'))).toBe(true);
    expect(ppc32.accepts(header(EM_PPC64), ident('ELF32', 'MSB'))).toBe(false);
    expect(archForFile(ident('ELF32', 'MSB'), header(EM_PPC))?.loader).toBe(ppc32);
    expect(archForFile(ident('ELF32', 'LSB'), header(EM_PPC))).toBeUndefined();
  });

  it('assume 64 KiB pages and place PIEs at 4 GiB', () => {
    expect(le.pageSizes[0]).toBe(65536n);
    expect(le.loaders[0]!.dynBase).toBe(0x100000000n);
    expect(loader(be, 'ppc32').dynBase).toBe(0x400000n);
  });
});

describe('s390x', () => {
  const s390x = profile('s390x');
  const native = s390x.loaders[0]!;
  const compat = loader(s390x, 's390');

  it('takes EM_S390 and the old 0xA390, and checks EI_CLASS in both loaders', () => {
    expect(native.accepts(header(EM_S390_OLD), ident('ELF64', 'MSB'))).toBe(true);
    expect(native.accepts(header(EM_S390), ident('ELF32', 'MSB'))).toBe(false);
    expect(compat.accepts(header(EM_S390_OLD), ident('ELF32', 'MSB'))).toBe(true);
    expect(compat.accepts(header(EM_S390), ident('ELF64', 'MSB'))).toBe(false);
  });

  it('sends 31-bit programs to the compat loader', () => {
    expect(archForFile(ident('ELF32', 'MSB'), header(EM_S390))?.loader).toBe(compat);
    expect(compat.taskSize).toBe(0x80000000n);
    expect(native.dynBase).toBe(0x2aa00000000n);
  });
});

describe('mips', () => {
  const mips = profile('mips');
  const mipsel = profile('mipsel');
  const mips64el = profile('mips64el');
  const o32 = loader(mips64el, 'o32');
  const n32 = loader(mips64el, 'n32');

  it('32-bit kernels take o32 files only', () => {
    const native = mipsel.loaders[0]!;
    expect(native.accepts(header(EM_MIPS, 0x00001000), ident('ELF32'))).toBe(true);
    expect(native.accepts(header(EM_MIPS, 0), ident('ELF32'))).toBe(true);
    expect(native.accepts(header(EM_MIPS, 0x00000020), ident('ELF32'))).toBe(false);
    expect(native.accepts(header(EM_MIPS, 0x00002000), ident('ELF32'))).toBe(false);
    expect(native.accepts(header(EM_MIPS), ident('ELF64'))).toBe(false);
    expect(native.accepts(header(EM_MIPS_RS3_LE), ident('ELF32'))).toBe(false);
    expect(mips.loaders).toHaveLength(1);
  });

  it('64-bit kernels take n64 natively and o32 and n32 through disjoint compat loaders', () => {
    expect(mips64el.loaders.map((each) => each.name)).toEqual(['mips64el', 'o32', 'n32']);
    expect(mips64el.loaders[0]!.accepts(header(EM_MIPS, 0x12345678), ident('ELF64'))).toBe(true);
    expect(mips64el.loaders[0]!.accepts(header(EM_MIPS), ident('ELF32'))).toBe(false);
    for (const flags of [0, 0x1000, 0x20, 0x1020, 0x2000, 0x3000]) {
      const taken = [o32, n32].filter((each) => each.accepts(header(EM_MIPS, flags), ident('ELF32')));
      expect(taken.length, `e_flags ${flags}`).toBeLessThanOrEqual(1);
    }
    expect(n32.accepts(header(EM_MIPS, 0x20), ident('ELF32'))).toBe(true);
    expect(n32.accepts(header(EM_MIPS, 0x1020), ident('ELF32'))).toBe(false);
    expect(o32.accepts(header(EM_MIPS, 0x1000), ident('ELF32'))).toBe(true);
    expect(o32.taskSize).toBe(0x7fff8000n);
  });

  it('sends an n32 file to the 64-bit kernel and an o32 file to the 32-bit one of its byte order', () => {
    expect(archForFile(ident('ELF32'), header(EM_MIPS, 0x20))?.loader).toBe(n32);
    expect(archForFile(ident('ELF32', 'MSB'), header(EM_MIPS, 0x1000))?.arch).toBe(mips);
    expect(archForFile(ident('ELF64', 'MSB'), header(EM_MIPS))?.arch).toBe(profile('mips64'));
  });
});

describe('loongarch64', () => {
  const loong = profile('loong64');

  it('checks EI_CLASS and assumes 16 KiB pages', () => {
    expect(loong.loaders[0]!.accepts(header(EM_LOONGARCH), ident('ELF64'))).toBe(true);
    expect(loong.loaders[0]!.accepts(header(EM_LOONGARCH), ident('ELF32'))).toBe(false);
    expect(loong.pageSizes[0]).toBe(16384n);
    expect(loong.loaders).toHaveLength(1);
  });
});

describe('MACHINES', () => {
  it('names machines as binutils does', () => {
    expect(MACHINES.get(EM_X86_64)).toMatchObject({ name: 'X86_64', description: 'Advanced Micro Devices X86-64' });
    expect(MACHINES.get(EM_386)).toMatchObject({ name: '386', description: 'Intel 80386' });
    expect(MACHINES.get(EM_AARCH64)).toMatchObject({ name: 'AARCH64', description: 'AArch64' });
    expect(MACHINES.get(EM_S390_OLD)?.description).toBe(MACHINES.get(EM_S390)?.description);
    expect(MACHINES.get(0x9026)?.name).toBe('ALPHA');
    expect(MACHINES.get(12)).toBeUndefined();
  });

  it('fixes the classes the architectures fix', () => {
    expect(MACHINES.get(EM_386)?.classes).toEqual(['ELF32']);
    expect(MACHINES.get(EM_X86_64)?.classes).toEqual(['ELF32', 'ELF64']);
    expect(MACHINES.get(EM_AARCH64)?.classes).toEqual(['ELF64']);
    expect(MACHINES.get(EM_PPC64)?.classes).toEqual(['ELF64']);
    expect(MACHINES.get(EM_ARM)?.classes).toEqual(['ELF32']);
    expect(MACHINES.get(EM_MIPS)?.classes).toEqual(['ELF32', 'ELF64']);
    expect(MACHINES.get(EM_MIPS_RS3_LE)?.classes).toBeUndefined();
  });

  it('agrees with every loader about the classes its machines come in', () => {
    for (const arch of ARCH_PROFILES) {
      for (const each of arch.loaders) {
        for (const machine of each.machines) {
          const classes: readonly Class[] | undefined = MACHINES.get(machine)?.classes;
          if (classes) expect(classes, `${each.name} EM ${machine}`).toContain(each.elfClass);
        }
      }
    }
  });
});

describe('the process layout (stack, heap and mmap base)', () => {
  const hex = (range: AddressRange | undefined) => range && [`0x${range.low.toString(16)}`, `0x${range.high.toString(16)}`];

  it('sits inside each personality\'s address space, with the mmap area between the PIE base and the stack', () => {
    for (const arch of ARCH_PROFILES) {
      for (const each of arch.loaders) {
        const facts = each.process;
        if (!facts) continue;
        const name = `${arch.name} ${each.name}`;
        expect(facts.stackTop <= each.taskSize, name).toBe(true);
        expect(facts.stackRandom % 4096n, name).toBe(0n);
        expect(facts.stackRandom > 0n && facts.stackRandom < facts.stackTop / 4n, name).toBe(true);
        expect(isPowerOfTwo(facts.brkRandom) && facts.brkRandom >= 1n << 23n, name).toBe(true);
        for (const page of arch.pageSizes) {
          const ranges = processRanges(each, page, each.dynBase + 0x10000n, false)!;
          expect(ranges.mmapBase.low < ranges.mmapBase.high && ranges.mmapBase.high < ranges.stackTop.low, `${name} page ${page}`).toBe(true);
          expect(ranges.mmapBase.low > each.dynBase, `${name} page ${page}`).toBe(true);
          expect([ranges.stackTop.low, ranges.mmapBase.low, ranges.heapStart.low].every((at) => at % page === 0n), `${name} page ${page}`).toBe(true);
        }
      }
    }
  });

  it('x86_64: 16 GiB of stack randomisation and a 1 GiB brk range for 64-bit tasks, 8 MiB and 32 MiB for ia32 and x32', () => {
    const x86 = profile('x86_64');
    expect(loader(x86, 'x86_64').process).toMatchObject({ stackTop: 0x7ffffffff000n, stackRandom: 0x3fffff000n, brkRandom: 1n << 30n });
    for (const name of ['ia32', 'x32']) expect(loader(x86, name).process).toMatchObject({ stackTop: 0xffffe000n, stackRandom: 0x7ff000n, brkRandom: 1n << 25n });
    // The seed's image ends at 0x401000: the brk is a page above it.
    const native = processRanges(loader(x86, 'x86_64'), 4096n, 0x401000n, false)!;
    expect([hex(native.heapStart), hex(native.mmapBase), hex(native.stackTop)]).toEqual([
      ['0x402000', '0x40401000'], ['0x7efbff701000', '0x7ffbff700000'], ['0x7ffc00000000', '0x7ffffffff000'],
    ]);
    // ia32: the gap is the 128 MiB minimum; 8 bits of mmap randomisation.
    const ia32 = processRanges(loader(x86, 'ia32'), 4096n, 0x8049000n, false)!;
    expect([hex(ia32.heapStart), hex(ia32.mmapBase), hex(ia32.stackTop)]).toEqual([
      ['0x804a000', '0xa049000'], ['0xf7eff000', '0xf7ffe000'], ['0xff7ff000', '0xffffe000'],
    ]);
  });

  it('an ET_DYN program without an interpreter has its brk at ELF_ET_DYN_BASE, not after its image', () => {
    const ranges = processRanges(loader(profile('x86_64'), 'x86_64'), 4096n, 0x2000n, true)!;
    expect(hex(ranges.heapStart)).toEqual(['0x555555554000', '0x555595553000']);
    expect(ranges.heapFollowsImage).toBe(false);
  });

  it('rounds the stack randomisation down to the page where the kernel shifts its mask (ppc64 with 64 KiB pages)', () => {
    const ppc = processRanges(loader(profile('ppc64'), 'ppc64'), 65536n, 0x10020000n, false)!;
    expect(hex(ppc.stackTop)).toEqual(['0x7fffc0010000', '0x800000000000']);
  });

  it('is absent where elf-lint does not know it, and then there are no ranges', () => {
    const without = ARCH_PROFILES.flatMap((arch) => arch.loaders.filter((each) => !each.process).map((each) => `${arch.name} ${each.name}`));
    expect(without.every((name) => /^(s390x|mips|loongarch)/.test(name)), without.join(', ')).toBe(true);
    expect(processRanges(loader(profile('s390x'), 's390x'), 4096n, 0x401000n, false)).toBeUndefined();
  });
});

describe('processor section flags and core note sizes', () => {
  it('lists, for every machine a loader takes, its processor section flags inside SHF_MASKPROC', () => {
    for (const arch of ARCH_PROFILES) {
      for (const machine of arch.loaders.flatMap((each) => each.machines).filter((each) => each !== EM_S390_OLD)) {
        const flags = processorSectionFlagsFor(machine);
        expect(flags, `${arch.name} EM ${machine}`).toBeDefined();
        for (const [bit, name] of flags!.known) {
          expect(bit & ~0xf0000000n, `${name} is a processor bit`).toBe(0n);
          expect(name).toMatch(/^SHF_/);
        }
      }
    }
    expect(processorSectionFlagsFor(EM_X86_64)!.known).toEqual([[0x10000000n, 'SHF_X86_64_LARGE']]);
    expect(processorSectionFlagsFor(EM_386)!.known).toEqual([]);
  });

  it('lists the core note sizes of every native loader\'s machine and class, from the struct layouts', () => {
    for (const arch of ARCH_PROFILES) {
      const native = arch.loaders[0]!;
      const sizes = coreNoteSizesFor(native.machines[0]!, native.elfClass);
      expect(sizes, arch.name).toBeDefined();
      // elf_prpsinfo: 136 bytes with 8-byte longs, 124 or 128 (16- or 32-bit uids) with 4-byte ones.
      expect(sizes!.prpsinfo.every((size) => (native.elfClass === 'ELF64' ? size === 136 : size === 124 || size === 128)), arch.name).toBe(true);
      // elf_prstatus: 112 (64-bit) or 72 (32-bit) bytes before the registers, 4 after, padded to the alignment.
      expect(sizes!.prstatus.every((size) => size > (native.elfClass === 'ELF64' ? 116 : 76) && size % 4 === 0), arch.name).toBe(true);
    }
    expect(coreNoteSizesFor(EM_X86_64, 'ELF64')).toMatchObject({ prstatus: [336], prpsinfo: [136], fpregset: [512] });
    expect(coreNoteSizesFor(EM_X86_64, 'ELF32')).toMatchObject({ prstatus: [296], prpsinfo: [124] });
    expect(coreNoteSizesFor(EM_386, 'ELF32')).toMatchObject({ prstatus: [144], prpsinfo: [124], fpregset: [108] });
    expect(coreNoteSizesFor(EM_MIPS, 'ELF32')!.prstatus).toEqual([256, 440]);
  });
});
