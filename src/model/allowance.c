/* allowance.c: an allowance spec's own names (model.h): released with it, copied deeply.
 * Its own file, below network.c (a service's allowance) and scenario.c (a journey's). */
#include <stdlib.h>

#include "core/text.h"
#include "model/model.h"

void tm_allowance_spec_release(tm_allowance_spec *spec)
{
    if (!spec)
        return;
    for (size_t i = 0; i < spec->n_ranges; i++) {
        free(spec->ranges[i].from);
        free(spec->ranges[i].to);
        spec->ranges[i].from = spec->ranges[i].to = NULL;
    }
    for (size_t i = 0; i < spec->n_targets; i++) {
        tm_target *t = &spec->targets[i];
        free(t->at);
        free(t->origin.file);
        free(t->origin.field);
        t->at = t->origin.file = t->origin.field = NULL;
    }
}

int tm_allowance_spec_copy(tm_allowance_spec *dst, const tm_allowance_spec *src)
{
    *dst = *src;
    int bad = 0;
    for (size_t i = 0; i < src->n_ranges; i++) {
        dst->ranges[i].from = dst->ranges[i].to = NULL;
        bad |= tm_name_set(&dst->ranges[i].from, src->ranges[i].from);
        bad |= tm_name_set(&dst->ranges[i].to, src->ranges[i].to);
    }
    for (size_t i = 0; i < src->n_targets; i++) {
        tm_target *t = &dst->targets[i];
        const tm_target *f = &src->targets[i];
        t->at = t->origin.file = t->origin.field = NULL;
        bad |= tm_name_set(&t->at, f->at);
        bad |= tm_name_set(&t->origin.file, f->origin.file);
        bad |= tm_name_set(&t->origin.field, f->origin.field);
    }
    if (bad)
        tm_allowance_spec_release(dst);
    return bad ? -1 : 0;
}
