/* gen.h: synthetic inputs at national scale, for tests and benchmarks.
 *
 * tm_gen_network writes three tumen YAML files (docs/formats.md) into a folder:
 *
 *   network.yaml    a synthetic national network: a backbone of double-track electrified
 *                   main lines between cities, single-track diesel branches with passing
 *                   loops, junctions, stations and halts, gradient profiles that follow an
 *                   elevation random walk, speed limits lowered through stations and
 *                   curves, block signals, and latitude/longitude positions;
 *   trains.yaml     synthetic vehicles and consists: electric and diesel multiple units,
 *                   an electric locomotive with coaches, heavy diesel and electric freight;
 *   timetable.yaml  a day of services: regional trains on main lines and branches,
 *                   long-distance trains on the backbone, freight everywhere, each with its
 *                   full route of adjacent operational points and its stops.
 *
 * Everything is a function of the options alone: the generator draws from its own
 * xoshiro256** stream (gen/rng.h), computes positions, gradients and times in integers,
 * and prints with fixed formats, so one seed gives byte-identical files on any machine.
 */
#ifndef TM_GEN_H
#define TM_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "gen/params.h"
#include "tumen.h"

/* Generates the network, rolling stock and timetable for o and writes dir/network.yaml,
 * dir/trains.yaml and dir/timetable.yaml (dir must exist), each atomically (core/atomic.h):
 * the three are written to temporaries first and renamed only when all are complete, so an
 * error leaves no partial file. stats may be NULL.
 * Errors: TUMEN_EUSAGE (options out of range), TUMEN_ENOMEM, TUMEN_EIO (err names the
 * file). */
int tm_gen_network(const tm_gen_options *o, const char *dir, tm_gen_stats *stats,
                   tumen_error *err);

#endif
