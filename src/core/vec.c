/* vec.c: growth policy for TM_VEC arrays (doubling, starting at 16). */
#include "core/vec.h"

#include <stdint.h>

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
    *items = p;
    *cap = new_cap;
    return 0;
}

int tm_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
