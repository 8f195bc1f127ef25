/* railml_write.c: a scenario as railML 2.4 (namespace http://www.railml.org/schemas/2009):
 * infrastructure, rolling stock and timetable, shaped so that tumen's railML 2 reader reads
 * back the same network (docs/formats.md, "Exports").
 *
 *  - every operational point is an <ocp> (junctions with operationalType="junction"), placed
 *    by a <crossSection> at a track end that touches it;
 *  - every track is a <track> from pos 0 to its length; where two track ends meet at a point
 *    their <connection>s name each other; where three or more meet, a <switch> at the end
 *    of the first track carries a connection to each other end;
 *  - sections become speedChanges (dir up at their start with speed_limit, dir down at their
 *    end with speed_limit_back), gradientChanges and radiusChanges at their start;
 *  - the track's electrification is one electrificationChange at pos 0;
 *  - signals keep their position, direction and id (or get "<track>_sig<i>").
 */
#include "formats/railml_write.h"
#include "core/c_locale.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/import_reader.h"

/* Shortest %g that reads back exactly. */
static void num(char *buf, size_t size, double x)
{
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, x);
        if (strtod(buf, NULL) == x)
            return;
    }
}

static void esc(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\t')
                fputc(*s, f);
        }
    }
}

/* An attribute: name="value" with a leading space. */
static void attr(FILE *f, const char *name, const char *value)
{
    fprintf(f, " %s=\"", name);
    esc(f, value ? value : ""); /* a name not given */
    fputc('"', f);
}

/* End e (0 from, 1 to) of track t. */
typedef struct end_ref {
    size_t track;
    int end;
} end_ref;

static void conn_id(char *buf, size_t size, const tm_track *t, int end)
{
    snprintf(buf, size, "%s_%s", t->id, end ? "ec" : "bc");
}

/* The track ends meeting at op i, in adjacency order. */
static size_t ends_at(const tm_network *n, size_t op, end_ref *out)
{
    size_t k = 0;
    for (size_t a = n->adj_start[op]; a < n->adj_start[op + 1]; a++) {
        const tm_track *t = &n->tracks[n->adj[a]];
        if (t->from == op)
            out[k++] = (end_ref){n->adj[a], 0};
        if (t->to == op)
            out[k++] = (end_ref){n->adj[a], 1};
    }
    return k;
}

/* The railML element at one end of a track: a connection to the partner, the switch's
 * connection, or a buffer stop. */
static void write_end(FILE *f, const tm_network *n, size_t ti, int end, end_ref *tmp)
{
    const tm_track *t = &n->tracks[ti];
    size_t op = end ? t->to : t->from;
    size_t k = ends_at(n, op, tmp);
    char id[TM_DERIVED_ID_LEN], ref[TM_DERIVED_ID_LEN], pos[40];
    num(pos, sizeof pos, end ? t->length : 0.0);
    fprintf(f, "        <%s", end ? "trackEnd" : "trackBegin");
    tm_snclip(id, sizeof id, "%s_%s", t->id, end ? "e" : "b");
    attr(f, "id", id);
    fprintf(f, " pos=\"%s\" absPos=\"%s\">\n", pos, pos);
    conn_id(id, sizeof id, t, end);
    if (k == 1) {
        tm_snclip(ref, sizeof ref, "%s_bs%d", t->id, end);
        fputs("          <bufferStop", f);
        attr(f, "id", ref);
        fputs("/>\n", f);
    } else if (k == 2) {
        const end_ref *o = tmp[0].track == ti && tmp[0].end == end ? &tmp[1] : &tmp[0];
        conn_id(ref, sizeof ref, &n->tracks[o->track], o->end);
        fputs("          <connection", f);
        attr(f, "id", id);
        attr(f, "ref", ref);
        fputs("/>\n", f);
    } else {
        /* The switch sits on the first end; the others connect to it. */
        const tm_track *first = &n->tracks[tmp[0].track];
        tm_snclip(ref, sizeof ref, "%s_sw%d", first->id, tmp[0].end);
        if (!(tmp[0].track == ti && tmp[0].end == end)) {
            char sref[TM_DERIVED_ID_LEN];
            tm_snclip(sref, sizeof sref, "%s_c", ref);
            fputs("          <connection", f);
            attr(f, "id", id);
            /* one switch connection per other end, named after that end */
            tm_snclip(sref, sizeof sref, "%s_%s", ref, id);
            attr(f, "ref", sref);
            fputs("/>\n", f);
        } else {
            fputs("          <openEnd", f);
            tm_snclip(ref, sizeof ref, "%s_oe", id);
            attr(f, "id", ref);
            fputs("/>\n", f);
        }
    }
    fprintf(f, "        </%s>\n", end ? "trackEnd" : "trackBegin");
}

static void write_switches(FILE *f, const tm_network *n, size_t ti, end_ref *tmp)
{
    const tm_track *t = &n->tracks[ti];
    int any = 0;
    for (int end = 0; end < 2; end++) {
        size_t op = end ? t->to : t->from;
        size_t k = ends_at(n, op, tmp);
        if (k < 3 || tmp[0].track != ti || tmp[0].end != end)
            continue;
        if (!any)
            fputs("        <connections>\n", f);
        any = 1;
        char sw[TM_DERIVED_ID_LEN], pos[40], id[TM_DERIVED_ID_LEN], cid[TM_DERIVED_ID_LEN],
            ref[TM_DERIVED_ID_LEN];
        tm_snclip(sw, sizeof sw, "%s_sw%d", t->id, end);
        num(pos, sizeof pos, end ? t->length : 0.0);
        fputs("          <switch", f);
        attr(f, "id", sw);
        attr(f, "name", n->ops[op].name);
        fprintf(f, " pos=\"%s\" absPos=\"%s\">\n", pos, pos);
        for (size_t j = 1; j < k; j++) {
            conn_id(ref, sizeof ref, &n->tracks[tmp[j].track], tmp[j].end);
            tm_snclip(cid, sizeof cid, "%s_%s", sw, ref);
            (void)id;
            fputs("            <connection", f);
            attr(f, "id", cid);
            attr(f, "ref", ref);
            fputs(" orientation=\"outgoing\"/>\n", f);
        }
        fputs("          </switch>\n", f);
    }
    if (any)
        fputs("        </connections>\n", f);
}

static void write_cross_sections(FILE *f, const tm_network *n, size_t ti,
                                 const unsigned char *placed_here)
{
    const tm_track *t = &n->tracks[ti];
    int any = 0;
    for (int end = 0; end < 2; end++) {
        if (!placed_here[end])
            continue;
        size_t op = end ? t->to : t->from;
        char id[TM_DERIVED_ID_LEN], pos[40];
        if (!any)
            fputs("        <crossSections>\n", f);
        any = 1;
        tm_snclip(id, sizeof id, "%s_cs%d", t->id, end);
        num(pos, sizeof pos, end ? t->length : 0.0);
        fputs("          <crossSection", f);
        attr(f, "id", id);
        attr(f, "ocpRef", n->ops[op].id);
        fprintf(f, " pos=\"%s\" absPos=\"%s\"/>\n", pos, pos);
    }
    if (any)
        fputs("        </crossSections>\n", f);
}

static void write_elements(FILE *f, const tm_track *t)
{
    char id[TM_DERIVED_ID_LEN], a[40], b[40];
    fputs("      <trackElements>\n        <speedChanges>\n", f);
    for (size_t i = 0; i < t->n_sections; i++) {
        const tm_track_section *s = &t->sections[i];
        num(a, sizeof a, s->start);
        num(b, sizeof b, s->speed_limit * 3.6);
        tm_snclip(id, sizeof id, "%s_su%zu", t->id, i);
        fputs("          <speedChange", f);
        attr(f, "id", id);
        fprintf(f, " pos=\"%s\" dir=\"up\" vMax=\"%s\"/>\n", a, b);
        num(a, sizeof a, i + 1 == t->n_sections ? t->length : s->end);
        num(b, sizeof b, s->speed_limit_back * 3.6);
        tm_snclip(id, sizeof id, "%s_sd%zu", t->id, i);
        fputs("          <speedChange", f);
        attr(f, "id", id);
        fprintf(f, " pos=\"%s\" dir=\"down\" vMax=\"%s\"/>\n", a, b);
    }
    fputs("        </speedChanges>\n        <gradientChanges>\n", f);
    for (size_t i = 0; i < t->n_sections; i++) {
        num(a, sizeof a, t->sections[i].start);
        num(b, sizeof b, t->sections[i].gradient * 1000.0);
        tm_snclip(id, sizeof id, "%s_g%zu", t->id, i);
        fputs("          <gradientChange", f);
        attr(f, "id", id);
        fprintf(f, " pos=\"%s\" slope=\"%s\"/>\n", a, b);
    }
    fputs("        </gradientChanges>\n        <radiusChanges>\n", f);
    for (size_t i = 0; i < t->n_sections; i++) {
        num(a, sizeof a, t->sections[i].start);
        num(b, sizeof b, t->sections[i].radius);
        tm_snclip(id, sizeof id, "%s_r%zu", t->id, i);
        fputs("          <radiusChange", f);
        attr(f, "id", id);
        fprintf(f, " pos=\"%s\" radius=\"%s\"/>\n", a, b);
    }
    fputs("        </radiusChanges>\n        <electrificationChanges>\n", f);
    tm_snclip(id, sizeof id, "%s_el", t->id);
    fputs("          <electrificationChange", f);
    attr(f, "id", id);
    static const char *const volts[TM_ELEC_COUNT_] = {NULL, "750", "1500", "3000", "15000",
                                                      "25000"};
    if (t->electrification == TM_ELEC_NONE || (int)t->electrification >= TM_ELEC_COUNT_)
        fputs(" pos=\"0\" type=\"none\"/>\n", f);
    else
        fprintf(f, " pos=\"0\" type=\"overhead\" voltage=\"%s\" frequency=\"%s\"/>\n",
                volts[t->electrification],
                t->electrification == TM_ELEC_AC_15K_16_7 ? "16.7"
                : t->electrification == TM_ELEC_AC_25K_50 ? "50"
                                                          : "0");
    fputs("        </electrificationChanges>\n      </trackElements>\n", f);
}

static void write_signals(FILE *f, const tm_track *t)
{
    if (!t->n_signals)
        return;
    fputs("      <ocsElements>\n        <signals>\n", f);
    for (size_t i = 0; i < t->n_signals; i++) {
        const tm_signal *s = &t->signals[i];
        char id[TM_DERIVED_ID_LEN], pos[40];
        if (s->id[0])
            snprintf(id, sizeof id, "%s", s->id);
        else
            tm_snclip(id, sizeof id, "%s_sig%zu", t->id, i);
        num(pos, sizeof pos, s->position);
        fputs("          <signal", f);
        attr(f, "id", id);
        fprintf(f, " pos=\"%s\" dir=\"%s\"/>\n", pos,
                s->direction > 0 ? "up" : s->direction < 0 ? "down" : "both");
    }
    fputs("        </signals>\n      </ocsElements>\n", f);
}

static const char *op_type(tm_op_kind k)
{
    switch (k) {
    case TM_OP_HALT: return "stoppingPoint";
    case TM_OP_JUNCTION: return "junction";
    case TM_OP_YARD: return "depot";
    default: return "station";
    }
}

static void write_infrastructure(FILE *f, const tm_network *n, end_ref *tmp)
{
    /* Each op is placed by one cross section, at the first track end that touches it. */
    unsigned char *placed = calloc(n->n_ops ? n->n_ops : 1, 1);
    fputs("  <infrastructure id=\"inf\" name=\"tumen network\">\n    <tracks>\n", f);
    for (size_t i = 0; i < n->n_tracks; i++) {
        const tm_track *t = &n->tracks[i];
        unsigned char here[2] = {0, 0};
        if (placed && !placed[t->from])
            placed[t->from] = here[0] = 1;
        if (placed && !placed[t->to])
            placed[t->to] = here[1] = 1;
        fputs("    <track", f);
        attr(f, "id", t->id);
        attr(f, "name", t->id);
        fprintf(f, " mainDir=\"none\" type=\"%s\">\n", t->main_tracks > 1 ? "mainTrack"
                                                                           : "mainTrack");
        fputs("      <trackTopology>\n", f);
        write_end(f, n, i, 0, tmp);
        write_end(f, n, i, 1, tmp);
        write_switches(f, n, i, tmp);
        write_cross_sections(f, n, i, here);
        fputs("      </trackTopology>\n", f);
        write_elements(f, t);
        write_signals(f, t);
        fputs("    </track>\n", f);
    }
    free(placed);
    fputs("    </tracks>\n    <operationControlPoints>\n", f);
    for (size_t i = 0; i < n->n_ops; i++) {
        const tm_op *op = &n->ops[i];
        fputs("      <ocp", f);
        attr(f, "id", op->id);
        attr(f, "name", op->name);
        fprintf(f, ">\n        <propOperational operationalType=\"%s\"/>\n", op_type(op->kind));
        if (op->has_position && isfinite(op->lat) && isfinite(op->lon)) {
            char a[40], b[40];
            num(a, sizeof a, op->lat);
            num(b, sizeof b, op->lon);
            fprintf(f, "        <geoCoord coord=\"%s %s\" epsgCode=\"EPSG:4326\"/>\n", a, b);
        }
        fputs("      </ocp>\n", f);
    }
    fputs("    </operationControlPoints>\n  </infrastructure>\n", f);
}

static void write_stock(FILE *f, const tm_scenario *s)
{
    char a[40], b[40];
    fputs("  <rollingstock id=\"rs\">\n    <vehicles>\n", f);
    for (size_t i = 0; i < s->n_vehicles; i++) {
        const tm_vehicle *v = &s->vehicles[i];
        fputs("      <vehicle", f);
        attr(f, "id", v->id);
        attr(f, "name", v->name);
        num(a, sizeof a, v->length);
        fprintf(f, " length=\"%s\"", a);
        num(a, sizeof a, v->mass / 1000.0);
        num(b, sizeof b, (v->mass + v->load) / 1000.0);
        fprintf(f, " tareWeight=\"%s\" bruttoWeight=\"%s\"", a, b);
        if (v->max_speed > 0.0) {
            num(a, sizeof a, v->max_speed * 3.6);
            fprintf(f, " speed=\"%s\"", a);
        }
        if (!v->has_traction) {
            fputs("/>\n", f);
            continue;
        }
        double power = v->max_power;
        for (size_t k = 0; k < v->n_effort; k++) /* a table: its highest force x speed */
            if (v->effort[k].v * v->effort[k].f > power)
                power = v->effort[k].v * v->effort[k].f;
        num(a, sizeof a, power > 0.0 ? power : 1.0);
        num(b, sizeof b, v->max_force);
        fprintf(f, ">\n        <engine>\n          <propulsion power=\"%s\" maxTractEffort=\"%s\"/>\n"
                   "        </engine>\n      </vehicle>\n",
                a, b);
    }
    fputs("    </vehicles>\n    <formations>\n", f);
    for (size_t i = 0; i < s->n_trains; i++) {
        const tm_train *t = &s->trains[i];
        fputs("      <formation", f);
        attr(f, "id", t->id);
        attr(f, "name", t->name);
        fputs(">\n        <trainOrder>\n", f);
        for (size_t k = 0; k < t->n_consist; k++) {
            fprintf(f, "          <vehicleRef orderNumber=\"%zu\"", k + 1);
            attr(f, "vehicleRef", s->vehicles[t->consist[k].vehicle].id);
            fprintf(f, " vehicleCount=\"%d\"/>\n", t->consist[k].count);
        }
        fputs("        </trainOrder>\n      </formation>\n", f);
    }
    fputs("    </formations>\n  </rollingstock>\n", f);
}

static void clock_text(char *buf, size_t size, double t)
{
    long x = lround(t);
    snprintf(buf, size, "%02ld:%02ld:%02ld", x / 3600, (x / 60) % 60, x % 60);
}

static void write_timetable(FILE *f, const tm_scenario *s)
{
    const tm_timetable *tt = &s->timetable;
    char id[TM_DERIVED_ID_LEN], t[32];
    fputs("  <timetable id=\"tt\"", f);
    attr(f, "name", tm_name_or(tt->name, "tumen timetable"));
    fputs(">\n    <trainParts>\n", f);
    for (size_t i = 0; i < tt->n_services; i++) {
        const tm_service *v = &tt->services[i];
        tm_snclip(id, sizeof id, "tp_%s", v->id);
        fputs("      <trainPart", f);
        attr(f, "id", id);
        attr(f, "trainNumber", v->id);
        fputs(">\n        <formationTT", f);
        attr(f, "formationRef", s->trains[v->train].id);
        fputs("/>\n        <ocpsTT>\n", f);
        for (size_t k = 0; k < v->n_waypoints; k++) {
            int stop = k == 0 || k + 1 == v->n_waypoints;
            for (size_t j = 0; j < v->n_stops; j++)
                stop |= v->stops[j].op == v->waypoints[k];
            fprintf(f, "          <ocpTT sequence=\"%zu\"", k + 1);
            attr(f, "ocpRef", s->network.ops[v->waypoints[k]].id);
            fprintf(f, " ocpType=\"%s\"", k == 0 ? "begin" : k + 1 == v->n_waypoints ? "end"
                                         : stop ? "stop" : "pass");
            if (k == 0) {
                clock_text(t, sizeof t, v->departure);
                fprintf(f, ">\n            <times scope=\"scheduled\" departure=\"%s\"/>\n"
                           "          </ocpTT>\n", t);
            } else {
                fputs("/>\n", f);
            }
        }
        fputs("        </ocpsTT>\n      </trainPart>\n", f);
    }
    fputs("    </trainParts>\n    <trains>\n", f);
    for (size_t i = 0; i < tt->n_services; i++) {
        const tm_service *v = &tt->services[i];
        fputs("      <train", f);
        tm_snclip(id, sizeof id, "tr_%s", v->id);
        attr(f, "id", id);
        attr(f, "trainNumber", v->id);
        tm_snclip(id, sizeof id, "tp_%s", v->id);
        fputs(" type=\"operational\">\n        <trainPartSequence sequence=\"1\">\n"
              "          <trainPartRef", f);
        attr(f, "ref", id);
        fputs("/>\n        </trainPartSequence>\n      </train>\n", f);
    }
    fputs("    </trains>\n  </timetable>\n", f);
}

static int tm_railml_write_c(const tm_scenario *s, FILE *f)
{
    const tm_network *n = &s->network;
    size_t max_deg = 1;
    for (size_t i = 0; n->adj_start && i < n->n_ops; i++)
        if (2 * (n->adj_start[i + 1] - n->adj_start[i]) > max_deg)
            max_deg = 2 * (n->adj_start[i + 1] - n->adj_start[i]);
    end_ref *tmp = malloc(max_deg * sizeof *tmp);
    if (!tmp)
        return -1;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<railml xmlns=\"%s\" version=\"2.4\">\n"
               "  <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
               "    <dc:source>tumen %s</dc:source>\n  </metadata>\n",
            tm_railml2_namespaces[0], TUMEN_VERSION);
    if (n->n_ops && n->adj_start)
        write_infrastructure(f, n, tmp);
    free(tmp);
    if (s->n_vehicles)
        write_stock(f, s);
    if (s->timetable.n_services)
        write_timetable(f, s);
    fputs("</railml>\n", f);
    return ferror(f) ? -1 : 0;
}

/* The C numeric locale for this thread around the work (core/c_locale.h). */
int tm_railml_write(const tm_scenario *s, FILE *f)
{
    locale_t old = tm_c_numeric_enter();
    int rc = tm_railml_write_c(s, f);
    tm_c_numeric_leave(old);
    return rc;
}
