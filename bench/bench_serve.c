/* bench_serve: tumen serve under load on loopback. Starts its own server (a temporary
 * store, the flagship day uploaded) and measures
 *   - a 100 km run request (POST .../runs, freight_2te116 Makhalino - Kedrovy, 101 km):
 *     requests per second from CLIENTS concurrent clients, p50 and p99 latency;
 *   - a special request on the flagship day (POST .../special, Khasan - Baranovsky with an
 *     escort, fit mode, one client): p50 and p99 latency.
 * Plain sockets, one connection per request (Connection: close).
 *   bench_serve [--runs N] [--specials N] [--clients N] [--threads N]
 * Prints BENCH serve_run_rps, serve_run_p50_ms, serve_run_p99_ms, serve_special_p50_ms,
 * serve_special_p99_ms, and the peak resident memory of the server (serve_peak_rss) and of
 * this client (serve_client_peak_rss). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "core/vec.h"
#include "bench_day.h"

static int g_port;
static char g_token[128];

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* One request; returns the status (0: no answer); the body into *resp if resp. */
static int http(const char *method, const char *path, const char *type, const char *body,
                size_t len, char **resp)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)g_port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    char head[512];
    int n = snprintf(head, sizeof head,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                     "Content-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
                     method, path, g_token, type, len);
    int ok = write(fd, head, (size_t)n) == n;
    for (size_t off = 0; ok && off < len;) {
        ssize_t w = write(fd, body + off, len - off);
        ok = w > 0;
        off += ok ? (size_t)w : 0;
    }
    size_t cap = 65536, got = 0;
    char *buf = malloc(cap);
    ssize_t r;
    while (ok && buf && (r = read(fd, buf + got, cap - got - 1)) > 0) {
        got += (size_t)r;
        if (got + 1 == cap) {
            char *b = realloc(buf, cap *= 2);
            if (!b)
                break;
            buf = b;
        }
    }
    close(fd);
    if (!buf)
        return 0;
    buf[got] = '\0';
    int status = 0;
    sscanf(buf, "HTTP/1.%*d %d", &status);
    if (resp) {
        char *b = strstr(buf, "\r\n\r\n");
        *resp = strdup(b ? b + 4 : "");
    }
    free(buf);
    return status;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b)
        b[n] = '\0';
    *len = (size_t)n;
    return b;
}

/* Uploads the flagship day as multipart; returns the scenario id or -1. */
static int upload(void)
{
    static const char *names[] = {"network.yaml", "train.yaml", "timetable.yaml"};
    size_t cap = 1 << 20, len = 0;
    char *body = malloc(cap);
    for (int i = 0; body && i < 3; i++) {
        char path[1024];
        size_t n;
        snprintf(path, sizeof path, "%s/examples/flagship/%s", TUMEN_SOURCE_DIR, names[i]);
        char *text = slurp(path, &n);
        if (!text || len + n + 512 > cap) {
            free(text);
            free(body);
            return -1;
        }
        len += (size_t)sprintf(body + len,
                               "--BENCHBOUNDARY\r\nContent-Disposition: form-data; name=\"f\"; "
                               "filename=\"%s\"\r\n\r\n",
                               names[i]);
        memcpy(body + len, text, n);
        len += n;
        len += (size_t)sprintf(body + len, "\r\n");
        free(text);
    }
    if (!body)
        return -1;
    len += (size_t)sprintf(body + len, "--BENCHBOUNDARY--\r\n");
    char *resp = NULL;
    int st = http("POST", "/api/v1/scenarios", "multipart/form-data; boundary=BENCHBOUNDARY", body,
                  len, &resp);
    int id = -1;
    if (st == 201 && resp)
        sscanf(resp, "{\"id\":%d", &id);
    free(resp);
    free(body);
    return id;
}

static double pct(double *v, int n, double p)
{
    qsort(v, (size_t)n, sizeof *v, tm_cmp_double);
    int k = (int)(p / 100.0 * (n - 1) + 0.5);
    return v[k < n ? k : n - 1];
}

typedef struct client {
    int scenario, n, failed;
    double *lat;
} client;

static void *run_client(void *arg)
{
    client *c = arg;
    char path[96];
    const char *body = "{\"train\":\"freight_2te116\",\"from\":\"MAK\",\"to\":\"KED\","
                       "\"departure\":\"08:00\"}";
    snprintf(path, sizeof path, "/api/v1/scenarios/%d/runs", c->scenario);
    for (int i = 0; i < c->n; i++) {
        double t0 = now_ms();
        int st = http("POST", path, "application/json", body, strlen(body), NULL);
        c->lat[i] = now_ms() - t0;
        c->failed += st != 200;
    }
    return NULL;
}

/* Starts `tumen serve` on a free port; returns its pid, fills g_port. */
static pid_t start_server(const char *db, int threads)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        char th[16];
        snprintf(th, sizeof th, "%d", threads);
        dup2(fds[1], 2);
        close(fds[0]);
        execl(TUMEN_CLI, TUMEN_CLI, "serve", "--db", db, "--listen", "127.0.0.1:0", "--threads",
              th, "--log", "/dev/null", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        const char *p = strstr(line, "http://127.0.0.1:");
        if (p) {
            g_port = atoi(p + 17);
            break;
        }
    }
    return g_port ? pid : -1; /* the pipe stays open: the server's stderr goes nowhere */
}

int main(int argc, char **argv)
{
    tm_bench_print_load("bench_serve");
    int runs = 400, specials = 40, clients = 4, threads = 4;
    for (int i = 1; i + 1 < argc; i += 2) {
        int v = atoi(argv[i + 1]);
        if (!strcmp(argv[i], "--runs"))
            runs = v;
        else if (!strcmp(argv[i], "--specials"))
            specials = v;
        else if (!strcmp(argv[i], "--clients"))
            clients = v;
        else if (!strcmp(argv[i], "--threads"))
            threads = v;
    }
    if (runs < clients || specials < 1 || clients < 1 || clients > 64 || threads < 1) {
        fprintf(stderr, "bench_serve: --runs >= --clients (1..64), --specials >= 1\n");
        return 2;
    }
    char dir[] = "/tmp/bench-serve-XXXXXX", db[128], cmd[512];
    if (!mkdtemp(dir))
        return 1;
    snprintf(db, sizeof db, "%s/store.db", dir);
    snprintf(cmd, sizeof cmd, "'%s' serve token add bench --role admin --db '%s'", TUMEN_CLI, db);
    FILE *p = popen(cmd, "r");
    char line[256] = "";
    while (p && fgets(line, sizeof line, p))
        if (!strncmp(line, "tmn_", 4))
            sscanf(line, "%127s", g_token);
    if (p)
        pclose(p);
    pid_t pid = g_token[0] ? start_server(db, threads) : -1;
    int id = pid > 0 ? upload() : -1;
    int status = 1;
    if (id > 0) {
        pthread_t th[64];
        client cl[64];
        double *lat = calloc((size_t)runs, sizeof *lat);
        int per = runs / clients, failed = 0;
        double t0 = now_ms();
        for (int c = 0; c < clients; c++) {
            cl[c] = (client){id, per, 0, lat + c * per};
            pthread_create(&th[c], NULL, run_client, &cl[c]);
        }
        for (int c = 0; c < clients; c++) {
            pthread_join(th[c], NULL);
            failed += cl[c].failed;
        }
        double wall = now_ms() - t0;
        int n = per * clients;
        printf("BENCH serve_run_rps %.1f req/s\n", n / (wall / 1000.0));
        printf("BENCH serve_run_p50_ms %.2f ms\n", pct(lat, n, 50));
        printf("BENCH serve_run_p99_ms %.2f ms\n", pct(lat, n, 99));
        double *sl = calloc((size_t)specials, sizeof *sl);
        char path[96], body[256];
        snprintf(path, sizeof path, "/api/v1/scenarios/%d/special", id);
        for (int i = 0; i < specials; i++) {
            snprintf(body, sizeof body,
                     "{\"id\":\"b\",\"train\":\"passenger_2te116\",\"from\":\"KHS\",\"to\":\"BAR\","
                     "\"earliest_departure\":\"%02d:%02d\",\"escort\":{\"train\":"
                     "\"passenger_2te116\",\"lag\":\"5 min\"}}",
                     1 + i * 20 / 60 % 20, i * 20 % 60);
            double s0 = now_ms();
            int st = http("POST", path, "application/json", body, strlen(body), NULL);
            sl[i] = now_ms() - s0;
            failed += st != 201 && st != 422;
        }
        printf("BENCH serve_special_p50_ms %.1f ms\n", pct(sl, specials, 50));
        printf("BENCH serve_special_p99_ms %.1f ms\n", pct(sl, specials, 99));
        printf("bench_serve: %d run requests from %d clients, %d special requests, %d server "
               "threads, %d failed\n", n, clients, specials, threads, failed);
        status = failed ? 1 : 0;
        free(lat);
        free(sl);
    } else {
        fprintf(stderr, "bench_serve: the server did not start or take the flagship\n");
    }
    if (pid > 0) {
        kill(pid, SIGTERM);
        /* the largest waited-for child: the server (not the token command) */
        if (waitpid(pid, NULL, 0) == pid)
            printf("BENCH serve_peak_rss %.1f MB\n", tm_bench_children_peak_rss_mb());
    }
    printf("BENCH serve_client_peak_rss %.1f MB\n", tm_bench_peak_rss_mb());
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_serve: cannot remove %s\n", dir);
    return status;
}
