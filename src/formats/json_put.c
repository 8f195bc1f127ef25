/* json_put.c: see json_put.h. */
#include "formats/json_put.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

json_t *tm_json_real(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

json_t *tm_json_str(const char *s)
{
    if (!s) /* a name not given */
        s = "";
    size_t n = strlen(s);
    for (size_t cut = 0; cut <= 3 && cut <= n; cut++) {
        json_t *j = json_stringn(s, n - cut);
        if (j)
            return j;
    }
    char *clean = malloc(n + 1);
    if (!clean)
        return NULL;
    for (size_t i = 0; i < n; i++)
        clean[i] = (unsigned char)s[i] < 0x80 ? s[i] : '?';
    json_t *j = json_stringn(clean, n);
    free(clean);
    return j;
}

void tm_json_put(json_t *obj, const char *key, json_t *value, int *bad)
{
    if (!value || json_object_set_new(obj, key, value) != 0)
        *bad = 1;
}

void tm_json_append(json_t *array, json_t *value, int *bad)
{
    if (!value || json_array_append_new(array, value) != 0)
        *bad = 1;
}
