/* A one-line progress display on stderr, drawn only when stderr is a
 * terminal and at most a few times a second. */
#ifndef BDC_PROGRESS_H
#define BDC_PROGRESS_H

#include <stdint.h>

typedef struct bdc_progress {
    int enabled;
    uint64_t total;
    double start, last_draw;
} bdc_progress;

void bdc_progress_begin(bdc_progress *p, uint64_t total);
/* Cheap to call every step: it looks at the clock every 256 steps. */
void bdc_progress_update(bdc_progress *p, uint64_t done, unsigned epoch,
                         unsigned epochs, uint64_t correct);
void bdc_progress_end(bdc_progress *p);

/* Seconds on a monotonic clock. */
double bdc_now(void);

#endif
