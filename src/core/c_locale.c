/* c_locale.c: the C numeric locale for the calling thread (c_locale.h). One locale object
 * is made once for the process and kept (newlocale allocates; never freed). */
#include "core/c_locale.h"

#include <pthread.h>

static locale_t c_numeric;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void make(void)
{
    c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

locale_t tm_c_numeric_enter(void)
{
    pthread_once(&once, make);
    return c_numeric ? uselocale(c_numeric) : (locale_t)0;
}

void tm_c_numeric_leave(locale_t old)
{
    if (old)
        uselocale(old);
}
