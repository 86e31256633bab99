#ifndef RECONCILE_CLIBPQ_SHIM_H
#define RECONCILE_CLIBPQ_SHIM_H
#include <libpq-fe.h>

/* PG_DIAG_* are character literals, which Swift does not import; re-export them as constants. */
static const int RECONCILE_DIAG_SQLSTATE = 'C';
static const int RECONCILE_DIAG_MESSAGE_PRIMARY = 'M';
static const int RECONCILE_DIAG_MESSAGE_DETAIL = 'D';
static const int RECONCILE_DIAG_MESSAGE_HINT = 'H';
static const int RECONCILE_DIAG_STATEMENT_POSITION = 'P';
#endif
