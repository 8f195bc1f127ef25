/* import.h: networks, rolling stock and timetables from other formats, and the counts that
 * say what a file held.
 *
 * Formats (docs/formats.md, "Imports and exports"): railML 2.2 to 2.5 (infrastructure,
 * rolling stock, timetable), railML 3.1/3.2 infrastructure, OSRD railjson infrastructure,
 * OSRD rolling stock JSON, OpenStreetMap XML and PBF. tm_import_file detects the format from
 * the content and hands the file to one reader; every reader fills a tm_import_graph (the
 * fine topology: track pieces between switches and ends, with linear properties as ranges)
 * that tm_import_graph_build turns into tumen's coarse network (operational points joined by
 * tracks). The result is an ordinary scenario: the router, the engine and the writers take it
 * as they take a network read from tumen YAML.
 *
 * What an import yields (tm_import) and the context a reader fills are in import_reader.h,
 * below the readers; this is the dispatcher on top of them.
 *
 * Nothing here prints. Errors name the file, the line of the offending element (XML, OSM
 * XML) or the JSON path (railjson), and the element.
 */
#ifndef TM_IMPORT_H
#define TM_IMPORT_H

#include <stddef.h>
#include <stdio.h>

#include "formats/import_reader.h"
#include "tumen.h"

/* Detects the format of data (length bytes) from its content; TM_IMPORT_UNKNOWN if none. */
tm_import_format tm_import_detect(const void *data, size_t length);

/* Reads the file at path (any supported format, detected from the content) into *out
 * (zeroed first). opt may be NULL for defaults. On failure out holds nothing to free and err
 * names the file, the line or JSON path and the element: TUMEN_EPARSE for a file that is not
 * well-formed or of no known format, TUMEN_EINPUT for a wrong namespace, a reference to a
 * missing element, a value out of range; TUMEN_EIO, TUMEN_ENOMEM. */
int tm_import_file(const char *path, const tm_import_options *opt, tm_import *out,
                   tumen_error *err);

/* Same from memory; name is used in messages. OSM PBF goes through a temporary file (the
 * readosm library reads only files). */
int tm_import_memory(const char *name, const void *data, size_t length,
                     const tm_import_options *opt, tm_import *out, tumen_error *err);

#endif
