// What a failed system call says, in words: Node's messages carry the errno
// name, the call and the path ("ENOENT: no such file or directory, open
// '/x'"); a user needs the middle part.

/** Where libuv's wording reads oddly on its own. */
const WORDS: Readonly<Record<string, string>> = {
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
};

/** "no such file or directory" for ENOENT, "i/o error" for EIO; a message without a code as it is. */
export function systemMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code !== 'string') return error.message;
  const known = WORDS[code];
  if (known !== undefined) return known;
  const words = error.message.replace(/^[A-Z0-9_]+: /, '').replace(/, [a-z_]+( '[\s\S]*')?$/, '');
  return words.length > 0 ? words : code;
}
