#include "model.h"

#include <string.h>

int bdc_config_defaults(const char *model, bdc_config *cfg)
{
    /* The published configurations: ../shared/docs/algorithms.md. */
    static const bdc_config published[] = {
        {"bidir", 1500, 8, 1.75, 1.0, 0.9, 0.03, 8000, 0.99, 1.0, 1.0, 0, 0},
        {"entangled", 784, 3, 1.75, 1.0, 0.75, 0.04, 4000, 0.986, 1.2, 1.0, 0, 0},
        {"binconv", 1000, 2, 1.75, 1.0, 0.75, 0.04, 4000, 0.986, 1.0, 1.0, 0, 0},
        /* The backprop baseline: a practitioner's MNIST setting (docs/mlp.md). */
        {.model = "mlp", .hidden = 100, .epochs = 5, .lr = 0.1, .batch = 16, .seed = 1},
    };
    for (size_t i = 0; i < sizeof published / sizeof published[0]; i++)
        if (strcmp(published[i].model, model) == 0) {
            *cfg = published[i];
            return 0;
        }
    return -1;
}

const bdc_model_ops *bdc_model_ops_for(const char *model)
{
    if (strcmp(model, "bidir") == 0)
        return &bdc_model_bidir;
    if (strcmp(model, "entangled") == 0 || strcmp(model, "binconv") == 0)
        return &bdc_model_entangled;
    if (strcmp(model, "mlp") == 0)
        return &bdc_model_mlp;
    return NULL;
}

double bdc_learning_rate(const bdc_config *cfg, uint64_t n)
{
    return cfg->lr * cfg->lr_horizon / (cfg->lr_horizon + (double)n);
}

size_t bdc_argmax_first(const float *v, size_t n)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (v[i] > v[best])
            best = i;
    return best;
}
