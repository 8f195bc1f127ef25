/* cmd_export.c: `tumen export` (railML 2.4, GeoJSON): not written yet; says so. */
#include "cli/cli.h"

#include <stdio.h>

int tm_cmd_export(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("tumen export: not available yet\n", stderr);
    return TM_EXIT_INPUT;
}
