/* io.h: what the scenario readers share (scenario.c, scenario_yaml.c, railtoolkit.c).
 *
 * scenario.c reads each file into a tm_ydoc, picks the dialect by the top-level `schema:`
 * key and hands the tree to one reader; the reader appends vehicles, trains, lines and the
 * journey to the scenario through the tm_scenario_add_* functions below. After the last
 * file, scenario.c derives every train (tm_train_derive).
 */
#ifndef TM_IO_H
#define TM_IO_H

#include "formats/yaml_doc.h"
#include "model/model.h"
#include "model/scenario.h"
#include "tumen.h"

/* Reads the files in order into a new scenario (formats/scenario.c); the API's
 * tumen_scenario_load wraps it (include/tumen.h has the contract). A special train request
 * in the files is dropped. */
int tm_scenario_load(tm_scenario **out, const char *const *paths, size_t n_paths,
                     tumen_error *err);
/* Same from in-memory text; name is used in messages (NULL: "<text>"). */
int tm_scenario_load_text(tm_scenario **out, const char *name, const char *text,
                          size_t length, tumen_error *err);
/* The same, also handing over the special train request the files hold in *special (NULL
 * when they hold none; the caller frees it with free). special may be NULL. */
struct tm_special_spec;
int tm_scenario_load_with(tm_scenario **out, struct tm_special_spec **special,
                          const char *const *paths, size_t n_paths, tumen_error *err);
/* The same, the files' YAML parsed on two threads when threads > 1 (read into the scenario
 * one at a time in file order, so the scenario and the first error are those of a load on
 * one thread); threads <= 1 uses the calling thread alone, as tm_scenario_load_with. */
int tm_scenario_load_threads(tm_scenario **out, struct tm_special_spec **special,
                             const char *const *paths, size_t n_paths, int threads,
                             tumen_error *err);
int tm_scenario_load_text_with(tm_scenario **out, struct tm_special_spec **special,
                               const char *name, const char *text, size_t length,
                               tumen_error *err);
/* Same, from n in-memory texts read in order (names[k] names texts[k] in messages and must
 * outlive the scenario's errors); the request, if special, as tm_scenario_load_with. */
int tm_scenario_load_texts_with(tm_scenario **out, struct tm_special_spec **special,
                                const char *const *names, const char *const *texts,
                                const size_t *lengths, size_t n, tumen_error *err);

/* What reading files builds besides the model (formats/scenario.c owns it while the files
 * are read): the timetable's references still to resolve once the last file is read, and
 * a special train request (a plan's input, not part of the model). */
typedef struct tm_load {
    tm_scenario *model;
    struct tm_timetable_refs *timetable_refs; /* NULL: no timetable read yet, or resolved */
    struct tm_special_spec *special;          /* NULL: no request */
    /* the services of the document being read, read while it was parsed (its
     * timetable.services was streamed into them), or NULL */
    struct tm_timetable_part *streamed_services;
} tm_load;

/* Reads a tumen-format document (docs/formats.md) into s. References (consist vehicles,
 * journey trains and lines) resolve against what s already holds, this file included.
 * On error s keeps what was added before; the caller destroys it. */
int tm_native_read(tm_load *ld, const tm_ydoc *doc, tumen_error *err);

/* Reads a railtoolkit rolling-stock or running-path document (schema 2022.05, and the
 * object rows of running-path 2024.07) into s with TrainRuns.jl's semantics (docs/formats.md,
 * "railtoolkit YAML"). Same ownership as tm_native_read. */
int tm_railtoolkit_read(tm_scenario *s, const tm_ydoc *doc, tumen_error *err);

/* TTOBench JSON (trains, tracks, journeys; formats/ttobench.c): detect by content (a JSON
 * object whose metadata names TTOBench), then read with jansson into s. A journey needs its
 * track and exactly one train loaded before it. */
int tm_ttobench_detect(const char *text, size_t length);
int tm_ttobench_read(tm_scenario *s, const char *file, const char *text, size_t length,
                     tumen_error *err);

/* Appends a copy of *v / *t / *l to s and takes over what it owns (tables, consist, sections,
 * points); on success *v (etc.) is zeroed. The id must be new among its kind: otherwise
 * TUMEN_EINPUT "duplicate id" at node's line with path (node may be NULL), and *v is left to
 * the caller to free. index (may be NULL) receives the new item's index. */
int tm_scenario_add_vehicle(tm_scenario *s, tm_vehicle *v, const tm_ydoc *doc,
                            const tm_ynode *node, const char *path, size_t *index,
                            tumen_error *err);
int tm_scenario_add_train(tm_scenario *s, tm_train *t, const tm_ydoc *doc,
                          const tm_ynode *node, const char *path, tumen_error *err);
int tm_scenario_add_line(tm_scenario *s, tm_line *l, const tm_ydoc *doc,
                         const tm_ynode *node, const char *path, tumen_error *err);

/* Sorts n items of item_size bytes at base by the double at key_offset in each, ascending
 * and stable (O(n log n)). Returns 0, or -1 when memory runs out (base unchanged). */
int tm_stable_sort_by_double(void *base, size_t n, size_t item_size, size_t key_offset);

/* Completes a line's points once its sections are known: sorts them by position (stable),
 * checks each lies on the line (else TUMEN_EINPUT at the point's line, path
 * "<points_path>[i]"; point_nodes[i] is the node of input point i, or NULL), and makes the
 * first and last positions stops, adding "<line id> start" / "<line id> end" (dwell 0) where
 * no point is. The line must have at least one section. */
int tm_line_finish_points(tm_line *line, const tm_ydoc *doc, const tm_ynode *const *point_nodes,
                          const char *points_path, tumen_error *err);

/* Reads a `network:` mapping (docs/formats.md, "Networks") of doc into s->network: appends
 * its operational points and tracks (a later file's network adds to an earlier one's; a
 * track may join points of an earlier file) and rebuilds the adjacency arrays. Errors:
 * TUMEN_EINPUT at the offending node with its field path (an unknown operational point,
 * a duplicate id, a length <= 0, overlapping, gapped or out-of-range sections, an unknown
 * electrification or gauge unit, a signal outside its track), TUMEN_ENOMEM. On error s keeps
 * what was added before (the caller destroys it). Implemented in formats/network_yaml.c. */
int tm_network_read(tm_scenario *s, const tm_ydoc *doc, const tm_ynode *node,
                    tumen_error *err);

/* Reads a gauge (a length, "1435 mm", 0.3 m to 3 m) into whole millimetres. */
/* Reads the optional key `electrification` of map ("25kV 50Hz", "3 kV DC", "none"; the
 * spellings tm_electrification_parse takes) into *out, leaving *out alone when the key is
 * absent. For tracks and electric vehicles alike. An unknown system is TUMEN_EINPUT at the
 * value's line, field "<parent>.electrification". */
/* A track's `structures:` list (formats/structures_yaml.c) into t (sorted by position), and
 * every track's `parallel:` list of the document (tracks first_track on) once all are read. */
int tm_yread_structures(const tm_ydoc *doc, const tm_ynode *list, const char *path,
                        tm_track *t, tumen_error *err);
int tm_structures_resolve_parallel(tm_network *net, const tm_ydoc *doc,
                                   const tm_ynode *track_list, size_t first_track,
                                   tumen_error *err);

int tm_yread_electrification(const tm_ydoc *doc, const tm_ynode *map, const char *parent,
                             tm_electrification *out, tumen_error *err);

/* A name of a choice and the value it stands for; lists end with {NULL, 0}. */
typedef struct tm_ychoice {
    const char *name;
    int value;
} tm_ychoice;

/* The curve laws by name (roeckl, 800/R, none), for `curve_resistance`. */
extern const tm_ychoice tm_curve_law_choices[];

/* Reads map[key] as one of items' names into *out (left alone when absent and not required);
 * an unknown name is an error that lists the known ones (fields_yaml.c). */
int tm_yget_choice(const tm_ydoc *doc, const tm_ynode *map, const char *parent,
                   const char *key, const tm_ychoice *items, int required, int *out,
                   tumen_error *err);

/* A clock time "HH:MM" or "HH:MM:SS", hours 0 to max_hours (23 for one day, more for a
 * week's timetable), as seconds after midnight; returns 0, or -1 when text is not one
 * (fields_yaml.c). */
int tm_yparse_clock(const char *text, int max_hours, double *seconds);

/* Reads one point of a line's list (a format's own form) into *p. */
typedef int (*tm_yread_point_fn)(const tm_ydoc *doc, const tm_ynode *node, const char *path,
                                 tm_point *p, tumen_error *err);

/* A line's list of points (fields_yaml.c): each item through read_one into l->points (the
 * line owns them); what names the list in a message ("a list of points"). An empty list
 * leaves the line without points. */
int tm_yread_points(const tm_ydoc *doc, const tm_ynode *list, const char *path,
                    const char *what, tm_yread_point_fn read_one, tm_line *l, tumen_error *err);

/* The stretch a section of a list covers (a line's or a track's; fields_yaml.c): `from`
 * (default: where the previous one ends, or 0 for the first), and either `to` or `length`
 * (exactly one), ending after its start and meeting the previous section within 1e-6 m (no
 * overlap, no gap; then it starts exactly at prev_end). prev_end is NULL for the first
 * section. Sets *start and *end (m); errors name file, line and path. */
int tm_yread_extent(const tm_ydoc *doc, const tm_ynode *map, const char *path,
                    const double *prev_end, double *start, double *end, tumen_error *err);

/* A section's `gradient` (m/m, -1 to 1) and curve `radius` (m, >= 0), each 0 when absent. */
int tm_yread_grade(const tm_ydoc *doc, const tm_ynode *map, const char *path, double *gradient,
                   double *radius, tumen_error *err);

/* A vehicle's traction `modes:` list into v->modes (formats/traction_yaml.c). */
int tm_yread_traction_modes(const tm_ydoc *doc, const tm_ynode *list, const char *path,
                            tm_vehicle *v, tumen_error *err);

int tm_yread_gauge(const tm_ydoc *doc, const tm_ynode *node, const char *path, int *mm,
                   tumen_error *err);

/* Reads a `timetable:` mapping (docs/formats.md, "Timetables") of doc into s->timetable:
 * appends its services (a later file's timetable adds services to an earlier one's) with
 * their train and operational point references still open, and notes every reference with
 * its file, line and field in ld->timetable_refs. The services come from
 * ld->streamed_services when doc's `services` list was streamed into it, else from the
 * tree. node may be NULL (no timetable: TUMEN_OK). Errors: TUMEN_EINPUT at the offending
 * node (a bad time, an empty route, a missing or unknown field, ...), TUMEN_ENOMEM. On error
 * the timetable keeps what earlier files added (the caller destroys it). Implemented in
 * formats/timetable_yaml.c. */
int tm_timetable_read(tm_load *ld, const tm_ydoc *doc, const tm_ynode *node,
                      tumen_error *err);

/* The services of a timetable read while its file is parsed, so that a national timetable's
 * services are never a whole document tree (yaml_doc.h, tm_ystream): a parse of a text
 * streams its `timetable.services` items into a part with tm_timetable_stream_service
 * (ctx: the part; it touches nothing else, so it runs on a parsing thread), and
 * tm_timetable_read, given the part in ld->streamed_services, joins them to the timetable
 * after the `timetable:` mapping's own keys are read: the scenario and the errors are those
 * of reading the tree (a service's error is reported after the mapping's, the YAML text's
 * before both). */
struct tm_timetable_part;
struct tm_timetable_part *tm_timetable_part_new(void);
void tm_timetable_part_free(struct tm_timetable_part *part);
void tm_timetable_stream_service(void *part, const tm_ydoc *doc, const tm_ynode *node,
                                 size_t index);

/* Resolves the references tm_timetable_read noted, once every file is read: trains by id
 * among s->trains, operational points among s->network.ops; checks that service ids are
 * unique. On success frees ld->timetable_refs (NULL after). Errors: TUMEN_EINPUT naming the
 * file, line and field of an unknown train or operational point or a duplicate service id;
 * TUMEN_ENOMEM. Without a timetable it does nothing. */
int tm_timetable_resolve(tm_load *ld, tumen_error *err);

/* Frees the open references of a timetable being read; NULL is a no-op. */
void tm_timetable_refs_free(struct tm_timetable_refs *refs);

/* Reads `allowance`, `driving`, `allowances` (ranges between named timing points) and
 * `targets` of a journey, a leg or a timetable service at map into *spec (zeroed by the
 * caller; formats/allowance_yaml.c); the targets' clock times count from `departure` (s
 * after midnight: the journey's or the service's). Errors name the file, line and field
 * under path. */
struct tm_allowance_spec;
int tm_read_allowance_spec(double departure, const tm_ydoc *doc, const tm_ynode *map,
                           const char *path, struct tm_allowance_spec *spec, tumen_error *err);

/* Reads the `special:` mapping of a tumen YAML file into ld->special (one per scenario;
 * formats/special_yaml.c). */
int tm_special_read(tm_load *ld, const tm_ydoc *doc, const tm_ynode *node,
                    tumen_error *err);

/* Reads the `delays:` mapping of a tumen YAML file into s->delays (one per scenario; a
 * second is an error): distributions per category, `stations` and `trains` overrides
 * (docs/formats.md, "Delays"; formats/delays_yaml.c). An empirical distribution's CSV is
 * read at once (a relative path from the YAML file's folder); a bad value there names the
 * CSV file and line. Errors: TUMEN_EINPUT at the offending node, TUMEN_ENOMEM. */
int tm_delays_read(tm_scenario *s, const tm_ydoc *doc, const tm_ynode *node,
                   tumen_error *err);

#endif
