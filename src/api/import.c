/* import.c: files of other formats read into a scenario (tumen_import): the counts of what
 * they held, as `tumen import` prints them, and the network as tumen YAML. */
#include "api/api.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic.h"
#include "core/error.h"
#include "formats/network_write.h"

struct tumen_import {
    tm_import imp;
    tumen_scenario scenario; /* borrows imp.scenario */
};

void tumen_import_options_init(tumen_import_options *o)
{
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
}

const char *tumen_import_detect_file(const char *path)
{
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f)
        return NULL;
    size_t cap = 1 << 20;
    char *buf = malloc(cap);
    size_t n = buf ? fread(buf, 1, cap, f) : 0;
    fclose(f);
    tm_import_format fmt = buf ? tm_import_detect(buf, n) : TM_IMPORT_UNKNOWN;
    free(buf);
    return fmt == TM_IMPORT_UNKNOWN ? NULL : tm_import_format_name(fmt);
}

static void layer_options(const tumen_import_options *options, tm_import_options *opt)
{
    tumen_import_options o;
    tumen_import_options_init(&o);
    tm_api_options(&o, sizeof o, options);
    tm_import_options_init(opt);
    opt->drop_sidings = o.drop_sidings;
    opt->strict = o.strict;
    opt->drop_temporary = o.drop_temporary;
    if (o.default_speed > 0.0)
        opt->default_speed = o.default_speed;
}

/* A new handle for an import read into imp (freed when that fails). */
static int wrap(tm_import *imp, tumen_import **out, tumen_error *err)
{
    tumen_import *h = calloc(1, sizeof *h);
    if (!h) {
        tm_import_free(imp);
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    h->imp = *imp;
    h->scenario.model = h->imp.scenario;
    h->scenario.geometry = h->imp.geometry;
    h->scenario.borrowed = 1;
    *out = h;
    return TUMEN_OK;
}

int tumen_import_file(const char *path, const tumen_import_options *options,
                      tumen_import **out, tumen_error *err)
{
    tm_error_clear(err);
    if (!path || !out)
        return tm_api_null(err, "path and out");
    *out = NULL;
    tm_import_options opt;
    tm_import imp;
    layer_options(options, &opt);
    int rc = tm_import_file(path, &opt, &imp, err);
    return rc != TUMEN_OK ? rc : wrap(&imp, out, err);
}

int tumen_import_memory(const char *name, const void *data, size_t length,
                        const tumen_import_options *options, tumen_import **out,
                        tumen_error *err)
{
    tm_error_clear(err);
    if (!data || !out)
        return tm_api_null(err, "data and out");
    *out = NULL;
    tm_import_options opt;
    tm_import imp;
    layer_options(options, &opt);
    int rc = tm_import_memory(name ? name : "<memory>", data, length, &opt, &imp, err);
    return rc != TUMEN_OK ? rc : wrap(&imp, out, err);
}

void tumen_import_destroy(tumen_import *h)
{
    if (!h)
        return;
    tm_import_free(&h->imp);
    free(h);
}

const tumen_scenario *tumen_import_scenario(const tumen_import *h)
{
    return h ? &h->scenario : NULL;
}

void tumen_import_get_summary(const tumen_import *h, tumen_import_summary *summary)
{
    const tm_import_summary *s = &h->imp.summary;
    tumen_import_summary o;
    memset(&o, 0, sizeof o);
    o.format = tm_import_format_name(h->imp.format);
    o.version = h->imp.version;
    o.tracks = s->tracks;
    o.length = s->length_m;
    o.switches = s->switches;
    o.switch_connections = s->switch_connections;
    o.trains_without_network = h->imp.trains_without_network;
    o.signals = s->signals;
    o.speed_changes = s->speed_changes;
    o.gradient_changes = s->gradient_changes;
    o.curve_changes = s->curve_changes;
    o.operational_points = s->operational_points;
    o.vehicles = s->vehicles;
    o.trains = s->trains;
    o.open_refs = s->open_refs;
    o.outside = s->outside;
    o.level_crossings = s->level_crossings;
    o.bridges = s->bridges;
    o.tunnels = s->tunnels;
    tm_api_fill(summary, &o, sizeof o);
}

int tumen_import_summary_json(const tumen_import *h, char **text, size_t *length,
                              tumen_error *err)
{
    tm_api_text t;
    tm_error_clear(err);
    if (!h)
        return tm_api_null(err, "import");
    int rc = tm_api_text_begin(&t, err);
    if (rc != TUMEN_OK)
        return rc;
    const tm_import_summary *s = &h->imp.summary;
    fprintf(t.f,
            "{\"format\": \"%s\", \"version\": \"%s\", \"tracks\": %zu, \"length_m\": %.3f, "
            "\"switches\": %zu, \"switch_connections\": %zu, \"signals\": %zu, "
            "\"speed_changes\": %zu, "
            "\"gradient_changes\": %zu, \"curve_changes\": %zu, \"operational_points\": %zu, "
            "\"vehicles\": %zu, \"trains\": %zu, \"level_crossings\": %zu, "
            "\"bridges\": %zu, \"tunnels\": %zu, \"open_refs\": %zu, \"outside\": %zu}\n",
            tm_import_format_name(h->imp.format), h->imp.version, s->tracks, s->length_m,
            s->switches, s->switch_connections, s->signals, s->speed_changes,
            s->gradient_changes, s->curve_changes, s->operational_points, s->vehicles,
            s->trains, s->level_crossings, s->bridges, s->tunnels, s->open_refs, s->outside);
    return tm_api_text_end(&t, text, length, err);
}

int tumen_import_summary_text(const tumen_import *h, char **text, size_t *length,
                              tumen_error *err)
{
    tm_api_text t;
    tm_error_clear(err);
    if (!h)
        return tm_api_null(err, "import");
    int rc = tm_api_text_begin(&t, err);
    if (rc != TUMEN_OK)
        return rc;
    const tm_import_summary *s = &h->imp.summary;
    fprintf(t.f,
            "%s %s\n"
            "tracks              %zu\n"
            "length              %.3f km\n"
            "switches            %zu\n"
            "switch connections  %zu\n"
            "signals             %zu\n"
            "speed changes       %zu\n"
            "gradient changes    %zu\n"
            "curve changes       %zu\n"
            "operational points  %zu\n"
            "vehicles            %zu\n"
            "trains              %zu\n"
            "level crossings     %zu\n"
            "bridges             %zu\n"
            "tunnels             %zu\n",
            tm_import_format_name(h->imp.format), h->imp.version, s->tracks,
            s->length_m / 1000.0, s->switches, s->switch_connections, s->signals,
            s->speed_changes, s->gradient_changes, s->curve_changes, s->operational_points,
            s->vehicles, s->trains, s->level_crossings, s->bridges, s->tunnels);
    if (s->open_refs)
        fprintf(t.f, "open references     %zu (lead out of the file: the tracks end there)\n",
                s->open_refs);
    if (s->outside)
        fprintf(t.f, "outside their track %zu (placed at its nearer end; --strict refuses them)\n",
                s->outside);
    return tm_api_text_end(&t, text, length, err);
}

int tumen_import_write_network(const tumen_import *h, const char *path, tumen_error *err)
{
    tm_error_clear(err);
    if (!h || !path)
        return tm_api_null(err, "import and path");
    tm_atomic_file af;
    FILE *f = tm_atomic_open(path, &af, err);
    if (!f)
        return err ? err->code : TUMEN_EIO;
    if (tm_scenario_write_yaml(h->imp.scenario, f)) {
        tm_atomic_abort(&af);
        return tm_io_error(err, "write", path, EIO);
    }
    return tm_atomic_commit(&af, err);
}

static int yaml_writer(const void *ctx, const char *path, tumen_error *err)
{
    return tumen_import_write_network(ctx, path, err);
}

int tumen_import_network_yaml(const tumen_import *h, char **text, size_t *length,
                              tumen_error *err)
{
    tm_error_clear(err);
    if (!h || !text)
        return tm_api_null(err, "import and text");
    return tm_api_via_file(yaml_writer, h, "yaml", (void **)text, length, err);
}
