/* handlers.h: the resources of tumen serve (handlers.c): the route table server.c
 * dispatches by. */
#ifndef TM_SERVER_HANDLERS_H
#define TM_SERVER_HANDLERS_H

#include <stddef.h>

#include "http.h"

extern const route server_routes[];
extern const size_t server_n_routes;

#endif
