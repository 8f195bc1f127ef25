/* force_table.c: a force given as a (speed, force) table. Tables are linear between points
 * and constant beyond their ends (TrainRuns.jl src/behavior.jl, calculateTractiveEffort). */
#include "physics/force_table.h"

/* Index i of the table segment [table[i].v, table[i+1].v) that holds v, clamped to
 * 0 .. n-2. Requires n >= 2. */
static size_t table_segment(const tm_force_point *table, size_t n, double v)
{
    size_t lo = 0, hi = n - 1;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (table[mid].v <= v)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* The table's force at v using the formula of the piece that holds v_ref: a linear
 * segment, or a constant beyond either end. */
double tm_table_force_frozen(const tm_force_point *table, size_t n, double v, double v_ref)
{
    if (n == 0)
        return 0.0;
    if (n == 1 || v_ref <= table[0].v)
        return table[0].f;
    if (v_ref >= table[n - 1].v)
        return table[n - 1].f;
    size_t i = table_segment(table, n, v_ref);
    double dv = table[i + 1].v - table[i].v;
    if (dv <= 0.0)
        return table[i + 1].f;
    return table[i].f + (table[i + 1].f - table[i].f) * (v - table[i].v) / dv;
}

double tm_table_force(const tm_force_point *table, size_t n, double v)
{
    return tm_table_force_frozen(table, n, v, v);
}
