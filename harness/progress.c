#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

double bdc_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void bdc_progress_begin(bdc_progress *p, uint64_t total)
{
    p->enabled = isatty(STDERR_FILENO);
    p->total = total;
    p->start = p->last_draw = bdc_now();
}

void bdc_progress_update(bdc_progress *p, uint64_t done, unsigned epoch,
                         unsigned epochs, uint64_t correct)
{
    if (!p->enabled || (done & 255) != 0 || done == 0)
        return;
    const double now = bdc_now();
    if (now - p->last_draw < 0.25)
        return;
    p->last_draw = now;
    const double rate = (double)done / (now - p->start);
    const double eta = (double)(p->total - done) / rate;
    fprintf(stderr,
            "\r  epoch %u/%u  step %llu/%llu  running accuracy %5.2f%%  "
            "%.0f steps/s  ETA %d:%02d ",
            epoch, epochs, (unsigned long long)done, (unsigned long long)p->total,
            100.0 * (double)correct / (double)done, rate, (int)eta / 60,
            (int)eta % 60);
    fflush(stderr);
}

void bdc_progress_end(bdc_progress *p)
{
    if (p->enabled && bdc_now() - p->start >= 0.25)
        fprintf(stderr, "\r\033[K");
}
