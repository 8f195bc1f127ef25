/* traction_yaml.c: a vehicle's further traction modes in tumen YAML (docs/formats.md,
 * "Vehicles"): under traction, a `modes:` list, each mode
 *     {power: diesel | electric, electrification: "1.5kV DC", table: [[v, F], ...]}
 * or with max_force (and max_power) instead of the table. The vehicle's own power,
 * electrification and traction are its primary mode (model.h tm_traction_mode).
 */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "formats/readers.h"

static int read_mode(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                     tm_traction_mode *m, tumen_error *err)
{
    static const char *const keys[] = {"power", "electrification", "table", "max_force",
                                       "max_power", NULL};
    char power[32], sub[160];
    int rc = tm_yexpect(doc, map, TM_YMAP, path,
                        "a traction mode {power: electric, electrification: ..., table: ...}",
                        err);
    if (rc == TUMEN_OK)
        rc = tm_ycheck_keys(doc, map, path, keys, err);
    if (rc == TUMEN_OK)
        rc = tm_yget_string(doc, map, path, "power", 1, power, sizeof power, NULL, err);
    if (rc != TUMEN_OK)
        return rc;
    if (!strcmp(power, "electric"))
        m->power = TM_POWER_ELECTRIC;
    else if (!strcmp(power, "diesel"))
        m->power = TM_POWER_DIESEL;
    else
        return tm_yerror(doc, tm_ymap_get(map, "power"), tm_ypath_key(sub, sizeof sub, path,
                                                                      "power"),
                         err, "unknown power '%s' (expected diesel or electric)", power);
    rc = tm_yread_electrification(doc, map, path, &m->electrification, err);
    const tm_ynode *table = tm_ymap_get(map, "table");
    if (rc == TUMEN_OK && table) {
        if (tm_ymap_get(map, "max_force") || tm_ymap_get(map, "max_power"))
            return tm_yerror(doc, table, tm_ypath_key(sub, sizeof sub, path, "table"), err,
                             "give either a table or max_force and max_power, not both");
        rc = tm_yread_force_table(doc, table, sub, 0, 1, &m->effort, &m->n_effort, err);
        for (size_t i = 0; rc == TUMEN_OK && i < m->n_effort; i++)
            if (m->effort[i].f > m->max_force)
                m->max_force = m->effort[i].f;
    } else if (rc == TUMEN_OK) {
        rc = tm_yget_quantity(doc, map, path, "max_force", TM_DIM_FORCE, TM_YR_POSITIVE, 1,
                              &m->max_force, NULL, err);
        if (rc == TUMEN_OK)
            rc = tm_yget_quantity(doc, map, path, "max_power", TM_DIM_POWER, TM_YR_POSITIVE, 0,
                                  &m->max_power, NULL, err);
    }
    return rc;
}

int tm_yread_traction_modes(const tm_ydoc *doc, const tm_ynode *list, const char *path,
                            tm_vehicle *v, tumen_error *err)
{
    int rc = tm_yexpect(doc, list, TM_YSEQ, path, "a list of traction modes", err);
    if (rc != TUMEN_OK || list->n == 0)
        return rc;
    v->modes = calloc(list->n, sizeof *v->modes);
    if (!v->modes)
        return tm_yerror_code(doc, TUMEN_ENOMEM, list, path, err, "out of memory");
    for (size_t i = 0; i < list->n; i++) {
        char item[160];
        tm_ypath_index(item, sizeof item, path, i);
        rc = read_mode(doc, list->items[i], item, &v->modes[i], err);
        v->n_modes++; /* freed with the vehicle even when half read */
        if (rc != TUMEN_OK)
            return rc;
    }
    return TUMEN_OK;
}
