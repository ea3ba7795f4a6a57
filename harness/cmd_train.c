/* `bdc train`: train one learner on one dataset, test it, report. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "../kernels/dispatch.h"
#include "args.h"
#include "binconv.h"
#include "commands.h"
#include "dataset.h"
#include "json.h"
#include "model.h"
#include "progress.h"
#include "train_run.h"
#include "version.h"

static const char usage[] =
    "usage: bdc train --model NAME [options]\n"
    "\n"
    "Train a winner-take-all learner on the training set, in file order, then\n"
    "test it on the test set.  Defaults are each model's published setting.\n"
    "\n"
    "  --model NAME        bidir | entangled | binconv (required)\n"
    "  --hidden H          hidden neurons (bidir 1500, entangled 784, binconv 1000)\n"
    "  --epochs E          passes over the training set (8, 3, 2)\n"
    "  --dataset NAME      mnist (default) | fashion\n"
    "  --data-dir DIR      folder holding the four IDX files, raw or .gz\n"
    "  --train-limit N     train on the first N training samples only\n"
    "  --test-limit N      test on the first N test samples only\n"
    "  --alpha A           winner mixing weight of the forward activation (1.75)\n"
    "  --beta B            winner mixing weight of the label activation (1)\n"
    "  --lr LR             learning-rate numerator (bidir 0.03, others 0.04)\n"
    "  --lr-horizon T      lr(n) = LR*T/(T+n) (bidir 8000, others 4000)\n"
    "  --decay D           weight decay factor (bidir 0.99, others 0.986)\n"
    "  --init W            initial value of every weight (bidir 0.9, others 0.75)\n"
    "  --q-input Q         nudge bias toward the input (entangled 1.2, others 1)\n"
    "  --q-label Q         nudge bias toward the label (1)\n"
    "  --kernel NAME       kernel family: auto (default), or one `bdc info` lists;\n"
    "                      the environment variable BDC_KERNEL does the same\n"
    "  --engine NAME       blocked (default): blocks of samples share one pass over\n"
    "                      the weights, on threads; sample: one sample at a time,\n"
    "                      one thread (the reference).  Both give the same weights.\n"
    "  --threads N         threads of the blocked engine (default: one per core)\n"
    "  --block B           samples per block (default: from the L1 data cache size)\n"
    "  --tile R            used input rows per chunk of a block (default: from the L1\n"
    "                      data cache size); block and tile change speed, not results\n"
    "  --json              print one JSON object on stdout instead of the summary\n"
    "  --help              this text\n"
    "\n"
    "Exit status: 0 success, 1 runtime failure (data, memory), 2 bad usage.\n";

enum {
    OPT_MODEL = 256, OPT_HIDDEN, OPT_EPOCHS, OPT_DATASET, OPT_DATA_DIR,
    OPT_TRAIN_LIMIT, OPT_TEST_LIMIT, OPT_ALPHA, OPT_BETA, OPT_LR, OPT_LR_HORIZON,
    OPT_DECAY, OPT_INIT, OPT_Q_INPUT, OPT_Q_LABEL, OPT_KERNEL, OPT_ENGINE,
    OPT_THREADS, OPT_BLOCK, OPT_TILE, OPT_JSON, OPT_HELP,
};

static const struct option options[] = {
    {"model", required_argument, 0, OPT_MODEL},
    {"hidden", required_argument, 0, OPT_HIDDEN},
    {"epochs", required_argument, 0, OPT_EPOCHS},
    {"dataset", required_argument, 0, OPT_DATASET},
    {"data-dir", required_argument, 0, OPT_DATA_DIR},
    {"train-limit", required_argument, 0, OPT_TRAIN_LIMIT},
    {"test-limit", required_argument, 0, OPT_TEST_LIMIT},
    {"alpha", required_argument, 0, OPT_ALPHA},
    {"beta", required_argument, 0, OPT_BETA},
    {"lr", required_argument, 0, OPT_LR},
    {"lr-horizon", required_argument, 0, OPT_LR_HORIZON},
    {"decay", required_argument, 0, OPT_DECAY},
    {"init", required_argument, 0, OPT_INIT},
    {"q-input", required_argument, 0, OPT_Q_INPUT},
    {"q-label", required_argument, 0, OPT_Q_LABEL},
    {"kernel", required_argument, 0, OPT_KERNEL},
    {"engine", required_argument, 0, OPT_ENGINE},
    {"threads", required_argument, 0, OPT_THREADS},
    {"block", required_argument, 0, OPT_BLOCK},
    {"tile", required_argument, 0, OPT_TILE},
    {"json", no_argument, 0, OPT_JSON},
    {"help", no_argument, 0, OPT_HELP},
    {0, 0, 0, 0},
};

/* Everything the command line sets.  Numeric overrides are applied on top
 * of the model's published configuration once the model is known. */
typedef struct train_args {
    const char *model, *dataset, *data_dir, *kernel, *engine;
    size_t train_limit, test_limit; /* 0: all */
    int json;
    int set[OPT_HELP + 1];
    size_t hidden, epochs, threads, block, tile;
    double alpha, beta, lr, lr_horizon, decay, init, q_input, q_label;
} train_args;

static int parse(int argc, char **argv, train_args *a)
{
    memset(a, 0, sizeof *a);
    a->dataset = "mnist";
    a->engine = "blocked";
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        int bad = 0;
        const char *flag = c >= OPT_MODEL ? options[c - OPT_MODEL].name : "";
        char name[40];
        snprintf(name, sizeof name, "--%s", flag);
        switch (c) {
        case OPT_MODEL: a->model = optarg; break;
        case OPT_DATASET: a->dataset = optarg; break;
        case OPT_DATA_DIR: a->data_dir = optarg; break;
        case OPT_KERNEL: a->kernel = optarg; break;
        case OPT_ENGINE: a->engine = optarg; break;
        case OPT_THREADS: bad = bdc_parse_size("train", name, optarg, 1, 1024, &a->threads); break;
        case OPT_BLOCK: bad = bdc_parse_size("train", name, optarg, 1, 4096, &a->block); break;
        case OPT_TILE: bad = bdc_parse_size("train", name, optarg, 1, BDC_MAX_DIM, &a->tile); break;
        case OPT_JSON: a->json = 1; break;
        case OPT_HELP: fputs(usage, stdout); return 1;
        case OPT_HIDDEN: bad = bdc_parse_size("train", name, optarg, 1, 1u << 20, &a->hidden); break;
        case OPT_EPOCHS: bad = bdc_parse_size("train", name, optarg, 1, 100000, &a->epochs); break;
        case OPT_TRAIN_LIMIT: bad = bdc_parse_size("train", name, optarg, 1, SIZE_MAX, &a->train_limit); break;
        case OPT_TEST_LIMIT: bad = bdc_parse_size("train", name, optarg, 1, SIZE_MAX, &a->test_limit); break;
        case OPT_ALPHA: bad = bdc_parse_double("train", name, optarg, 0, 1e6, &a->alpha); break;
        case OPT_BETA: bad = bdc_parse_double("train", name, optarg, 0, 1e6, &a->beta); break;
        case OPT_LR: bad = bdc_parse_double("train", name, optarg, 1e-12, 1, &a->lr); break;
        case OPT_LR_HORIZON: bad = bdc_parse_double("train", name, optarg, 1e-6, 1e15, &a->lr_horizon); break;
        case OPT_DECAY: bad = bdc_parse_double("train", name, optarg, 1e-6, 1, &a->decay); break;
        case OPT_INIT: bad = bdc_parse_double("train", name, optarg, -1e6, 1e6, &a->init); break;
        case OPT_Q_INPUT: bad = bdc_parse_double("train", name, optarg, 0, 2, &a->q_input); break;
        case OPT_Q_LABEL: bad = bdc_parse_double("train", name, optarg, 0, 2, &a->q_label); break;
        case '?':
        default:
            if (optopt >= OPT_MODEL)
                bdc_error("train", "--%s needs a value", options[optopt - OPT_MODEL].name);
            else
                bdc_error("train", "unknown option '%s' (see bdc train --help)",
                          argv[optind - 1]);
            return -1;
        }
        if (bad)
            return -1;
        a->set[c] = 1;
    }
    if (optind < argc) {
        bdc_error("train", "unexpected argument '%s' (see bdc train --help)", argv[optind]);
        return -1;
    }
    if (!a->model) {
        bdc_error("train", "--model is required: bidir, entangled or binconv");
        return -1;
    }
    if (strcmp(a->engine, "blocked") != 0 && strcmp(a->engine, "sample") != 0) {
        bdc_error("train", "--engine: unknown engine '%s' (known: blocked, sample)", a->engine);
        return -1;
    }
    return 0;
}

/* The model's published configuration with the flags laid over it. */
static int configure(const train_args *a, bdc_config *cfg)
{
    if (bdc_config_defaults(a->model, cfg)) {
        bdc_error("train", "--model: unknown model '%s' (known: bidir, entangled, binconv)",
                  a->model);
        return -1;
    }
    if (a->set[OPT_HIDDEN]) cfg->hidden = a->hidden;
    if (a->set[OPT_EPOCHS]) cfg->epochs = (unsigned)a->epochs;
    if (a->set[OPT_ALPHA]) cfg->alpha = a->alpha;
    if (a->set[OPT_BETA]) cfg->beta = a->beta;
    if (a->set[OPT_LR]) cfg->lr = a->lr;
    if (a->set[OPT_LR_HORIZON]) cfg->lr_horizon = a->lr_horizon;
    if (a->set[OPT_DECAY]) cfg->decay = a->decay;
    if (a->set[OPT_INIT]) cfg->init = a->init;
    if (a->set[OPT_Q_INPUT]) cfg->q_input = a->q_input;
    if (a->set[OPT_Q_LABEL]) cfg->q_label = a->q_label;
    return 0;
}

/* Replaces a set of images by its binconv features. */
static int to_binconv(bdc_samples *set, char *err, size_t errlen)
{
    bdc_samples features;
    if (bdc_binconv_features(set, &features, err, errlen))
        return -1;
    bdc_samples_free(set);
    *set = features;
    return 0;
}

static size_t peak_rss_bytes(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (size_t)ru.ru_maxrss * 1024;
}

static uint64_t engine_macs(const bdc_engine_stats *s)
{
    return s->forward_macs + s->recompute_macs + s->output_macs;
}

/* The engine and its work: threads always; block, tile and the counters of
 * the blocked engine. */
static void print_engine_json(bdc_json *j, const char *engine, const bdc_train_outcome *r)
{
    bdc_json_str(j, "engine", engine);
    bdc_json_u64(j, "threads", r->opts.threads);
    if (strcmp(engine, "blocked") != 0)
        return;
    bdc_json_u64(j, "block", r->opts.block);
    bdc_json_u64(j, "tile", r->opts.tile);
    bdc_json_u64(j, "engine_macs", engine_macs(&r->stats));
    bdc_json_u64(j, "engine_forward_macs", r->stats.forward_macs);
    bdc_json_u64(j, "engine_recomputed", r->stats.recomputed);
    bdc_json_u64(j, "engine_pruned", r->stats.pruned);
    bdc_json_num(j, "engine_step_seconds", r->stats.step_seconds);
}

static void print_config_json(bdc_json *j, const bdc_config *cfg)
{
    bdc_json_num(j, "alpha", cfg->alpha);
    bdc_json_num(j, "beta", cfg->beta);
    bdc_json_num(j, "lr", cfg->lr);
    bdc_json_num(j, "lr_horizon", cfg->lr_horizon);
    bdc_json_num(j, "decay", cfg->decay);
    bdc_json_num(j, "init", cfg->init);
    bdc_json_num(j, "q_input", cfg->q_input);
    bdc_json_num(j, "q_label", cfg->q_label);
}

int bdc_cmd_train(int argc, char **argv)
{
    train_args a;
    int rc = parse(argc, argv, &a);
    if (rc)
        return rc > 0 ? BDC_EXIT_OK : BDC_EXIT_USAGE;
    bdc_config cfg;
    if (configure(&a, &cfg))
        return BDC_EXIT_USAGE;
    char err[512];
    const bdc_family *family = bdc_family_select(a.kernel, err, sizeof err);
    if (!family) {
        fprintf(stderr, "bdc train: %s\n", err);
        return BDC_EXIT_USAGE;
    }
    const char *dir = a.data_dir ? a.data_dir : bdc_dataset_default_dir(a.dataset);
    if (!dir) {
        bdc_error("train", "--dataset: unknown dataset '%s' (known: mnist, fashion)",
                  a.dataset);
        return BDC_EXIT_USAGE;
    }

    double t0 = bdc_now();
    bdc_dataset data;
    if (bdc_dataset_load(dir, &data, err, sizeof err)) {
        bdc_error("train", "%s", err);
        return BDC_EXIT_FAILURE;
    }
    if (a.train_limit) bdc_samples_truncate(&data.train, a.train_limit);
    if (a.test_limit) bdc_samples_truncate(&data.test, a.test_limit);
    if (strcmp(cfg.model, "binconv") == 0 &&
        (to_binconv(&data.train, err, sizeof err) ||
         to_binconv(&data.test, err, sizeof err))) {
        bdc_error("train", "%s", err);
        bdc_dataset_free(&data);
        return BDC_EXIT_FAILURE;
    }
    const double prep_seconds = bdc_now() - t0;

    const size_t D = data.train.dim;
    if (cfg.hidden > (SIZE_MAX / sizeof(float)) / D ||
        cfg.hidden * D > ((size_t)1 << 34) / sizeof(float)) {
        bdc_error("train", "--hidden: %zu neurons x %zu inputs is more weight memory than bdc allows (64 GiB)",
                  cfg.hidden, D);
        bdc_dataset_free(&data);
        return BDC_EXIT_USAGE;
    }
    const int blocked = strcmp(a.engine, "blocked") == 0;
    const bdc_engine_opts eopts = {(unsigned)a.threads, a.block, a.tile};
    bdc_train_outcome r;
    if (blocked ? bdc_train_blocked(&cfg, family, &eopts, &data, !a.json, &r, err, sizeof err)
                : bdc_train_per_sample(&cfg, family, &data, !a.json, &r, err, sizeof err)) {
        bdc_error("train", "%s", err);
        bdc_dataset_free(&data);
        return BDC_EXIT_FAILURE;
    }
    const uint64_t steps = r.steps, train_correct = r.train_correct;
    const uint64_t test_correct = r.test_correct;
    const double train_seconds = r.train_seconds, test_seconds = r.test_seconds;
    const double accuracy = (double)test_correct / (double)data.test.count;
    char fp[17];
    snprintf(fp, sizeof fp, "%016llx", (unsigned long long)r.fingerprint);
    const int native = bdc_family_status_of(family) == BDC_NATIVE;

    if (a.json) {
        bdc_json j;
        bdc_json_begin(&j, stdout);
        bdc_json_str(&j, "bdc_version", BDC_VERSION);
        bdc_json_str(&j, "model", cfg.model);
        bdc_json_str(&j, "dataset", a.data_dir ? a.data_dir : a.dataset);
        bdc_json_u64(&j, "input_dim", D);
        bdc_json_u64(&j, "hidden", cfg.hidden);
        bdc_json_u64(&j, "epochs", cfg.epochs);
        print_config_json(&j, &cfg);
        bdc_json_str(&j, "kernel", family->name);
        bdc_json_bool(&j, "kernel_native", native);
        bdc_json_u64(&j, "train_samples", data.train.count);
        bdc_json_u64(&j, "train_steps", steps);
        bdc_json_num(&j, "train_running_accuracy", steps ? (double)train_correct / (double)steps : 0);
        bdc_json_u64(&j, "test_samples", data.test.count);
        bdc_json_u64(&j, "test_correct", test_correct);
        bdc_json_num(&j, "test_accuracy", accuracy);
        bdc_json_num(&j, "prep_seconds", prep_seconds);
        bdc_json_num(&j, "train_seconds", train_seconds);
        bdc_json_num(&j, "test_seconds", test_seconds);
        bdc_json_u64(&j, "parameters", r.parameters);
        bdc_json_u64(&j, "peak_rss_bytes", peak_rss_bytes());
        bdc_json_str(&j, "weights_fnv1a64", fp);
        print_engine_json(&j, a.engine, &r);
        bdc_json_end(&j);
    } else {
        printf("bdc train: %s on %s, H=%zu, %u epochs, kernel %s (%s)\n", cfg.model,
               a.data_dir ? a.data_dir : a.dataset, cfg.hidden, cfg.epochs, family->name,
               bdc_family_status_name(bdc_family_status_of(family)));
        printf("  data:  %zu training, %zu test samples, %.1f non-zero inputs of %zu on average (%.2f s)\n",
               data.train.count, data.test.count, bdc_samples_mean_nnz(&data.train), D,
               prep_seconds);
        printf("  train: %llu steps in %.2f s (%.0f steps/s), running accuracy %.2f%%\n",
               (unsigned long long)steps, train_seconds, (double)steps / train_seconds,
               steps ? 100.0 * (double)train_correct / (double)steps : 0.0);
        printf("  test:  %llu/%zu correct = %.2f%% (%.2f s)\n",
               (unsigned long long)test_correct, data.test.count, 100.0 * accuracy,
               test_seconds);
        printf("  weights fnv1a64 %s, %zu parameters, peak memory %.0f MiB\n", fp,
               r.parameters, (double)peak_rss_bytes() / 1048576.0);
        if (blocked)
            printf("  engine: blocked, %u threads, block %zu, tile %zu; %.3g multiply-adds, "
                   "%.3g G/s in training\n",
                   r.opts.threads, r.opts.block, r.opts.tile, (double)engine_macs(&r.stats),
                   (double)engine_macs(&r.stats) / train_seconds / 1e9);
        else
            printf("  engine: sample, 1 thread\n");
    }
    bdc_dataset_free(&data);
    return BDC_EXIT_OK;
}
