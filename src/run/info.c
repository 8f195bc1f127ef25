/* info.c: what a scenario holds, for reports (tumen braking, the web page). */
#include "model/scenario.h"
#include "physics/physics.h"
#include "tumen.h"

size_t tumen_scenario_train_count(const tumen_scenario *sc)
{
    return sc ? sc->n_trains : 0;
}

size_t tumen_scenario_line_count(const tumen_scenario *sc)
{
    return sc ? sc->n_lines : 0;
}

void tumen_scenario_train(const tumen_scenario *sc, size_t i, tumen_train_info *info)
{
    const tm_train *t = &sc->trains[i];
    info->id = t->id;
    info->name = t->name[0] ? t->name : t->id;
    info->mass = t->mass;
    info->length = t->length;
    info->max_speed = t->max_speed;
    info->max_axle_load = t->max_axle_load;
    info->brake_weight = t->brake_weight;
    info->brake_percentage = t->brake_percentage;
    info->brake_deceleration = t->brake_deceleration;
    info->max_effort = tm_train_effort(t, 0.0);
}

void tumen_scenario_line(const tumen_scenario *sc, size_t i, tumen_line_info *info)
{
    const tm_line *l = &sc->lines[i];
    info->id = l->id;
    info->name = l->name[0] ? l->name : l->id;
    info->length = l->n_sections ? l->sections[l->n_sections - 1].end - l->sections[0].start : 0;
    info->braking_distance = l->braking_distance;
    info->steepest_downgrade = 0.0;
    for (size_t k = 0; k < l->n_sections; k++)
        if (l->sections[k].gradient < info->steepest_downgrade)
            info->steepest_downgrade = l->sections[k].gradient;
}

size_t tumen_scenario_leg_count(const tumen_scenario *sc)
{
    return sc && sc->has_journey ? sc->journey.n_legs : 0;
}

void tumen_scenario_leg(const tumen_scenario *sc, size_t i, size_t *train, size_t *line)
{
    *train = sc->journey.legs[i].train;
    *line = sc->journey.legs[i].line;
}
