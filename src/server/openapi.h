/* openapi.h: /openapi.json made from a route table (openapi.c). */
#ifndef TM_SERVER_OPENAPI_H
#define TM_SERVER_OPENAPI_H

#include <stddef.h>

#include "http.h"

/* The OpenAPI document of n routes; the caller frees it, NULL when out of memory. */
char *openapi_document(const route *routes, size_t n);

#endif
