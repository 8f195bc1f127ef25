/* fuzz_scenario.c: libFuzzer target for the scenario readers (tumen and railtoolkit YAML).
 * Any input must give either a scenario or an error, never a crash, a leak or undefined
 * behaviour. Built with `cmake -DTUMEN_FUZZ=ON` and clang; run by `make fuzz`. */
#include <stddef.h>
#include <stdint.h>

#include "tumen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tumen_scenario *scenario = NULL;
    tumen_error err;
    if (tumen_scenario_load_text(&scenario, "fuzz.yaml", (const char *)data, size, &err) ==
        TUMEN_OK)
        tumen_scenario_destroy(scenario);
    return 0;
}
