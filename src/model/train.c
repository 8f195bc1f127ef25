/* train.c: freeing what tm_train_derive (physics/consist.c) allocated. The model owns the
 * memory; the physics layer fills it. */
#include <stdlib.h>

#include "model/model.h"

void tm_train_release_derived(tm_train *t)
{
    free(t->resistance_table);
    free(t->traction);
    free(t->effort_kinks);
    free(t->supply_traction);
    t->supply_traction = NULL;
    t->resistance_table = NULL;
    t->traction = NULL;
    t->effort_kinks = NULL;
    t->n_resistance_table = t->n_traction = t->n_effort_kinks = 0;
}

