#include "curve.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csv.h"
#include "progress.h"

double bdc_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

uint64_t bdc_evaluate(const bdc_model_ops *ops, bdc_model *model,
                      const bdc_samples *set, bdc_sample_buf *buf)
{
    if (ops->evaluate)
        return ops->evaluate(model, set);
    uint64_t correct = 0;
    for (size_t i = 0; i < set->count; i++) {
        const bdc_sample s = bdc_samples_get(set, i, buf);
        correct += ops->predict(model, &s) == s.label;
    }
    return correct;
}

void bdc_curve_begin(bdc_curve *c, uint64_t every, const bdc_model_ops *ops,
                     bdc_model *model, const bdc_samples *test, bdc_sample_buf *buf)
{
    memset(c, 0, sizeof *c);
    c->every = every;
    c->next = every;
    c->ops = ops;
    c->model = model;
    c->test = test;
    c->buf = buf;
    c->start = bdc_now();
    c->cpu_start = bdc_cpu_now();
}

double bdc_curve_train_seconds(const bdc_curve *c)
{
    return bdc_now() - c->start - c->eval_seconds;
}

double bdc_curve_train_cpu_seconds(const bdc_curve *c)
{
    return bdc_cpu_now() - c->cpu_start - c->eval_cpu_seconds;
}

static void add(bdc_curve *c, const bdc_curve_point *p)
{
    if (c->count == c->capacity) {
        size_t cap = c->capacity ? 2 * c->capacity : 16;
        bdc_curve_point *grown = realloc(c->points, cap * sizeof *grown);
        if (!grown) {
            c->failed = 1;
            return;
        }
        c->points = grown;
        c->capacity = cap;
    }
    c->points[c->count++] = *p;
}

/* The training cost so far, read from the model. */
static void train_cost(const bdc_curve *c, bdc_curve_point *p)
{
    bdc_cost train, infer;
    c->ops->cost(c->model, &train, &infer);
    p->train_macs = train.macs;
    p->train_flops = bdc_cost_flops(&train);
}

void bdc_curve_record(bdc_curve *c, uint64_t samples)
{
    const double wall = bdc_now(), cpu = bdc_cpu_now();
    bdc_curve_point p;
    memset(&p, 0, sizeof p);
    p.samples = samples;
    p.train_seconds = wall - c->start - c->eval_seconds;
    p.train_cpu_seconds = cpu - c->cpu_start - c->eval_cpu_seconds;
    train_cost(c, &p);
    p.test_samples = c->test->count;
    p.test_correct = bdc_evaluate(c->ops, c->model, c->test, c->buf);
    p.test_accuracy = p.test_samples ? (double)p.test_correct / (double)p.test_samples : 0;
    add(c, &p);
    while (c->next <= samples)
        c->next += c->every;
    c->eval_seconds += bdc_now() - wall;
    c->eval_cpu_seconds += bdc_cpu_now() - cpu;
}

void bdc_curve_finish(bdc_curve *c, uint64_t samples, double train_seconds,
                      double train_cpu_seconds, uint64_t test_correct,
                      uint64_t test_samples)
{
    bdc_curve_point p;
    memset(&p, 0, sizeof p);
    p.samples = samples;
    p.train_seconds = train_seconds;
    p.train_cpu_seconds = train_cpu_seconds;
    train_cost(c, &p);
    p.test_correct = test_correct;
    p.test_samples = test_samples;
    p.test_accuracy = test_samples ? (double)test_correct / (double)test_samples : 0;
    add(c, &p);
}

const bdc_curve_point *bdc_curve_reach(const bdc_curve *c, double target)
{
    for (size_t i = 0; i < c->count; i++)
        if (c->points[i].test_accuracy >= target)
            return &c->points[i];
    return NULL;
}

void bdc_curve_write_csv(const bdc_curve *c, FILE *f)
{
    fputs("samples,train_macs,train_flops,train_seconds,train_cpu_seconds,"
          "test_correct,test_samples,test_accuracy\n", f);
    for (size_t i = 0; i < c->count; i++) {
        const bdc_curve_point *p = &c->points[i];
        char accuracy[32];
        bdc_format_double(accuracy, sizeof accuracy, p->test_accuracy);
        fprintf(f, "%llu,%llu,%llu,%.6f,%.6f,%llu,%llu,%s\n",
                (unsigned long long)p->samples, (unsigned long long)p->train_macs,
                (unsigned long long)p->train_flops, p->train_seconds,
                p->train_cpu_seconds, (unsigned long long)p->test_correct,
                (unsigned long long)p->test_samples, accuracy);
    }
}

void bdc_curve_free(bdc_curve *c)
{
    free(c->points);
    c->points = NULL;
    c->count = c->capacity = 0;
}
