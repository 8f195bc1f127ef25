/* network_gen.c: a synthetic national network and its network.yaml.
 *
 * The layout: cities scattered in a box a few hundred kilometres across (the box grows with
 * the square root of --km), joined by a backbone of main lines (the minimum spanning tree of
 * the cities plus a few shortcuts that close loops), scaled so that main lines make about
 * 42 % of the track length. Branches then leave stations with loops (mostly on main lines,
 * some on other branches), run 25-110 km in a random direction and end at a terminus, or,
 * now and then, at a station of another line close to their end (a link line). They are
 * added until the total track length reaches --km.
 *
 * Along each line: stations every 5-20 km on main lines (some are halts without loops),
 * 5-11 km on branches with a passing loop every 8-15 km; gradient sections of 0.5-5 km
 * whose grades are an autoregressive walk pulled towards the elevation of the line's far
 * end (within +-10 permille on main lines, +-12 on branches); curves with radii and the
 * speed their cant allows; lower limits through station throats; structures (level
 * crossings every 2-6 km on branches, bridges, tunnels: place_structures); block signals every
 * 1.5-3 km in each direction.
 */
#include "core/vec.h"
#include "gen/synthetic.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define MAIN_SHARE 0.42           /* of the track length, on main lines */
#define LAT0_E5 5000000LL         /* 50.00000 N: the box's south-west corner */
#define LON0_E5 1000000LL         /* 10.00000 E */
#define M_PER_DEG_LAT 111320LL
#define M_PER_DEG_LON 71560LL     /* at 50 N */

/* ---- Names and ids --------------------------------------------------------------- */

/* A set of short strings (names, ids), open addressing; FNV-1a. */
typedef struct strset {
    char (*keys)[32];
    size_t cap, n;
} strset;

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return h;
}

static int strset_has(const strset *set, const char *s)
{
    if (!set->cap)
        return 0;
    for (size_t i = fnv1a(s) & (set->cap - 1);; i = (i + 1) & (set->cap - 1)) {
        if (!set->keys[i][0])
            return 0;
        if (!strcmp(set->keys[i], s))
            return 1;
    }
}

static int strset_add(strset *set, const char *s)
{
    if (2 * (set->n + 1) > set->cap) {
        size_t cap = set->cap ? 2 * set->cap : 1024;
        char (*keys)[32] = calloc(cap, sizeof *keys);
        if (!keys)
            return -1;
        for (size_t j = 0; j < set->cap; j++) {
            if (!set->keys[j][0])
                continue;
            size_t i = fnv1a(set->keys[j]) & (cap - 1);
            while (keys[i][0])
                i = (i + 1) & (cap - 1);
            memcpy(keys[i], set->keys[j], sizeof keys[i]);
        }
        free(set->keys);
        set->keys = keys;
        set->cap = cap;
    }
    size_t i = fnv1a(s) & (set->cap - 1);
    while (set->keys[i][0])
        i = (i + 1) & (set->cap - 1);
    snprintf(set->keys[i], sizeof set->keys[i], "%s", s);
    set->n++;
    return 0;
}

static const char *const onsets[] = {"B",  "Br", "D",  "Dr", "F",  "Fr", "G",  "Gr", "H",
                                     "K",  "Kr", "L",  "M",  "N",  "P",  "R",  "S",  "St",
                                     "T",  "Tr", "V",  "W",  "Z",  "Sch", "Bl", "Gl", "Kl"};
static const char *const vowels[] = {"a", "e", "i", "o", "u", "au", "ei", "ie", "ar", "er", "or"};
static const char *const plain_vowels[] = {"a", "e", "i", "o", "u"};
static const char *const middles[] = {"l", "n", "r", "m", "d", "t", "s", "nd", "rl", "lm", "nn",
                                      "rk"};
static const char *const endings[] = {"",     "berg",  "burg", "dorf", "feld", "hausen",
                                      "heim", "ingen", "stadt", "tal", "wald", "brueck",
                                      "au",   "see",   "hof",  "rode", "kirch", "wang",
                                      "lund", "vik",   "by",   "holm"};
#define PICK(r, a) (a[tm_rng_range(r, 0, (long)(sizeof a / sizeof a[0]) - 1)])

/* Ids that other YAML readers would take for booleans or special numbers. */
static int reserved_id(const char *id)
{
    static const char *const words[] = {"YES", "OFF", "NAN", "INF", "NUL", NULL};
    for (size_t i = 0; words[i]; i++)
        if (!strcmp(id, words[i]))
            return 1;
    return 0;
}

typedef struct namer {
    strset names, ids;
    tm_rng rng;
} namer;

/* A new unique place name and a unique id of three capitals taken from it. */
static int name_op(namer *nm, gen_op *op)
{
    char name[32];
    do {
        /* One draw per statement: the order in which a call's arguments are evaluated is
         * unspecified (GCC and clang differ), the stream's order must not be. */
        char buf[64];
        const char *onset = PICK(&nm->rng, onsets);
        const char *vowel = PICK(&nm->rng, vowels);
        const char *middle = tm_rng_chance(&nm->rng, 0.5) ? PICK(&nm->rng, middles) : "";
        const char *vowel2 = tm_rng_chance(&nm->rng, 0.5) ? PICK(&nm->rng, plain_vowels) : "";
        const char *ending = PICK(&nm->rng, endings);
        snprintf(buf, sizeof buf, "%s%s%s%s%s", onset, vowel, middle, vowel2, ending);
        size_t len = strlen(buf);
        if (len >= sizeof name)
            len = sizeof name - 1;
        memcpy(name, buf, len);
        name[len] = 0;
    } while (strset_has(&nm->names, name));
    if (strset_add(&nm->names, name))
        return -1;
    memcpy(op->name, name, sizeof op->name);

    char letters[32];
    size_t n = 0;
    for (const char *c = name; *c && n < sizeof letters - 1; c++)
        if (*c >= 'a' && *c <= 'z')
            letters[n++] = (char)(*c - 'a' + 'A');
        else if (*c >= 'A' && *c <= 'Z')
            letters[n++] = *c;
    letters[n] = 0;
    char id[8] = {0};
    for (size_t j = 1; j < n && !id[0]; j++)
        for (size_t k = j + 1; k < n && !id[0]; k++) {
            char c[4] = {letters[0], letters[j], letters[k], 0};
            if (!strset_has(&nm->ids, c) && !reserved_id(c))
                memcpy(id, c, sizeof c);
        }
    for (unsigned k = 1; !id[0]; k++) {
        char c[8];
        snprintf(c, sizeof c, "%c%u", letters[0], k % 100000u);
        if (!strset_has(&nm->ids, c))
            memcpy(id, c, sizeof id);
    }
    if (strset_add(&nm->ids, id))
        return -1;
    memcpy(op->id, id, sizeof op->id);
    return 0;
}

/* ---- Building ------------------------------------------------------------------- */

/* A line's profile before it is cut into tracks: gradient sections and curves, in metres
 * from the line's start. */
typedef struct grad_run {
    long start, end;
    int grad;
} grad_run;

typedef struct curve {
    long start, end;
    int radius;
} curve;

typedef struct line_profile {
    grad_run *grads;
    size_t n_grads;
    curve *curves;
    size_t n_curves;
} line_profile;

typedef struct builder {
    gen_net *net;
    tm_rng rng;
    namer nm;
    line_profile *profiles; /* one per line */
    size_t cap_profiles;
    long long min_x, min_y, max_x, max_y; /* where branches may end */
} builder;

static size_t add_op(builder *b, long long x, long long y, long long elev)
{
    gen_net *net = b->net;
    if (tm_vec_grow_((void **)&net->ops, &net->cap_ops, net->n_ops, sizeof *net->ops))
        return GEN_NONE;
    gen_op *op = &net->ops[net->n_ops];
    memset(op, 0, sizeof *op);
    op->kind = TM_OP_STATION;
    op->x = x;
    op->y = y;
    op->elev = elev;
    if (name_op(&b->nm, op))
        return GEN_NONE;
    return net->n_ops++;
}

static void set_loops(tm_rng *r, gen_op *op, int n, int lo, int hi)
{
    op->n_loops = n;
    for (int i = 0; i < n; i++)
        op->loops[i] = (int)tm_rng_range(r, lo / 10, hi / 10) * 10;
}

/* Makes op a place where a branch can leave: a junction (unless a city) with loops. */
static void make_junction(tm_rng *r, gen_op *op)
{
    if (!op->city)
        op->kind = TM_OP_JUNCTION;
    if (op->n_loops < 2)
        set_loops(r, op, 2, op->on_main ? 650 : 450, op->on_main ? 750 : 650);
}

static long long isqrt_dist(long long dx, long long dy)
{
    return llround(sqrt((double)dx * (double)dx + (double)dy * (double)dy));
}

/* The gradient walk of a line of length L (m) from elevation e0 towards e1 (0.1 mm), its
 * section ends snapped to the line's operational points when close. */
static int make_gradients(builder *b, line_profile *p, const gen_line *ln, long long e0,
                          long long e1, long long *elev_at_ops)
{
    tm_rng *r = &b->rng;
    int max_grad = ln->main ? 100 : 120; /* 0.1 permille */
    double sigma = ln->main ? 28.0 : 38.0;
    long s = 0;
    long long e = e0;
    double g_prev = 0.0;
    size_t next_op = 1, cap = 0;
    elev_at_ops[0] = e0;
    while (s < ln->length) {
        long end = s + tm_rng_range(r, 500, 5000);
        if (ln->length - end < 500)
            end = ln->length;
        else
            for (size_t i = 1; i + 1 < ln->n_ops; i++)
                if (labs(end - ln->pos[i]) < 250 && ln->pos[i] > s) {
                    end = ln->pos[i];
                    break;
                }
        long len = end - s;
        /* Grade that would reach the far end's elevation, in 0.1 permille: 0.1 mm per m. */
        double desired = (double)(e1 - e) / (double)(ln->length - s);
        double g = 0.6 * g_prev + 0.4 * desired + sigma * tm_rng_normalish(r);
        if (g > max_grad)
            g = max_grad;
        if (g < -max_grad)
            g = -max_grad;
        long gi = lround(g);
        if (e + (long long)gi * len < 100000LL) /* stay above 10 m */
            gi = 0;
        if (tm_vec_grow_((void **)&p->grads, &cap, p->n_grads, sizeof *p->grads))
            return -1;
        p->grads[p->n_grads++] = (grad_run){s, end, (int)gi};
        /* Elevations of the operational points inside this section. */
        for (; next_op < ln->n_ops && ln->pos[next_op] <= end; next_op++)
            elev_at_ops[next_op] = e + (long long)gi * (ln->pos[next_op] - s);
        e += (long long)gi * len;
        g_prev = (double)gi;
        s = end;
    }
    return 0;
}

static int make_curves(builder *b, line_profile *p, const gen_line *ln)
{
    tm_rng *r = &b->rng;
    size_t cap = 0;
    long s = 0;
    for (;;) {
        s += ln->main ? tm_rng_range(r, 1500, 7000) : tm_rng_range(r, 600, 4000);
        long len = tm_rng_range(r, 20, 120) * 10;
        if (s + len >= ln->length)
            break;
        int radius;
        if (ln->main)
            radius = (int)(tm_rng_chance(r, 0.2) ? tm_rng_range(r, 60, 100) : tm_rng_range(r, 100, 400)) * 10;
        else
            radius = (int)tm_rng_range(r, 25, 120) * 10;
        if (tm_vec_grow_((void **)&p->curves, &cap, p->n_curves, sizeof *p->curves))
            return -1;
        p->curves[p->n_curves++] = (curve){s, s + len, radius};
        s += len;
    }
    return 0;
}

/* Spacing of operational points along a line (m), assumed: a main line has a station or
 * halt about every 12 km, a branch about every 8 km (the spacing is then varied by a factor
 * 0.6-1.4 per gap). */
#define MAIN_OP_SPACING 12000
#define BRANCH_OP_SPACING 8000
/* Share of a main line's intermediate points that are stations with loops (the rest are
 * halts), assumed. */
#define MAIN_STATION_SHARE 0.72
/* A branch gets a crossing station when the last one is this far behind (m), or the next
 * gap would leave more than BRANCH_MAX_WITHOUT_LOOP without one; assumed. */
#define BRANCH_LOOP_EVERY 8000
#define BRANCH_MAX_WITHOUT_LOOP 15000
/* A branch that ends near another line's crossing station joins it when the station lies
 * within BRANCH_JOIN_RADIUS of the branch's end and the link is at least BRANCH_JOIN_MIN
 * long (m); assumed. */
#define BRANCH_JOIN_RADIUS 12000
#define BRANCH_JOIN_MIN 8000
/* Elevations, in 0.1 mm (synthetic.h): a free line end lies between 10 m and 1,200 m
 * above sea level (assumed: a lowland to upland network). */
#define ELEV_MIN 100000LL
#define ELEV_MAX 12000000LL

/* A new line of the network (and its profile slot) from op a: its speed and the positions
 * of its operational points (m from a). ln->ops is allocated, not filled. */
static gen_line *new_line(builder *b, int main, long length, size_t *n_seg)
{
    gen_net *net = b->net;
    tm_rng *r = &b->rng;
    if (tm_vec_grow_((void **)&net->lines, &net->cap_lines, net->n_lines, sizeof *net->lines) ||
        tm_vec_grow_((void **)&b->profiles, &b->cap_profiles, net->n_lines, sizeof *b->profiles))
        return NULL;
    gen_line *ln = &net->lines[net->n_lines];
    memset(ln, 0, sizeof *ln);
    memset(&b->profiles[net->n_lines], 0, sizeof b->profiles[net->n_lines]);
    net->n_lines++;
    ln->main = main;
    ln->length = length;
    ln->speed = main ? (int)tm_rng_range(r, 12, 16) * 10 : (int)tm_rng_range(r, 6, 10) * 10;
    long spacing = main ? MAIN_OP_SPACING : BRANCH_OP_SPACING;
    *n_seg = (size_t)((length + spacing - 1) / spacing);
    if (*n_seg < 1)
        *n_seg = 1;
    ln->n_ops = *n_seg + 1;
    ln->ops = malloc(ln->n_ops * sizeof *ln->ops);
    ln->pos = malloc(ln->n_ops * sizeof *ln->pos);
    double *w = malloc(*n_seg * sizeof *w);
    if (!ln->ops || !ln->pos || !w) {
        free(w);
        return NULL;
    }
    double wsum = 0.0;
    for (size_t i = 0; i < *n_seg; i++)
        wsum += w[i] = tm_rng_uniform(r, 0.6, 1.4);
    double acc = 0.0;
    ln->pos[0] = 0;
    for (size_t i = 1; i < *n_seg; i++) {
        acc += w[i - 1];
        ln->pos[i] = lround((double)length * acc / wsum);
    }
    ln->pos[*n_seg] = length;
    free(w);
    return ln;
}

/* The operational points of line ln (the last one) between a and the far end (bend, or a
 * new point at bx, by), along a gentle bow with some jitter. */
static int place_line_ops(builder *b, size_t n_seg, size_t a, size_t bend, long long bx,
                          long long by)
{
    gen_net *net = b->net;
    tm_rng *r = &b->rng;
    gen_line *ln = &net->lines[net->n_lines - 1];
    long long ax = net->ops[a].x, ay = net->ops[a].y;
    long long chord = isqrt_dist(bx - ax, by - ay);
    double bend_amp = (double)chord * tm_rng_uniform(r, -0.06, 0.06);
    ln->ops[0] = a;
    for (size_t i = 1; i <= n_seg; i++) {
        if (i == n_seg && bend != GEN_NONE) {
            ln->ops[i] = bend;
            continue;
        }
        double t = (double)ln->pos[i] / (double)ln->length;
        double off = bend_amp * 4.0 * t * (1.0 - t) + (double)chord * tm_rng_uniform(r, -0.01, 0.01);
        double nx = chord ? -(double)(by - ay) / (double)chord : 0.0;
        double ny = chord ? (double)(bx - ax) / (double)chord : 0.0;
        long long x = ax + llround((double)(bx - ax) * t + nx * off);
        long long y = ay + llround((double)(by - ay) * t + ny * off);
        if (i == n_seg) {
            x = bx;
            y = by;
        }
        size_t k = add_op(b, x, y, 0);
        if (k == GEN_NONE)
            return -1;
        ln = &net->lines[net->n_lines - 1]; /* add_op may move the lines */
        ln->ops[i] = k;
    }
    return 0;
}

/* Kinds and loops of the line's new points: a main line's are stations (with two loops) or
 * halts; a branch has crossing stations often enough for trains to pass, and a terminus. */
static void set_line_op_kinds(builder *b, const gen_line *ln, size_t n_seg, size_t bend)
{
    tm_rng *r = &b->rng;
    long since_loop = 0;
    for (size_t i = 1; i <= n_seg; i++) {
        gen_op *op = &b->net->ops[ln->ops[i]];
        if (i == n_seg && bend != GEN_NONE)
            break;
        op->on_main = ln->main;
        if (i == n_seg) { /* a branch's terminus */
            op->kind = TM_OP_STATION;
            set_loops(r, op, 2, 450, 650);
            break;
        }
        since_loop += ln->pos[i] - ln->pos[i - 1];
        long next_gap = ln->pos[i + 1] - ln->pos[i];
        if (ln->main) {
            if (tm_rng_chance(r, MAIN_STATION_SHARE)) {
                op->kind = TM_OP_STATION;
                set_loops(r, op, 2, 650, 750);
            } else {
                op->kind = TM_OP_HALT;
            }
        } else if (since_loop >= BRANCH_LOOP_EVERY ||
                   since_loop + next_gap > BRANCH_MAX_WITHOUT_LOOP) {
            op->kind = TM_OP_STATION;
            set_loops(r, op, tm_rng_chance(r, 0.3) ? 2 : 1, 400, 650);
            since_loop = 0;
        } else {
            op->kind = TM_OP_HALT;
        }
    }
}

/* One track per gap of the line (the last one). */
static int add_line_tracks(gen_net *net, size_t n_seg)
{
    gen_line *ln = &net->lines[net->n_lines - 1];
    ln->first_track = net->n_tracks;
    for (size_t i = 0; i < n_seg; i++) {
        if (tm_vec_grow_((void **)&net->tracks, &net->cap_tracks, net->n_tracks, sizeof *net->tracks))
            return -1;
        gen_track *t = &net->tracks[net->n_tracks++];
        memset(t, 0, sizeof *t);
        t->from = ln->ops[i];
        t->to = ln->ops[i + 1];
        t->length = ln->pos[i + 1] - ln->pos[i];
        t->line = net->n_lines - 1;
        t->main = ln->main;
        t->speed = ln->speed;
    }
    return 0;
}

/* Adds a line from op a to op bend (or, when bend is GEN_NONE, to a new terminus at
 * (bx, by)), length m long, with its intermediate operational points, tracks and profile. */
static int build_line(builder *b, int main, size_t a, size_t bend, long long bx, long long by,
                      long length)
{
    gen_net *net = b->net;
    tm_rng *r = &b->rng;
    size_t n_seg;
    gen_line *ln = new_line(b, main, length, &n_seg);
    if (!ln)
        return -1;
    line_profile *prof = &b->profiles[net->n_lines - 1];
    /* The far end and its elevation. */
    long long e0 = net->ops[a].elev, e1;
    if (bend != GEN_NONE) {
        bx = net->ops[bend].x;
        by = net->ops[bend].y;
        e1 = net->ops[bend].elev;
    } else {
        e1 = e0 + tm_rng_range(r, -3000, 4000) * 1000LL; /* -300..+400 m */
        if (e1 < ELEV_MIN)
            e1 = ELEV_MIN + tm_rng_range(r, 0, 500) * 1000LL;
        if (e1 > ELEV_MAX)
            e1 = ELEV_MAX - tm_rng_range(r, 0, 2000) * 1000LL;
    }
    if (place_line_ops(b, n_seg, a, bend, bx, by))
        return -1;
    ln = &net->lines[net->n_lines - 1];
    set_line_op_kinds(b, ln, n_seg, bend);
    if (!main) {
        make_junction(r, &net->ops[a]);
        net->ops[a].branches++;
        if (bend != GEN_NONE)
            make_junction(r, &net->ops[bend]);
    }
    long long *elev = malloc(ln->n_ops * sizeof *elev);
    if (!elev || make_gradients(b, prof, ln, e0, e1, elev) || make_curves(b, prof, ln)) {
        free(elev);
        return -1;
    }
    for (size_t i = 1; i <= n_seg; i++)
        if (!(i == n_seg && bend != GEN_NONE))
            net->ops[ln->ops[i]].elev = elev[i];
    free(elev);
    if (add_line_tracks(net, n_seg))
        return -1;
    if (main)
        net->main_m += length;
    else
        net->branch_m += length;
    return 0;
}

/* ---- Cutting lines into track sections ------------------------------------------- */

static int cmp_long(const void *pa, const void *pb)
{
    long x = *(const long *)pa, y = *(const long *)pb;
    return (x > y) - (x < y);
}

/* The speed a curve of radius R allows with 150 mm cant and 100 mm cant deficiency on
 * standard gauge, v = sqrt(R * 250 / 11.8) km/h, down to a multiple of 5 km/h. */
static int curve_speed(int radius)
{
    int v = (int)(4.6 * sqrt((double)radius));
    return v - v % 5;
}

/* The speed through the throat of op on a line; 0 = no restriction. */
static int zone_speed(const gen_op *op, int main)
{
    if (op->city)
        return main ? 80 : 50;
    switch (op->kind) {
    case TM_OP_JUNCTION:
        return main ? 100 : 40;
    case TM_OP_STATION:
        return op->n_loops ? (main ? 120 : 50) : 0;
    default:
        return 0;
    }
}

static int cut_track(gen_net *net, const gen_line *ln, const line_profile *p, size_t i)
{
    gen_track *t = &net->tracks[ln->first_track + i];
    long p0 = ln->pos[i], p1 = ln->pos[i + 1];
    long zone = ln->main ? 600 : 300;
    int v0 = zone_speed(&net->ops[ln->ops[i]], ln->main);
    int v1 = zone_speed(&net->ops[ln->ops[i + 1]], ln->main);
    size_t cap = 8 + 2 * p->n_curves + p->n_grads, n = 0;
    long *cuts = malloc(cap * sizeof *cuts);
    if (!cuts)
        return -1;
    cuts[n++] = p0;
    cuts[n++] = p1;
    if (v0 && p0 + zone < p1)
        cuts[n++] = p0 + zone;
    if (v1 && p1 - zone > p0)
        cuts[n++] = p1 - zone;
    for (size_t k = 0; k < p->n_grads; k++)
        if (p->grads[k].start > p0 && p->grads[k].start < p1)
            cuts[n++] = p->grads[k].start;
    for (size_t k = 0; k < p->n_curves; k++) {
        if (p->curves[k].start > p0 && p->curves[k].start < p1)
            cuts[n++] = p->curves[k].start;
        if (p->curves[k].end > p0 && p->curves[k].end < p1)
            cuts[n++] = p->curves[k].end;
    }
    qsort(cuts, n, sizeof *cuts, cmp_long);
    t->sec = malloc(n * sizeof *t->sec);
    if (!t->sec) {
        free(cuts);
        return -1;
    }
    size_t g = 0, c = 0;
    for (size_t k = 0; k + 1 < n; k++) {
        long s0 = cuts[k], s1 = cuts[k + 1];
        if (s1 == s0)
            continue;
        long twice_mid = s0 + s1;
        while (g + 1 < p->n_grads && 2 * p->grads[g].end <= twice_mid)
            g++;
        while (c < p->n_curves && 2 * p->curves[c].end <= twice_mid)
            c++;
        int radius = 0;
        if (c < p->n_curves && 2 * p->curves[c].start < twice_mid)
            radius = p->curves[c].radius;
        int speed = ln->speed;
        if (radius && curve_speed(radius) < speed)
            speed = curve_speed(radius);
        if (v0 && twice_mid < 2 * (p0 + zone) && v0 < speed)
            speed = v0;
        if (v1 && twice_mid > 2 * (p1 - zone) && v1 < speed)
            speed = v1;
        gen_section sec = {s0 - p0, s1 - p0, speed, p->grads[g].grad, radius};
        gen_section *last = t->n_sec ? &t->sec[t->n_sec - 1] : NULL;
        if (last && last->speed == sec.speed && last->grad == sec.grad &&
            last->radius == sec.radius)
            last->end = sec.end;
        else
            t->sec[t->n_sec++] = sec;
    }
    free(cuts);
    return 0;
}

static int cmp_signal(const void *pa, const void *pb)
{
    const gen_signal *x = pa, *y = pb;
    if (x->at != y->at)
        return (x->at > y->at) - (x->at < y->at);
    return (x->dir < y->dir) - (x->dir > y->dir);
}

/* Main signals of both directions: an exit signal 150-300 m out of the station, block
 * signals every 1.5-3 km, a home signal 300-600 m before the next station. */
static int place_signals(gen_track *t, tm_rng *r)
{
    size_t cap = (size_t)(2 * (t->length / 1500 + 3));
    t->sig = malloc(cap * sizeof *t->sig);
    if (!t->sig)
        return -1;
    for (int dir = 1; dir >= -1; dir -= 2) {
        long d[2048];
        size_t n = 0;
        if (t->length < 1200) {
            d[n++] = t->length / 2;
        } else {
            long x = tm_rng_range(r, 150, 300);
            d[n++] = x;
            for (;;) {
                x += tm_rng_range(r, 1500, 3000);
                if (x > t->length - 800 || n + 2 >= sizeof d / sizeof d[0])
                    break;
                d[n++] = x;
            }
            d[n++] = t->length - tm_rng_range(r, 300, 600);
        }
        for (size_t k = 0; k < n && t->n_sig < cap; k++)
            t->sig[t->n_sig++] = (gen_signal){dir > 0 ? d[k] : t->length - d[k], dir};
    }
    qsort(t->sig, t->n_sig, sizeof *t->sig, cmp_signal);
    return 0;
}

/* Structures (the special's security schedule): on branches a level crossing every 2-6 km
 * (automatic 60 %, manned 25 %, unprotected 15 %: assumed mix of a rural secondary line);
 * on main lines one every 15-30 km (most roads cross them on bridges); on any track longer
 * than 3 km a bridge of 40-400 m with chance 0.35 and, on main lines longer than 6 km, a
 * tunnel of 0.3-2 km with chance 0.1. All kept 200 m clear of the track's ends. */
static int place_structures(gen_track *t, tm_rng *r)
{
    size_t cap = (size_t)(t->length / 2000 + 3);
    t->st = malloc(cap * sizeof *t->st);
    if (!t->st)
        return -1;
    long lo = 200, hi = t->length - 200;
    if (hi <= lo)
        return 0;
    if (t->length > 3000 && tm_rng_chance(r, 0.35)) {
        long len = tm_rng_range(r, 40, 400);
        long at = tm_rng_range(r, lo, hi - len > lo ? hi - len : lo);
        t->st[t->n_st++] = (gen_structure){TM_STRUCT_BRIDGE, at, len, 0};
    }
    if (t->main && t->length > 6000 && tm_rng_chance(r, 0.1)) {
        long len = tm_rng_range(r, 300, 2000);
        long at = tm_rng_range(r, lo, hi - len > lo ? hi - len : lo);
        t->st[t->n_st++] = (gen_structure){TM_STRUCT_TUNNEL, at, len, 0};
    }
    long step_lo = t->main ? 15000 : 2000, step_hi = t->main ? 30000 : 6000;
    for (long x = lo + tm_rng_range(r, 0, step_lo); x < hi && t->n_st < cap;
         x += tm_rng_range(r, step_lo, step_hi)) {
        long p = tm_rng_range(r, 0, 99);
        int prot = p < 60 ? TM_CROSSING_AUTOMATIC : p < 85 ? TM_CROSSING_MANNED
                                                           : TM_CROSSING_UNPROTECTED;
        t->st[t->n_st++] = (gen_structure){TM_STRUCT_LEVEL_CROSSING, x, 0, prot};
    }
    return 0;
}

/* ---- The whole network ----------------------------------------------------------- */

static int place_cities(builder *b, double km, size_t *n_cities)
{
    tm_rng *r = &b->rng;
    long long w = llround(9000.0 * sqrt(km)), h = w * 3 / 4;
    size_t n = (size_t)lround(km / 380.0);
    if (n < 3)
        n = 3;
    if (n > 60)
        n = 60;
    double dmin = 0.55 * sqrt((double)w * (double)h / (double)n);
    for (size_t i = 0; i < n; i++) {
        long long x = 0, y = 0;
        for (int attempt = 0;; attempt++) {
            x = tm_rng_range(r, 0, (long)w);
            y = tm_rng_range(r, 0, (long)h);
            int ok = 1;
            for (size_t j = 0; j < i && ok; j++)
                ok = (double)isqrt_dist(x - b->net->ops[j].x, y - b->net->ops[j].y) >= dmin;
            if (ok)
                break;
            if (attempt % 200 == 199)
                dmin *= 0.9;
        }
        size_t k = add_op(b, x, y, tm_rng_range(r, 200, 6000) * 1000LL);
        if (k == GEN_NONE)
            return -1;
        b->net->ops[k].city = 1;
        b->net->ops[k].on_main = 1;
        set_loops(r, &b->net->ops[k], 4, 650, 750);
    }
    *n_cities = n;
    return 0;
}

typedef struct edge {
    size_t a, b;
    double sinuosity;
} edge;

/* The backbone's city pairs: the minimum spanning tree plus shortcuts where the tree makes a
 * long detour. */
static int backbone_edges(builder *b, size_t n, edge **out, size_t *n_out)
{
    const gen_op *c = b->net->ops;
    edge *e = malloc((2 * n + 4) * sizeof *e);
    int *in_tree = calloc(n, sizeof *in_tree);
    size_t *parent = malloc(n * sizeof *parent);
    double *best = malloc(n * sizeof *best), *tree_d = malloc(n * n * sizeof *tree_d);
    size_t *adj = malloc(n * n * sizeof *adj), *deg = calloc(n, sizeof *deg);
    size_t *stack = malloc(n * sizeof *stack);
    int rc = -1;
    if (!e || !in_tree || !parent || !best || !tree_d || !adj || !deg || !stack)
        goto out;
    size_t m = 0;
    /* Prim. */
    in_tree[0] = 1;
    for (size_t i = 1; i < n; i++) {
        best[i] = (double)isqrt_dist(c[i].x - c[0].x, c[i].y - c[0].y);
        parent[i] = 0;
    }
    for (size_t step = 1; step < n; step++) {
        size_t k = GEN_NONE;
        for (size_t i = 0; i < n; i++)
            if (!in_tree[i] && (k == GEN_NONE || best[i] < best[k]))
                k = i;
        in_tree[k] = 1;
        e[m++] = (edge){parent[k], k, 0};
        adj[parent[k] * n + deg[parent[k]]++] = k;
        adj[k * n + deg[k]++] = parent[k];
        for (size_t i = 0; i < n; i++) {
            double d = (double)isqrt_dist(c[i].x - c[k].x, c[i].y - c[k].y);
            if (!in_tree[i] && d < best[i]) {
                best[i] = d;
                parent[i] = k;
            }
        }
    }
    /* Distances within the tree, from every city. */
    for (size_t s = 0; s < n; s++) {
        double *d = &tree_d[s * n];
        for (size_t i = 0; i < n; i++)
            d[i] = -1.0;
        d[s] = 0.0;
        size_t top = 0;
        stack[top++] = s;
        while (top) {
            size_t u = stack[--top];
            for (size_t j = 0; j < deg[u]; j++) {
                size_t v = adj[u * n + j];
                if (d[v] < 0.0) {
                    d[v] = d[u] + (double)isqrt_dist(c[u].x - c[v].x, c[u].y - c[v].y);
                    stack[top++] = v;
                }
            }
        }
    }
    /* Shortcuts: the pairs with the largest detour ratio, one for every six cities. */
    for (size_t extra = 0; extra < n / 6; extra++) {
        size_t bi = 0, bj = 0;
        double best_ratio = 1.6;
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++) {
                double d = (double)isqrt_dist(c[i].x - c[j].x, c[i].y - c[j].y);
                double ratio = tree_d[i * n + j] / d;
                if (ratio > best_ratio) {
                    best_ratio = ratio;
                    bi = i;
                    bj = j;
                }
            }
        if (best_ratio <= 1.6)
            break;
        e[m++] = (edge){bi, bj, 0};
        /* Do not take the same detour twice: the pair is now direct. */
        double d = (double)isqrt_dist(c[bi].x - c[bj].x, c[bi].y - c[bj].y);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                double via = tree_d[i * n + bi] + d + tree_d[bj * n + j];
                double via2 = tree_d[i * n + bj] + d + tree_d[bi * n + j];
                if (via2 < via)
                    via = via2;
                if (via < tree_d[i * n + j])
                    tree_d[i * n + j] = via;
            }
    }
    for (size_t i = 0; i < m; i++)
        e[i].sinuosity = tm_rng_uniform(&b->rng, 1.08, 1.25);
    *out = e;
    *n_out = m;
    e = NULL;
    rc = 0;
out:
    free(e);
    free(in_tree);
    free(parent);
    free(best);
    free(tree_d);
    free(adj);
    free(deg);
    free(stack);
    return rc;
}

/* Scales the cities about their centre so that the backbone is MAIN_SHARE of target_m;
 * returns the length of each edge in lengths. */
static void scale_backbone(builder *b, size_t n, const edge *e, size_t m, double target_m,
                           long *lengths)
{
    gen_op *c = b->net->ops;
    double total = 0.0;
    for (size_t i = 0; i < m; i++)
        total += (double)isqrt_dist(c[e[i].a].x - c[e[i].b].x, c[e[i].a].y - c[e[i].b].y) *
                 e[i].sinuosity;
    double f = total > 0.0 ? MAIN_SHARE * target_m / total : 1.0;
    long long cx = 0, cy = 0;
    for (size_t i = 0; i < n; i++) {
        cx += c[i].x;
        cy += c[i].y;
    }
    cx /= (long long)n;
    cy /= (long long)n;
    for (size_t i = 0; i < n; i++) {
        c[i].x = cx + llround((double)(c[i].x - cx) * f);
        c[i].y = cy + llround((double)(c[i].y - cy) * f);
    }
    b->min_x = b->max_x = c[0].x;
    b->min_y = b->max_y = c[0].y;
    for (size_t i = 0; i < n; i++) {
        b->min_x = c[i].x < b->min_x ? c[i].x : b->min_x;
        b->max_x = c[i].x > b->max_x ? c[i].x : b->max_x;
        b->min_y = c[i].y < b->min_y ? c[i].y : b->min_y;
        b->max_y = c[i].y > b->max_y ? c[i].y : b->max_y;
    }
    for (size_t i = 0; i < m; i++) {
        long long d = isqrt_dist(c[e[i].a].x - c[e[i].b].x, c[e[i].a].y - c[e[i].b].y);
        lengths[i] = (long)llround((double)d * e[i].sinuosity);
        if (lengths[i] < 1000)
            lengths[i] = 1000;
    }
}

static int adjacent(const gen_net *net, size_t a, size_t b)
{
    for (size_t i = 0; i < net->n_tracks; i++) {
        const gen_track *t = &net->tracks[i];
        if ((t->from == a && t->to == b) || (t->from == b && t->to == a))
            return 1;
    }
    return 0;
}

/* Branches from stations with loops until the track length reaches target_m. */
static int add_branches(builder *b, long long target_m)
{
    gen_net *net = b->net;
    tm_rng *r = &b->rng;
    size_t *pool = NULL;
    int rc = -1;
    long long margin = 30000 + (b->max_x - b->min_x) / 10;
    for (;;) {
        long long remaining = target_m - net->main_m - net->branch_m;
        if (remaining < 3000)
            break;
        long len = tm_rng_range(r, 25000, 110000);
        if (len > remaining || remaining - len < 10000)
            len = (long)remaining;
        /* Where it leaves: usually a main-line station, sometimes a branch's loop. */
        int from_main = net->branch_m == 0 || tm_rng_chance(r, 0.75);
        free(pool);
        pool = malloc(net->n_ops * sizeof *pool);
        if (!pool)
            goto out;
        size_t n_pool = 0;
        for (size_t i = 0; i < net->n_ops; i++) {
            const gen_op *op = &net->ops[i];
            if (op->on_main == from_main && op->n_loops && op->branches < (op->city ? 3 : 1))
                pool[n_pool++] = i;
        }
        if (!n_pool) /* every station has its branch: allow a second one */
            for (size_t i = 0; i < net->n_ops; i++)
                if (net->ops[i].n_loops && net->ops[i].branches < 4)
                    pool[n_pool++] = i;
        if (!n_pool)
            break;
        size_t a = pool[tm_rng_range(r, 0, (long)n_pool - 1)];
        const gen_op *from = &net->ops[a];
        double sinuosity = tm_rng_uniform(r, 1.12, 1.35);
        double chord = (double)len / sinuosity;
        long long bx = 0, by = 0;
        for (int attempt = 0; attempt < 30; attempt++) {
            double dx, dy, rr;
            do {
                dx = tm_rng_uniform(r, -1.0, 1.0);
                dy = tm_rng_uniform(r, -1.0, 1.0);
                rr = dx * dx + dy * dy;
            } while (rr < 0.04 || rr > 1.0);
            double norm = sqrt(rr);
            bx = from->x + llround(dx / norm * chord);
            by = from->y + llround(dy / norm * chord);
            if (bx >= b->min_x - margin && bx <= b->max_x + margin &&
                by >= b->min_y - margin && by <= b->max_y + margin)
                break;
        }
        /* Now and then the branch ends at a station of another line near its end. */
        size_t bend = GEN_NONE;
        long link_len = 0;
        if (tm_rng_chance(r, 0.25)) {
            long long best = BRANCH_JOIN_RADIUS;
            for (size_t i = 0; i < net->n_ops; i++) {
                const gen_op *op = &net->ops[i];
                long long d = isqrt_dist(op->x - bx, op->y - by);
                if (i != a && op->n_loops && d < best) {
                    best = d;
                    bend = i;
                }
            }
            if (bend != GEN_NONE) {
                long long d = isqrt_dist(net->ops[bend].x - from->x, net->ops[bend].y - from->y);
                link_len = (long)llround((double)d * sinuosity);
                if (link_len < BRANCH_JOIN_MIN || link_len > remaining || adjacent(net, a, bend))
                    bend = GEN_NONE;
            }
        }
        if (bend != GEN_NONE)
            len = link_len;
        if (build_line(b, 0, a, bend, bx, by, len))
            goto out;
    }
    rc = 0;
out:
    free(pool);
    return rc;
}

static int build_adjacency(gen_net *net)
{
    net->adj_start = calloc(net->n_ops + 1, sizeof *net->adj_start);
    net->adj = malloc((2 * net->n_tracks + 1) * sizeof *net->adj);
    if (!net->adj_start || !net->adj)
        return -1;
    for (size_t i = 0; i < net->n_tracks; i++) {
        net->adj_start[net->tracks[i].from + 1]++;
        net->adj_start[net->tracks[i].to + 1]++;
    }
    for (size_t i = 0; i < net->n_ops; i++)
        net->adj_start[i + 1] += net->adj_start[i];
    size_t *fill = calloc(net->n_ops, sizeof *fill);
    if (!fill)
        return -1;
    for (size_t i = 0; i < net->n_tracks; i++) {
        size_t f = net->tracks[i].from, t = net->tracks[i].to;
        net->adj[net->adj_start[f] + fill[f]++] = i;
        net->adj[net->adj_start[t] + fill[t]++] = i;
    }
    free(fill);
    return 0;
}

int tm_gen_build_network(gen_net *net, const tm_gen_options *o, tm_rng *rng, tumen_error *err)
{
    builder b = {0};
    b.net = net;
    b.rng = tm_rng_fork(rng, 1);
    b.nm.rng = tm_rng_fork(rng, 2);
    tm_rng signal_rng = tm_rng_fork(rng, 3);
    tm_rng structure_rng = tm_rng_fork(rng, 4);
    edge *e = NULL;
    long *lengths = NULL;
    size_t n_cities = 0, m = 0;
    int rc = -1;
    double target_m = o->km * 1000.0;
    if (place_cities(&b, o->km, &n_cities) || backbone_edges(&b, n_cities, &e, &m))
        goto out;
    lengths = malloc(m * sizeof *lengths);
    if (!lengths)
        goto out;
    scale_backbone(&b, n_cities, e, m, target_m, lengths);
    for (size_t i = 0; i < m; i++)
        if (build_line(&b, 1, e[i].a, e[i].b, 0, 0, lengths[i]))
            goto out;
    if (add_branches(&b, llround(target_m)))
        goto out;
    for (size_t l = 0; l < net->n_lines; l++)
        for (size_t i = 0; i + 1 < net->lines[l].n_ops; i++)
            if (cut_track(net, &net->lines[l], &b.profiles[l], i))
                goto out;
    for (size_t i = 0; i < net->n_tracks; i++)
        if (place_signals(&net->tracks[i], &signal_rng) ||
            place_structures(&net->tracks[i], &structure_rng))
            goto out;
    if (build_adjacency(net))
        goto out;
    rc = 0;
out:
    for (size_t l = 0; l < net->n_lines; l++) {
        free(b.profiles ? b.profiles[l].grads : NULL);
        free(b.profiles ? b.profiles[l].curves : NULL);
    }
    free(b.profiles);
    free(b.nm.names.keys);
    free(b.nm.ids.keys);
    free(e);
    free(lengths);
    if (rc)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL,
                            "out of memory while generating the network");
    return TUMEN_OK;
}

void tm_gen_net_free(gen_net *net)
{
    if (!net)
        return;
    for (size_t i = 0; i < net->n_tracks; i++) {
        free(net->tracks[i].sec);
        free(net->tracks[i].sig);
        free(net->tracks[i].st);
    }
    for (size_t i = 0; i < net->n_lines; i++) {
        free(net->lines[i].ops);
        free(net->lines[i].pos);
    }
    free(net->ops);
    free(net->tracks);
    free(net->lines);
    free(net->adj_start);
    free(net->adj);
    memset(net, 0, sizeof *net);
}

/* ---- network.yaml ---------------------------------------------------------------- */

void tm_gen_print_km(FILE *fp, long long m)
{
    if (m < 0) {
        fputc('-', fp);
        m = -m;
    }
    fprintf(fp, "%lld.%03lld km", m / 1000, m % 1000);
}

void tm_gen_print_permille(FILE *fp, int tenths)
{
    int a = tenths < 0 ? -tenths : tenths;
    fprintf(fp, "%s%d.%d permille", tenths < 0 ? "-" : "", a / 10, a % 10);
}

static void print_degrees(FILE *fp, long long e5)
{
    fprintf(fp, "%s%lld.%05lld", e5 < 0 ? "-" : "", (e5 < 0 ? -e5 : e5) / 100000,
            (e5 < 0 ? -e5 : e5) % 100000);
}

static const char *kind_name(tm_op_kind k)
{
    switch (k) {
    case TM_OP_HALT:
        return "halt";
    case TM_OP_JUNCTION:
        return "junction";
    case TM_OP_BORDER:
        return "border";
    case TM_OP_YARD:
        return "yard";
    default:
        return "station";
    }
}

int tm_gen_write_network(FILE *fp, const gen_net *net, const tm_gen_options *o,
                         size_t *nodes)
{
    size_t n_nodes = 7; /* root, network, its map, two keys and two lists */
    fprintf(fp,
            "# Synthetic national network: tumen gen network --km %.0f --trains %zu --seed %llu\n"
            "# Every value here is synthetic (generated), not a survey of a real railway:\n"
            "# %zu operational points, %zu tracks, %.3f km of track (main lines %.3f km,\n"
            "# double track, 25 kV; branches %.3f km, single track, diesel).\n"
            "# Positions are in a box south-west corner 50 N 10 E; gradients in the from -> to\n"
            "# direction; signals are main (block) signals of each direction.\n"
            "network:\n"
            "  operational_points:\n",
            o->km, o->services, (unsigned long long)o->seed, net->n_ops, net->n_tracks,
            (double)(net->main_m + net->branch_m) / 1000.0, (double)net->main_m / 1000.0,
            (double)net->branch_m / 1000.0);
    for (size_t i = 0; i < net->n_ops; i++) {
        const gen_op *op = &net->ops[i];
        fprintf(fp, "    - {id: %s, name: \"%s\", kind: %s, position: [", op->id, op->name,
                kind_name(op->kind));
        print_degrees(fp, LAT0_E5 + op->y * 100000LL / M_PER_DEG_LAT);
        fputs(", ", fp);
        print_degrees(fp, LON0_E5 + op->x * 100000LL / M_PER_DEG_LON);
        fputc(']', fp);
        n_nodes += 11 + (op->n_loops ? 2 + (size_t)op->n_loops : 0);
        if (op->n_loops) {
            fputs(", loops: [", fp);
            for (int k = 0; k < op->n_loops; k++)
                fprintf(fp, "%s%d m", k ? ", " : "", op->loops[k]);
            fputc(']', fp);
        }
        fputs("}\n", fp);
    }
    fputs("  tracks:\n", fp);
    for (size_t l = 0; l < net->n_lines; l++) {
        const gen_line *ln = &net->lines[l];
        fprintf(fp, "    # line %zu: %s %s - %s, ", l + 1, ln->main ? "main line" : "branch",
                net->ops[ln->ops[0]].name, net->ops[ln->ops[ln->n_ops - 1]].name);
        tm_gen_print_km(fp, ln->length);
        fprintf(fp, ", %d km/h\n", ln->speed);
        for (size_t i = 0; i + 1 < ln->n_ops; i++) {
            const gen_track *t = &net->tracks[ln->first_track + i];
            const gen_op *a = &net->ops[t->from], *b = &net->ops[t->to];
            fprintf(fp, "    - id: %s-%s\n      from: %s\n      to: %s\n      length: ", a->id,
                    b->id, a->id, b->id);
            tm_gen_print_km(fp, t->length);
            fprintf(fp,
                    "\n      main_tracks: %d\n      electrification: %s\n"
                    "      max_axle_load: %s\n      speed_limit: %d km/h\n      sections:\n",
                    t->main ? 2 : 1, t->main ? "25kV 50Hz" : "none",
                    t->main ? "25 t" : "22.5 t", t->speed);
            n_nodes += 21 + 5 * t->n_sig;
            for (size_t k = 0; k < t->n_sec; k++) {
                const gen_section *s = &t->sec[k];
                n_nodes += s->radius ? 11 : 9;
                fputs("        - {from: ", fp);
                tm_gen_print_km(fp, s->start);
                fputs(", to: ", fp);
                tm_gen_print_km(fp, s->end);
                fprintf(fp, ", speed_limit: %d km/h, gradient: ", s->speed);
                tm_gen_print_permille(fp, s->grad);
                if (s->radius)
                    fprintf(fp, ", radius: %d m", s->radius);
                fputs("}\n", fp);
            }
            fputs("      signals:\n", fp);
            for (size_t k = 0; k < t->n_sig; k++) {
                fputs("        - {at: ", fp);
                tm_gen_print_km(fp, t->sig[k].at);
                fprintf(fp, ", direction: %s}\n", t->sig[k].dir > 0 ? "forward" : "backward");
            }
            if (t->n_st)
                fputs("      structures:\n", fp);
            for (size_t k = 0; k < t->n_st; k++) {
                static const char *const kind[] = {"level_crossing", "bridge", "tunnel"};
                static const char *const prot[] = {"automatic", "manned", "unprotected"};
                const gen_structure *st = &t->st[k];
                fprintf(fp, "        - {kind: %s, at: ", kind[st->kind]);
                tm_gen_print_km(fp, st->at);
                if (st->kind == TM_STRUCT_LEVEL_CROSSING) {
                    fprintf(fp, ", protection: %s, warning_time: 30 s, closing_time: 10 s}\n",
                            prot[st->protection]);
                    n_nodes += 11;
                } else {
                    fputs(", length: ", fp);
                    tm_gen_print_km(fp, st->length);
                    fputs("}\n", fp);
                    n_nodes += 7;
                }
            }
            n_nodes += t->n_st ? 2 : 0;
        }
    }
    *nodes = n_nodes;
    return ferror(fp) ? -1 : 0;
}
