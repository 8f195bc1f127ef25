/* json_doc.c: JSON text -> jansson tree with the project's error conventions (json_doc.h). */
#include "formats/json_doc.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

int tm_json_load(json_t **out, const char *file, const char *text, size_t length,
                 tumen_error *err)
{
    *out = NULL;
    if (length >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) { /* byte-order mark */
        text += 3;
        length -= 3;
    }
    json_error_t je;
    memset(&je, 0, sizeof je);
    json_t *root = json_loadb(text, length, JSON_REJECT_DUPLICATES, &je);
    if (root) {
        *out = root;
        return TUMEN_OK;
    }
    if (json_error_code(&je) == json_error_out_of_memory)
        return tm_error_set(err, TUMEN_ENOMEM, file, 0, NULL, "out of memory reading JSON");
    int line = je.line > 0 ? je.line : 1;
    return tm_error_set(err, TUMEN_EPARSE, file, line, NULL, "not valid JSON: %s", je.text);
}

/* Offset just past the first "key" (quoted) at or after from, or length if none. */
static size_t after_key(const char *text, size_t length, size_t from, const char *key)
{
    size_t m = strlen(key);
    for (size_t i = from; i + m + 2 <= length; i++)
        if (text[i] == '"' && !memcmp(text + i + 1, key, m) && text[i + m + 1] == '"')
            return i + m + 2;
    return length;
}

/* Offset of item index of the array that starts at or after from, or length if none. */
static size_t array_item(const char *text, size_t length, size_t from, long index)
{
    size_t i = from;
    while (i < length && text[i] != '[')
        i++;
    int depth = 0, in_string = 0;
    long item = 0;
    for (; i < length; i++) {
        char ch = text[i];
        if (in_string) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                in_string = 0;
            continue;
        }
        if (depth == 1 && item == index && ch != ' ' && ch != '\n' && ch != '\r' &&
            ch != '\t' && ch != ',' && ch != ']')
            return i;
        if (ch == '"')
            in_string = 1;
        else if (ch == '[' || ch == '{')
            depth++;
        else if ((ch == ']' || ch == '}') && --depth == 0)
            break;
        else if (ch == ',' && depth == 1)
            item++;
    }
    return length;
}

int tm_json_line(const char *text, size_t length, const char *path)
{
    size_t at = 0;
    char key[128];
    while (path && *path && at < length) {
        if (*path == '.') {
            path++;
        } else if (*path == '[') {
            char *end;
            long index = strtol(path + 1, &end, 10);
            if (*end != ']')
                return 0;
            at = array_item(text, length, at, index);
            path = end + 1;
        } else {
            size_t n = strcspn(path, ".[");
            if (n >= sizeof key)
                return 0;
            memcpy(key, path, n);
            key[n] = '\0';
            at = after_key(text, length, at, key);
            path += n;
        }
    }
    if (at >= length)
        return 0;
    int line = 1;
    for (size_t i = 0; i < at; i++)
        line += text[i] == '\n';
    return line;
}
