import type { Rule } from '../rule.js';
import { ET_DYN } from '../../model/constants.js';
import { isExecutableType, loadSegments, loaderBlames, phdrField, programTableComplete } from '../facts.js';

export const piePlacement: Rule = {
  id: 'pie-placement',
  category: 'loader',
  severity: 'error',
  summary: 'The kernel must be able to place an ET_DYN image',
  explanation: `Linux loads a PIE or static PIE (ET_DYN) at an address it chooses: it measures the image
from the lowest PT_LOAD page to the highest segment end, aligns the base to the largest
power-of-two p_align (a PIE goes near ELF_ET_DYN_BASE, a static PIE into the mmap area),
and maps the first PT_LOAD over the whole image. That fails after the point of no return,
and the process is killed with SIGSEGV, when the segments span no memory (EINVAL), when
the image does not fit wherever the kernel may put it (ENOMEM), when p_align is so large
that the aligned base becomes address 0 (EPERM, below vm.mmap_min_addr), or when the
first PT_LOAD of a static PIE has no file contents, which makes the kernel map the image
at address 0 instead of choosing one (EPERM).

This rule asks the loader model, which follows load_elf_binary, and reports only
failures that happen wherever address randomisation puts the image.

Fix: give the first PT_LOAD file contents and real sizes, keep the image well under the
address-space size, and use p_align values from the page size up to 0x200000.`,
  *check(elf, context) {
    if (!isExecutableType(elf) || elf.header.e_type !== ET_DYN || !programTableComplete(elf)) return;
    const first = loadSegments(elf)[0];
    if (!first) return;
    const prediction = loaderBlames(context, 'pie-placement');
    if (!prediction) return;
    yield {
      field: phdrField(first, 'p_vaddr'),
      message: `the kernel cannot place this ET_DYN image: ${prediction.reason}; execve kills the process (${prediction.errno}). Give the first PT_LOAD file contents, real sizes and a page-sized p_align`,
      actual: prediction.errno ?? '',
      expected: 'an image the kernel can place',
    };
  },
};
