/* args.c: the option parser every command shares, the printing of results and of errors. */
#include "cli/cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int tm_cli_fail(const tumen_error *err)
{
    char buf[1024];
    tumen_error_format(err, buf, sizeof buf);
    fprintf(stderr, "tumen: %s\n", buf);
    switch (err->code) {
    case TUMEN_EINPUT:
    case TUMEN_EPARSE:
    case TUMEN_EUSAGE:
        return TM_EXIT_INPUT;
    case TUMEN_EIO:
        /* An input file that cannot be read is bad input; an output that cannot be
         * written is a failure. Readers fill err->file, writers do not. */
        return err->file[0] ? TM_EXIT_INPUT : TM_EXIT_FAILURE;
    case TUMEN_EPHYSICS:
        return TM_EXIT_PHYSICS;
    default:
        return TM_EXIT_FAILURE;
    }
}

int tm_cli_usage(const tm_cli_command *c, const char *what, const char *arg)
{
    fprintf(stderr, "tumen %s: %s%s%s%s\n%s", c->name, what, arg ? " '" : "", arg ? arg : "",
            arg ? "'" : "", c->usage);
    return TM_EXIT_INPUT;
}

static const tm_cli_option *find(const tm_cli_command *c, const char *arg)
{
    for (size_t i = 0; i < c->n_options; i++)
        if (!strcmp(arg, c->options[i].name) ||
            (c->options[i].alias && !strcmp(arg, c->options[i].alias)))
            return &c->options[i];
    return NULL;
}

/* Room for every argument in each list. */
static int lists_alloc(const tm_cli_command *c, int argc)
{
    if (c->files && !(c->files->items = calloc((size_t)argc + 1, sizeof *c->files->items)))
        return -1;
    for (size_t i = 0; i < c->n_options; i++) {
        tm_cli_list *l = c->options[i].target;
        if (c->options[i].kind == TM_CLI_LIST &&
            !(l->items = calloc((size_t)argc + 1, sizeof *l->items)))
            return -1;
    }
    return 0;
}

int tm_cli_parse(const tm_cli_command *c, int argc, char **argv)
{
    if (lists_alloc(c, argc) != 0) {
        fprintf(stderr, "tumen: out of memory\n");
        return TM_EXIT_FAILURE;
    }
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            fputs(c->usage, stdout);
            return TM_EXIT_OK;
        }
        const tm_cli_option *o = arg[0] == '-' && arg[1] ? find(c, arg) : NULL;
        if (!o && arg[0] == '-' && arg[1])
            return tm_cli_usage(c, c->unknown, arg);
        if (!o && !c->files)
            return tm_cli_usage(c, c->unknown, arg);
        if (!o) {
            c->files->items[c->files->n++] = arg;
            continue;
        }
        if (o->kind == TM_CLI_FLAG) {
            *(int *)o->target = 1;
            continue;
        }
        if (i + 1 >= argc)
            return tm_cli_usage(c, o->missing ? o->missing : c->unknown, arg);
        if (o->kind == TM_CLI_VALUE) {
            *(const char **)o->target = argv[++i];
        } else {
            tm_cli_list *l = o->target;
            l->items[l->n++] = argv[++i];
        }
    }
    return -1;
}

void tm_cli_free(const tm_cli_command *c)
{
    if (c->files)
        free(c->files->items);
    for (size_t i = 0; i < c->n_options; i++)
        if (c->options[i].kind == TM_CLI_LIST)
            free(((tm_cli_list *)c->options[i].target)->items);
}

int tm_cli_has_ext(const char *path, const char *ext, int nocase)
{
    size_t n = strlen(path), m = strlen(ext);
    if (n <= m)
        return 0;
    return nocase ? strcasecmp(path + n - m, ext) == 0 : strcmp(path + n - m, ext) == 0;
}

int tm_cli_number(const char *text, double *out)
{
    char *end = NULL;
    double v = strtod(text, &end);
    if (end == text || !end || *end)
        return -1;
    *out = v;
    return 0;
}

void tm_cli_duration(double seconds, char *buf, size_t size)
{
    long s = lround(seconds);
    if (s < 0)
        s = 0;
    snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
}

void tm_cli_warn(const tumen_error *w)
{
    char buf[1024];
    tumen_error_format(w, buf, sizeof buf);
    fprintf(stderr, "tumen: warning: %s\n", buf);
}

int tm_cli_print(int rc, char *text, size_t length, const tumen_error *err)
{
    if (rc != TUMEN_OK)
        return tm_cli_fail(err);
    int bad = fwrite(text, 1, length, stdout) != length;
    tumen_free(text);
    return bad ? TM_EXIT_FAILURE : TM_EXIT_OK;
}
