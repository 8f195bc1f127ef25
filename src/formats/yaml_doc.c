/* yaml_doc.c: YAML text -> a small tree with line numbers (yaml_doc.h), and typed readers.
 *
 * The tree is built straight from libyaml's events (no libyaml document in between, so a
 * large honest file is held once, in compact nodes). Alias uses point at the anchored node
 * (the tree may share subtrees). The limits are checked at the event that breaks them, so a
 * hostile text fails in milliseconds rather than after it is all read: nesting (an alias
 * counts with the height of what it stands for), what aliases add to the document (alias
 * bombs: an honest file's own size is bounded by the file size alone), an alias to a
 * collection still open (libyaml registers an anchor before the collection's items, so
 * `&a [*a]` would be a cycle), and scalar, unique mapping keys. Nothing later needs to
 * recurse without a bound.
 */
#include "formats/yaml_doc.h"
#include "core/id.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "core/error.h"
#include "core/vec.h"

/* Nodes, item lists and texts live in a chain of blocks freed at once: pointers into the
 * tree stay valid while it grows, and a node costs no allocation of its own. */
typedef struct block {
    struct block *next;
    size_t used, cap;
    max_align_t data[];
} block;

struct tm_ydoc {
    char *file;
    tm_ynode *root;
    block *blocks;     /* small things; the head is being filled */
    block *own;        /* things too large to share a block, one each */
    size_t block_size; /* of the next block of small things (doubling up to a limit) */
    const tm_ynode *streamed; /* the sequence whose items were streamed, or NULL */
    size_t n_streamed;        /* its items */
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

/* The blocks double from the first to the last size: a small file takes 64 KB, a national
 * timetable's tree (hundreds of MB) takes few blocks, each big enough for huge pages
 * (core/vec.h: tm_malloc_big). */
#define FIRST_BLOCK_SIZE ((size_t)64 * 1024)
#define LAST_BLOCK_SIZE ((size_t)16 * 1024 * 1024)

/* size bytes from doc's blocks, aligned for any object; NULL when memory runs out. */
static void *doc_alloc(tm_ydoc *doc, size_t size)
{
    size_t unit = sizeof(max_align_t);
    size = (size + unit - 1) / unit * unit;
    block *b = doc->blocks;
    if (!b || b->cap - b->used < size) {
        if (!doc->block_size)
            doc->block_size = FIRST_BLOCK_SIZE;
        int own = size > doc->block_size / 4; /* a large one: a block of its own */
        size_t cap = own ? size : doc->block_size;
        block *nb = tm_malloc_big(sizeof *nb + cap);
        if (!nb)
            return NULL;
        nb->used = 0;
        nb->cap = cap;
        if (own) { /* the head keeps being filled */
            nb->used = size;
            nb->next = doc->own;
            doc->own = nb;
            return nb->data;
        }
        if (doc->block_size < LAST_BLOCK_SIZE)
            doc->block_size *= 2;
        nb->next = b;
        doc->blocks = nb;
        b = nb;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    return p;
}

/* Where doc's blocks stand: doc_release(doc, mark) forgets everything allocated since. */
typedef struct doc_mark {
    block *blocks, *own;
    size_t used;
} doc_mark;

static doc_mark doc_mark_now(const tm_ydoc *doc)
{
    return (doc_mark){doc->blocks, doc->own, doc->blocks ? doc->blocks->used : 0};
}

static void free_chain(block *b, const block *until)
{
    while (b != until) {
        block *next = b->next;
        free(b);
        b = next;
    }
}

static void doc_release(tm_ydoc *doc, doc_mark m)
{
    block *head = doc->blocks;
    if (head && head != m.blocks) {
        /* The forgotten things outgrew the marked block: the newest block stays, empty, as
         * the head, so that the next item (about as large) fits there instead of taking and
         * giving back a new block every time; the marked block's tail is left unused. */
        free_chain(head->next, m.blocks);
        head->next = m.blocks;
        head->used = 0;
    } else if (head)
        head->used = m.used;
    free_chain(doc->own, m.own);
    doc->own = m.own;
}

/* A collection being read: its node, where its items start on the builder's item stack,
 * and its expanded size and height so far (aliases counted as what they stand for). */
typedef struct frame {
    tm_ynode *node;
    size_t first;
    size_t size;
    int height;
    size_t anchor; /* index + 1 into the anchors, or 0 */
    int path;      /* keys of the stream's path this collection is at the end of, or -1 */
    int streamed;  /* the streamed sequence: its items go to the stream, not to the tree */
    size_t n_streamed;
} frame;

/* An anchored node; open while its collection is still being read (an alias to it then is
 * a cycle). */
typedef struct anchor {
    const char *name;
    tm_ynode *node;
    size_t size;
    int height;
    int open;
} anchor;

typedef struct builder {
    tm_ydoc *doc;
    const char *text;
    size_t length;
    frame *frames;
    size_t depth, frames_cap;
    tm_ynode **items;
    size_t n_items, items_cap;
    anchor *anchors;
    size_t n_anchors, anchors_cap;
    size_t *slots; /* open addressing: anchor index + 1, or 0 */
    size_t n_slots;
    size_t alias_added; /* nodes the aliases add to the document, saturated */
    int documents;
    const tm_ystream *stream; /* NULL: the whole tree is kept */
    doc_mark item_mark;       /* where the streamed item being read began */
    size_t anchor_defs;       /* anchors defined (or redefined) so far */
    size_t item_anchor_defs;  /* ... when that item began */
    tumen_error *err;
} builder;

static int no_memory(builder *b)
{
    return tm_error_set(b->err, TUMEN_ENOMEM, b->doc->file, 0, NULL,
                        "out of memory reading YAML");
}

static size_t hash_name(const char *s)
{
    size_t h = 5381;
    for (; *s; s++)
        h = h * 33 + (unsigned char)*s;
    return h;
}

/* The slot of name in the anchor table (its entry, or the empty slot it would take). */
static size_t *anchor_slot(builder *b, const char *name)
{
    size_t i = hash_name(name) & (b->n_slots - 1);
    while (b->slots[i] && strcmp(b->anchors[b->slots[i] - 1].name, name) != 0)
        i = (i + 1) & (b->n_slots - 1);
    return &b->slots[i];
}

static anchor *find_anchor(builder *b, const char *name)
{
    if (!b->n_slots)
        return NULL;
    size_t k = *anchor_slot(b, name);
    return k ? &b->anchors[k - 1] : NULL;
}

/* Registers (or, as YAML allows, redefines) an anchor for node; returns its index + 1. */
static int add_anchor(builder *b, const char *name, tm_ynode *node, size_t *index)
{
    if (2 * (b->n_anchors + 1) > b->n_slots) {
        size_t n = b->n_slots ? 2 * b->n_slots : 64;
        size_t *slots = calloc(n, sizeof *slots);
        if (!slots)
            return no_memory(b);
        free(b->slots);
        b->slots = slots;
        b->n_slots = n;
        for (size_t k = 0; k < b->n_anchors; k++)
            *anchor_slot(b, b->anchors[k].name) = k + 1;
    }
    size_t *slot = anchor_slot(b, name);
    if (!*slot) {
        if (tm_vec_grow_((void **)&b->anchors, &b->anchors_cap, b->n_anchors, sizeof *b->anchors))
            return no_memory(b);
        size_t len = strlen(name);
        char *copy = doc_alloc(b->doc, len + 1);
        if (!copy)
            return no_memory(b);
        memcpy(copy, name, len + 1);
        b->anchors[b->n_anchors].name = copy;
        *slot = ++b->n_anchors;
    }
    anchor *a = &b->anchors[*slot - 1];
    b->anchor_defs++;
    a->node = node;
    a->size = 1;
    a->height = 0;
    a->open = 1;
    *index = *slot;
    return TUMEN_OK;
}

/* The nesting check: a node at the current level whose own height is height. */
static int check_depth(builder *b, const yaml_mark_t *mark, int height)
{
    if ((int)b->depth + height <= TM_YAML_MAX_DEPTH)
        return TUMEN_OK;
    return tm_error_set(b->err, TUMEN_EPARSE, b->doc->file, (int)mark->line + 1, NULL,
                        "YAML nested more than %d levels deep", TM_YAML_MAX_DEPTH);
}

/* Is the collection being read the streamed sequence (its next node an item to stream)? */
static int in_stream(const builder *b)
{
    return b->depth > 0 && b->frames[b->depth - 1].streamed;
}

/* An item of the streamed sequence begins: remember where, to forget it once handed on. */
static void item_begins(builder *b)
{
    if (in_stream(b)) {
        b->item_mark = doc_mark_now(b->doc);
        b->item_anchor_defs = b->anchor_defs;
    }
}

/* Hands a finished item of the streamed sequence to the stream, then forgets it, unless an
 * anchor was defined in it (a later alias may point into it). */
static void stream_item(builder *b, frame *f, tm_ynode *node)
{
    b->stream->item(b->stream->ctx, b->doc, node, f->n_streamed++);
    if (b->anchor_defs == b->item_anchor_defs)
        doc_release(b->doc, b->item_mark);
}

/* Hands a finished node (or an alias's target) to its parent, or makes it the root. */
static int attach(builder *b, tm_ynode *node, size_t size, int height)
{
    if (b->depth == 0) {
        b->doc->root = node;
        return TUMEN_OK;
    }
    frame *f = &b->frames[b->depth - 1];
    f->size = f->size + size > TM_YAML_MAX_ALIAS_NODES ? TM_YAML_MAX_ALIAS_NODES + 1
                                                       : f->size + size;
    if (height + 1 > f->height)
        f->height = height + 1;
    if (f->streamed) {
        stream_item(b, f, node);
        return TUMEN_OK;
    }
    if (tm_vec_grow_((void **)&b->items, &b->items_cap, b->n_items, sizeof *b->items))
        return no_memory(b);
    b->items[b->n_items++] = node;
    return TUMEN_OK;
}

static tm_ynode *new_node(builder *b, tm_ykind kind, const yaml_mark_t *mark)
{
    tm_ynode *n = doc_alloc(b->doc, sizeof *n);
    if (n) {
        memset(n, 0, sizeof *n);
        n->kind = kind;
        n->line = (int)mark->line + 1;
        n->column = (int)mark->column + 1;
        n->text = "";
    }
    return n;
}

static int on_scalar(builder *b, const yaml_event_t *ev)
{
    int rc = check_depth(b, &ev->start_mark, 0);
    if (rc != TUMEN_OK)
        return rc;
    size_t len = ev->data.scalar.length;
    if (memchr(ev->data.scalar.value, '\0', len))
        return tm_error_set(b->err, TUMEN_EPARSE, b->doc->file, (int)ev->start_mark.line + 1,
                            NULL, "a value contains a NUL character");
    item_begins(b);
    tm_ynode *n = new_node(b, TM_YSCALAR, &ev->start_mark);
    char *text = n ? doc_alloc(b->doc, len + 1) : NULL;
    if (!text)
        return no_memory(b);
    memcpy(text, ev->data.scalar.value, len);
    text[len] = '\0';
    n->text = text;
    n->len = len;
    if (ev->data.scalar.anchor) {
        size_t index;
        if ((rc = add_anchor(b, (const char *)ev->data.scalar.anchor, n, &index)) != TUMEN_OK)
            return rc;
        b->anchors[index - 1].open = 0;
    }
    return attach(b, n, 1, 0);
}

/* How far along the stream's path a collection of this kind starting now is (-1: off
 * it); *streamed: it is the sequence at the path's end. A collection with an anchor is off
 * the path, and so is all below it: an alias to it must find its items. */
static int path_of(const builder *b, tm_ykind kind, int anchored, int *streamed)
{
    *streamed = 0;
    if (!b->stream || anchored)
        return -1;
    if (b->depth == 0)
        return kind == TM_YMAP ? 0 : -1;
    const frame *p = &b->frames[b->depth - 1];
    /* in a mapping on the path, as the value of the key just read */
    if (p->path < 0 || p->node->kind != TM_YMAP || (b->n_items - p->first) % 2 == 0)
        return -1;
    const tm_ynode *key = b->items[b->n_items - 1];
    const char *want = b->stream->path[p->path];
    if (!want || key->kind != TM_YSCALAR || strcmp(key->text, want) != 0)
        return -1;
    int k = p->path + 1;
    if (b->stream->path[k])
        return kind == TM_YMAP ? k : -1;
    *streamed = kind == TM_YSEQ;
    return *streamed ? k : -1;
}

static int on_start(builder *b, const yaml_event_t *ev, tm_ykind kind)
{
    int rc = check_depth(b, &ev->start_mark, 0);
    if (rc != TUMEN_OK)
        return rc;
    item_begins(b);
    const yaml_char_t *name = kind == TM_YSEQ ? ev->data.sequence_start.anchor
                                              : ev->data.mapping_start.anchor;
    int streamed, path = path_of(b, kind, name != NULL, &streamed);
    tm_ynode *n = new_node(b, kind, &ev->start_mark);
    if (!n || tm_vec_grow_((void **)&b->frames, &b->frames_cap, b->depth, sizeof *b->frames))
        return no_memory(b);
    size_t index = 0;
    if (name && (rc = add_anchor(b, (const char *)name, n, &index)) != TUMEN_OK)
        return rc;
    b->frames[b->depth++] = (frame){n, b->n_items, 1, 0, index, path, streamed, 0};
    return TUMEN_OK;
}

static int cmp_key(const void *x, const void *y)
{
    const tm_ynode *a = *(const tm_ynode *const *)x, *c = *(const tm_ynode *const *)y;
    int r = strcmp(a->text, c->text);
    if (r)
        return r;
    return (a->line > c->line) - (a->line < c->line);
}

static int duplicate_key(builder *b, const tm_ynode *key, const tm_ynode *first)
{
    return tm_error_set(b->err, TUMEN_EINPUT, b->doc->file, key->line, key->text,
                        "duplicate key '%s' (first at line %d)", key->text, first->line);
}

/* Every key of a mapping (n pairs in items) is a scalar and appears once. */
static int check_keys(builder *b, tm_ynode **items, size_t n)
{
    for (size_t j = 0; j < n; j++)
        if (items[2 * j]->kind != TM_YSCALAR)
            return tm_error_set(b->err, TUMEN_EINPUT, b->doc->file, items[2 * j]->line, NULL,
                                "a mapping key must be a plain value, not a list or mapping");
    if (n <= 16) { /* the usual mapping: pairwise is cheaper than sorting */
        for (size_t j = 1; j < n; j++)
            for (size_t i = 0; i < j; i++)
                if (strcmp(items[2 * i]->text, items[2 * j]->text) == 0)
                    return duplicate_key(b, items[2 * j], items[2 * i]);
        return TUMEN_OK;
    }
    const tm_ynode **keys = malloc(n * sizeof *keys);
    if (!keys)
        return no_memory(b);
    for (size_t j = 0; j < n; j++)
        keys[j] = items[2 * j];
    qsort(keys, n, sizeof *keys, cmp_key);
    int rc = TUMEN_OK;
    for (size_t j = 1; j < n && rc == TUMEN_OK; j++)
        if (strcmp(keys[j]->text, keys[j - 1]->text) == 0)
            rc = duplicate_key(b, keys[j], keys[j - 1]);
    free(keys);
    return rc;
}

static int on_end(builder *b)
{
    frame f = b->frames[--b->depth];
    size_t count = b->n_items - f.first;
    tm_ynode **items = doc_alloc(b->doc, (count ? count : 1) * sizeof *items);
    if (!items)
        return no_memory(b);
    if (count) /* an empty collection: b->items may still be NULL */
        memcpy(items, b->items + f.first, count * sizeof *items);
    b->n_items = f.first;
    f.node->items = items;
    f.node->n = f.node->kind == TM_YMAP ? count / 2 : count;
    if (f.streamed) { /* its items went to the stream: the tree keeps it empty */
        b->doc->streamed = f.node;
        b->doc->n_streamed = f.n_streamed;
    }
    if (f.node->kind == TM_YMAP) {
        int rc = check_keys(b, items, f.node->n);
        if (rc != TUMEN_OK)
            return rc;
    }
    if (f.anchor) {
        anchor *a = &b->anchors[f.anchor - 1];
        if (a->node == f.node) { /* not redefined inside itself */
            a->size = f.size;
            a->height = f.height;
            a->open = 0;
        }
    }
    return attach(b, f.node, f.size, f.height);
}

static int on_alias(builder *b, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    int line = (int)ev->start_mark.line + 1;
    anchor *a = find_anchor(b, name);
    if (!a)
        return tm_error_set(b->err, TUMEN_EPARSE, b->doc->file, line, NULL,
                            "an alias refers to an unknown anchor '&%s'", name);
    if (a->open)
        return tm_error_set(b->err, TUMEN_EPARSE, b->doc->file, line, NULL,
                            "an alias refers to a collection that contains it");
    int rc = check_depth(b, &ev->start_mark, a->height);
    if (rc != TUMEN_OK)
        return rc;
    item_begins(b);
    b->alias_added += a->size;
    if (b->alias_added > TM_YAML_MAX_ALIAS_NODES)
        return tm_error_set(b->err, TUMEN_EPARSE, b->doc->file, line, NULL,
                            "the aliases expand the document by more than %d nodes",
                            TM_YAML_MAX_ALIAS_NODES);
    return attach(b, a->node, a->size, a->height);
}

static int on_event(builder *b, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (b->documents++)
            return tm_error_set(b->err, TUMEN_EPARSE, b->doc->file,
                                (int)ev->start_mark.line + 1, NULL,
                                "the file holds more than one YAML document (a second '---')");
        return TUMEN_OK;
    case YAML_SCALAR_EVENT: return on_scalar(b, ev);
    case YAML_SEQUENCE_START_EVENT: return on_start(b, ev, TM_YSEQ);
    case YAML_MAPPING_START_EVENT: return on_start(b, ev, TM_YMAP);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: return on_end(b);
    case YAML_ALIAS_EVENT: return on_alias(b, ev);
    default: return TUMEN_OK;
    }
}

/* Reads libyaml's events into doc's tree, checking nesting, aliases and keys as they come,
 * so a hostile text fails at the event that breaks a limit, not after it is all read. */
static int build(builder *b)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return no_memory(b);
    yaml_parser_set_input_string(&parser, (const unsigned char *)b->text, b->length);
    int rc = TUMEN_OK, done = 0;
    while (rc == TUMEN_OK && !done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            rc = parse_error(b->doc, &parser, b->text, b->length, b->err);
            break;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        rc = on_event(b, &ev);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    if (rc == TUMEN_OK && !b->doc->root)
        rc = tm_error_set(b->err, TUMEN_EPARSE, b->doc->file, 0, NULL,
                          "the file is empty (it holds no YAML document)");
    return rc;
}

int tm_ydoc_load(tm_ydoc **out, const char *file, const char *text, size_t length,
                 tumen_error *err)
{
    return tm_ydoc_load_streamed(out, file, text, length, NULL, err);
}

int tm_ydoc_load_streamed(tm_ydoc **out, const char *file, const char *text, size_t length,
                          const tm_ystream *stream, tumen_error *err)
{
    *out = NULL;
    tm_ydoc *doc = calloc(1, sizeof *doc);
    if (!doc)
        return tm_error_set(err, TUMEN_ENOMEM, file, 0, NULL, "out of memory");
    size_t flen = strlen(file ? file : "");
    doc->file = doc_alloc(doc, flen + 1);
    if (!doc->file) {
        tm_ydoc_free(doc);
        return tm_error_set(err, TUMEN_ENOMEM, file, 0, NULL, "out of memory");
    }
    memcpy(doc->file, file ? file : "", flen + 1);
    builder b = {.doc = doc,
                 .text = text ? text : "",
                 .length = text ? length : 0,
                 .stream = stream && stream->path && stream->path[0] ? stream : NULL,
                 .err = err};
    int rc = build(&b);
    free(b.frames);
    free(b.items);
    free(b.anchors);
    free(b.slots);
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
    free_chain(doc->blocks, NULL);
    free_chain(doc->own, NULL);
    free(doc);
}

size_t tm_ydoc_bytes(const tm_ydoc *doc)
{
    size_t bytes = 0;
    for (const block *b = doc ? doc->blocks : NULL; b; b = b->next)
        bytes += sizeof *b + b->cap;
    for (const block *b = doc ? doc->own : NULL; b; b = b->next)
        bytes += sizeof *b + b->cap;
    return bytes;
}

int tm_ydoc_streamed(const tm_ydoc *doc, const tm_ynode *seq, size_t *count)
{
    if (!doc || !seq || doc->streamed != seq)
        return 0;
    if (count)
        *count = doc->n_streamed;
    return 1;
}

const tm_ynode *tm_ydoc_root(const tm_ydoc *doc)
{
    return doc->root;
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

/* A field path longer than its buffer (it names a field in a message) is clipped at a
 * character, with an ellipsis (core/text.h). */
char *tm_ypath_key(char *buf, size_t size, const char *parent, const char *key)
{
    if (parent && parent[0])
        return tm_snclip(buf, size, "%s.%s", parent, key);
    return tm_snclip(buf, size, "%s", key);
}

char *tm_ypath_index(char *buf, size_t size, const char *parent, size_t i)
{
    return tm_snclip(buf, size, "%s[%zu]", parent ? parent : "", i);
}

static int verror(const tm_ydoc *doc, int code, const tm_ynode *node, const char *path,
                  tumen_error *err, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));

static int verror(const tm_ydoc *doc, int code, const tm_ynode *node, const char *path,
                  tumen_error *err, const char *fmt, va_list ap)
{
    char msg[512];
    tm_vsnclip(msg, sizeof msg, fmt, ap);
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
                         "unknown key '%s' (expected one of: %s)", key->text, list);
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
        return tm_yerror(doc, node, path, err, "must be greater than %g%s%s (got '%s')",
                         r.lo, unit[0] ? " " : "", unit, node->text);
    if (!r.lo_open && v < r.lo)
        return tm_yerror(doc, node, path, err, "must not be less than %g%s%s (got '%s')",
                         r.lo, unit[0] ? " " : "", unit, node->text);
    if (v > r.hi)
        return tm_yerror(doc, node, path, err, "must not be more than %g%s%s (got '%s')",
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
        return tm_yerror(doc, node, path, err, "'%s' is not a number", node->text);
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
        return tm_yerror(doc, node, path, err, "'%s' is not a whole number", s);
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
    return tm_yerror(doc, node, path, err, "must be true or false (got '%s')", node->text);
}

int tm_yread_string(const tm_ydoc *doc, const tm_ynode *node, const char *path, char *buf,
                    size_t size, tumen_error *err)
{
    int rc = need_scalar(doc, node, path, "a text", err);
    if (rc != TUMEN_OK)
        return rc;
    if (node->len >= size && size == TM_ID_LEN) { /* an id: the one refusal (core/text.h) */
        rc = tm_id_check(node->text, tm_ydoc_file(doc), node->line, path, err);
        if (err)
            err->column = node->column;
        return rc;
    }
    if (node->len >= size)
        return tm_yerror(doc, node, path, err, "is longer than %zu bytes", size - 1);
    memcpy(buf, node->text, node->len + 1);
    return TUMEN_OK;
}

int tm_yread_name(const tm_ydoc *doc, const tm_ynode *node, const char *path, char **out,
                  tumen_error *err)
{
    int rc = need_scalar(doc, node, path, "a text", err);
    if (rc != TUMEN_OK)
        return rc;
    if (tm_name_set(out, node->text))
        return tm_yerror_code(doc, TUMEN_ENOMEM, node, path, err, "out of memory");
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

int tm_yget_name(const tm_ydoc *doc, const tm_ynode *map, const char *parent, const char *key,
                 int required, char **out, int *found, tumen_error *err)
{
    const tm_ynode *node;
    char path[128];
    int rc = lookup(doc, map, parent, key, required, &node, path, sizeof path, found, err);
    if (rc != TUMEN_OK || !node)
        return rc;
    return tm_yread_name(doc, node, path, out, err);
}

int tm_yget_name_or(const tm_ydoc *doc, const tm_ynode *map, const char *parent,
                    const char *key, char **out, const char *fallback, tumen_error *err)
{
    int found = 0;
    int rc = tm_yget_name(doc, map, parent, key, 0, out, &found, err);
    if (rc == TUMEN_OK && !found && tm_name_set(out, fallback))
        rc = tm_error_set(err, TUMEN_ENOMEM, tm_ydoc_file(doc), map ? map->line : 0, parent,
                          "out of memory");
    return rc;
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
