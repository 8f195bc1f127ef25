/* import_xml.h: libxml2 helpers the XML importers share (railML 2, railML 3, OSM error
 * lines): parsing without network access, printing or entity expansion, attributes and
 * children by local name, numbers with ranges, and errors that name the element and line. */
#ifndef TM_IMPORT_XML_H
#define TM_IMPORT_XML_H

#include <stddef.h>

#include <libxml/tree.h>

#include "core/vec.h"
#include "model/model.h"
#include "tumen.h"

typedef TM_VEC(xmlNode *) tm_xnodes;

/* Parses data into *out. A text that is not well-formed XML is TUMEN_EPARSE with libxml2's
 * message and line. The caller frees *out with xmlFreeDoc. */
int tm_xml_parse(const char *file, const void *data, size_t length, xmlDoc **out,
                 tumen_error *err);

/* An element's attribute as text, or NULL. Points into the tree. */
const char *tm_xattr(const xmlNode *n, const char *name);

/* The first child element with this local name, or NULL; the next sibling element with the
 * same local name as n, or NULL. */
xmlNode *tm_xchild(const xmlNode *n, const char *name);
xmlNode *tm_xnext(const xmlNode *n);

/* True if n is an element with this local name. */
int tm_xis(const xmlNode *n, const char *name);

/* Appends every descendant element of n (n included) with this local name, in document
 * order. Returns 0 or -1 (memory). */
int tm_xfind(const xmlNode *n, const char *name, tm_xnodes *out);

/* Two elements of one name under root (two <track>s, two <ocp>s) never share an id: else
 * TUMEN_EINPUT at the second, naming the line of the first. (railML makes ids unique in the
 * whole document, but files in use repeat a track's id on its <trackRef>s.) */
int tm_xcheck_ids(const char *file, const xmlNode *root, tumen_error *err);

/* The voltage (V, required) and frequency (Hz; absent or 0: DC) attributes of n as an
 * electrification system; numbers out of range or words are TUMEN_EINPUT at n's line. A
 * system tumen does not name (say 600 V DC) is TM_ELEC_NONE. */
int tm_xelectrification(const char *file, const xmlNode *n, tm_electrification *e,
                        tumen_error *err);

/* The line of n in the parsed text, right past 65,535 lines too. */
long tm_xline(const xmlNode *n);

/* Counts them. */
size_t tm_xcount(const xmlNode *n, const char *name);

/* Sets err to code at n's line with field "<name id='...'>" and the message; returns code. */
int tm_xerror(tumen_error *err, int code, const char *file, const xmlNode *n, const char *fmt,
              ...) __attribute__((format(printf, 5, 6)));

/* n's attribute as a number within [lo, hi] into *out. Absent: TUMEN_EINPUT "missing" when
 * required, else TUMEN_OK with *out unchanged (*found 0). Not a number or out of range:
 * TUMEN_EINPUT naming the attribute, the value and the range, with unit (for messages). */
int tm_xnumber(const char *file, const xmlNode *n, const char *attr, double lo, double hi,
               const char *unit, int required, double *out, int *found, tumen_error *err);

#endif
