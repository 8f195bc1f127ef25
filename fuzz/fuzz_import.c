/* fuzz_import.c: libFuzzer target for every import reader: railML 2 and 3, OSRD railjson
 * infrastructure and rolling stock, OpenStreetMap XML (through readosm, errors located with
 * libxml2); the format is detected from the content, as `tumen import` does, so one target
 * with seeds of every format (fuzz/seeds/fuzz_import) reaches them all.
 * Any input must give either an import or an error, never a crash, a leak or undefined
 * behaviour; what imports is written out again (railML and tumen YAML) to exercise the
 * writers. Built with `cmake -DTUMEN_FUZZ=ON` and clang; `make test` runs it briefly,
 * `make fuzz` for long runs. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "formats/import.h"
#include "formats/network_write.h"
#include "formats/railml_write.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tm_import imp;
    tumen_error err;
    tm_import_options opt;
    tm_import_options_init(&opt);
    opt.strict = size > 0 && (data[size - 1] & 1); /* both modes */
    if (tm_import_memory("fuzz", data, size, &opt, &imp, &err) != TUMEN_OK)
        return 0;
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    if (f) {
        tm_railml_write(imp.scenario, f);
        tm_scenario_write_yaml(imp.scenario, f);
        fclose(f);
    }
    free(text);
    tm_import_free(&imp);
    return 0;
}
