#ifndef CARGV_H
#define CARGV_H
/* Nothing to call: linking this module is what it does (see argv.c). */
#endif
