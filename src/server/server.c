/* server.c: the HTTP side of tumen serve: the libmicrohttpd daemon, request bodies and
 * their limit (413), routing, bearer tokens and roles (401, 403), the web page and the
 * access log (one JSON line per request; the token's name, never the token). */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>

#include "day.h"
#include "handlers.h"
#include "http.h"
#include "jobs.h"

typedef struct tm_web_asset {
    const char *name, *type;
    const unsigned char *data;
    size_t size;
} tm_web_asset;
extern const tm_web_asset tm_web_assets[]; /* web_assets.c, made from web/ at build time */

static FILE *g_log;
static pthread_mutex_t g_log_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t g_stop;

/* ---- Tokens -------------------------------------------------------------------------------- */

/* The token's hash as stored: BLAKE2b-256 (a token has 256 random bits, so a fast hash
 * is as strong as a slow one), in hex. */
static void token_hash(const char *token, char hex[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(hex, 65, h, sizeof h);
}

static int role_level(const char *role)
{
    return !strcmp(role, "admin") ? ROLE_ADMIN : !strcmp(role, "planner") ? ROLE_PLANNER
                                                 : !strcmp(role, "viewer") ? ROLE_VIEWER
                                                                           : ROLE_NONE;
}

int tm_server_token_add(const char *db, const char *name, const char *role)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "tumen serve: libsodium cannot start\n");
        return 1;
    }
    if (!role_level(role)) {
        fprintf(stderr, "tumen serve token add: --role takes viewer, planner or admin, not '%s'\n",
                role);
        return 2;
    }
    size_t n = strlen(name);
    if (n == 0 || n > 60) {
        fprintf(stderr, "tumen serve token add: NAME must have 1 to 60 characters\n");
        return 2;
    }
    unsigned char raw[32];
    char token[80], hex[65], msg[256];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    snprintf(token, sizeof token, "tmn_%s", hex);
    token_hash(token, hex);
    store *st = NULL;
    if (store_open(&st, db, msg, sizeof msg) != STORE_OK) {
        fprintf(stderr, "tumen serve: %s\n", msg);
        return 1;
    }
    int rc = store_token_add(st, name, role, hex);
    store_close(st);
    if (rc == STORE_EXISTS) {
        fprintf(stderr, "tumen serve token add: a token named '%s' exists already\n", name);
        return 2;
    }
    if (rc != STORE_OK) {
        fprintf(stderr, "tumen serve token add: cannot store the token in %s\n", db);
        return 1;
    }
    printf("token for %s (%s); it is shown only this once:\n%s\n", name, role, token);
    sodium_memzero(token, sizeof token);
    return 0;
}

/* Fills q->who and q->role from the Authorization header; 0, or -1 with a 401 reply. */
static int authenticate(request *q, reply *r)
{
    const char *h = request_header(q, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h || strncasecmp(h, "Bearer ", 7) != 0 || !h[7]) {
        reply_error(r, 401, "a token is required: Authorization: Bearer TOKEN");
        return -1;
    }
    char hex[65], role[16];
    token_hash(h + 7, hex);
    store *st = server_store();
    int rc = st ? store_token_find(st, hex, q->who, sizeof q->who, role, sizeof role)
                : STORE_ERROR;
    if (rc == STORE_NOTFOUND) {
        reply_error(r, 401, "the token is not valid");
        return -1;
    }
    if (rc != STORE_OK) {
        reply_error(r, 500, "the store cannot be read");
        return -1;
    }
    q->role = role_level(role);
    return 0;
}

/* ---- Routing ------------------------------------------------------------------------------- */

/* Matches url against pattern; fills ids. 1 on a match. */
static int match(const char *pattern, const char *url, long long ids[2])
{
    int k = 0;
    const char *p = pattern, *u = url;
    while (*p && *u) {
        if (*p == '{') {
            char *end;
            if (*u < '1' || *u > '9')
                return 0;
            errno = 0;
            long long v = strtoll(u, &end, 10);
            if (errno || k == 2)
                return 0;
            ids[k++] = v;
            u = end;
            p = strchr(p, '}');
            if (!p)
                return 0;
            p++;
        } else if (*p++ != *u++) {
            return 0;
        }
    }
    return !*p && !*u;
}

static const char *const role_names[] = {"anyone", "viewer", "planner", "admin"};

static void serve_asset(const char *url, reply *r)
{
    const char *name = !strcmp(url, "/") ? "index.html" : url + 1;
    for (const tm_web_asset *a = tm_web_assets; a->name; a++)
        if (!strcmp(a->name, name)) {
            char *copy = malloc(a->size + 1);
            if (!copy) {
                reply_error(r, 500, "out of memory");
                return;
            }
            memcpy(copy, a->data, a->size + 1);
            reply_take(r, 200, copy);
            r->size = a->size;
            r->type = a->type;
            return;
        }
    reply_error(r, 404, "no such resource: %s", url);
}

static void dispatch(request *q, reply *r)
{
    const char *url = q->url;
    if (strncmp(url, "/api/", 5) != 0 && strcmp(url, "/openapi.json") != 0) {
        if (strcmp(q->method, "GET") && strcmp(q->method, "HEAD"))
            reply_error(r, 405, "%s is not allowed on %s", q->method, url);
        else
            serve_asset(url, r);
        return;
    }
    int path_known = 0;
    for (size_t i = 0; i < server_n_routes; i++) {
        const route *rt = &server_routes[i];
        long long ids[2] = {0, 0};
        if (!match(rt->pattern, url, ids))
            continue;
        path_known = 1;
        if (strcmp(rt->method, q->method))
            continue;
        q->id[0] = ids[0];
        q->id[1] = ids[1];
        if (rt->role > ROLE_NONE && authenticate(q, r) != 0)
            return;
        if (q->role < rt->role) {
            reply_error(r, 403, "%s %s needs the role %s; the token '%s' is a %s", rt->method,
                        rt->pattern, role_names[rt->role], q->who, role_names[q->role]);
            return;
        }
        rt->fn(q, r);
        return;
    }
    if (path_known)
        reply_error(r, 405, "%s is not allowed on %s", q->method, url);
    else
        reply_error(r, 404, "no such resource: %s", url);
}

/* ---- The daemon --------------------------------------------------------------------------- */

/* What one connection's request gathers while its body arrives. */
typedef struct pending {
    char *body;
    size_t size, cap;
    int too_big;
    struct timespec t0;
} pending;

static double since_ms(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static void access_log(const request *q, int status, double ms)
{
    char when[40];
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct tm tmv;
    gmtime_r(&now.tv_sec, &tmv);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tmv);
    json_t *o = json_pack("{s:s, s:s?, s:s, s:s, s:i, s:f}", "time", when,
                          "token", q->who[0] ? q->who : NULL, "method", q->method, "path",
                          q->url, "status", status, "duration_ms", ms);
    char *line =
        o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)) : NULL;
    json_decref(o);
    if (!line)
        return;
    pthread_mutex_lock(&g_log_lock);
    fprintf(g_log, "%s\n", line); /* one line per request */
    fflush(g_log);
    pthread_mutex_unlock(&g_log_lock);
    free(line);
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, reply *r)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        r->size, r->body ? r->body : (void *)"", r->body ? MHD_RESPMEM_MUST_FREE
                                                        : MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(r->body);
        return MHD_NO;
    }
    r->body = NULL;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            r->type ? r->type : "application/json");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (r->status == 401)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
    if (r->location[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location);
    enum MHD_Result rc = MHD_queue_response(conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return rc;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    pending *p = *con_cls;
    if (!p) {
        p = calloc(1, sizeof *p);
        if (!p)
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &p->t0);
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > server_options()->max_body)
            p->too_big = 1;
        *con_cls = p;
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (p->too_big || p->size + n > server_options()->max_body) {
            p->too_big = 1; /* the rest is read and dropped; the answer is 413 */
            return MHD_YES;
        }
        if (p->size + n + 1 > p->cap) {
            size_t cap = p->cap ? p->cap : 4096;
            while (cap < p->size + n + 1)
                cap *= 2;
            char *b = realloc(p->body, cap);
            if (!b)
                return MHD_NO;
            p->body = b;
            p->cap = cap;
        }
        memcpy(p->body + p->size, upload_data, n);
        p->size += n;
        return MHD_YES;
    }
    request q;
    memset(&q, 0, sizeof q);
    q.conn = conn;
    q.method = method;
    q.url = url;
    q.body = p->body ? p->body : "";
    if (p->body)
        p->body[p->size] = '\0';
    q.size = p->size;
    const char *prefer = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Prefer");
    q.async = prefer && strstr(prefer, "respond-async") != NULL;
    reply r;
    memset(&r, 0, sizeof r);
    if (p->too_big)
        reply_error(&r, 413, "the request body is larger than %zu bytes",
                    server_options()->max_body);
    else
        dispatch(&q, &r);
    if (!r.status)
        reply_error(&r, 500, "no answer");
    access_log(&q, r.status, since_ms(&p->t0));
    return send_reply(conn, &r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    pending *p = *con_cls;
    if (p) {
        free(p->body);
        free(p);
        *con_cls = NULL;
    }
}

static void on_signal(int sig)
{
    g_stop = sig;
}

/* HOST:PORT into addr; only an IPv4 address. */
static int parse_listen(const char *text, struct sockaddr_in *addr)
{
    char host[64];
    const char *colon = strrchr(text, ':');
    if (!colon || (size_t)(colon - text) >= sizeof host)
        return -1;
    memcpy(host, text, (size_t)(colon - text));
    host[colon - text] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_port = htons((unsigned short)port);
    if (*end || port < 0 || port > 65535 || inet_pton(AF_INET, host, &addr->sin_addr) != 1)
        return -1;
    return 0;
}

int serve_run(const serve_options *o)
{
    struct sockaddr_in addr;
    if (parse_listen(o->listen, &addr) != 0) {
        fprintf(stderr, "tumen serve: --listen takes IPv4:PORT (e.g. 127.0.0.1:8080), not '%s'\n",
                o->listen);
        return 2;
    }
    if (sodium_init() < 0 || server_config_start(o) != 0) {
        fprintf(stderr, "tumen serve: cannot start\n");
        return 1;
    }
    g_log = stderr;
    if (o->log && !(g_log = fopen(o->log, "a"))) {
        fprintf(stderr, "tumen serve: cannot open the log %s: %s\n", o->log, strerror(errno));
        return 2;
    }
    store *st = server_store(); /* the schema exists before the first request */
    if (!st)
        return 2;
    signal(SIGPIPE, SIG_IGN);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL,
        on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads < 1 ? 1 : o->threads),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o->timeout, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)512, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)256,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "tumen serve: cannot listen on %s: %s\n", o->listen, strerror(errno));
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    fprintf(stderr, "tumen serve: listening on http://%s:%u/ (store %s)\n",
            inet_ntoa(addr.sin_addr), info ? info->port : 0, o->db);
    while (!g_stop)
        pause();
    MHD_stop_daemon(d);
    jobs_shutdown();
    scenarios_shutdown();
    server_store_detach();
    store_close(st);
    if (g_log != stderr)
        fclose(g_log);
    fprintf(stderr, "tumen serve: stopped\n");
    return 0;
}

int tm_server_run(const char *db, const char *listen, int threads, int timeout_s,
                  long max_body, int budget_ms, const char *log)
{
    serve_options o;
    serve_options_init(&o);
    if (db)
        o.db = db;
    if (listen)
        o.listen = listen;
    if (threads > 0)
        o.threads = threads;
    if (timeout_s > 0)
        o.timeout = timeout_s;
    if (max_body > 0)
        o.max_body = (size_t)max_body;
    if (budget_ms >= 0)
        o.budget_ms = budget_ms;
    o.log = log;
    return serve_run(&o);
}

int tm_server_check(const char *db)
{
    store *st = NULL;
    char msg[512];
    int conninfo = strchr(db, '=') || !strncmp(db, "postgres", 8); /* PostgreSQL */
    if (!conninfo && access(db, F_OK) != 0) {
        fprintf(stderr, "tumen serve check: no store at %s\n", db);
        return 2;
    }
    if (store_open(&st, db, msg, sizeof msg) != STORE_OK) {
        fprintf(stderr, "tumen serve check: %s\n", msg);
        return 1;
    }
    int rc = store_check(st, msg, sizeof msg);
    store_close(st);
    printf("integrity_check: %s\n", msg);
    return rc == STORE_OK ? 0 : 1;
}
