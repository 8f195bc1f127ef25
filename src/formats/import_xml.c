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

int tm_xerror(tumen_error *err, int code, const char *file, const xmlNode *n, const char *fmt,
              ...)
{
    char field[128] = "", msg[512];
    if (n && n->name) {
        const char *id = tm_xattr(n, "id");
        if (id)
            snprintf(field, sizeof field, "<%.40s id='%.60s'>", (const char *)n->name, id);
        else
            snprintf(field, sizeof field, "<%.100s>", (const char *)n->name);
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return tm_error_set(err, code, file, n ? (int)xmlGetLineNo(n) : 0, field[0] ? field : NULL,
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
        return tm_xerror(err, TUMEN_EINPUT, file, n, "%s='%.40s' is not a number", attr, text);
    if (v < lo || v > hi)
        return tm_xerror(err, TUMEN_EINPUT, file, n,
                         "%s='%.40s' is out of range (%g to %g %s)", attr, text, lo, hi, unit);
    *out = v;
    if (found)
        *found = 1;
    return TUMEN_OK;
}
