// The documented exit codes (README "Exit codes").
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_INPUT = 2;
export const EXIT_USAGE = 3;
/** A bug in elf-lint: a command failed, or a rule or the loader model failed on a file (internal-error). */
export const EXIT_INTERNAL = 4;

/** A mistake in how elf-lint was called: reported in one line, exit 3. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** An input that cannot be read or written: reported in one line, exit 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}
