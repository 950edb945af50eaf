// The initramfs a guest kernel boots: a cpio archive in the "newc" format the
// kernel unpacks into its root file system (init/initramfs.c), uncompressed.
// Written here so that building one needs no cpio tool.

export type CpioEntry =
  | { readonly kind: 'directory'; readonly path: string; readonly mode: number }
  | { readonly kind: 'file'; readonly path: string; readonly mode: number; readonly data: Uint8Array }
  | { readonly kind: 'char-device'; readonly path: string; readonly mode: number; readonly major: number; readonly minor: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFCHR = 0o020000;
const MAGIC = '070701';
const HEADER_SIZE = 110;
const TRAILER = 'TRAILER!!!';

function field(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`cpio field out of range: ${value}`);
  return value.toString(16).padStart(8, '0');
}

/** Bytes of padding after `length` bytes to reach a multiple of 4. */
const pad4 = (length: number): number => (4 - (length % 4)) % 4;

function record(inode: number, mode: number, name: string, data: Uint8Array, device: { major: number; minor: number }): Uint8Array {
  const nameBytes = Buffer.from(`${name}\0`, 'utf8');
  const header = MAGIC + [
    inode, mode, 0, 0, (mode & S_IFDIR) === S_IFDIR ? 2 : 1, 0, data.length, 0, 0, device.major, device.minor, nameBytes.length, 0,
  ].map(field).join('');
  const headLength = HEADER_SIZE + nameBytes.length;
  const out = new Uint8Array(headLength + pad4(headLength) + data.length + pad4(data.length));
  out.set(Buffer.from(header, 'latin1'), 0);
  out.set(nameBytes, HEADER_SIZE);
  out.set(data, headLength + pad4(headLength));
  return out;
}

/** The archive holding `entries` in order (parents before children), then the trailer. */
export function writeCpio(entries: readonly CpioEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const none = new Uint8Array(0);
  entries.forEach((entry, index) => {
    const path = entry.path.replace(/^\/+/, '');
    if (path === '' || path.split('/').some((part) => part === '' || part === '.' || part === '..')) throw new RangeError(`bad cpio path: ${JSON.stringify(entry.path)}`);
    const permissions = entry.mode & 0o7777;
    if (entry.kind === 'directory') parts.push(record(index + 1, S_IFDIR | permissions, path, none, { major: 0, minor: 0 }));
    else if (entry.kind === 'file') parts.push(record(index + 1, S_IFREG | permissions, path, entry.data, { major: 0, minor: 0 }));
    else parts.push(record(index + 1, S_IFCHR | permissions, path, none, { major: entry.major, minor: entry.minor }));
  });
  parts.push(record(0, 0, TRAILER, none, { major: 0, minor: 0 }));
  return Buffer.concat(parts);
}

/**
 * The guest's whole root: the runner as /init, the mount points it uses, and
 * /dev/console, which the kernel opens as init's stdin and stdout before
 * devtmpfs is mounted.
 */
export function guestInitramfs(runner: Uint8Array): Uint8Array {
  return writeCpio([
    { kind: 'directory', path: 'dev', mode: 0o755 },
    { kind: 'char-device', path: 'dev/console', mode: 0o600, major: 5, minor: 1 },
    { kind: 'directory', path: 'proc', mode: 0o555 },
    { kind: 'directory', path: 'tmp', mode: 0o1777 },
    { kind: 'file', path: 'init', mode: 0o755, data: runner },
  ]);
}

/** What exists in the guest before anything runs: the paths of guestInitramfs, for the interpreter oracle. */
export const GUEST_TREE: ReadonlyMap<string, 'directory' | 'file' | 'device'> = new Map([
  ['/', 'directory'], ['/dev', 'directory'], ['/dev/console', 'device'], ['/proc', 'directory'], ['/tmp', 'directory'], ['/init', 'file'],
]);
