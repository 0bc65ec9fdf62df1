#ifndef CLIBPQ_SHIM_H
#define CLIBPQ_SHIM_H
/* Types and constants only: no `link "pq"` here, WaltStore dlopen()s libpq.so.5 so that
   the client and the small tools never load it. Debian keeps the header under postgresql/;
   its own quoted includes resolve next to it. */
#include <postgresql/libpq-fe.h>
/* Swift does not import char-literal macros such as PG_DIAG_SQLSTATE ('C'). */
static const int CLIBPQ_DIAG_SQLSTATE = PG_DIAG_SQLSTATE;
static const int CLIBPQ_DIAG_MESSAGE_PRIMARY = PG_DIAG_MESSAGE_PRIMARY;
#endif
