/* scenario.c: the scenario's own bookkeeping: looking items up by id and freeing what
 * the model owns. Loading from files is formats/scenario.c. */
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "model/delays.h"
#include "model/scenario.h"

size_t tm_scenario_find_vehicle(const tm_scenario *s, const char *id)
{
    for (size_t i = 0; i < s->n_vehicles; i++)
        if (strcmp(s->vehicles[i].id, id) == 0)
            return i;
    return (size_t)-1;
}

size_t tm_scenario_find_train(const tm_scenario *s, const char *id)
{
    for (size_t i = 0; i < s->n_trains; i++)
        if (strcmp(s->trains[i].id, id) == 0)
            return i;
    return (size_t)-1;
}

size_t tm_scenario_find_line(const tm_scenario *s, const char *id)
{
    for (size_t i = 0; i < s->n_lines; i++)
        if (strcmp(s->lines[i].id, id) == 0)
            return i;
    return (size_t)-1;
}

/* ---- Freeing ---------------------------------------------------------------------- */

void tm_vehicle_free(tm_vehicle *v)
{
    if (!v)
        return;
    free(v->name);
    v->name = NULL;
    free(v->resistance.table);
    free(v->effort);
    for (size_t i = 0; i < v->n_modes; i++)
        free(v->modes[i].effort);
    free(v->modes);
    v->modes = NULL;
    v->n_modes = 0;
    v->resistance.table = NULL;
    v->effort = NULL;
    v->resistance.n_table = v->n_effort = 0;
}

void tm_train_free(tm_train *t)
{
    if (!t)
        return;
    tm_train_release_derived(t);
    free(t->name);
    t->name = NULL;
    free(t->consist);
    t->consist = NULL;
    t->n_consist = 0;
}

void tm_line_free(tm_line *l)
{
    if (!l)
        return;
    free(l->name);
    l->name = NULL;
    free(l->sections);
    for (size_t i = 0; i < l->n_points; i++)
        free(l->points[i].name);
    free(l->points);
    l->sections = NULL;
    l->points = NULL;
    l->n_sections = l->n_points = 0;
}

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
        free(spec->targets[i].at);
        spec->targets[i].at = NULL;
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
        dst->targets[i].at = NULL;
        bad |= tm_name_set(&dst->targets[i].at, src->targets[i].at);
    }
    if (bad)
        tm_allowance_spec_release(dst);
    return bad ? -1 : 0;
}

void tm_journey_free(tm_journey *j)
{
    if (!j)
        return;
    free(j->name);
    for (size_t i = 0; i < j->n_legs; i++)
        free(j->legs[i].change);
    free(j->legs);
    tm_allowance_spec_release(&j->allowance);
    for (size_t i = 0; j->leg_allowances && i < j->n_legs; i++)
        tm_allowance_spec_release(&j->leg_allowances[i]);
    free(j->leg_allowances);
    memset(j, 0, sizeof *j);
}

void tm_scenario_free(tm_scenario *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_vehicles; i++)
        tm_vehicle_free(&s->vehicles[i]);
    for (size_t i = 0; i < s->n_trains; i++)
        tm_train_free(&s->trains[i]);
    for (size_t i = 0; i < s->n_lines; i++)
        tm_line_free(&s->lines[i]);
    free(s->vehicles);
    free(s->trains);
    free(s->lines);
    tm_journey_free(&s->journey);
    tm_network_free(&s->network);
    tm_timetable_free(&s->timetable);
    tm_delay_spec_free(s->delays);
    free(s->delays);
    free(s);
}

