/* vec.h: a growable array, the one container tumen needs.
 *   TM_VEC(double) speeds = {0};  tm_vec_push(&speeds, 3.0)  ...  free(speeds.items);
 * tm_vec_push returns 0, or -1 when memory runs out (the array is unchanged then). */
#ifndef TM_VEC_H
#define TM_VEC_H

#include <stdlib.h>

#define TM_VEC(type) struct { type *items; size_t n, cap; }

/* Makes room for one more item; evaluates to 0 or -1. */
int tm_vec_grow_(void **items, size_t *cap, size_t n, size_t item_size);

#define tm_vec_push(vec, value)                                                        \
    (tm_vec_grow_((void **)&(vec)->items, &(vec)->cap, (vec)->n, sizeof *(vec)->items) \
         ? -1                                                                          \
         : ((vec)->items[(vec)->n++] = (value), 0))

/* malloc for an array of many megabytes, freed with free(): where the kernel gives huge
 * pages on request (Linux's transparent huge pages in their default "madvise" mode), asks
 * for them, so that writing the fresh array first costs one page fault per 2 MB instead of
 * one per 4 KB (a day's blocking times are 46 MB: 11,000 faults, a tenth of the day's wall
 * time on a virtual machine). Smaller sizes are a plain malloc. */
void *tm_malloc_big(size_t bytes);

/* The same hint for memory already allocated (the part of [p, p + bytes) that covers
 * whole huge pages; nothing for less). */
void tm_hint_big(void *p, size_t bytes);

/* qsort comparator: doubles ascending. */
int tm_cmp_double(const void *a, const void *b);

#endif
