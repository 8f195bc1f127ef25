/* yaml_doc.h: a YAML text as a small read-only tree that keeps the line of every node,
 * and typed readers that turn its scalars into SI values or report, through tumen_error,
 * the file, line and field path ("vehicles[2].mass") of what is wrong.
 *
 * Field paths index sequences from 0 (vehicles[0] is the first vehicle), as JSON paths do.
 *
 * Aliases are kept as shared nodes (the tree is a DAG), so a "billion laughs" text costs no
 * memory; the loader refuses a document whose aliases add more than TM_YAML_MAX_ALIAS_NODES
 * nodes to it when expanded, that is nested deeper than TM_YAML_MAX_DEPTH (aliases counted
 * as what they stand for), or that refers to itself. The size of an honest file is bounded
 * only by the file size its reader accepts. Mapping keys must be scalars and unique.
 */
#ifndef TM_YAML_DOC_H
#define TM_YAML_DOC_H

#include <stddef.h>

#include "core/units.h"
#include "core/id.h"
#include "model/model.h"
#include "tumen.h"

#define TM_YAML_MAX_ALIAS_NODES 1000000 /* nodes that expanding the aliases adds */
#define TM_YAML_MAX_DEPTH 64      /* nesting of sequences and mappings */

typedef enum tm_ykind { TM_YSCALAR, TM_YSEQ, TM_YMAP } tm_ykind;

typedef struct tm_ynode tm_ynode;
struct tm_ynode {
    tm_ykind kind;
    int line;           /* 1-based */
    int column;         /* 1-based */
    const char *text;   /* scalar: its text, NUL-terminated (no NUL inside); else "" */
    size_t len;         /* scalar: strlen(text) */
    tm_ynode **items;   /* sequence: n items; mapping: 2n entries, key then value */
    size_t n;           /* items of a sequence, pairs of a mapping, 0 for a scalar */
};

typedef struct tm_ydoc tm_ydoc;

/* Parses text (length bytes, not necessarily NUL-terminated) as one YAML document.
 * file names it in errors. Errors: TUMEN_EPARSE for malformed YAML (with libyaml's line and
 * column), an empty text, more than one document, an alias bomb, a self-referring alias or
 * too deep nesting; TUMEN_EINPUT for a non-scalar or duplicate mapping key; TUMEN_ENOMEM.
 * On success *out is a new tree the caller frees with tm_ydoc_free; on failure *out is NULL. */
int tm_ydoc_load(tm_ydoc **out, const char *file, const char *text, size_t length,
                 tumen_error *err);

/* A sequence read item by item while its text is parsed (a national timetable's 40,000
 * services would otherwise be a tree of millions of nodes held until the last is read).
 * path names it by the keys from the root mapping, NULL-terminated ({"timetable",
 * "services", NULL}); each item is handed to item(ctx, doc, node, index) as soon as it is
 * complete, with its lines and every check of the tree done, and then forgotten: its
 * memory is reused for the next, unless an anchor was defined in it (a later alias may
 * point there). The sequence stays in the tree with no items; tm_ydoc_streamed tells it
 * apart from an empty one. item cannot stop the parse: it keeps its own first error and
 * ignores the items after it, so the errors of the YAML text itself still come first, as
 * they do without a stream. A value at the path that is not a sequence, is reached
 * through an alias, or carries an anchor (or a mapping on the path does: an alias to it
 * must find the items) is kept in the tree as usual. */
typedef struct tm_ystream {
    const char *const *path;
    void (*item)(void *ctx, const tm_ydoc *doc, const tm_ynode *node, size_t index);
    void *ctx;
} tm_ystream;

/* tm_ydoc_load with a stream (NULL: none). */
int tm_ydoc_load_streamed(tm_ydoc **out, const char *file, const char *text, size_t length,
                          const tm_ystream *stream, tumen_error *err);

/* Whether seq is the sequence whose items went to the stream (its n is 0); *count (if not
 * NULL) receives how many there were. */
int tm_ydoc_streamed(const tm_ydoc *doc, const tm_ynode *seq, size_t *count);

/* The bytes the tree holds (its blocks), to check that a streamed list is not held. */
size_t tm_ydoc_bytes(const tm_ydoc *doc);

/* Frees a tree from tm_ydoc_load; NULL is a no-op. */
void tm_ydoc_free(tm_ydoc *doc);

/* The root node (never NULL for a loaded document) and the file name given to the loader. */
const tm_ynode *tm_ydoc_root(const tm_ydoc *doc);
const char *tm_ydoc_file(const tm_ydoc *doc);

/* The value under key in a mapping, or NULL if node is not a mapping or has no such key. */
const tm_ynode *tm_ymap_get(const tm_ynode *map, const char *key);

/* Key i (0-based) of a mapping and its value; the mapping must have more than i pairs. */
const tm_ynode *tm_ymap_key(const tm_ynode *map, size_t i);
const tm_ynode *tm_ymap_value(const tm_ynode *map, size_t i);

/* Item i of a sequence, or NULL if node is not a sequence or i is out of range. */
const tm_ynode *tm_yseq_item(const tm_ynode *seq, size_t i);

/* The text of a scalar node, or NULL for NULL or a collection. */
const char *tm_yscalar(const tm_ynode *node);

/* Field paths: writes "parent.key" (or "key" when parent is empty or NULL) and
 * "parent[i]" into buf; a path too long for size is clipped at a character, marked with
 * an ellipsis (core/text.h). Returns buf. */
char *tm_ypath_key(char *buf, size_t size, const char *parent, const char *key);
char *tm_ypath_index(char *buf, size_t size, const char *parent, size_t i);

/* Sets err to TUMEN_EINPUT (or code) at node's line and column with field path, and returns
 * the code, so readers can `return tm_yerror(...)`. node may be NULL (line 0). */
int tm_yerror(const tm_ydoc *doc, const tm_ynode *node, const char *path, tumen_error *err,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int tm_yerror_code(const tm_ydoc *doc, int code, const tm_ynode *node, const char *path,
                   tumen_error *err, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* map[key] into *node. When absent: if required, TUMEN_EINPUT "missing required field" at
 * the mapping's line with path "parent.key"; else TUMEN_OK with *node = NULL. */
int tm_yget_node(const tm_ydoc *doc, const tm_ynode *map, const char *parent, const char *key,
                 int required, const tm_ynode **node, tumen_error *err);

/* Checks that every key of map is in allowed (a NULL-terminated list); otherwise
 * TUMEN_EINPUT naming the unknown key, at its line, with path "parent.key". */
int tm_ycheck_keys(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                   const char *const *allowed, tumen_error *err);

/* Checks node's kind; otherwise TUMEN_EINPUT "path must be a <what>". what is a phrase
 * like "list of vehicles". NULL node is reported as missing. */
int tm_yexpect(const tm_ydoc *doc, const tm_ynode *node, tm_ykind kind, const char *path,
               const char *what, tumen_error *err);

/* Allowed range of a read number, in SI: lo <= x <= hi, or lo < x when lo_open. */
typedef struct tm_yrange {
    double lo, hi;
    int lo_open;
} tm_yrange;

extern const tm_yrange TM_YR_ANY;      /* any finite value up to +-1e15 */
extern const tm_yrange TM_YR_POSITIVE; /* > 0 */
extern const tm_yrange TM_YR_NONNEG;   /* >= 0 */

/* Typed readers of one node. Each returns TUMEN_OK or TUMEN_EINPUT with path and the node's
 * line.
 *  - quantity: a number with an optional unit of dimension dim (units.h), into SI, in range.
 *  - number: a plain decimal number (no unit), in range.
 *  - integer: a plain decimal integer in [lo, hi].
 *  - bool: true/false (also yes/no, on/off, any case).
 *  - string: a non-empty scalar that fits in size - 1 bytes, copied into buf. */
int tm_yread_quantity(const tm_ydoc *doc, const tm_ynode *node, const char *path, tm_dim dim,
                      tm_yrange range, double *out, tumen_error *err);
int tm_yread_number(const tm_ydoc *doc, const tm_ynode *node, const char *path,
                    tm_yrange range, double *out, tumen_error *err);
int tm_yread_int(const tm_ydoc *doc, const tm_ynode *node, const char *path, long lo, long hi,
                 long *out, tumen_error *err);
int tm_yread_bool(const tm_ydoc *doc, const tm_ynode *node, const char *path, int *out,
                  tumen_error *err);
int tm_yread_string(const tm_ydoc *doc, const tm_ynode *node, const char *path, char *buf,
                    size_t size, tumen_error *err);
/*  - name: a free-text name of any length (non-empty scalar), copied to the heap into *out
 *    (an earlier *out freed; the owner frees it: core/text.h). An id read with
 *    tm_yread_string into TM_ID_LEN bytes that does not fit is refused by tm_id_check. */
int tm_yread_name(const tm_ydoc *doc, const tm_ynode *node, const char *path, char **out,
                  tumen_error *err);

/* The same for map[key], with path "parent.key". When the key is absent: if required,
 * TUMEN_EINPUT "missing required field" at the mapping's line; else TUMEN_OK with *out (or
 * buf) left unchanged. *found (may be NULL) says whether the key was there. */
int tm_yget_quantity(const tm_ydoc *doc, const tm_ynode *map, const char *parent,
                     const char *key, tm_dim dim, tm_yrange range, int required, double *out,
                     int *found, tumen_error *err);
int tm_yget_number(const tm_ydoc *doc, const tm_ynode *map, const char *parent,
                   const char *key, tm_yrange range, int required, double *out, int *found,
                   tumen_error *err);
int tm_yget_bool(const tm_ydoc *doc, const tm_ynode *map, const char *parent, const char *key,
                 int required, int *out, int *found, tumen_error *err);
int tm_yget_string(const tm_ydoc *doc, const tm_ynode *map, const char *parent,
                   const char *key, int required, char *buf, size_t size, int *found,
                   tumen_error *err);
int tm_yget_name(const tm_ydoc *doc, const tm_ynode *map, const char *parent, const char *key,
                 int required, char **out, int *found, tumen_error *err);
/* map[key] as a name, or a copy of fallback (the id, typically) when the key is absent. */
int tm_yget_name_or(const tm_ydoc *doc, const tm_ynode *map, const char *parent,
                    const char *key, char **out, const char *fallback, tumen_error *err);

/* Reads a [speed, force] table (a sequence of two-item sequences) with strictly ascending
 * speeds and forces >= 0 into a new array (*out, *n; the caller frees *out). Speeds and
 * forces are quantities of TM_DIM_SPEED and TM_DIM_FORCE, unless plain is set: then they are
 * plain numbers in km/h and N (railtoolkit). min_rows: the fewest rows accepted (>= 1). */
int tm_yread_force_table(const tm_ydoc *doc, const tm_ynode *node, const char *path,
                         int plain, size_t min_rows, tm_force_point **out, size_t *n,
                         tumen_error *err);

#endif
