/* test_locale.c: reading and writing do not depend on the process locale. Under a
 * comma-decimal locale (de_DE.UTF-8: strtod would stop at "24.5"'s point, printf would
 * write "24,5"), a scenario loads and runs to the same JSON and CSV bytes, and a network
 * and an import write the same text, as under "C". Skipped (77) where no such locale is
 * installed; scripts/setup-debian.sh generates it.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "formats/import.h"
#include "formats/network_write.h"
#include "support.h"
#include "tumen.h"

/* Everything written for one locale, concatenated. */
static char *outputs(void)
{
    char dir[512], json[600], csv[600];
    assert_non_null(mkdtemp(tm_test_tmp(dir, sizeof dir, "tumen-locale-XXXXXX")));
    snprintf(json, sizeof json, "%s/run.json", dir);
    snprintf(csv, sizeof csv, "%s/run.csv", dir);
    const char *path = TUMEN_SOURCE_DIR "/tests/data/simple.yaml";
    tumen_scenario *sc = NULL;
    tumen_error err;
    tumen_result *res = NULL;
    if (tumen_scenario_load(&sc, &path, 1, &err) != TUMEN_OK ||
        tumen_run(sc, NULL, &res, &err) != TUMEN_OK ||
        tumen_write_json(res, json, &err) != TUMEN_OK ||
        tumen_write_trajectory_csv(res, csv, &err) != TUMEN_OK)
        fail_msg("%s:%d: %s", err.file, err.line, err.message);
    tumen_result_destroy(res);
    tumen_scenario_destroy(sc);
    tm_import imp;
    if (tm_import_file(TUMEN_SOURCE_DIR "/tests/data/import/line-2.4.xml", NULL, &imp, &err) !=
        TUMEN_OK)
        fail_msg("%s:%d: %s", err.file, err.line, err.message);
    char *yaml = NULL;
    size_t n_yaml = 0;
    FILE *f = open_memstream(&yaml, &n_yaml);
    assert_non_null(f);
    tm_scenario_write_yaml(imp.scenario, f);
    fclose(f);
    tm_import_free(&imp);
    char *a = tm_test_read_file(json, NULL), *b = tm_test_read_file(csv, NULL);
    assert_non_null(a);
    assert_non_null(b);
    char *all = malloc(strlen(a) + strlen(b) + n_yaml + 1);
    assert_non_null(all);
    strcpy(all, a);
    strcat(all, b);
    strcat(all, yaml);
    free(a);
    free(b);
    free(yaml);
    remove(json);
    remove(csv);
    rmdir(dir);
    return all;
}

static void test_comma_locale(void **state)
{
    (void)state;
    char *in_c = outputs();
    if (!setlocale(LC_ALL, "de_DE.UTF-8") && !setlocale(LC_ALL, "de_DE.utf8"))
        tm_test_skip("no comma-decimal locale (de_DE.UTF-8) is installed");
    char probe[16];
    snprintf(probe, sizeof probe, "%g", 0.5);
    assert_string_equal(probe, "0,5"); /* the locale is in force for the process */
    char *in_de = outputs();
    setlocale(LC_ALL, "C");
    if (strcmp(in_c, in_de) != 0) {
        size_t i = 0;
        while (in_c[i] == in_de[i])
            i++;
        fail_msg("outputs differ under de_DE at byte %zu: '%.40s' against '%.40s'", i,
                 in_c + i, in_de + i);
    }
    free(in_c);
    free(in_de);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_comma_locale)};
    return tm_test_exit(cmocka_run_group_tests_name("locale", tests, NULL, NULL));
}
