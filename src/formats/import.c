/* import.c: format detection and dispatch to the readers (import.h). What the readers
 * share, and the result they fill, is in import_reader.c.
 *
 * Detection looks at the content, not the name: a gzip/PBF header or a blob header
 * ("OSMHeader") is OSM PBF; XML is told apart by its root element (<railml> with a 2.x
 * version, <railML> 3.x, <osm>); JSON by its keys (track_sections: railjson infrastructure;
 * effort_curves: OSRD rolling stock).
 */
#include "formats/import.h"
#include "core/c_locale.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/file.h"
#include "formats/import_reader.h"
#include "formats/import_xml.h"
#include "formats/json_doc.h"

#define TM_IMPORT_MAX_SIZE (512L * 1024 * 1024)

/* The name of the first element of an XML text (after the declaration, comments, DOCTYPE),
 * into buf; "" if none is found in the first 64 KiB. */
static void xml_root_name(const char *p, size_t n, char *buf, size_t size)
{
    buf[0] = '\0';
    size_t i = 0, limit = n < 65536 ? n : 65536;
    while (i < limit) {
        if (p[i] != '<') {
            i++;
            continue;
        }
        if (i + 1 < limit && (p[i + 1] == '?' || p[i + 1] == '!')) {
            i += 2;
            continue;
        }
        size_t k = 0;
        i++;
        while (i < limit && k + 1 < size && p[i] != ' ' && p[i] != '>' && p[i] != '/' &&
               p[i] != '\n' && p[i] != '\r' && p[i] != '\t')
            buf[k++] = p[i++];
        buf[k] = '\0';
        char *colon = strchr(buf, ':'); /* a prefixed root: keep the local name */
        if (colon)
            memmove(buf, colon + 1, strlen(colon + 1) + 1);
        return;
    }
}

static int contains(const char *p, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (p[i] == needle[0] && !memcmp(p + i, needle, m))
            return 1;
    return 0;
}

tm_import_format tm_import_detect(const void *data, size_t length)
{
    const unsigned char *u = data;
    const char *p = data;
    if (!data || length < 4)
        return TM_IMPORT_UNKNOWN;
    /* PBF: a 4-byte big-endian header length, then a BlobHeader whose type is "OSMHeader". */
    if (length > 16 && u[0] == 0 && contains(p, length < 64 ? length : 64, "OSMHeader"))
        return TM_IMPORT_OSM_PBF;
    size_t i = 0;
    if (length >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        i = 3; /* UTF-8 byte order mark */
    while (i < length && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t'))
        i++;
    if (i < length && p[i] == '<') {
        char root[64];
        xml_root_name(p + i, length - i, root, sizeof root);
        if (!strcmp(root, "osm"))
            return TM_IMPORT_OSM_XML;
        if (!strcmp(root, "railML"))
            return TM_IMPORT_RAILML3;
        if (!strcmp(root, "railml"))
            return TM_IMPORT_RAILML2;
        return TM_IMPORT_UNKNOWN;
    }
    if (i < length && p[i] == '{') {
        size_t n = length < 1 << 20 ? length : 1 << 20;
        if (contains(p, n, "\"effort_curves\""))
            return TM_IMPORT_OSRD_STOCK;
        if (contains(p, length, "\"track_sections\""))
            return TM_IMPORT_RAILJSON;
    }
    return TM_IMPORT_UNKNOWN;
}

/* Checks the root element's namespace for railML 2 and 3. */
static int check_namespace(const char *file, xmlDoc *doc, tm_import_format f, tumen_error *err)
{
    const xmlNode *root = xmlDocGetRootElement(doc);
    const char *ns = root->ns && root->ns->href ? (const char *)root->ns->href : NULL;
    if (f == TM_IMPORT_RAILML2) {
        if (!ns) /* some exports (infra2railml) leave the default namespace empty */
            return TUMEN_OK;
        for (size_t i = 0; tm_railml2_namespaces[i]; i++)
            if (!strcmp(ns, tm_railml2_namespaces[i]))
                return TUMEN_OK;
        return tm_xerror(err, TUMEN_EINPUT, file, root,
                         "wrong namespace '%s' for railML 2 (expected "
                         "http://www.railml.org/schemas/2009, 2011, 2013, 2016 or "
                         "https://www.railml.org/schemas/2018, 2021)",
                         ns);
    }
    if (!ns || (strcmp(ns, "https://www.railml.org/schemas/3.1") &&
                strcmp(ns, "https://www.railml.org/schemas/3.2") &&
                strcmp(ns, "https://www.railml.org/schemas/3.3") &&
                strcmp(ns, "http://www.railml.org/schemas/3.1")))
        return tm_xerror(err, TUMEN_EINPUT, file, root,
                         "wrong namespace '%s' for railML 3 (expected "
                         "https://www.railml.org/schemas/3.1, 3.2 or 3.3)",
                         ns ? ns : "(none)");
    return TUMEN_OK;
}

static int read_xml(tm_import_ctx *ctx, const void *data, size_t length, tm_import_format f,
                    tumen_error *err)
{
    xmlDoc *doc = NULL;
    int rc = tm_xml_parse(ctx->file, data, length, &doc, err);
    if (rc == TUMEN_OK)
        rc = check_namespace(ctx->file, doc, f, err);
    if (rc == TUMEN_OK)
        rc = tm_xcheck_ids(ctx->file, xmlDocGetRootElement(doc), err);
    if (rc == TUMEN_OK)
        rc = f == TM_IMPORT_RAILML2 ? tm_railml2_read(ctx, doc, err)
                                    : tm_railml3_read(ctx, doc, err);
    xmlFreeDoc(doc);
    return rc;
}

static int read_json(tm_import_ctx *ctx, const void *data, size_t length, tm_import_format f,
                     tumen_error *err)
{
    json_t *root;
    int rc = tm_json_load(&root, ctx->file, data, length, err);
    if (rc != TUMEN_OK)
        return rc;
    rc = f == TM_IMPORT_RAILJSON ? tm_railjson_read(ctx, root, err)
                                     : tm_osrd_stock_read(ctx, root, err);
    if (rc == TUMEN_EINPUT && err && err->line == 0 && err->field[0]) /* jansson keeps none */
        err->line = tm_json_line(data, length, err->field);
    json_decref(root);
    return rc;
}

/* OSM goes through readosm, which opens files by name and wants .osm or .pbf: a symbolic
 * link (for a file) or a temporary copy (for memory) with that suffix. */
static int read_osm(tm_import_ctx *ctx, const char *path, const void *data, size_t length,
                    int pbf, tumen_error *err)
{
    const char *tmpdir = getenv("TMPDIR");
    char dir[512], link_path[600];
    snprintf(dir, sizeof dir, "%s/tumen-osm-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    if (!mkdtemp(dir))
        return tm_error_set(err, TUMEN_EIO, ctx->file, 0, NULL,
                            "cannot make a temporary folder for the OSM reader: %s",
                            strerror(errno));
    snprintf(link_path, sizeof link_path, "%s/input.%s", dir, pbf ? "pbf" : "osm");
    int rc = TUMEN_OK, made = 0;
    char abs[4096] = "";
    if (path && path[0] == '/') {
        snprintf(abs, sizeof abs, "%s", path);
    } else if (path && getcwd(abs, sizeof abs - 1)) {
        size_t n = strlen(abs);
        snprintf(abs + n, sizeof abs - n, "/%s", path);
    }
    if (abs[0] && symlink(abs, link_path) == 0) {
        made = 1;
    } else {
        FILE *f = fopen(link_path, "wb");
        if (f && fwrite(data, 1, length, f) == length && fclose(f) == 0) {
            made = 1;
        } else {
            if (f)
                fclose(f);
            rc = tm_error_set(err, TUMEN_EIO, ctx->file, 0, NULL,
                              "cannot write a temporary copy for the OSM reader: %s",
                              strerror(errno));
        }
    }
    if (rc == TUMEN_OK)
        rc = tm_osm_read(ctx, link_path, pbf, data, length, err);
    if (made)
        remove(link_path);
    rmdir(dir);
    return rc;
}

static int import_data(const char *name, const char *path, const void *data, size_t length,
                       const tm_import_options *opt, tm_import *out, tumen_error *err)
{
    tm_import_options defaults;
    if (!opt) {
        tm_import_options_init(&defaults);
        opt = &defaults;
    }
    memset(out, 0, sizeof *out);
    tm_import_format f = tm_import_detect(data, length);
    if (f == TM_IMPORT_UNKNOWN)
        return tm_error_set(err, TUMEN_EPARSE, name, 0, NULL,
                            "not a format tumen imports: expected railML 2 or 3 (XML), OSRD "
                            "railjson infrastructure or rolling stock (JSON), or OpenStreetMap "
                            "XML or PBF");
    out->format = f;
    out->scenario = calloc(1, sizeof *out->scenario);
    if (!out->scenario)
        return tm_error_set(err, TUMEN_ENOMEM, name, 0, NULL, "out of memory");
    tm_import_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.file = name;
    ctx.opt = opt;
    ctx.out = out;
    int rc;
    switch (f) {
    case TM_IMPORT_RAILML2:
    case TM_IMPORT_RAILML3: rc = read_xml(&ctx, data, length, f, err); break;
    case TM_IMPORT_RAILJSON:
    case TM_IMPORT_OSRD_STOCK: rc = read_json(&ctx, data, length, f, err); break;
    default: rc = read_osm(&ctx, path, data, length, f == TM_IMPORT_OSM_PBF, err); break;
    }
    tm_ig_free(&ctx.graph);
    /* Trains become runnable: mass, resistance, traction from their consists. */
    tm_scenario *s = out->scenario;
    for (size_t i = 0; rc == TUMEN_OK && i < s->n_trains; i++)
        rc = tm_train_derive(&s->trains[i], s->vehicles, s->n_vehicles, name, err);
    if (rc != TUMEN_OK)
        tm_import_free(out);
    return rc;
}

static int tm_import_memory_c(const char *name, const void *data, size_t length,
                     const tm_import_options *opt, tm_import *out, tumen_error *err)
{
    tm_error_clear(err);
    if (!out || (!data && length))
        return tm_error_set(err, TUMEN_EUSAGE, name, 0, NULL, "NULL argument");
    return import_data(name ? name : "<memory>", NULL, data, length, opt, out, err);
}

static int tm_import_file_c(const char *path, const tm_import_options *opt, tm_import *out,
                   tumen_error *err)
{
    tm_error_clear(err);
    if (!out || !path)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "NULL argument");
    memset(out, 0, sizeof *out);
    char *buf = NULL;
    size_t n = 0;
    int rc = tm_read_whole_file(path, (size_t)TM_IMPORT_MAX_SIZE, &buf, &n, err);
    if (rc == TUMEN_OK)
        rc = import_data(path, path, buf, n, opt, out, err);
    free(buf);
    return rc;
}

/* The C numeric locale for this thread around the work (core/c_locale.h). */
int tm_import_memory(const char *name, const void *data, size_t length,
                     const tm_import_options *opt, tm_import *out, tumen_error *err)
{
    locale_t old = tm_c_numeric_enter();
    int rc = tm_import_memory_c(name, data, length, opt, out, err);
    tm_c_numeric_leave(old);
    return rc;
}

/* The C numeric locale for this thread around the work (core/c_locale.h). */
int tm_import_file(const char *path, const tm_import_options *opt, tm_import *out,
                   tumen_error *err)
{
    locale_t old = tm_c_numeric_enter();
    int rc = tm_import_file_c(path, opt, out, err);
    tm_c_numeric_leave(old);
    return rc;
}
