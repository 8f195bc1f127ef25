/* network.c: the network graph's bookkeeping: names of electrification systems, freeing,
 * look-ups by id and the adjacency arrays the router walks.
 *
 * Adjacency is built once, after every track is known (tm_network_build_adjacency): a
 * compressed sparse row layout, for op i the tracks touching it are
 * adj[adj_start[i] .. adj_start[i+1]), in track order. Two flat arrays, no per-edge
 * allocation; a route search over a few thousand points touches them in cache-friendly runs.
 */
#include "model/network.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const elec_names[TM_ELEC_COUNT_] = {
    [TM_ELEC_NONE] = "none",           [TM_ELEC_DC_600] = "600V DC",
    [TM_ELEC_DC_1500] = "1.5kV DC",    [TM_ELEC_DC_3000] = "3kV DC",
    [TM_ELEC_AC_15K_16_7] = "15kV 16.7Hz", [TM_ELEC_AC_25K_50] = "25kV 50Hz",
};

const char *tm_electrification_name(tm_electrification e)
{
    if ((int)e < 0 || e >= TM_ELEC_COUNT_)
        return NULL;
    return elec_names[e];
}

/* Lower-cases text into buf without spaces, '_' or '-'; returns -1 if it does not fit. */
static int squeeze(const char *text, char *buf, size_t size)
{
    size_t n = 0;
    for (const char *p = text; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '_' || *p == '-')
            continue;
        if (n + 1 >= size)
            return -1;
        buf[n++] = (char)tolower((unsigned char)*p);
    }
    buf[n] = '\0';
    return 0;
}

/* Accepted: "none" (also "no", "diesel", "0"), and a voltage with V or kV, optionally
 * followed by DC or AC and a frequency in Hz, in any spacing and case: "3kV DC", "3000 V DC",
 * "3 kV", "25kV 50Hz", "25 kV AC", "15kV 16.7Hz", "15 kV 16 2/3 Hz", "750 V DC". Without DC,
 * AC or Hz, up to 3 kV is taken as DC and from 15 kV as AC, as every system tumen knows. */
int tm_electrification_parse(const char *text, tm_electrification *out)
{
    char s[64];
    if (!text || squeeze(text, s, sizeof s))
        return -1;
    if (!strcmp(s, "none") || !strcmp(s, "no") || !strcmp(s, "diesel") || !strcmp(s, "0")) {
        *out = TM_ELEC_NONE;
        return 0;
    }
    char *p = s;
    double volts = strtod(s, &p);
    if (p == s || !(volts > 0.0))
        return -1;
    if (!strncmp(p, "kv", 2)) {
        volts *= 1000.0;
        p += 2;
    } else if (*p == 'v') {
        p++;
    } else {
        return -1;
    }
    int dc = 0, ac = 0;
    double hz = 0.0;
    if (!strncmp(p, "dc", 2)) {
        dc = 1;
        p += 2;
    } else if (!strncmp(p, "ac", 2)) {
        ac = 1;
        p += 2;
    }
    if (*p) {
        if (dc)
            return -1;
        char *q = p;
        if (!strncmp(p, "162/3", 5)) { /* "16 2/3 Hz", squeezed */
            hz = 16.7;
            q = p + 5;
        } else {
            hz = strtod(p, &q);
            if (q == p)
                return -1;
        }
        if (fabs(hz - 16.67) < 0.01)
            hz = 16.7;
        if (strcmp(q, "hz") != 0)
            return -1;
        ac = 1;
    }
    if (!dc && !ac) {
        dc = volts <= 3500.0;
        ac = !dc;
    }
    if (dc && volts >= 500.0 && volts <= 900.0)
        *out = TM_ELEC_DC_600;
    else if (dc && fabs(volts - 1500.0) < 1.0)
        *out = TM_ELEC_DC_1500;
    else if (dc && fabs(volts - 3000.0) < 1.0)
        *out = TM_ELEC_DC_3000;
    else if (ac && fabs(volts - 15000.0) < 1.0 && (hz == 0.0 || fabs(hz - 16.7) < 0.05))
        *out = TM_ELEC_AC_15K_16_7;
    else if (ac && fabs(volts - 25000.0) < 1.0 && (hz == 0.0 || fabs(hz - 50.0) < 0.01))
        *out = TM_ELEC_AC_25K_50;
    else
        return -1;
    return 0;
}

void tm_network_free(tm_network *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n_ops; i++) {
        free(n->ops[i].name);
        free(n->ops[i].loops);
    }
    for (size_t i = 0; i < n->n_tracks; i++) {
        for (size_t k = 0; k < n->tracks[i].n_structures; k++) {
            free(n->tracks[i].structures[k].name);
            free(n->tracks[i].structures[k].road);
        }
        free(n->tracks[i].sections);
        free(n->tracks[i].signals);
        free(n->tracks[i].structures);
        free(n->tracks[i].parallel);
    }
    free(n->ops);
    free(n->tracks);
    free(n->adj);
    free(n->adj_start);
    free(n->connections);
    free(n->conn);
    free(n->conn_start);
    free(n->switched);
    memset(n, 0, sizeof *n);
}

void tm_timetable_free(tm_timetable *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_services; i++) {
        free(t->services[i].waypoints);
        free(t->services[i].stops);
        free(t->services[i].changes_to);
        tm_allowance_spec_release(t->services[i].allowance);
        free(t->services[i].allowance);
    }
    free(t->services);
    free(t->name);
    for (size_t i = 0; i < t->n_files; i++)
        free(t->files[i]);
    free(t->files);
    memset(t, 0, sizeof *t);
}

size_t tm_network_find_op(const tm_network *n, const char *id)
{
    for (size_t i = 0; i < n->n_ops; i++)
        if (strcmp(n->ops[i].id, id) == 0)
            return i;
    return (size_t)-1;
}

size_t tm_network_find_track(const tm_network *n, const char *id)
{
    for (size_t i = 0; i < n->n_tracks; i++)
        if (strcmp(n->tracks[i].id, id) == 0)
            return i;
    return (size_t)-1;
}

/* The connections by track end (both ends of each, a connection of an end to itself once),
 * and which operational points they make switched. */
static int build_connections(tm_network *n)
{
    const size_t n_ends = 2 * n->n_tracks;
    size_t *start = calloc(n_ends + 1, sizeof *start);
    size_t *conn = malloc((n->n_connections ? 2 * n->n_connections : 1) * sizeof *conn);
    unsigned char *switched = calloc(n->n_ops ? n->n_ops : 1, 1);
    size_t *fill = malloc((n_ends ? n_ends : 1) * sizeof *fill);
    if (!start || !conn || !switched || !fill) {
        free(start);
        free(conn);
        free(switched);
        free(fill);
        return -1;
    }
    for (size_t c = 0; c < n->n_connections; c++) {
        const tm_connection *x = &n->connections[c];
        start[x->a + 1]++;
        if (x->b != x->a)
            start[x->b + 1]++;
        switched[tm_track_end_op(n, x->a)] = 1;
        switched[tm_track_end_op(n, x->b)] = 1;
    }
    for (size_t e = 0; e < n_ends; e++)
        start[e + 1] += start[e];
    if (n_ends)
        memcpy(fill, start, n_ends * sizeof *fill);
    for (size_t c = 0; c < n->n_connections; c++) {
        const tm_connection *x = &n->connections[c];
        conn[fill[x->a]++] = c;
        if (x->b != x->a)
            conn[fill[x->b]++] = c;
    }
    free(fill);
    free(n->conn);
    free(n->conn_start);
    free(n->switched);
    n->conn = conn;
    n->conn_start = start;
    n->switched = switched;
    return 0;
}

int tm_network_build_adjacency(tm_network *n)
{
    size_t *start = calloc(n->n_ops + 1, sizeof *start);
    size_t *adj = malloc((n->n_tracks ? 2 * n->n_tracks : 1) * sizeof *adj);
    if (!start || !adj) {
        free(start);
        free(adj);
        return -1;
    }
    /* Count the tracks at each op (a loop track from an op to itself counts once), then
     * turn counts into starts and fill. */
    for (size_t t = 0; t < n->n_tracks; t++) {
        start[n->tracks[t].from + 1]++;
        if (n->tracks[t].to != n->tracks[t].from)
            start[n->tracks[t].to + 1]++;
    }
    for (size_t i = 0; i < n->n_ops; i++)
        start[i + 1] += start[i];
    size_t *fill = n->n_ops ? malloc(n->n_ops * sizeof *fill) : NULL;
    if (n->n_ops && !fill) {
        free(start);
        free(adj);
        return -1;
    }
    if (n->n_ops)
        memcpy(fill, start, n->n_ops * sizeof *fill);
    for (size_t t = 0; t < n->n_tracks; t++) {
        adj[fill[n->tracks[t].from]++] = t;
        if (n->tracks[t].to != n->tracks[t].from)
            adj[fill[n->tracks[t].to]++] = t;
    }
    free(fill);
    if (build_connections(n)) {
        free(start);
        free(adj);
        return -1;
    }
    free(n->adj);
    free(n->adj_start);
    n->adj = adj;
    n->adj_start = start;
    return 0;
}

size_t tm_track_end_op(const tm_network *n, size_t e)
{
    const tm_track *t = &n->tracks[e / 2];
    return e % 2 ? t->to : t->from;
}

size_t tm_connection_other(const tm_connection *c, size_t e)
{
    return c->a == e ? c->b : c->a;
}

int tm_network_add_connection(tm_network *n, size_t a, size_t b, double speed_limit)
{
    /* The array carries no capacity: it grows at every power of two. */
    size_t k = n->n_connections;
    if (k == 0 || (k & (k - 1)) == 0) {
        size_t cap = k ? 2 * k : 8;
        tm_connection *p = realloc(n->connections, cap * sizeof *p);
        if (!p)
            return -1;
        n->connections = p;
    }
    n->connections[k] = (tm_connection){a, b, speed_limit};
    n->n_connections = k + 1;
    return 0;
}

double tm_op_longest_loop(const tm_op *op)
{
    double best = 0.0;
    for (size_t i = 0; i < op->n_loops; i++)
        if (op->loops[i] > best)
            best = op->loops[i];
    return best;
}
