/* service_run.c: freeing a service's run. */
#include <stdlib.h>
#include <string.h>

#include "run/service_run.h"

void tm_service_run_free(tm_service_run *run)
{
    if (!run)
        return;
    free(run->error);
    free(run->points);
    free(run->steps);
    free(run->step_start);
    free(run->samples);
    free(run->warnings);
    memset(run, 0, sizeof *run);
}
