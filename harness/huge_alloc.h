/* Large weight matrices on transparent huge pages (2 MiB) where the kernel
 * offers them.  A column nudge touches one line per row of the input-major
 * matrix, each row in its own 4 KiB page when rows are ~4 KB long: with
 * 4 KiB pages nearly every access misses the TLB; with huge pages a few
 * entries cover the whole matrix.  See docs/kernels.md. */
#ifndef BDC_HUGE_ALLOC_H
#define BDC_HUGE_ALLOC_H

#include <stddef.h>

/* Bytes from which an allocation is aligned to a huge page and advised to
 * use huge pages; smaller ones are a plain malloc. */
#define BDC_HUGE_PAGE_BYTES ((size_t)2 << 20)

/* `bytes` of memory, released with free(); NULL when out of memory.  The
 * contents are undefined, as with malloc.  Huge pages are a request: where
 * the system refuses (or has no madvise), the memory works the same, only
 * with small pages. */
void *bdc_huge_alloc(size_t bytes);

#endif
