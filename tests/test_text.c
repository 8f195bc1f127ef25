/* test_text.c: names of any length and clipping for display (core/text.c).
 *
 * The clip is checked against glibc's iconv(3) as an independent UTF-8 validator: for every
 * buffer size from 1 to past the text's length, over Cyrillic (2 bytes), Korean (3 bytes)
 * and an emoji (4 bytes), the clipped text is valid UTF-8, a prefix of the source plus the
 * ellipsis, and the longest such prefix that fits. Ids: 63 bytes pass, 64 are refused with
 * file, line and field. */
#include <errno.h>
#include <iconv.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/text.h"

#define MIXED "\xd0\x92\xd0\xbb\xd0\xb0\xd0\xb4\xd0\xb8\xd0\xb2\xd0\xbe\xd1\x81\xd1\x82\xd0\xbe" \
              "\xd0\xba\xeb\x91\x90\xeb\xa7\x8c\xea\xb0\x95\xf0\x9f\x9a\x82 a"
              /* "Владивосток두만강🚂 a": 2-, 3- and 4-byte characters and ASCII */

/* 1 if iconv accepts s as UTF-8 whole (the oracle, independent of tm_utf8_valid). */
static int iconv_valid(const char *s)
{
    iconv_t cd = iconv_open("UTF-8", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t in_left = strlen(s), out_left = 4 * in_left + 4;
    char *out = malloc(out_left), *op = out;
    char *ip = (char *)s;
    size_t rc = iconv(cd, &ip, &in_left, &op, &out_left);
    int ok = rc != (size_t)-1 && in_left == 0;
    iconv_close(cd);
    free(out);
    return ok;
}

/* Length of the UTF-8 character starting with byte c. */
static size_t char_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static void check_clip(const char *src, size_t size)
{
    char *buf = malloc(size);
    assert_ptr_equal(tm_utf8_clip(buf, size, src), buf);
    size_t n = strlen(buf), len = strlen(src);
    assert_true(n < size);
    if (!iconv_valid(buf))
        fail_msg("size %zu: clip '%s' is not valid UTF-8", size, buf);
    assert_int_equal(tm_utf8_valid(buf), 1);
    const size_t mark = sizeof TM_ELLIPSIS - 1;
    if (len < size) { /* fits: copied whole */
        assert_string_equal(buf, src);
    } else if (size > mark) { /* clipped: a prefix of whole characters, then the ellipsis */
        assert_true(n >= mark);
        size_t keep = n - mark;
        assert_memory_equal(buf + keep, TM_ELLIPSIS, mark);
        assert_memory_equal(buf, src, keep);
        /* the longest: the next character would not have fitted */
        assert_true(keep + char_len((unsigned char)src[keep]) > size - 1 - mark);
    } else { /* no room for the mark: whole characters only */
        assert_memory_equal(buf, src, n);
        assert_true(n + char_len((unsigned char)src[n]) > size - 1);
    }
    free(buf);
}

static void test_clip_every_size(void **state)
{
    (void)state;
    char src[400] = "";
    while (strlen(src) + sizeof MIXED < sizeof src)
        strcat(src, MIXED);
    for (size_t size = 1; size <= strlen(src) + 2; size++)
        check_clip(src, size);
    check_clip("", 1);
    check_clip("\xe2\x80\xa6", 3); /* an ellipsis in the text itself, not fitting */
}

static void test_snclip_and_error(void **state)
{
    (void)state;
    char name[301] = "";
    while (strlen(name) + 6 <= 300)
        strcat(name, "\xeb\x91\x90\xeb\xa7\x8c"); /* 두만 */
    char buf[64];
    tm_snclip(buf, sizeof buf, "unknown operational point '%s'", name);
    assert_true(iconv_valid(buf));
    assert_int_equal(strncmp(buf, "unknown operational point '", 27), 0);
    assert_string_equal(buf + strlen(buf) - 3, TM_ELLIPSIS);

    /* a message longer than tumen_error.message: clipped at a character, marked */
    char big[1200] = "";
    while (strlen(big) + 22 < sizeof big)
        strcat(big, "\xd0\x92\xd0\xbb\xd0\xb0\xd0\xb4\xd0\xb8\xd0\xb2\xd0\xbe\xd1\x81\xd1\x82"
                    "\xd0\xbe\xd0\xba"); /* Владивосток */
    tumen_error err;
    tm_error_set(&err, TUMEN_EINPUT, big, 3, big, "no point '%s'", big);
    assert_true(iconv_valid(err.message));
    assert_true(iconv_valid(err.file));
    assert_true(iconv_valid(err.field));
    assert_string_equal(err.message + strlen(err.message) - 3, TM_ELLIPSIS);
    char line[100];
    tumen_error_format(&err, line, sizeof line);
    assert_true(iconv_valid(line));
    assert_true(strlen(line) < sizeof line);
    assert_string_equal(tumen_text_clip(line, sizeof line, "short"), "short");
}

static void test_id_check(void **state)
{
    (void)state;
    char id[TM_ID_LEN + 1];
    memset(id, 'a', sizeof id);
    id[TM_ID_LEN - 1] = '\0'; /* 63 bytes: kept */
    tumen_error err;
    tm_error_clear(&err);
    assert_int_equal(tm_id_check(id, "net.yaml", 4, "ops[0].id", &err), TUMEN_OK);
    assert_int_equal(tm_id_check(NULL, "net.yaml", 4, "ops[0].id", &err), TUMEN_OK);
    id[TM_ID_LEN - 1] = 'a';
    id[TM_ID_LEN] = '\0'; /* 64 bytes: refused */
    assert_int_equal(tm_id_check(id, "net.yaml", 4, "ops[0].id", &err), TUMEN_EINPUT);
    char line[512];
    tumen_error_format(&err, line, sizeof line);
    assert_int_equal(strncmp(line, "net.yaml:4: ops[0].id: id longer than 63 bytes", 46), 0);
}

static void test_names(void **state)
{
    (void)state;
    char *name = NULL;
    char long_name[1000] = "";
    while (strlen(long_name) + sizeof MIXED < sizeof long_name)
        strcat(long_name, MIXED);
    assert_int_equal(tm_name_set(&name, long_name), 0);
    assert_string_equal(name, long_name); /* whole */
    assert_int_equal(tm_name_format(&name, "%s - %s", long_name, long_name), 0);
    assert_int_equal(strlen(name), 2 * strlen(long_name) + 3);
    assert_int_equal(tm_name_set(&name, NULL), 0);
    assert_null(name);
    assert_string_equal(tm_name_or(NULL, "id"), "id");
    assert_string_equal(tm_name_or("", "id"), "id");
    assert_string_equal(tm_name_or("n", "id"), "n");
    assert_true(tm_name_empty(NULL) && tm_name_empty("") && !tm_name_empty("x"));
}

static void test_validator(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "plain", MIXED, "\xc3\x28", "\xe2\x82", "\xf0\x9f\x9a", "\xc0\xaf", "\xed\xa0\x80",
        "\xe0\x80\xaf", "\x80", "ok\xf0\x9f\x9a\x82"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (tm_utf8_valid(cases[i]) != iconv_valid(cases[i]))
            fail_msg("case %zu: tm_utf8_valid %d, iconv %d", i, tm_utf8_valid(cases[i]),
                     iconv_valid(cases[i]));
    /* beyond U+10FFFF (RFC 3629): glibc's iconv takes it, tumen's check does not */
    assert_int_equal(tm_utf8_valid("\xf4\x90\x80\x80"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clip_every_size), cmocka_unit_test(test_snclip_and_error),
        cmocka_unit_test(test_id_check),        cmocka_unit_test(test_names),
        cmocka_unit_test(test_validator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
