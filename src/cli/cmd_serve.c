/* cmd_serve.c: `tumen serve`: the planning service (src/server), and `tumen serve token
 * add` to give someone a token. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* src/server/server.c (a front end includes only tumen.h and its own folder). */
int tm_server_run(const char *db, const char *listen, int threads, int timeout_s,
                  long max_body, int budget_ms, const char *log);
int tm_server_token_add(const char *db, const char *name, const char *role);
int tm_server_check(const char *db);

static const char help[] =
    "usage: tumen serve [--db FILE] [--listen 127.0.0.1:8080] [--threads N]\n"
    "                   [--timeout S] [--max-body BYTES] [--budget-ms MS] [--log FILE]\n"
    "       tumen serve token add NAME --role viewer|planner|admin [--db FILE]\n"
    "       tumen serve check [--db FILE]\n"
    "\n"
    "The planning service: an HTTP API (/openapi.json) and a web page (/) over one store.\n"
    "  --db FILE        the SQLite store (default tumen.db; made when missing), or a\n"
    "                   PostgreSQL connection string (host=DIR dbname=NAME, postgresql://...)\n"
    "  --listen A:P     IPv4 address and port (default 127.0.0.1:8080; port 0: any free\n"
    "                   one, printed on standard error)\n"
    "  --threads N      HTTP worker threads (default 4)\n"
    "  --timeout S      an idle connection is closed after S seconds (default 30)\n"
    "  --max-body B     a larger request body is answered 413 (default 16 MiB)\n"
    "  --budget-ms MS   a request still computing after MS answers 202 with a job\n"
    "                   (default 2000)\n"
    "  --log FILE       the access log (one JSON line per request; default stderr)\n"
    "token add prints a new token once (its last word on the last line) and keeps only its\n"
    "hash. Roles: viewer reads and computes; planner also plans and books; admin also\n"
    "uploads scenarios. check runs SQLite's integrity check on the store (exit 0: ok).\n";

static int bad(const char *what, const char *arg)
{
    fprintf(stderr, "tumen serve: %s '%s'\n%s", what, arg, help);
    return TM_EXIT_INPUT;
}

static int int_arg(const char *text, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (*end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int token_add(int argc, char **argv)
{
    const char *db = "tumen.db", *name = NULL, *role = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db = argv[++i];
        else if (!strcmp(argv[i], "--role") && i + 1 < argc)
            role = argv[++i];
        else if (argv[i][0] != '-' && !name)
            name = argv[i];
        else
            return bad("token add: unknown argument", argv[i]);
    }
    if (!name || !role) {
        fputs(help, stderr);
        return TM_EXIT_INPUT;
    }
    return tm_server_token_add(db, name, role);
}

int tm_cmd_serve(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "token") && !strcmp(argv[2], "add"))
        return token_add(argc - 3, argv + 3);
    if (argc >= 2 && !strcmp(argv[1], "check")) {
        if (argc == 2)
            return tm_server_check("tumen.db");
        if (argc == 4 && !strcmp(argv[2], "--db"))
            return tm_server_check(argv[3]);
        return bad("check takes only --db FILE, not", argv[2]);
    }
    const char *db = NULL, *listen = NULL, *log = NULL;
    long threads = 0, timeout = 0, max_body = 0, budget = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(help, stdout);
            return TM_EXIT_OK;
        }
        if (!v)
            return bad("unknown option or missing value:", a);
        i++;
        if (!strcmp(a, "--db"))
            db = v;
        else if (!strcmp(a, "--listen"))
            listen = v;
        else if (!strcmp(a, "--log"))
            log = v;
        else if (!strcmp(a, "--threads") ? int_arg(v, 1, 256, &threads)
                 : !strcmp(a, "--timeout") ? int_arg(v, 1, 3600, &timeout)
                 : !strcmp(a, "--max-body") ? int_arg(v, 1024, 1L << 30, &max_body)
                 : !strcmp(a, "--budget-ms") ? int_arg(v, 0, 3600000, &budget)
                                             : -1)
            return bad("unknown option or bad value:", a);
    }
    return tm_server_run(db, listen, (int)threads, (int)timeout, max_body, (int)budget, log);
}
