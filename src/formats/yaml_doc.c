/* yaml_doc.c: YAML text -> a small tree with line numbers (yaml_doc.h), and typed readers.
 *
 * libyaml's document loader (yaml_parser_load) does the parsing; its node array is copied
 * once into tm_ynode's, one per libyaml node, with alias uses pointing at the anchored node
 * (so the tree may share subtrees). Before anyone walks the tree, one depth-first pass
 * measures every node's expanded size and height with memoisation: that bounds what any
 * reader can visit (alias bombs), catches an alias that refers to its own ancestor (libyaml
 * registers an anchor before the collection's items, so `&a [*a]` is a cycle) and limits
 * nesting, so nothing later needs to recurse without a bound.
 */
#include "formats/yaml_doc.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "core/error.h"

struct tm_ydoc {
    char file[256];
    tm_ynode *nodes;   /* one per libyaml node; nodes[0] is the root */
    size_t n_nodes;
    tm_ynode **links;  /* storage for every collection's items */
    char *texts;       /* storage for every scalar's text */
};

const tm_yrange TM_YR_ANY = {-1e15, 1e15, 0};
const tm_yrange TM_YR_POSITIVE = {0.0, 1e15, 1};
const tm_yrange TM_YR_NONNEG = {0.0, 1e15, 0};

/* ---- Loading ---------------------------------------------------------------------- */

/* The 1-based line of a byte offset (for libyaml's reader errors, which carry no mark). */
static int line_of_offset(const char *text, size_t length, size_t offset)
{
    int line = 1;
    for (size_t i = 0; i < offset && i < length; i++)
        if (text[i] == '\n')
            line++;
    return line;
}

static int parse_error(tm_ydoc *doc, const yaml_parser_t *p, const char *text, size_t length,
                       tumen_error *err)
{
    if (p->error == YAML_MEMORY_ERROR)
        return tm_error_set(err, TUMEN_ENOMEM, doc->file, 0, NULL,
                            "out of memory while parsing YAML");
    const char *problem = p->problem ? p->problem : "unknown error";
    if (p->error == YAML_READER_ERROR) {
        int line = line_of_offset(text, length, p->problem_offset);
        return tm_error_set(err, TUMEN_EPARSE, doc->file, line, NULL,
                            "not a YAML text: %s at byte %zu", problem, p->problem_offset);
    }
    /* At the end of a text without a final newline libyaml counts one line more. */
    int line = (int)p->problem_mark.line + 1;
    int last = line_of_offset(text, length, length) - (length && text[length - 1] == '\n');
    if (line > last)
        line = last > 0 ? last : 1;
    tm_error_set(err, TUMEN_EPARSE, doc->file, line, NULL, "YAML syntax error: %s%s%s", problem,
                 p->context ? " " : "", p->context ? p->context : "");
    if (err)
        err->column = (int)p->problem_mark.column + 1;
    return TUMEN_EPARSE;
}

/* Copies libyaml's nodes into doc (scalars into one text block, items into one link block). */
static int copy_nodes(tm_ydoc *doc, yaml_document_t *y, tumen_error *err)
{
    size_t n = (size_t)(y->nodes.top - y->nodes.start), n_links = 0, n_text = 0;
    for (yaml_node_t *p = y->nodes.start; p < y->nodes.top; p++) {
        if (p->type == YAML_SCALAR_NODE)
            n_text += p->data.scalar.length + 1;
        else if (p->type == YAML_SEQUENCE_NODE)
            n_links += (size_t)(p->data.sequence.items.top - p->data.sequence.items.start);
        else if (p->type == YAML_MAPPING_NODE)
            n_links += 2 * (size_t)(p->data.mapping.pairs.top - p->data.mapping.pairs.start);
    }
    doc->nodes = calloc(n, sizeof *doc->nodes);
    doc->links = malloc((n_links ? n_links : 1) * sizeof *doc->links);
    doc->texts = malloc(n_text ? n_text : 1);
    if (!doc->nodes || !doc->links || !doc->texts)
        return tm_error_set(err, TUMEN_ENOMEM, doc->file, 0, NULL, "out of memory reading YAML");
    doc->n_nodes = n;
    size_t k = 0, t = 0;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *p = &y->nodes.start[i];
        tm_ynode *m = &doc->nodes[i];
        m->line = (int)p->start_mark.line + 1;
        m->column = (int)p->start_mark.column + 1;
        m->text = "";
        if (p->type == YAML_SCALAR_NODE) {
            size_t len = p->data.scalar.length;
            if (memchr(p->data.scalar.value, '\0', len)) {
                tm_error_set(err, TUMEN_EPARSE, doc->file, m->line, NULL,
                             "a value contains a NUL character");
                return TUMEN_EPARSE;
            }
            memcpy(doc->texts + t, p->data.scalar.value, len);
            doc->texts[t + len] = '\0';
            m->kind = TM_YSCALAR;
            m->text = doc->texts + t;
            m->len = len;
            t += len + 1;
        } else if (p->type == YAML_SEQUENCE_NODE) {
            m->kind = TM_YSEQ;
            m->items = doc->links + k;
            for (yaml_node_item_t *it = p->data.sequence.items.start;
                 it < p->data.sequence.items.top; it++)
                doc->links[k++] = &doc->nodes[*it - 1];
            m->n = (size_t)(doc->links + k - m->items);
        } else if (p->type == YAML_MAPPING_NODE) {
            m->kind = TM_YMAP;
            m->items = doc->links + k;
            for (yaml_node_pair_t *pr = p->data.mapping.pairs.start;
                 pr < p->data.mapping.pairs.top; pr++) {
                doc->links[k++] = &doc->nodes[pr->key - 1];
                doc->links[k++] = &doc->nodes[pr->value - 1];
            }
            m->n = (size_t)(doc->links + k - m->items) / 2;
        } else {
            return tm_error_set(err, TUMEN_EPARSE, doc->file, m->line, NULL,
                                "YAML node of an unknown type");
        }
    }
    return TUMEN_OK;
}

/* Parses the one document of the text into doc. */
static int parse_text(tm_ydoc *doc, const char *text, size_t length, tumen_error *err)
{
    yaml_parser_t parser;
    yaml_document_t ydoc, extra;
    if (!yaml_parser_initialize(&parser))
        return tm_error_set(err, TUMEN_ENOMEM, doc->file, 0, NULL, "out of memory (YAML)");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, length);
    int rc = TUMEN_OK;
    if (!yaml_parser_load(&parser, &ydoc)) {
        rc = parse_error(doc, &parser, text, length, err);
        yaml_parser_delete(&parser);
        return rc;
    }
    if (!yaml_document_get_root_node(&ydoc)) {
        rc = tm_error_set(err, TUMEN_EPARSE, doc->file, 0, NULL,
                          "the file is empty (it holds no YAML document)");
    } else if (!yaml_parser_load(&parser, &extra)) {
        rc = parse_error(doc, &parser, text, length, err);
    } else {
        if (yaml_document_get_root_node(&extra))
            rc = tm_error_set(err, TUMEN_EPARSE, doc->file,
                              (int)extra.start_mark.line + 1, NULL,
                              "the file holds more than one YAML document (a second '---')");
        yaml_document_delete(&extra);
    }
    if (rc == TUMEN_OK)
        rc = copy_nodes(doc, &ydoc, err);
    yaml_document_delete(&ydoc);
    yaml_parser_delete(&parser);
    return rc;
}

typedef struct measure_ctx {
    size_t *size;      /* expanded node count, saturated at TM_YAML_MAX_NODES + 1 */
    int *height;       /* levels below the node */
    unsigned char *state; /* 0 new, 1 on the current path, 2 done */
} measure_ctx;

static int measure(tm_ydoc *doc, measure_ctx *m, size_t i, int depth, tumen_error *err)
{
    const tm_ynode *node = &doc->nodes[i];
    if (m->state[i] == 1)
        return tm_error_set(err, TUMEN_EPARSE, doc->file, node->line, NULL,
                            "an alias refers to a collection that contains it");
    if (m->state[i] == 2 ? depth + m->height[i] > TM_YAML_MAX_DEPTH : depth > TM_YAML_MAX_DEPTH)
        return tm_error_set(err, TUMEN_EPARSE, doc->file, node->line, NULL,
                            "YAML nested more than %d levels deep", TM_YAML_MAX_DEPTH);
    if (m->state[i] == 2)
        return TUMEN_OK;
    m->state[i] = 1;
    size_t total = 1, count = node->kind == TM_YMAP ? 2 * node->n : node->n;
    int height = 0;
    for (size_t j = 0; j < count; j++) {
        size_t child = (size_t)(node->items[j] - doc->nodes);
        int rc = measure(doc, m, child, depth + 1, err);
        if (rc != TUMEN_OK)
            return rc;
        total += m->size[child];
        if (total > TM_YAML_MAX_NODES)
            total = TM_YAML_MAX_NODES + 1;
        if (m->height[child] + 1 > height)
            height = m->height[child] + 1;
    }
    m->size[i] = total;
    m->height[i] = height;
    m->state[i] = 2;
    return TUMEN_OK;
}

/* Expanded size, nesting and alias cycles of the whole document. */
static int check_expansion(tm_ydoc *doc, tumen_error *err)
{
    measure_ctx m;
    m.size = malloc(doc->n_nodes * sizeof *m.size);
    m.height = malloc(doc->n_nodes * sizeof *m.height);
    m.state = calloc(doc->n_nodes, 1);
    int rc = TUMEN_OK;
    if (!m.size || !m.height || !m.state)
        rc = tm_error_set(err, TUMEN_ENOMEM, doc->file, 0, NULL, "out of memory reading YAML");
    if (rc == TUMEN_OK)
        rc = measure(doc, &m, 0, 0, err);
    if (rc == TUMEN_OK && m.size[0] > TM_YAML_MAX_NODES)
        rc = tm_error_set(err, TUMEN_EPARSE, doc->file, 0, NULL,
                          "the document expands to more than %d nodes through its aliases",
                          TM_YAML_MAX_NODES);
    free(m.size);
    free(m.height);
    free(m.state);
    return rc;
}

static int cmp_key(const void *a, const void *b)
{
    const tm_ynode *x = *(const tm_ynode *const *)a, *y = *(const tm_ynode *const *)b;
    int c = strcmp(x->text, y->text);
    if (c)
        return c;
    return (x->line > y->line) - (x->line < y->line);
}

/* Every mapping key is a scalar and appears once in its mapping. */
static int check_keys(tm_ydoc *doc, tumen_error *err)
{
    const tm_ynode **keys = NULL;
    size_t cap = 0;
    int rc = TUMEN_OK;
    for (size_t i = 0; i < doc->n_nodes && rc == TUMEN_OK; i++) {
        const tm_ynode *map = &doc->nodes[i];
        if (map->kind != TM_YMAP || map->n == 0)
            continue;
        if (map->n > cap) {
            const tm_ynode **p = realloc(keys, map->n * sizeof *keys);
            if (!p) {
                rc = tm_error_set(err, TUMEN_ENOMEM, doc->file, 0, NULL, "out of memory");
                break;
            }
            keys = p;
            cap = map->n;
        }
        for (size_t j = 0; j < map->n && rc == TUMEN_OK; j++) {
            keys[j] = map->items[2 * j];
            if (keys[j]->kind != TM_YSCALAR)
                rc = tm_error_set(err, TUMEN_EINPUT, doc->file, keys[j]->line, NULL,
                                  "a mapping key must be a plain value, not a list or mapping");
        }
        if (rc != TUMEN_OK)
            break;
        qsort(keys, map->n, sizeof *keys, cmp_key);
        for (size_t j = 1; j < map->n; j++) {
            if (strcmp(keys[j]->text, keys[j - 1]->text) == 0) {
                rc = tm_error_set(err, TUMEN_EINPUT, doc->file, keys[j]->line, keys[j]->text,
                                  "duplicate key '%s' (first at line %d)", keys[j]->text,
                                  keys[j - 1]->line);
                break;
            }
        }
    }
    free(keys);
    return rc;
}

int tm_ydoc_load(tm_ydoc **out, const char *file, const char *text, size_t length,
                 tumen_error *err)
{
    *out = NULL;
    tm_ydoc *doc = calloc(1, sizeof *doc);
    if (!doc)
        return tm_error_set(err, TUMEN_ENOMEM, file, 0, NULL, "out of memory");
    snprintf(doc->file, sizeof doc->file, "%s", file ? file : "");
    int rc = parse_text(doc, text ? text : "", text ? length : 0, err);
    if (rc == TUMEN_OK)
        rc = check_expansion(doc, err);
    if (rc == TUMEN_OK)
        rc = check_keys(doc, err);
    if (rc != TUMEN_OK) {
        tm_ydoc_free(doc);
        return rc;
    }
    *out = doc;
    return TUMEN_OK;
}

void tm_ydoc_free(tm_ydoc *doc)
{
    if (!doc)
        return;
    free(doc->nodes);
    free(doc->links);
    free(doc->texts);
    free(doc);
}

const tm_ynode *tm_ydoc_root(const tm_ydoc *doc)
{
    return &doc->nodes[0];
}

const char *tm_ydoc_file(const tm_ydoc *doc)
{
    return doc->file;
}

/* ---- Navigation and errors -------------------------------------------------------- */

const tm_ynode *tm_ymap_get(const tm_ynode *map, const char *key)
{
    if (!map || map->kind != TM_YMAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->items[2 * i]->text, key) == 0)
            return map->items[2 * i + 1];
    return NULL;
}

const tm_ynode *tm_ymap_key(const tm_ynode *map, size_t i)
{
    return map->items[2 * i];
}

const tm_ynode *tm_ymap_value(const tm_ynode *map, size_t i)
{
    return map->items[2 * i + 1];
}

const tm_ynode *tm_yseq_item(const tm_ynode *seq, size_t i)
{
    if (!seq || seq->kind != TM_YSEQ || i >= seq->n)
        return NULL;
    return seq->items[i];
}

const char *tm_yscalar(const tm_ynode *node)
{
    return node && node->kind == TM_YSCALAR ? node->text : NULL;
}

char *tm_ypath_key(char *buf, size_t size, const char *parent, const char *key)
{
    if (parent && parent[0])
        snprintf(buf, size, "%s.%s", parent, key);
    else
        snprintf(buf, size, "%s", key);
    return buf;
}

char *tm_ypath_index(char *buf, size_t size, const char *parent, size_t i)
{
    /* A path longer than the buffer is cut; the check keeps -Wformat-truncation quiet. */
    if (snprintf(buf, size, "%s[%zu]", parent ? parent : "", i) < 0 && size)
        buf[0] = '\0';
    return buf;
}

static int verror(const tm_ydoc *doc, int code, const tm_ynode *node, const char *path,
                  tumen_error *err, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));

static int verror(const tm_ydoc *doc, int code, const tm_ynode *node, const char *path,
                  tumen_error *err, const char *fmt, va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    tm_error_set(err, code, doc->file, node ? node->line : 0, path, "%s", msg);
    if (err && node)
        err->column = node->column;
    return code;
}

int tm_yerror(const tm_ydoc *doc, const tm_ynode *node, const char *path, tumen_error *err,
              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = verror(doc, TUMEN_EINPUT, node, path, err, fmt, ap);
    va_end(ap);
    return rc;
}

int tm_yerror_code(const tm_ydoc *doc, int code, const tm_ynode *node, const char *path,
                   tumen_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = verror(doc, code, node, path, err, fmt, ap);
    va_end(ap);
    return rc;
}

int tm_ycheck_keys(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                   const char *const *allowed, tumen_error *err)
{
    for (size_t i = 0; map && map->kind == TM_YMAP && i < map->n; i++) {
        const tm_ynode *key = map->items[2 * i];
        size_t j = 0;
        while (allowed[j] && strcmp(allowed[j], key->text) != 0)
            j++;
        if (allowed[j])
            continue;
        char list[256] = "", field[128];
        size_t used = 0;
        for (j = 0; allowed[j] && used < sizeof list; j++) {
            int n = snprintf(list + used, sizeof list - used, "%s%s", j ? ", " : "", allowed[j]);
            if (n < 0)
                break;
            used += (size_t)n;
        }
        return tm_yerror(doc, key, tm_ypath_key(field, sizeof field, path, key->text), err,
                         "unknown key '%.60s' (expected one of: %s)", key->text, list);
    }
    return TUMEN_OK;
}

static const char *kind_name(tm_ykind kind)
{
    return kind == TM_YMAP ? "a mapping" : kind == TM_YSEQ ? "a list" : "a single value";
}

int tm_yexpect(const tm_ydoc *doc, const tm_ynode *node, tm_ykind kind, const char *path,
               const char *what, tumen_error *err)
{
    if (!node)
        return tm_yerror(doc, NULL, path, err, "missing %s", what);
    if (node->kind != kind)
        return tm_yerror(doc, node, path, err, "must be %s, not %s", what,
                         kind_name(node->kind));
    return TUMEN_OK;
}

/* ---- Typed values ----------------------------------------------------------------- */

static const char *si_unit(tm_dim dim)
{
    static const char *const names[TM_DIM_COUNT_] = {
        [TM_DIM_LENGTH] = "m",         [TM_DIM_MASS] = "kg",
        [TM_DIM_SPEED] = "m/s",        [TM_DIM_FORCE] = "N",
        [TM_DIM_POWER] = "W",          [TM_DIM_GRADIENT] = "(m/m)",
        [TM_DIM_DURATION] = "s",       [TM_DIM_ACCEL] = "m/s^2",
        [TM_DIM_DAVIS_B] = "N/(m/s)",  [TM_DIM_DAVIS_C] = "N/(m/s)^2",
        [TM_DIM_SPECIFIC] = "(N/N)",   [TM_DIM_RATIO] = "",
        [TM_DIM_PERCENT] = "%",        [TM_DIM_ENERGY] = "J",
    };
    return (unsigned)dim < TM_DIM_COUNT_ && names[dim] ? names[dim] : "";
}

static int check_range(const tm_ydoc *doc, const tm_ynode *node, const char *path,
                       tm_yrange r, double v, const char *unit, tumen_error *err)
{
    if (r.lo_open && !(v > r.lo))
        return tm_yerror(doc, node, path, err, "must be greater than %g%s%s (got '%.60s')",
                         r.lo, unit[0] ? " " : "", unit, node->text);
    if (!r.lo_open && v < r.lo)
        return tm_yerror(doc, node, path, err, "must not be less than %g%s%s (got '%.60s')",
                         r.lo, unit[0] ? " " : "", unit, node->text);
    if (v > r.hi)
        return tm_yerror(doc, node, path, err, "must not be more than %g%s%s (got '%.60s')",
                         r.hi, unit[0] ? " " : "", unit, node->text);
    return TUMEN_OK;
}

static int need_scalar(const tm_ydoc *doc, const tm_ynode *node, const char *path,
                       const char *what, tumen_error *err)
{
    if (!node)
        return tm_yerror(doc, NULL, path, err, "missing %s", what);
    if (node->kind != TM_YSCALAR)
        return tm_yerror(doc, node, path, err, "must be %s, not %s", what,
                         kind_name(node->kind));
    if (node->len == 0)
        return tm_yerror(doc, node, path, err, "is empty (expected %s)", what);
    return TUMEN_OK;
}

int tm_yread_quantity(const tm_ydoc *doc, const tm_ynode *node, const char *path, tm_dim dim,
                      tm_yrange range, double *out, tumen_error *err)
{
    char what[64], why[256];
    snprintf(what, sizeof what, "a quantity in %s", tm_dim_default_unit(dim)[0]
                                                        ? tm_dim_default_unit(dim)
                                                        : "plain numbers");
    int rc = need_scalar(doc, node, path, what, err);
    if (rc != TUMEN_OK)
        return rc;
    double v;
    if (tm_parse_quantity(node->text, dim, &v, why, sizeof why) != 0)
        return tm_yerror(doc, node, path, err, "%s", why);
    if ((rc = check_range(doc, node, path, range, v, si_unit(dim), err)) != TUMEN_OK)
        return rc;
    *out = v;
    return TUMEN_OK;
}

/* Strict decimal number: optional sign, digits, point, exponent; nothing else. */
static int parse_plain_number(const char *s, double *out)
{
    while (isspace((unsigned char)*s))
        s++;
    for (const char *p = s; *p; p++)
        if (!(isdigit((unsigned char)*p) || strchr("+-.eE", *p) || isspace((unsigned char)*p)))
            return -1;
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (end == s || errno == ERANGE || !isfinite(v))
        return -1;
    while (isspace((unsigned char)*end))
        end++;
    if (*end)
        return -1;
    *out = v;
    return 0;
}

int tm_yread_number(const tm_ydoc *doc, const tm_ynode *node, const char *path,
                    tm_yrange range, double *out, tumen_error *err)
{
    int rc = need_scalar(doc, node, path, "a number", err);
    if (rc != TUMEN_OK)
        return rc;
    double v;
    if (parse_plain_number(node->text, &v) != 0)
        return tm_yerror(doc, node, path, err, "'%.60s' is not a number", node->text);
    if ((rc = check_range(doc, node, path, range, v, "", err)) != TUMEN_OK)
        return rc;
    *out = v;
    return TUMEN_OK;
}

int tm_yread_int(const tm_ydoc *doc, const tm_ynode *node, const char *path, long lo, long hi,
                 long *out, tumen_error *err)
{
    int rc = need_scalar(doc, node, path, "a whole number", err);
    if (rc != TUMEN_OK)
        return rc;
    const char *s = node->text;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    int ok = end != s && *end == '\0' && errno == 0 && !isspace((unsigned char)*s);
    for (const char *p = s; ok && *p; p++)
        ok = isdigit((unsigned char)*p) || ((*p == '-' || *p == '+') && p == s);
    if (!ok)
        return tm_yerror(doc, node, path, err, "'%.60s' is not a whole number", s);
    if (v < lo || v > hi)
        return tm_yerror(doc, node, path, err, "must be between %ld and %ld (got %ld)", lo, hi,
                         v);
    *out = v;
    return TUMEN_OK;
}

int tm_yread_bool(const tm_ydoc *doc, const tm_ynode *node, const char *path, int *out,
                  tumen_error *err)
{
    static const char *const yes[] = {"true", "yes", "on"}, *const no[] = {"false", "no", "off"};
    int rc = need_scalar(doc, node, path, "true or false", err);
    if (rc != TUMEN_OK)
        return rc;
    for (size_t i = 0; i < 3; i++) {
        if (strcasecmp(node->text, yes[i]) == 0) {
            *out = 1;
            return TUMEN_OK;
        }
        if (strcasecmp(node->text, no[i]) == 0) {
            *out = 0;
            return TUMEN_OK;
        }
    }
    return tm_yerror(doc, node, path, err, "must be true or false (got '%.60s')", node->text);
}

int tm_yread_string(const tm_ydoc *doc, const tm_ynode *node, const char *path, char *buf,
                    size_t size, tumen_error *err)
{
    int rc = need_scalar(doc, node, path, "a text", err);
    if (rc != TUMEN_OK)
        return rc;
    if (node->len >= size)
        return tm_yerror(doc, node, path, err, "is longer than %zu characters", size - 1);
    memcpy(buf, node->text, node->len + 1);
    return TUMEN_OK;
}

/* Looks key up; sets path and *found; a missing required key is an error. */
static int lookup(const tm_ydoc *doc, const tm_ynode *map, const char *parent, const char *key,
                  int required, const tm_ynode **node, char *path, size_t path_size, int *found,
                  tumen_error *err)
{
    tm_ypath_key(path, path_size, parent, key);
    *node = tm_ymap_get(map, key);
    if (found)
        *found = *node != NULL;
    if (!*node && required)
        return tm_yerror(doc, map, path, err, "missing required field '%s'", key);
    return TUMEN_OK;
}

int tm_yget_node(const tm_ydoc *doc, const tm_ynode *map, const char *parent, const char *key,
                 int required, const tm_ynode **node, tumen_error *err)
{
    char path[128];
    return lookup(doc, map, parent, key, required, node, path, sizeof path, NULL, err);
}

int tm_yget_quantity(const tm_ydoc *doc, const tm_ynode *map, const char *parent,
                     const char *key, tm_dim dim, tm_yrange range, int required, double *out,
                     int *found, tumen_error *err)
{
    const tm_ynode *node;
    char path[128];
    int rc = lookup(doc, map, parent, key, required, &node, path, sizeof path, found, err);
    if (rc != TUMEN_OK || !node)
        return rc;
    return tm_yread_quantity(doc, node, path, dim, range, out, err);
}

int tm_yget_number(const tm_ydoc *doc, const tm_ynode *map, const char *parent,
                   const char *key, tm_yrange range, int required, double *out, int *found,
                   tumen_error *err)
{
    const tm_ynode *node;
    char path[128];
    int rc = lookup(doc, map, parent, key, required, &node, path, sizeof path, found, err);
    if (rc != TUMEN_OK || !node)
        return rc;
    return tm_yread_number(doc, node, path, range, out, err);
}

int tm_yget_bool(const tm_ydoc *doc, const tm_ynode *map, const char *parent, const char *key,
                 int required, int *out, int *found, tumen_error *err)
{
    const tm_ynode *node;
    char path[128];
    int rc = lookup(doc, map, parent, key, required, &node, path, sizeof path, found, err);
    if (rc != TUMEN_OK || !node)
        return rc;
    return tm_yread_bool(doc, node, path, out, err);
}

int tm_yget_string(const tm_ydoc *doc, const tm_ynode *map, const char *parent,
                   const char *key, int required, char *buf, size_t size, int *found,
                   tumen_error *err)
{
    const tm_ynode *node;
    char path[128];
    int rc = lookup(doc, map, parent, key, required, &node, path, sizeof path, found, err);
    if (rc != TUMEN_OK || !node)
        return rc;
    return tm_yread_string(doc, node, path, buf, size, err);
}

/* One [speed, force] row of a table. */
static int read_force_row(const tm_ydoc *doc, const tm_ynode *row, const char *path, int plain,
                          tm_force_point *p, tumen_error *err)
{
    if (!row || row->kind != TM_YSEQ || row->n != 2)
        return tm_yerror(doc, row, path, err, "must be a pair [speed, force]");
    char sub[128];
    int rc;
    if (plain) {
        rc = tm_yread_number(doc, row->items[0], tm_ypath_index(sub, sizeof sub, path, 0),
                             TM_YR_NONNEG, &p->v, err);
        p->v /= 3.6; /* km/h -> m/s */
        if (rc == TUMEN_OK)
            rc = tm_yread_number(doc, row->items[1], tm_ypath_index(sub, sizeof sub, path, 1),
                                 TM_YR_NONNEG, &p->f, err);
    } else {
        rc = tm_yread_quantity(doc, row->items[0], tm_ypath_index(sub, sizeof sub, path, 0),
                               TM_DIM_SPEED, TM_YR_NONNEG, &p->v, err);
        if (rc == TUMEN_OK)
            rc = tm_yread_quantity(doc, row->items[1], tm_ypath_index(sub, sizeof sub, path, 1),
                                   TM_DIM_FORCE, TM_YR_NONNEG, &p->f, err);
    }
    return rc;
}

int tm_yread_force_table(const tm_ydoc *doc, const tm_ynode *node, const char *path,
                         int plain, size_t min_rows, tm_force_point **out, size_t *n,
                         tumen_error *err)
{
    int rc = tm_yexpect(doc, node, TM_YSEQ, path, "a list of [speed, force] pairs", err);
    if (rc != TUMEN_OK)
        return rc;
    if (node->n < min_rows)
        return tm_yerror(doc, node, path, err, "needs at least %zu [speed, force] pairs",
                         min_rows);
    tm_force_point *rows = malloc(node->n * sizeof *rows);
    if (!rows)
        return tm_error_set(err, TUMEN_ENOMEM, doc->file, node->line, path, "out of memory");
    for (size_t i = 0; i < node->n; i++) {
        char row_path[128];
        tm_ypath_index(row_path, sizeof row_path, path, i);
        rc = read_force_row(doc, node->items[i], row_path, plain, &rows[i], err);
        if (rc == TUMEN_OK && i > 0 && !(rows[i].v > rows[i - 1].v))
            rc = tm_yerror(doc, node->items[i], row_path, err,
                           "speeds must be strictly ascending");
        if (rc != TUMEN_OK) {
            free(rows);
            return rc;
        }
    }
    *out = rows;
    *n = node->n;
    return TUMEN_OK;
}
