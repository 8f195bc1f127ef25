/* delays.h: primary delays, the random part of a simulated day (docs/simulate.md).
 *
 * A primary delay is one a train suffers on its own, before any other train is involved:
 * a late start at its origin (entry delay), a stop that takes longer than planned (dwell
 * extension), a section run slower than planned (running-time extension). Each is drawn
 * from a distribution per train category, optionally replaced per station (dwell, entry
 * at a station) or per service; every distribution has a probability of no delay at all.
 *
 * Distributions (all in s, >= 0):
 *   exponential   mean m:            F(x) = 1 - exp(-x/m)
 *   weibull       shape k, scale l:  F(x) = 1 - exp(-(x/l)^k)
 *   lognormal     median e^mu, sigma: ln x ~ N(mu, sigma^2)
 *   normal        mean m, sd s, truncated at 0: N(m, s^2) conditioned on x >= 0
 *   empirical     observed values: each equally likely (bootstrap)
 * Families as found for Dutch stations by Yuan (2006), Goverde (2005) and Hansen & Pachl
 * (2014, ch. 7): late arrivals and departures roughly exponential or Weibull, dwell-time
 * extensions roughly normal or lognormal.
 *
 * Sampling is by inversion, one uniform per draw (and one for "no delay"), so a counter-
 * based stream (sim/random.h) gives the same value whatever thread or MPI rank draws it.
 */
#ifndef TM_DELAYS_H
#define TM_DELAYS_H

#include "model/network.h"
#include "tumen.h"
#include "model/delays.h"

/* The documented defaults (docs/simulate.md, "Default primary delays"). */
void tm_delay_spec_default(tm_delay_spec *spec);


/* A draw: u_zero and u are uniforms in (0, 1); returns 0 when u_zero < p_zero, else the
 * distribution's quantile at u. */
double tm_dist_sample(const tm_dist *d, double u_zero, double u);

/* Analytical mean and quantile (q in [0, 1)) of the distribution, the mass at 0 included. */
double tm_dist_mean(const tm_dist *d);
double tm_dist_quantile(const tm_dist *d, double q);

/* Checks a distribution's parameters; returns NULL if fine, else what is wrong. */
const char *tm_dist_check(const tm_dist *d);

/* The standard normal's quantile (Acklam's rational approximation refined by one Halley
 * step on erfc: |error| < 1e-12) and distribution function. */
double tm_normal_quantile(double p);
double tm_normal_cdf(double x);

/* Names as written in files: "exponential", ...; NULL for an unknown kind. */
const char *tm_dist_name(tm_dist_kind kind);
int tm_dist_parse(const char *name, tm_dist_kind *out);

#endif
