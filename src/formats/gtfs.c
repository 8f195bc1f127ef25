/* gtfs.c: a timetable run as a static GTFS feed (https://gtfs.org/schedule/reference/).
 *
 * What goes where (docs/formats.md, "GTFS output"):
 *  - agency.txt: one agency, "tumen", named after the timetable, in the given time zone.
 *  - stops.txt: every operational point a service passes, in network order; stop_lat and
 *    stop_lon from the network's positions, which GTFS requires: a point without one is an
 *    error naming it.
 *  - routes.txt: one route per category and (origin, destination) pair, e.g.
 *    "freight:KHS-BAR", route_type 2 (rail). Services between the same two points in the
 *    same category are one route, the way a passenger reads a line.
 *  - trips.txt: one trip per service, trip_id = service id, direction_id 0/1 from the
 *    order of origin and destination in the network.
 *  - stop_times.txt: every operational point the service passes, stop_sequence 1, 2, ...;
 *    where it does not stop, pickup_type and drop_off_type are 1 (no pickup, no drop-off),
 *    so a journey planner sees the passing time and does not offer the point. Times are
 *    HH:MM:SS after midnight of the service day, past 24:00:00 for runs after midnight.
 *  - calendar.txt: one service_id: the timetable's date (that weekday only, start = end =
 *    the date), or without a date every day of 2026 (a placeholder a user should replace).
 * Rows are in timetable and network order and numbers fixed, so a run gives the same bytes.
 *
 * Atomic as a whole: the files are written and fsynced into a new directory next to dir,
 * which is then renamed to dir. An existing dir is replaced only if it holds nothing but
 * GTFS files (so a mistyped --gtfs never deletes a user's folder); it is moved aside, the
 * new one renamed in, and the old one removed.
 */
#include <dirent.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/atomic.h"
#include "core/c_locale.h"
#include "formats/output.h"
#include "formats/timetable_out.h"

#define GTFS_SERVICE_ID "day"

static const char *const gtfs_files[] = {"agency.txt", "stops.txt", "routes.txt",
                                         "trips.txt", "stop_times.txt", "calendar.txt", NULL};


static const char *op_name(const tm_op *op)
{
    return tm_name_or(op->name, op->id);
}

/* ---- The feed's content ---------------------------------------------------------------- */

typedef struct feed {
    const tm_scenario *sc;
    const tm_timetable *tt;
    const tm_timetable_result *r;
    const char *timezone;
    unsigned char *op_used;  /* per operational point */
    size_t *route_of;        /* per service: index of its route's first service */
} feed;

/* Day of the week, 0 = Monday, of a valid Gregorian date (Sakamoto's method). */
static int weekday(int y, int m, int d)
{
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3)
        y -= 1;
    int sunday0 = (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
    return (sunday0 + 6) % 7;
}

static void write_agency(FILE *fp, const feed *f)
{
    fputs("agency_id,agency_name,agency_url,agency_timezone\n", fp);
    fputs("tumen,", fp);
    tm_csv_field(fp, tm_name_or(f->tt->name, "tumen timetable"));
    fputs(",https://example.invalid/tumen,", fp);
    tm_csv_field(fp, f->timezone);
    fputc('\n', fp);
}

static void write_stops(FILE *fp, const feed *f)
{
    const tm_network *net = &f->sc->network;
    fputs("stop_id,stop_name,stop_lat,stop_lon,location_type\n", fp);
    for (size_t i = 0; i < net->n_ops; i++) {
        if (!f->op_used[i])
            continue;
        const tm_op *op = &net->ops[i];
        tm_csv_field(fp, op->id);
        fputc(',', fp);
        tm_csv_field(fp, op_name(op));
        fprintf(fp, ",%.6f,%.6f,0\n", op->lat, op->lon);
    }
}

static const tm_op *first_op(const feed *f, size_t i)
{
    return &f->sc->network.ops[f->r->runs[i].points[0].op];
}

static const tm_op *last_op(const feed *f, size_t i)
{
    const tm_service_run *run = &f->r->runs[i];
    return &f->sc->network.ops[run->points[run->n_points - 1].op];
}

static void route_id(FILE *fp, const feed *f, size_t i)
{
    char buf[3 * TM_ID_LEN + 16];
    snprintf(buf, sizeof buf, "%s:%s-%s", tm_category_name(f->tt->services[i].category),
             first_op(f, i)->id, last_op(f, i)->id);
    tm_csv_field(fp, buf);
}

static void write_routes(FILE *fp, const feed *f)
{
    fputs("route_id,agency_id,route_short_name,route_long_name,route_desc,route_type\n", fp);
    for (size_t i = 0; i < f->r->n_runs; i++) {
        if (f->r->runs[i].status != TUMEN_OK || f->route_of[i] != i)
            continue;
        char buf[2 * TM_ID_LEN + 16];
        route_id(fp, f, i);
        fputs(",tumen,", fp);
        snprintf(buf, sizeof buf, "%s-%s", first_op(f, i)->id, last_op(f, i)->id);
        tm_csv_field(fp, buf);
        fputc(',', fp);
        tm_csv_joined(fp, op_name(first_op(f, i)), " - ", op_name(last_op(f, i)));
        fprintf(fp, ",%s,2\n", tm_category_name(f->tt->services[i].category));
    }
}

static void write_trips(FILE *fp, const feed *f)
{
    fputs("route_id,service_id,trip_id,trip_short_name,direction_id\n", fp);
    for (size_t i = 0; i < f->r->n_runs; i++) {
        const tm_service_run *run = &f->r->runs[i];
        if (run->status != TUMEN_OK)
            continue;
        route_id(fp, f, f->route_of[i]);
        fputs("," GTFS_SERVICE_ID ",", fp);
        tm_csv_field(fp, f->tt->services[i].id);
        fputc(',', fp);
        tm_csv_field(fp, f->tt->services[i].id);
        int dir = run->points[0].op > run->points[run->n_points - 1].op;
        fprintf(fp, ",%d\n", dir);
    }
}

static void write_stop_times(FILE *fp, const feed *f)
{
    char arr[16], dep[16];
    fputs("trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,"
          "drop_off_type,timepoint\n",
          fp);
    for (size_t i = 0; i < f->r->n_runs; i++) {
        const tm_service_run *run = &f->r->runs[i];
        if (run->status != TUMEN_OK)
            continue;
        for (size_t k = 0; k < run->n_points; k++) {
            const tm_service_point *p = &run->points[k];
            int first = k == 0, last = k + 1 == run->n_points;
            /* no boarding at the destination, no alighting at the origin */
            int pickup = p->is_stop && !last ? 0 : 1;
            int drop_off = p->is_stop && !first ? 0 : 1;
            tm_csv_field(fp, f->tt->services[i].id);
            fprintf(fp, ",%s,%s,", tm_clock_text(p->arrival, arr, sizeof arr),
                    tm_clock_text(p->departure, dep, sizeof dep));
            tm_csv_field(fp, f->sc->network.ops[p->op].id);
            fprintf(fp, ",%zu,%d,%d,1\n", k + 1, pickup, drop_off);
        }
    }
}

static void write_calendar(FILE *fp, const feed *f)
{
    fputs("service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,"
          "end_date\n",
          fp);
    const char *date = f->tt->date;
    if (date[0]) {
        int y = atoi(date), m = atoi(date + 5), d = atoi(date + 8);
        int wd = weekday(y, m, d);
        fputs(GTFS_SERVICE_ID, fp);
        for (int k = 0; k < 7; k++)
            fprintf(fp, ",%d", k == wd);
        fprintf(fp, ",%04d%02d%02d,%04d%02d%02d\n", y, m, d, y, m, d);
    } else {
        fputs(GTFS_SERVICE_ID ",1,1,1,1,1,1,1,20260101,20261231\n", fp);
    }
}

/* ---- Checks and grouping ---------------------------------------------------------------- */

static int prepare(feed *f, tumen_error *err)
{
    const tm_network *net = &f->sc->network;
    f->op_used = calloc(net->n_ops ? net->n_ops : 1, 1);
    f->route_of = calloc(f->r->n_runs ? f->r->n_runs : 1, sizeof *f->route_of);
    if (!f->op_used || !f->route_of)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    size_t n_ok = 0;
    for (size_t i = 0; i < f->r->n_runs; i++) {
        const tm_service_run *run = &f->r->runs[i];
        if (run->status != TUMEN_OK || run->n_points < 2)
            continue;
        n_ok++;
        for (size_t k = 0; k < run->n_points; k++) {
            const tm_op *op = &net->ops[run->points[k].op];
            if (!op->has_position)
                return tm_error_set(err, TUMEN_EINPUT, NULL, 0, "network.operational_points",
                                    "operational point '%s' (passed by service '%s') has no "
                                    "position: GTFS needs stop_lat and stop_lon, give it "
                                    "position: [lat, lon]",
                                    op->id, f->tt->services[i].id);
            f->op_used[run->points[k].op] = 1;
        }
    }
    if (n_ok == 0)
        return tm_error_set(err, TUMEN_EINPUT, NULL, 0, NULL,
                            "no service ran: a GTFS feed needs at least one trip");
    /* Routes: the first service of each (category, origin, destination) represents it.
     * Quadratic in the number of distinct routes only via the scan of earlier leaders. */
    size_t *leaders = malloc(f->r->n_runs * sizeof *leaders);
    if (!leaders)
        return tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "out of memory");
    size_t n_leaders = 0;
    for (size_t i = 0; i < f->r->n_runs; i++) {
        const tm_service_run *run = &f->r->runs[i];
        f->route_of[i] = i;
        if (run->status != TUMEN_OK || run->n_points < 2)
            continue;
        size_t a = run->points[0].op, b = run->points[run->n_points - 1].op;
        for (size_t k = 0; k < n_leaders; k++) {
            const tm_service_run *l = &f->r->runs[leaders[k]];
            if (f->tt->services[leaders[k]].category == f->tt->services[i].category &&
                l->points[0].op == a && l->points[l->n_points - 1].op == b) {
                f->route_of[i] = leaders[k];
                break;
            }
        }
        if (f->route_of[i] == i)
            leaders[n_leaders++] = i;
    }
    free(leaders);
    return TUMEN_OK;
}

/* ---- Files and the directory ------------------------------------------------------------ */

static int write_file(const char *dir, const char *name, void (*fill)(FILE *, const feed *),
                      const feed *f, tumen_error *err)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "the GTFS path is too long");
    FILE *fp = fopen(path, "w");
    if (!fp)
        return tm_io_error(err, "create", path, errno);
    errno = 0;
    fill(fp, f);
    int failed = ferror(fp) || fflush(fp) != 0 || fsync(fileno(fp)) != 0;
    int e = errno ? errno : EIO;
    if (fclose(fp) != 0 && !failed) {
        failed = 1;
        e = errno ? errno : EIO;
    }
    return failed ? tm_io_error(err, "write", path, e) : TUMEN_OK;
}

/* Removes the GTFS files tumen writes from dir, then dir itself (best effort). */
static void remove_feed_dir(const char *dir)
{
    char path[4096];
    for (size_t i = 0; gtfs_files[i]; i++)
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, gtfs_files[i]) < sizeof path)
            unlink(path);
    rmdir(dir);
}

/* 1 if dir holds only GTFS files (names ending in .txt), else 0 (with the first other
 * name in other); -1 if it cannot be read. */
static int only_gtfs(const char *dir, char *other, size_t size)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int ok = 1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        int known = 0;
        for (size_t i = 0; gtfs_files[i]; i++)
            known |= !strcmp(e->d_name, gtfs_files[i]);
        if (!known) {
            snprintf(other, size, "%s", e->d_name);
            ok = 0;
            break;
        }
    }
    closedir(d);
    return ok;
}

/* Creates a new directory "<dir>.tmp.<pid>.<n>" (mode 0777 less the umask, unlike
 * mkdtemp's 0700) into buf. */
static int make_temp_dir(char *buf, size_t size, const char *dir, size_t len, tumen_error *err)
{
    struct timespec ts = {0, 0};
    clock_gettime(CLOCK_REALTIME, &ts);
    for (unsigned attempt = 0; attempt < 100; attempt++) {
        if ((size_t)snprintf(buf, size, "%.*s.tmp.%ld.%ld%u", (int)len, dir, (long)getpid(),
                             (long)(ts.tv_nsec % 1000000), attempt) >= size)
            return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "the GTFS path is too long");
        if (mkdir(buf, 0777) == 0)
            return TUMEN_OK;
        if (errno != EEXIST)
            return tm_io_error(err, "create a directory next to", dir, errno);
    }
    return tm_io_error(err, "create a directory next to", dir, EEXIST);
}

/* Puts the finished tmp directory at dir (see the file comment). */
static int install(const char *tmp, const char *dir, tumen_error *err)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (errno != ENOENT)
            return tm_io_error(err, "inspect", dir, errno);
        return rename(tmp, dir) == 0 ? TUMEN_OK : tm_io_error(err, "rename into", dir, errno);
    }
    if (!S_ISDIR(st.st_mode))
        return tm_error_set(err, TUMEN_EIO, NULL, 0, NULL,
                            "cannot write the GTFS feed to '%s': it exists and is not a "
                            "directory",
                            dir);
    char other[256];
    int only = only_gtfs(dir, other, sizeof other);
    if (only < 0)
        return tm_io_error(err, "read the directory", dir, errno);
    if (!only)
        return tm_error_set(err, TUMEN_EIO, NULL, 0, NULL,
                            "will not replace the directory '%s': it holds '%s', which is not "
                            "a GTFS file tumen writes (give a new or empty directory)",
                            dir, other);
    char old[4096];
    if ((size_t)snprintf(old, sizeof old, "%s.old.XXXXXX", dir) >= sizeof old)
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "the GTFS path is too long");
    if (!mkdtemp(old))
        return tm_io_error(err, "create a directory next to", dir, errno);
    if (rename(dir, old) != 0) { /* dir and old are both directories: old is replaced */
        int e = errno;
        rmdir(old);
        return tm_io_error(err, "move aside", dir, e);
    }
    if (rename(tmp, dir) != 0) {
        int e = errno;
        rename(old, dir); /* put the old feed back */
        return tm_io_error(err, "rename into", dir, e);
    }
    remove_feed_dir(old);
    return TUMEN_OK;
}

int tm_timetable_write_gtfs(const tm_scenario *sc, const tm_timetable_result *r,
                            const char *dir, const char *timezone, tumen_error *err)
{
    if (!sc || !r || !dir || !dir[0])
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                            "a scenario, a result and a directory are needed for GTFS");
    feed f = {sc, r->timetable ? r->timetable : &sc->timetable, r,
              timezone && timezone[0] ? timezone : "UTC", NULL, NULL};
    int rc = prepare(&f, err);
    char tmp[4096];
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    if (rc == TUMEN_OK && make_temp_dir(tmp, sizeof tmp, dir, len, err) != TUMEN_OK)
        rc = err ? err->code : TUMEN_EIO;
    if (rc != TUMEN_OK) {
        free(f.op_used);
        free(f.route_of);
        return rc;
    }
    locale_t old = tm_c_numeric_enter(); /* C-locale numbers, this thread only */
    void (*const fills[])(FILE *, const feed *) = {write_agency, write_stops,      write_routes,
                                                    write_trips,  write_stop_times, write_calendar};
    for (size_t i = 0; rc == TUMEN_OK && gtfs_files[i]; i++)
        rc = write_file(tmp, gtfs_files[i], fills[i], &f, err);
    tm_c_numeric_leave(old);
    if (rc == TUMEN_OK) {
        char target[4096];
        snprintf(target, sizeof target, "%.*s", (int)len, dir);
        rc = install(tmp, target, err);
    }
    if (rc != TUMEN_OK)
        remove_feed_dir(tmp);
    free(f.op_used);
    free(f.route_of);
    return rc;
}
