/* bookings.h: booking a planned special into the day, and cancelling it (bookings.c). */
#ifndef TM_SERVER_BOOKINGS_H
#define TM_SERVER_BOOKINGS_H

#include "http.h"

void h_booking_post(const request *q, reply *r);
void h_booking_delete(const request *q, reply *r);

#endif
