/* bdc_huge_alloc: see huge_alloc.h. */
#include "huge_alloc.h"

#include <stdlib.h>
#include <sys/mman.h>

void *bdc_huge_alloc(size_t bytes)
{
    if (bytes < BDC_HUGE_PAGE_BYTES)
        return malloc(bytes ? bytes : 1);
    /* Whole huge pages: the tail of an allocation would otherwise sit in a
     * partial 2 MiB extent, which only small pages can map. */
    const size_t rounded = (bytes + BDC_HUGE_PAGE_BYTES - 1) & ~(BDC_HUGE_PAGE_BYTES - 1);
    if (rounded < bytes) /* wrapped */
        return NULL;
    void *p = NULL;
    if (posix_memalign(&p, BDC_HUGE_PAGE_BYTES, rounded) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    /* Before the first touch, so that the faults map huge pages (THP in
     * "madvise" mode); an error only means small pages. */
    (void)madvise(p, rounded, MADV_HUGEPAGE);
#endif
    return p;
}
