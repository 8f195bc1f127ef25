/* delays.c: the lifecycle of primary-delay specifications (model/delays.h). */
#include "model/delays.h"

#include <stdlib.h>
#include <string.h>

#include "tumen.h"

void tm_dist_free(tm_dist *d)
{
    if (!d)
        return;
    free(d->values);
    d->values = NULL;
    d->n_values = 0;
}

int tm_dist_copy(tm_dist *dst, const tm_dist *src)
{
    *dst = *src;
    dst->values = NULL;
    if (src->n_values) {
        dst->values = malloc(src->n_values * sizeof *dst->values);
        if (!dst->values) {
            dst->n_values = 0;
            return TUMEN_ENOMEM;
        }
        memcpy(dst->values, src->values, src->n_values * sizeof *dst->values);
    }
    return TUMEN_OK;
}

static void set_free(tm_delay_set *s)
{
    tm_dist_free(&s->entry);
    tm_dist_free(&s->dwell);
    tm_dist_free(&s->running);
}

void tm_delay_spec_free(tm_delay_spec *spec)
{
    if (!spec)
        return;
    for (int c = 0; c < TM_N_CATEGORIES; c++)
        set_free(&spec->category[c]);
    for (size_t i = 0; i < spec->n_stations; i++)
        set_free(&spec->stations[i].set);
    for (size_t i = 0; i < spec->n_trains; i++)
        set_free(&spec->trains[i].set);
    free(spec->stations);
    free(spec->trains);
    memset(spec, 0, sizeof *spec);
}
