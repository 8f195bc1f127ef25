/* network_write.h: writing a network as tumen YAML. */
#ifndef TM_NETWORK_WRITE_H
#define TM_NETWORK_WRITE_H

#include <stdio.h>

#include "model/network.h"
#include "model/scenario.h"

/* Writes n as a tumen YAML document with one `network:` key (operational points with kind,
 * position, loops and facilities; tracks with length, gauges, electrification, sections and
 * signals) that tumen's network reader reads back into the same network. Returns 0, or -1 if
 * the stream reports an error. */
int tm_network_write_yaml(const tm_network *n, FILE *f);

/* Writes what an imported scenario holds as one tumen YAML document: its network (as above,
 * when it has operational points), vehicles (Davis resistance, effort table or
 * max_force/max_power, brake, gauge, electrification), trains (consist lists) and timetable
 * (services with route, stops and departure). Returns 0, or -1 on a stream error. */
int tm_scenario_write_yaml(const tm_scenario *s, FILE *f);

#endif
