/* test_yaml_stream.c: a streamed sequence (formats/yaml_doc.h, tm_ystream) gives its items
 * exactly as the whole tree holds them, keeps what an alias may still reach, and does not
 * hold the list; a timetable streamed while its file is parsed is the timetable read from
 * the whole tree, service by service; its errors come in the order of the tree's reading.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "formats/readers.h"
#include "formats/yaml_doc.h"
#include "gen/gen.h"
#include "model/scenario.h"
#include "support.h"

/* ---- A node written out: kind, line, column, text, items (aliases written in full) ---- */

typedef struct dump {
    char *text;
    size_t n, cap;
} dump;

static void put(dump *d, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    assert_true(k >= 0 && (size_t)k < sizeof buf);
    if (d->n + (size_t)k + 1 > d->cap) {
        d->cap = 2 * (d->n + (size_t)k + 1);
        d->text = realloc(d->text, d->cap);
        assert_non_null(d->text);
    }
    memcpy(d->text + d->n, buf, (size_t)k + 1);
    d->n += (size_t)k;
}

static void write_node(dump *d, const tm_ynode *n)
{
    put(d, "(%d %d:%d '%s'", (int)n->kind, n->line, n->column, n->text);
    size_t items = n->kind == TM_YMAP ? 2 * n->n : n->n;
    for (size_t i = 0; i < items; i++)
        write_node(d, n->items[i]);
    put(d, ")");
}

/* What the stream was handed: each item written out, in order. */
typedef struct seen {
    char *items[64];
    size_t n;
    size_t next_index;
} seen;

static void on_item(void *ctx, const tm_ydoc *doc, const tm_ynode *node, size_t index)
{
    seen *s = ctx;
    assert_non_null(tm_ydoc_file(doc));
    assert_int_equal(index, s->next_index++);
    dump d = {0};
    write_node(&d, node);
    if (s->n < 64)
        s->items[s->n++] = d.text;
    else
        free(d.text);
}

static const char *const services_path[] = {"timetable", "services", NULL};

/* ---- The items are the tree's ---------------------------------------------------------- */

static void test_items_are_the_tree_items(void **state)
{
    (void)state;
    const char *text = "timetable:\n"
                       "  name: t\n"
                       "  services:\n"
                       "    - {id: a, train: T, departure: \"06:00\", route: [A, B]}\n"
                       "    - &s2\n"
                       "      id: b\n"
                       "      nested: {deep: [1, 2, {x: y}]}\n"
                       "    - plain scalar\n"
                       "    - *s2\n"
                       "    - &s2 {id: c}\n"
                       "    - [*s2, 3]\n"
                       "    - {ref: *s2}\n"
                       "  after: 1\n"
                       "elsewhere: [*s2, {k: v}]\n";
    tm_ydoc *tree = NULL, *streamed = NULL;
    tumen_error err = {0};
    assert_int_equal(tm_ydoc_load(&tree, "t.yaml", text, strlen(text), &err), TUMEN_OK);
    seen s = {0};
    tm_ystream stream = {services_path, on_item, &s};
    assert_int_equal(tm_ydoc_load_streamed(&streamed, "t.yaml", text, strlen(text), &stream,
                                           &err),
                     TUMEN_OK);
    const tm_ynode *list = tm_ymap_get(tm_ymap_get(tm_ydoc_root(tree), "timetable"),
                                       "services");
    const tm_ynode *empty = tm_ymap_get(tm_ymap_get(tm_ydoc_root(streamed), "timetable"),
                                        "services");
    size_t count = 0;
    assert_false(tm_ydoc_streamed(tree, list, NULL));
    assert_true(tm_ydoc_streamed(streamed, empty, &count));
    assert_int_equal(count, 7);
    assert_int_equal(empty->n, 0);
    assert_int_equal(list->n, 7);
    assert_int_equal(s.n, 7);
    for (size_t i = 0; i < list->n; i++) {
        dump d = {0};
        write_node(&d, list->items[i]);
        if (strcmp(d.text, s.items[i]))
            fail_msg("item %zu: streamed %s, in the tree %s", i, s.items[i], d.text);
        free(d.text);
        free(s.items[i]);
    }
    /* what lies outside the list, an alias into a kept item included, is the tree's */
    dump a = {0}, b = {0};
    write_node(&a, tm_ymap_get(tm_ydoc_root(tree), "elsewhere"));
    write_node(&b, tm_ymap_get(tm_ydoc_root(streamed), "elsewhere"));
    assert_string_equal(a.text, b.text);
    free(a.text);
    free(b.text);
    tm_ydoc_free(tree);
    tm_ydoc_free(streamed);
}

/* An anchor on the list, or on a mapping above it: an alias may want the items, so the
 * list stays in the tree; so does a list reached through an alias, or not a list. */
static void test_what_is_not_streamed(void **state)
{
    (void)state;
    const char *texts[] = {
        "timetable:\n  services: &l\n    - a\n    - b\n",
        "timetable: &t\n  services:\n    - a\n    - b\n",
        "timetable:\n  services: {a: 1, b: 2}\n",
        "timetable:\n  services: [a, b]\n  old: [c]\n",
    };
    const size_t want_streamed[] = {0, 0, 0, 2};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        seen s = {0};
        tm_ystream stream = {services_path, on_item, &s};
        tm_ydoc *doc = NULL;
        tumen_error err = {0};
        assert_int_equal(tm_ydoc_load_streamed(&doc, "t.yaml", texts[i], strlen(texts[i]),
                                               &stream, &err),
                         TUMEN_OK);
        const tm_ynode *list =
            tm_ymap_get(tm_ymap_get(tm_ydoc_root(doc), "timetable"), "services");
        assert_int_equal(s.n, want_streamed[i]);
        assert_int_equal(tm_ydoc_streamed(doc, list, NULL), want_streamed[i] > 0);
        assert_int_equal(list->n, want_streamed[i] ? 0 : 2);
        for (size_t k = 0; k < s.n; k++)
            free(s.items[k]);
        tm_ydoc_free(doc);
    }
}

/* 40,000 services: the streamed document holds one at a time, the tree holds them all. */
static void count_item(void *ctx, const tm_ydoc *doc, const tm_ynode *node, size_t index)
{
    (void)doc;
    size_t *n = ctx;
    assert_int_equal(index, *n);
    assert_true(node->kind == TM_YMAP && node->n == 4);
    (*n)++;
}

static void test_stream_does_not_hold_the_list(void **state)
{
    (void)state;
    size_t items = 40000, cap = 100 * items + 256, n = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    n += (size_t)snprintf(text, cap, "timetable:\n  name: big\n  services:\n");
    for (size_t i = 0; i < items; i++)
        n += (size_t)snprintf(text + n, cap - n,
                              "    - {id: s%zu, train: T, departure: \"06:00\", "
                              "route: [A, B, C, D]}\n",
                              i);
    tm_ydoc *tree = NULL, *streamed = NULL;
    tumen_error err = {0};
    size_t counted = 0;
    tm_ystream stream = {services_path, count_item, &counted};
    assert_int_equal(tm_ydoc_load(&tree, "big.yaml", text, n, &err), TUMEN_OK);
    assert_int_equal(tm_ydoc_load_streamed(&streamed, "big.yaml", text, n, &stream, &err),
                     TUMEN_OK);
    assert_int_equal(counted, items);
    size_t held = tm_ydoc_bytes(streamed), whole = tm_ydoc_bytes(tree);
    printf("the tree holds %zu bytes, the streamed document %zu\n", whole, held);
    assert_true(held < 1024 * 1024);
    assert_true(whole > 20 * held);
    tm_ydoc_free(tree);
    tm_ydoc_free(streamed);
    free(text);
}

/* ---- A streamed timetable is the tree's ---------------------------------------------- */

/* Reads texts in order through the tree (no stream) into a new scenario, resolves. */
static tm_scenario *read_through_tree(char *const *texts, const size_t *lengths,
                                      const char *const *names, size_t n)
{
    tm_load ld;
    memset(&ld, 0, sizeof ld);
    ld.model = calloc(1, sizeof *ld.model);
    assert_non_null(ld.model);
    tumen_error err = {0};
    for (size_t i = 0; i < n; i++) {
        tm_ydoc *doc = NULL;
        assert_int_equal(tm_ydoc_load(&doc, names[i], texts[i], lengths[i], &err), TUMEN_OK);
        if (tm_native_read(&ld, doc, &err) != TUMEN_OK)
            fail_msg("%s", err.message);
        tm_ydoc_free(doc);
    }
    if (tm_timetable_resolve(&ld, &err) != TUMEN_OK)
        fail_msg("%s", err.message);
    tm_timetable_refs_free(ld.timetable_refs);
    return ld.model;
}

static void same_timetable(const tm_timetable *a, const tm_timetable *b)
{
    assert_int_equal(a->n_services, b->n_services);
    assert_string_equal(a->date, b->date);
    for (size_t i = 0; i < a->n_services; i++) {
        const tm_service *x = &a->services[i], *y = &b->services[i];
        assert_string_equal(x->id, y->id);
        assert_string_equal(x->file, y->file);
        assert_string_equal(x->convoy, y->convoy);
        assert_int_equal(x->line, y->line);
        assert_int_equal(x->train, y->train);
        assert_int_equal(x->category, y->category);
        assert_true(x->departure == y->departure);
        assert_int_equal(x->n_waypoints, y->n_waypoints);
        for (size_t k = 0; k < x->n_waypoints; k++)
            assert_int_equal(x->waypoints[k], y->waypoints[k]);
        assert_int_equal(x->n_stops, y->n_stops);
        for (size_t k = 0; k < x->n_stops; k++) {
            assert_int_equal(x->stops[k].op, y->stops[k].op);
            assert_true(x->stops[k].dwell == y->stops[k].dwell);
        }
        assert_int_equal(x->n_changes_to, y->n_changes_to);
        for (size_t k = 0; k < x->n_changes_to; k++)
            assert_int_equal(x->changes_to[k], y->changes_to[k]);
        assert_int_equal(x->allowance != NULL, y->allowance != NULL);
    }
}

static void test_streamed_timetable_is_the_trees(void **state)
{
    (void)state;
    char dir[] = "/tmp/tumen_test_stream_XXXXXX";
    assert_non_null(mkdtemp(dir));
    tm_gen_options o = {300.0, 700, 1};
    tumen_error err = {0};
    assert_int_equal(tm_gen_network(&o, dir, NULL, &err), TUMEN_OK);
    static const char *const base[] = {"network.yaml", "trains.yaml", "timetable.yaml"};
    char paths[3][256], *texts[3];
    const char *files[3];
    size_t lengths[3];
    for (int i = 0; i < 3; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s", dir, base[i]);
        files[i] = paths[i];
        texts[i] = tm_test_read_file(paths[i], &lengths[i]);
        assert_non_null(texts[i]);
    }
    tm_scenario *tree = read_through_tree(texts, lengths, files, 3);
    assert_int_equal(tree->timetable.n_services, 700);
    for (int threads = 1; threads <= 2; threads++) {
        tm_scenario *sc = NULL;
        assert_int_equal(tm_scenario_load_threads(&sc, NULL, files, 3, threads, &err),
                         TUMEN_OK);
        same_timetable(&sc->timetable, &tree->timetable);
        tm_scenario_free(sc);
    }
    /* the timetable split in two files (a later file's services after the earlier's) */
    char *cut = strstr(texts[2], "\n    - id:");
    for (int k = 0; cut && k < 300; k++)
        cut = strstr(cut + 1, "\n    - id:");
    assert_non_null(cut);
    size_t head = (size_t)(cut - texts[2]) + 1;
    char *second = malloc(lengths[2] + 64);
    assert_non_null(second);
    int m = snprintf(second, 64, "timetable:\n  services:\n");
    memcpy(second + m, texts[2] + head, lengths[2] - head);
    char part2[300];
    snprintf(part2, sizeof part2, "%s/timetable2.yaml", dir);
    FILE *f = fopen(part2, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(second, 1, (size_t)m + lengths[2] - head, f),
                     (size_t)m + lengths[2] - head);
    assert_int_equal(fclose(f), 0);
    f = fopen(paths[2], "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(texts[2], 1, head, f), head);
    assert_int_equal(fclose(f), 0);
    const char *four[] = {paths[0], paths[1], paths[2], part2};
    tm_scenario *split = NULL;
    assert_int_equal(tm_scenario_load_threads(&split, NULL, four, 4, 2, &err), TUMEN_OK);
    assert_int_equal(split->timetable.n_services, 700);
    for (size_t i = 0; i < 700; i++) {
        assert_string_equal(split->timetable.services[i].id, tree->timetable.services[i].id);
        assert_int_equal(split->timetable.services[i].n_waypoints,
                         tree->timetable.services[i].n_waypoints);
        assert_int_equal(split->timetable.services[i].waypoints[0],
                         tree->timetable.services[i].waypoints[0]);
        assert_string_equal(split->timetable.services[i].file, i < 300 ? paths[2] : part2);
    }
    tm_scenario_free(split);
    tm_scenario_free(tree);
    free(second);
    for (int i = 0; i < 3; i++) {
        free(texts[i]);
        unlink(paths[i]);
    }
    unlink(part2);
    rmdir(dir);
}

/* ---- Errors come in the tree's order -------------------------------------------------- */

static void expect_error(const char *what, const char *text, int code, int line,
                         const char *field, const char *message)
{
    tm_scenario *sc = NULL;
    tumen_error err = {0};
    int rc = tm_scenario_load_text(&sc, "bad.yaml", text, strlen(text), &err);
    assert_null(sc);
    if (rc != code || err.line != line || (field && !strstr(err.field, field)) ||
        !strstr(err.message, message))
        fail_msg("%s: code %d line %d field '%s': %s", what, rc, err.line, err.field,
                 err.message);
}

static void test_errors_in_the_trees_order(void **state)
{
    (void)state;
    expect_error("the mapping's own keys before a service",
                 "timetable:\n"
                 "  services:\n"
                 "    - {id: a, train: T, departure: \"06:00\", route: []}\n"
                 "  date: 2026-13-01\n",
                 TUMEN_EINPUT, 4, "timetable.date", "calendar date");
    expect_error("the first bad service",
                 "timetable:\n"
                 "  services:\n"
                 "    - {id: a, train: T, departure: \"06:00\", route: [A, B]}\n"
                 "    - {id: b, train: T, departure: \"06:00\", route: []}\n"
                 "    - {id: c, train: T, departure: \"99:00\", route: [A, B]}\n",
                 TUMEN_EINPUT, 4, "timetable.services[1].route", "empty");
    expect_error("the YAML text's error before a service's",
                 "timetable:\n"
                 "  services:\n"
                 "    - {id: b, train: T, departure: \"06:00\", route: []}\n"
                 "  name: [unclosed\n",
                 TUMEN_EPARSE, 4, NULL, "YAML");
    expect_error("a duplicate key of an item",
                 "timetable:\n"
                 "  services:\n"
                 "    - {id: b, id: c, train: T, departure: \"06:00\", route: [A, B]}\n",
                 TUMEN_EINPUT, 3, "id", "duplicate key");
    expect_error("an unknown point after streaming",
                 "network:\n"
                 "  operational_points: [{id: A, name: A}]\n"
                 "timetable:\n"
                 "  services:\n"
                 "    - {id: b, train: T, departure: \"06:00\", route: [A, Z]}\n",
                 TUMEN_EINPUT, 5, "timetable.services[0]", "");
}

/* A reference's field is written only for its error: each kind and form. */
static void test_reference_fields(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/simple.yaml", TUMEN_SOURCE_DIR);
    char *stock = tm_test_read_file(path, NULL);
    snprintf(path, sizeof path, "%s/tests/data/corridor.yaml", TUMEN_SOURCE_DIR);
    char *network = tm_test_read_file(path, NULL);
    assert_true(stock && network);
    static const struct {
        const char *service, *field, *message;
    } cases[] = {
        {"{id: a, train: nope, departure: \"06:00\", route: [AST, BRY]}",
         "timetable.services[1].train", "unknown train 'nope'"},
        {"{id: a, train: regional, departure: \"06:00\", route: [AST, XX]}",
         "timetable.services[1].route[1]", "unknown operational point 'XX'"},
        {"{id: a, train: regional, departure: \"06:00\", route: [AST, BRY], stops: [XX]}",
         "timetable.services[1].stops[0]", "unknown operational point 'XX'"},
        {"{id: a, train: regional, departure: \"06:00\", route: [AST, BRY], "
         "stops: [BRY, {at: XX}]}",
         "timetable.services[1].stops[1].at", "unknown operational point 'XX'"},
        {"{id: a, train: regional, departure: \"06:00\", route: [AST, BRY], "
         "changes_to: [regional, nope]}",
         "timetable.services[1].changes_to[1]", "unknown train 'nope'"},
        {"{id: a, train: regional, departure: \"06:00\", route: [AST, BRY], changes_to: nope}",
         "timetable.services[1].changes_to", "unknown train 'nope'"},
        {"{id: a, train: regional, departure: \"06:00\", route: [AST, {x: 1}]}",
         "timetable.services[1].route[1]", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t cap = strlen(stock) + strlen(network) + 512;
        char *text = malloc(cap);
        assert_non_null(text);
        snprintf(text, cap,
                 "%s\n%s\ntimetable:\n  services:\n"
                 "    - {id: z, train: regional, departure: \"05:00\", route: [AST, BRY]}\n"
                 "    - %s\n",
                 stock, network, cases[i].service);
        tm_scenario *sc = NULL;
        tumen_error err = {0};
        int rc = tm_scenario_load_text(&sc, "refs.yaml", text, strlen(text), &err);
        assert_null(sc);
        if (rc == TUMEN_OK || strcmp(err.field, cases[i].field) ||
            !strstr(err.message, cases[i].message))
            fail_msg("case %zu: field '%s', want '%s': %s", i, err.field, cases[i].field,
                     err.message);
        free(text);
    }
    free(stock);
    free(network);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_items_are_the_tree_items),
        cmocka_unit_test(test_what_is_not_streamed),
        cmocka_unit_test(test_stream_does_not_hold_the_list),
        cmocka_unit_test(test_streamed_timetable_is_the_trees),
        cmocka_unit_test(test_errors_in_the_trees_order),
        cmocka_unit_test(test_reference_fields),
    };
    return cmocka_run_group_tests_name("yaml_stream", tests, NULL, NULL);
}
