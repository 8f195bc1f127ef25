/* import_xml.c: libxml2 helpers for the XML importers (import_xml.h). */
#include "formats/import_xml.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "core/error.h"
#include "model/network.h"

/* The first error libxml2 raises while parsing (the last is often only its consequence,
 * "premature end of data"). */
typedef struct first_error {
    int set;
    int line;
    char message[256];
} first_error;

static void keep_first(void *user, xmlErrorPtr e)
{
    xmlParserCtxtPtr ctxt = user;
    first_error *fe = ctxt ? ctxt->_private : NULL;
    if (!fe || fe->set || !e || e->level < XML_ERR_ERROR)
        return;
    fe->set = 1;
    fe->line = e->line;
    snprintf(fe->message, sizeof fe->message, "%s", e->message ? e->message : "");
}

/* libxml2 2.9 initialises its globals on first use, unguarded: "call xmlInitParser() once
 * before processing in case of use in multithreaded programs" (libxml2 parser.h). Two
 * threads importing at once for the first time would both initialise; pthread_once lets
 * one do it and the other wait (the library's only global state). */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
    xmlInitParser();
}

int tm_xml_parse(const char *file, const void *data, size_t length, xmlDoc **out,
                 tumen_error *err)
{
    *out = NULL;
    pthread_once(&xml_once, xml_init);
    if (length > (size_t)1 << 30)
        return tm_error_set(err, TUMEN_EINPUT, file, 0, NULL, "the file is larger than 1 GB");
    const char *nul = memchr(data, '\0', length);
    if (nul) { /* libxml2 stops quietly at a NUL; readosm then refuses the text and leaks */
        int line = 1;
        for (const char *p = data; p < nul; p++)
            line += *p == '\n';
        return tm_error_set(err, TUMEN_EPARSE, file, line, NULL,
                            "broken XML: a NUL byte at byte %zu (not a text file)",
                            (size_t)(nul - (const char *)data));
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return tm_error_set(err, TUMEN_ENOMEM, file, 0, NULL, "out of memory");
    /* No network, no printing, no DTD loading or entity substitution, big line numbers. */
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                  XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;
    first_error fe = {0, 0, ""};
    ctxt->_private = &fe;
    ctxt->sax->serror = keep_first;
    xmlDoc *doc = xmlCtxtReadMemory(ctxt, data, (int)length, file, NULL, options);
    if (!doc || !ctxt->wellFormed) {
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        char msg[256] = "not well-formed XML";
        int line = 0;
        if (fe.set) {
            snprintf(msg, sizeof msg, "%s", fe.message);
            line = fe.line;
        } else if (e && e->message) {
            snprintf(msg, sizeof msg, "%s", e->message);
            line = e->line;
        }
        size_t n = strlen(msg);
        while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
            msg[--n] = '\0';
        xmlFreeDoc(doc);
        xmlFreeParserCtxt(ctxt);
        return tm_error_set(err, TUMEN_EPARSE, file, line, NULL, "broken XML: %s", msg);
    }
    xmlFreeParserCtxt(ctxt);
    if (!xmlDocGetRootElement(doc)) {
        xmlFreeDoc(doc);
        return tm_error_set(err, TUMEN_EPARSE, file, 0, NULL, "broken XML: no root element");
    }
    *out = doc;
    return TUMEN_OK;
}

const char *tm_xattr(const xmlNode *n, const char *name)
{
    if (!n || n->type != XML_ELEMENT_NODE)
        return NULL;
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (a->name && !strcmp((const char *)a->name, name)) {
            if (a->children && a->children->type == XML_TEXT_NODE && a->children->content)
                return (const char *)a->children->content;
            return "";
        }
    return NULL;
}

int tm_xis(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->name && !strcmp((const char *)n->name, name);
}

xmlNode *tm_xchild(const xmlNode *n, const char *name)
{
    if (!n)
        return NULL;
    for (xmlNode *c = n->children; c; c = c->next)
        if (tm_xis(c, name))
            return c;
    return NULL;
}

xmlNode *tm_xnext(const xmlNode *n)
{
    if (!n)
        return NULL;
    for (xmlNode *c = n->next; c; c = c->next)
        if (tm_xis(c, (const char *)n->name))
            return c;
    return NULL;
}

int tm_xfind(const xmlNode *n, const char *name, tm_xnodes *out)
{
    /* Iterative pre-order walk: no recursion depth to exhaust on a deep file. */
    const xmlNode *cur = n;
    while (cur) {
        if (tm_xis(cur, name) && tm_vec_push(out, (xmlNode *)cur))
            return -1;
        if (cur->children && cur->type == XML_ELEMENT_NODE) {
            cur = cur->children;
            continue;
        }
        while (cur && cur != n && !cur->next)
            cur = cur->parent;
        if (!cur || cur == n)
            break;
        cur = cur->next;
    }
    return 0;
}

typedef struct id_at {
    const char *id;
    const xmlNode *node;
    long line;
} id_at;

static int cmp_id_at(const void *a, const void *b)
{
    const id_at *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (!c)
        c = strcmp((const char *)x->node->name, (const char *)y->node->name);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* "<element id='...'>" naming n in an error's field, a long id clipped (core/text.h). */
static const char *element_field(const xmlNode *n, char *field, size_t size)
{
    const char *id = tm_xattr(n, "id");
    char id_text[64];
    if (id)
        return tm_snclip(field, size, "<%s id='%s'>", (const char *)n->name,
                         tm_utf8_clip(id_text, sizeof id_text, id));
    return tm_snclip(field, size, "<%s>", (const char *)n->name);
}

int tm_xcheck_ids(const char *file, const xmlNode *root, tumen_error *err)
{
    TM_VEC(id_at) ids = {0};
    const xmlNode *cur = root;
    int rc = TUMEN_OK;
    while (cur && rc == TUMEN_OK) { /* the walk of tm_xfind, over every element */
        const char *id = cur->type == XML_ELEMENT_NODE ? tm_xattr(cur, "id") : NULL;
        if (id && strlen(id) >= TM_ID_LEN) { /* ids become tumen's: refused rather than cut */
            char field[128];
            rc = tm_id_check(id, file, (int)tm_xline(cur), element_field(cur, field, sizeof field),
                             err);
        } else if (id && tm_vec_push(&ids, ((id_at){id, cur, tm_xline(cur)})))
            rc = tm_error_set(err, TUMEN_ENOMEM, file, 0, NULL, "out of memory");
        if (cur->children && cur->type == XML_ELEMENT_NODE) {
            cur = cur->children;
            continue;
        }
        while (cur && cur != root && !cur->next)
            cur = cur->parent;
        if (!cur || cur == root)
            break;
        cur = cur->next;
    }
    if (rc == TUMEN_OK && ids.n > 1) {
        qsort(ids.items, ids.n, sizeof *ids.items, cmp_id_at);
        for (size_t i = 1; i < ids.n && rc == TUMEN_OK; i++)
            if (!strcmp(ids.items[i].id, ids.items[i - 1].id) &&
                !strcmp((const char *)ids.items[i].node->name,
                        (const char *)ids.items[i - 1].node->name))
                rc = tm_xerror(err, TUMEN_EINPUT, file, ids.items[i].node,
                               "duplicate id '%s' (first at line %ld)", ids.items[i].id,
                               ids.items[i - 1].line);
    }
    free(ids.items);
    return rc;
}

size_t tm_xcount(const xmlNode *n, const char *name)
{
    size_t count = 0;
    const xmlNode *cur = n;
    while (cur) {
        if (tm_xis(cur, name))
            count++;
        if (cur->children && cur->type == XML_ELEMENT_NODE) {
            cur = cur->children;
            continue;
        }
        while (cur && cur != n && !cur->next)
            cur = cur->parent;
        if (!cur || cur == n)
            break;
        cur = cur->next;
    }
    return count;
}

long tm_xline(const xmlNode *n)
{
    long line = xmlGetLineNo(n);
    /* Past 65,535 libxml2 (XML_PARSE_BIG_LINES) takes an element's line from its first text
     * child, as counted where that text ends: count back over the text's own newlines. */
    if (line < 65535 || !n->children || n->children->type != XML_TEXT_NODE)
        return line;
    long text_line = xmlGetLineNo(n->children);
    for (const xmlChar *c = n->children->content; c && *c; c++)
        text_line -= *c == '\n';
    return text_line >= 65535 ? text_line : line;
}

int tm_xerror(tumen_error *err, int code, const char *file, const xmlNode *n, const char *fmt,
              ...)
{
    char field[128] = "", msg[512];
    if (n && n->name)
        element_field(n, field, sizeof field);
    va_list ap;
    va_start(ap, fmt);
    tm_vsnclip(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return tm_error_set(err, code, file, n ? (int)tm_xline(n) : 0, field[0] ? field : NULL,
                        "%s", msg);
}

int tm_xnumber(const char *file, const xmlNode *n, const char *attr, double lo, double hi,
               const char *unit, int required, double *out, int *found, tumen_error *err)
{
    const char *text = tm_xattr(n, attr);
    if (found)
        *found = 0;
    if (!text) {
        if (required)
            return tm_xerror(err, TUMEN_EINPUT, file, n, "missing attribute '%s'", attr);
        return TUMEN_OK;
    }
    char *end = NULL;
    double v = strtod(text, &end);
    while (end && (*end == ' ' || *end == '\t'))
        end++;
    if (end == text || (end && *end) || !isfinite(v))
        return tm_xerror(err, TUMEN_EINPUT, file, n, "%s='%s' is not a number", attr, text);
    if (v < lo || v > hi)
        return tm_xerror(err, TUMEN_EINPUT, file, n,
                         "%s='%s' is out of range (%g to %g %s)", attr, text, lo, hi, unit);
    *out = v;
    if (found)
        *found = 1;
    return TUMEN_OK;
}

int tm_xelectrification(const char *file, const xmlNode *n, tm_electrification *e,
                        tumen_error *err)
{
    double volt = 0.0, freq = 0.0;
    int rc = tm_xnumber(file, n, "voltage", 1.0, 100000.0, "V", 1, &volt, NULL, err);
    if (rc == TUMEN_OK)
        rc = tm_xnumber(file, n, "frequency", 0.0, 1000.0, "Hz", 0, &freq, NULL, err);
    if (rc != TUMEN_OK)
        return rc;
    char text[64];
    if (freq > 0.0)
        snprintf(text, sizeof text, "%g V %g Hz", volt, freq);
    else
        snprintf(text, sizeof text, "%g V DC", volt);
    if (tm_electrification_parse(text, e))
        *e = TM_ELEC_NONE; /* a system tumen does not name: the line counts as unelectrified */
    return TUMEN_OK;
}
