// The functions glibc checks with _FORTIFY_SOURCE: for each name here it
// exports __name_chk, which the compiler calls instead of name when it knows
// the size of the destination. The list is the __*_chk symbols of glibc 2.36
// (Debian 12's libc.so.6; `readelf -sW libc.so.6 | grep '_chk@@'`); a file
// that calls one of the plain names could have been fortified.
export const GLIBC_FORTIFIED_FUNCTIONS: ReadonlySet<string> = new Set([
  'asprintf', 'confstr', 'dprintf', 'explicit_bzero', 'fdelt', 'fgets', 'fgets_unlocked', 'fgetws', 'fgetws_unlocked',
  'fprintf', 'fread', 'fread_unlocked', 'fwprintf', 'getcwd', 'getdomainname', 'getgroups', 'gethostname', 'getlogin_r',
  'gets', 'getwd', 'longjmp', 'mbsnrtowcs', 'mbsrtowcs', 'mbstowcs', 'memcpy', 'memmove', 'mempcpy', 'memset',
  'obstack_printf', 'obstack_vprintf', 'poll', 'ppoll', 'pread', 'pread64', 'printf', 'ptsname_r', 'read', 'readlink',
  'readlinkat', 'realpath', 'recv', 'recvfrom', 'snprintf', 'sprintf', 'stpcpy', 'stpncpy', 'strcat', 'strcpy', 'strncat',
  'strncpy', 'swprintf', 'syslog', 'ttyname_r', 'vasprintf', 'vdprintf', 'vfprintf', 'vfwprintf', 'vprintf', 'vsnprintf',
  'vsprintf', 'vswprintf', 'vsyslog', 'vwprintf', 'wcpcpy', 'wcpncpy', 'wcrtomb', 'wcscat', 'wcscpy', 'wcsncat', 'wcsncpy',
  'wcsnrtombs', 'wcsrtombs', 'wcstombs', 'wctomb', 'wmemcpy', 'wmemmove', 'wmempcpy', 'wmemset', 'wprintf',
]);

/**
 * A dynamic symbol's name as glibc's fortify list sees it: leading
 * underscores and a version suffix removed (`__memcpy_chk@GLIBC_2.3.4` is
 * `memcpy_chk`), as checksec compares them.
 */
export function fortifyName(name: string): string {
  return name.replace(/^_+/, '').replace(/@.*$/, '');
}
