// How every report names a loader verdict's errno and signal beside it: "exec-error (ENOEXEC)".
import type { LoaderVerdict } from '../model/loader-verdict.js';

/** The errno and signal of a verdict, as the parenthesis after its name ("ENOEXEC", "EINVAL, SIGKILL"); empty when it has neither. */
export function verdictDetail(loader: Pick<LoaderVerdict, 'errno' | 'signal'>): string {
  return [loader.errno, loader.signal].filter((part) => part !== null).join(', ');
}

/** The verdict with its detail: "exec-error (ENOEXEC)", "runs". */
export function verdictLabel(loader: Pick<LoaderVerdict, 'verdict' | 'errno' | 'signal'>): string {
  const detail = verdictDetail(loader);
  return detail ? `${loader.verdict} (${detail})` : loader.verdict;
}
