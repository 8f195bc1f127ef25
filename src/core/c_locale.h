/* c_locale.h: numbers read and written the same whatever the process locale.
 *
 * strtod and the printf family follow LC_NUMERIC: under a comma-decimal locale (de_DE)
 * "24.5" would read as 24 and 24.5 print as "24,5". tumen's files are C-locale text, so
 * every reader and writer entry point switches the calling thread (uselocale, per thread:
 * other threads and the process locale are untouched) to the "C" numeric locale and back:
 *
 *   locale_t old = tm_c_numeric_enter();
 *   ... read or write ...
 *   tm_c_numeric_leave(old);
 */
#ifndef TM_C_LOCALE_H
#define TM_C_LOCALE_H

#include <locale.h>

/* Switches this thread to the C numeric locale; returns what to restore (0 if the C locale
 * could not be made: then nothing changed). */
locale_t tm_c_numeric_enter(void);

/* Restores the thread's locale from tm_c_numeric_enter. */
void tm_c_numeric_leave(locale_t old);

#endif
