/* delays.c: primary-delay distributions: sampling by inversion, analytical moments, the
 * documented defaults (sim/delays.h, docs/simulate.md). */
#include "sim/delays.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SQRT_2PI 2.50662827463100050242 /* sqrt(2 pi) */

static const char *const names[] = {"none", "exponential", "weibull", "lognormal", "normal",
                                    "empirical"};

const char *tm_dist_name(tm_dist_kind kind)
{
    return (unsigned)kind < sizeof names / sizeof *names ? names[kind] : NULL;
}

int tm_dist_parse(const char *name, tm_dist_kind *out)
{
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(name, names[i])) {
            *out = (tm_dist_kind)i;
            return 0;
        }
    return -1;
}

double tm_normal_cdf(double x)
{
    return 0.5 * erfc(-x / sqrt(2.0));
}

double tm_normal_quantile(double p)
{
    /* P. J. Acklam (2003), "An algorithm for computing the inverse normal cumulative
     * distribution function": a rational approximation with relative error < 1.15e-9,
     * refined by one step of Halley's method on Phi(x) - p (Acklam's own refinement). */
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00, 2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                               2.445134137142996e+00, 3.754408661907416e+00};
    if (p <= 0.0)
        return -INFINITY;
    if (p >= 1.0)
        return INFINITY;
    double x;
    if (p < 0.02425) {
        double q = sqrt(-2.0 * log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    } else if (p <= 1.0 - 0.02425) {
        double q = p - 0.5, r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
    } else {
        double q = sqrt(-2.0 * log(1.0 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    }
    double e = tm_normal_cdf(x) - p;
    double u = e * SQRT_2PI * exp(x * x / 2.0);
    return x - u / (1.0 + x * u / 2.0);
}

/* The quantile of the distribution without its mass at 0, u in (0, 1). */
static double conditional_quantile(const tm_dist *d, double u)
{
    switch (d->kind) {
    case TM_DIST_NONE:
        return 0.0;
    case TM_DIST_EXPONENTIAL:
        return -d->a * log1p(-u);
    case TM_DIST_WEIBULL:
        return d->b * pow(-log1p(-u), 1.0 / d->a);
    case TM_DIST_LOGNORMAL:
        return exp(d->a + d->b * tm_normal_quantile(u));
    case TM_DIST_NORMAL: {
        /* Truncated at 0: invert Phi over [Phi(-m/s), 1). */
        double lo = tm_normal_cdf(-d->a / d->b);
        double x = d->a + d->b * tm_normal_quantile(lo + u * (1.0 - lo));
        return x > 0.0 ? x : 0.0;
    }
    case TM_DIST_EMPIRICAL: {
        if (!d->n_values)
            return 0.0;
        size_t i = (size_t)(u * (double)d->n_values);
        return d->values[i < d->n_values ? i : d->n_values - 1];
    }
    }
    return 0.0;
}

double tm_dist_sample(const tm_dist *d, double u_zero, double u)
{
    if (d->kind == TM_DIST_NONE || u_zero < d->p_zero)
        return 0.0;
    return conditional_quantile(d, u);
}

double tm_dist_quantile(const tm_dist *d, double q)
{
    if (d->kind == TM_DIST_NONE || q <= d->p_zero)
        return 0.0;
    return conditional_quantile(d, (q - d->p_zero) / (1.0 - d->p_zero));
}

double tm_dist_mean(const tm_dist *d)
{
    double m = 0.0;
    switch (d->kind) {
    case TM_DIST_NONE:
        return 0.0;
    case TM_DIST_EXPONENTIAL:
        m = d->a;
        break;
    case TM_DIST_WEIBULL:
        m = d->b * tgamma(1.0 + 1.0 / d->a);
        break;
    case TM_DIST_LOGNORMAL:
        m = exp(d->a + d->b * d->b / 2.0);
        break;
    case TM_DIST_NORMAL: {
        /* Mean of N(m, s^2) truncated to [0, inf): m + s phi(alpha) / (1 - Phi(alpha)),
         * alpha = -m/s (Johnson, Kotz & Balakrishnan, Continuous Univariate Distributions
         * vol. 1, ch. 13). */
        double alpha = -d->a / d->b;
        double phi = exp(-alpha * alpha / 2.0) / SQRT_2PI;
        m = d->a + d->b * phi / (1.0 - tm_normal_cdf(alpha));
        break;
    }
    case TM_DIST_EMPIRICAL:
        for (size_t i = 0; i < d->n_values; i++)
            m += d->values[i];
        m = d->n_values ? m / (double)d->n_values : 0.0;
        break;
    }
    return (1.0 - d->p_zero) * m;
}

const char *tm_dist_check(const tm_dist *d)
{
    if (!(d->p_zero >= 0.0 && d->p_zero <= 1.0))
        return "p_zero must be between 0 and 1";
    switch (d->kind) {
    case TM_DIST_EXPONENTIAL:
        return d->a > 0.0 && isfinite(d->a) ? NULL : "the mean must be > 0";
    case TM_DIST_WEIBULL:
        return d->a > 0.0 && d->b > 0.0 ? NULL : "shape and scale must be > 0";
    case TM_DIST_LOGNORMAL:
        return d->b > 0.0 && isfinite(d->a) ? NULL : "sigma must be > 0";
    case TM_DIST_NORMAL:
        return d->b > 0.0 && isfinite(d->a) ? NULL : "sd must be > 0";
    case TM_DIST_EMPIRICAL:
        return d->n_values ? NULL : "an empirical distribution needs at least one value";
    case TM_DIST_NONE:
        return NULL;
    }
    return "unknown distribution";
}

static tm_dist dist(tm_dist_kind kind, double p_zero, double a, double b)
{
    tm_dist d = {kind, p_zero, a, b, NULL, 0};
    return d;
}

void tm_delay_spec_default(tm_delay_spec *spec)
{
    memset(spec, 0, sizeof *spec);
    /* Families after Yuan (2006), Goverde (2005) and Hansen & Pachl (2014, ch. 7): entry
     * (departure) delays exponential, dwell extensions normal truncated at 0, running-time
     * extensions Weibull. The parameters are assumed (no published set fits every line);
     * docs/simulate.md gives the reasoning for each. */
    tm_delay_set *p = &spec->category[TM_CATEGORY_PASSENGER];
    p->entry = dist(TM_DIST_EXPONENTIAL, 0.5, 120.0, 0.0);
    p->dwell = dist(TM_DIST_NORMAL, 0.6, 15.0, 30.0);
    p->running = dist(TM_DIST_WEIBULL, 0.8, 1.5, 20.0);
    tm_delay_set *f = &spec->category[TM_CATEGORY_FREIGHT];
    f->entry = dist(TM_DIST_EXPONENTIAL, 0.3, 600.0, 0.0);
    f->dwell = dist(TM_DIST_NORMAL, 0.7, 60.0, 120.0);
    f->running = dist(TM_DIST_WEIBULL, 0.8, 1.5, 60.0);
    tm_delay_set *s = &spec->category[TM_CATEGORY_SPECIAL];
    s->entry = dist(TM_DIST_EXPONENTIAL, 0.8, 60.0, 0.0);
    s->dwell = dist(TM_DIST_NORMAL, 0.9, 0.0, 15.0);
    s->running = dist(TM_DIST_WEIBULL, 0.9, 1.5, 10.0);
}

