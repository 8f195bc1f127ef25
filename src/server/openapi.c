/* openapi.c: /openapi.json, made from the route table, so every path the server answers is
 * documented and every documented path is answered (tests/serve checks both). */
#include "openapi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tumen.h"

/* "/a/{id}/b" -> the operation's parameters (integers in the path). */
static json_t *path_params(const char *pattern)
{
    json_t *params = json_array();
    for (const char *p = strchr(pattern, '{'); p; p = strchr(p + 1, '{')) {
        const char *e = strchr(p, '}');
        if (!e)
            break;
        json_t *name = json_stringn(p + 1, (size_t)(e - p - 1));
        json_array_append_new(params, json_pack("{s:o, s:s, s:b, s:{s:s, s:i}}", "name", name,
                                                "in", "path", "required", 1, "schema", "type",
                                                "integer", "minimum", 1));
    }
    return params;
}

static json_t *responses(const char *codes)
{
    static const struct { const char *code, *text; } known[] = {
        {"200", "OK"}, {"201", "Created"},
        {"202", "Still computing: a job (job_id, state, progress; poll /api/v1/jobs/{id})"},
        {"400", "Bad input: {\"error\": \"file:line: field: message\"}"},
        {"401", "No token, or a wrong one"}, {"403", "The token's role may not do this"},
        {"404", "Not found"}, {"409", "Conflict: {\"error\", \"conflicting_booking\"}"},
        {"413", "The body is too large"}, {"422", "The request cannot be met (why)"}};
    json_t *o = json_object();
    char buf[8];
    for (const char *c = codes; *c;) {
        size_t n = strcspn(c, " ");
        snprintf(buf, sizeof buf, "%.*s", (int)n, c);
        const char *text = "";
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            if (!strcmp(known[k].code, buf))
                text = known[k].text;
        json_object_set_new(o, buf, json_pack("{s:s}", "description", text));
        c += n;
        while (*c == ' ')
            c++;
    }
    return o;
}

char *openapi_document(const route *routes, size_t n)
{
    json_t *paths = json_object();
    for (size_t i = 0; i < n; i++) {
        const route *rt = &routes[i];
        json_t *item = json_object_get(paths, rt->pattern);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, rt->pattern, item);
        }
        char method[8];
        size_t k = 0;
        for (; rt->method[k] && k + 1 < sizeof method; k++)
            method[k] = (char)(rt->method[k] - 'A' + 'a');
        method[k] = '\0';
        json_t *op = json_pack("{s:s, s:o, s:o}", "summary", rt->summary, "parameters",
                               path_params(rt->pattern), "responses", responses(rt->codes));
        if (rt->role > ROLE_NONE)
            json_object_set_new(op, "security", json_pack("[{s:[]}]", "bearer"));
        else
            json_object_set_new(op, "security", json_array());
        if (rt->body) {
            json_t *schema = json_loads(rt->body, 0, NULL);
            json_object_set_new(op, "requestBody",
                                json_pack("{s:b, s:{s:{s:o}}}", "required", 1, "content",
                                          "application/json", "schema",
                                          schema ? schema : json_object()));
        }
        json_object_set_new(item, method, op);
    }
    json_t *doc = json_pack(
        "{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:{s:{s:s, s:s}}}}", "openapi", "3.0.3", "info",
        "title", "tumen serve", "version", TUMEN_VERSION, "description",
        "Railway planning on one shared timetable: scenarios, runs, conflicts, special-train "
        "plans and bookings. Roles: viewer (read, compute), planner (+ special plans, "
        "bookings), admin (+ uploads).",
        "paths", paths, "components", "securitySchemes", "bearer", "type", "http", "scheme",
        "bearer");
    char *text = doc ? json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(doc);
    return text;
}
