/* id.c: ids keep a fixed storage; a longer one is refused, never cut (id.h). */
#include "core/id.h"

#include <string.h>

#include "core/error.h"

int tm_id_check(const char *id, const char *file, int line, const char *field,
                tumen_error *err)
{
    if (!id || strlen(id) < TM_ID_LEN)
        return TUMEN_OK;
    char head[48];
    return tm_error_set(err, TUMEN_EINPUT, file, line, field,
                        "id longer than %d bytes ('%s' is %zu bytes)", TM_ID_LEN - 1,
                        tm_utf8_clip(head, sizeof head, id), strlen(id));
}
