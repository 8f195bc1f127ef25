/* vec.c: growth policy for TM_VEC arrays (doubling, starting at 16). */
/* madvise's MADV_HUGEPAGE is outside POSIX (glibc shows it under _DEFAULT_SOURCE) */
#if defined(__linux__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE
#endif
#include "core/vec.h"

#include <stdint.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

int tm_vec_grow_(void **items, size_t *cap, size_t n, size_t item_size)
{
    if (n < *cap)
        return 0;
    size_t new_cap = *cap ? *cap * 2 : 16;
    if (new_cap > SIZE_MAX / item_size)
        return -1;
    void *p = realloc(*items, new_cap * item_size);
    if (!p)
        return -1;
    tm_hint_big(p, new_cap * item_size);
    *items = p;
    *cap = new_cap;
    return 0;
}

int tm_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define TM_HUGE_PAGE ((uintptr_t)2 << 20)

void tm_hint_big(void *p, size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (!p || bytes < 2 * TM_HUGE_PAGE)
        return;
    uintptr_t a = ((uintptr_t)p + TM_HUGE_PAGE - 1) & ~(TM_HUGE_PAGE - 1);
    uintptr_t b = ((uintptr_t)p + bytes) & ~(TM_HUGE_PAGE - 1);
    if (b > a) /* a hint: where it is refused, the pages are small, nothing else changes */
        (void)madvise((void *)a, b - a, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}

void *tm_malloc_big(size_t bytes)
{
    void *p = malloc(bytes ? bytes : 1);
    tm_hint_big(p, bytes);
    return p;
}
