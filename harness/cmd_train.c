/* `bdc train`: train one learner on one dataset, test it, report. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../kernels/dispatch.h"
#include "args.h"
#include "binconv.h"
#include "commands.h"
#include "curve.h"
#include "dataset.h"
#include "engine.h"
#include "json.h"
#include "machine.h"
#include "minibatch.h"
#include "model.h"
#include "progress.h"
#include "results.h"
#include "run_record.h"
#include "stability.h"
#include "version.h"

static const char usage[] =
    "usage: bdc train --model NAME [options]\n"
    "\n"
    "Train a learner on the training set, then test it on the test set.  The\n"
    "winner-take-all learners visit the training set in file order; mlp, the\n"
    "backprop baseline, in a seeded random order.  Defaults are each model's\n"
    "published setting (mlp: docs/mlp.md).\n"
    "\n"
    "  --model NAME        bidir | entangled | binconv | mlp (required)\n"
    "  --hidden H          hidden neurons (bidir 1500, entangled 784, binconv 1000,\n"
    "                      mlp 100)\n"
    "  --epochs E          passes over the training set (8, 3, 2, mlp 5)\n"
    "  --dataset NAME      mnist (default) | fashion\n"
    "  --data-dir DIR      folder holding the four IDX files, raw or .gz\n"
    "  --train-limit N     train on the first N training samples only\n"
    "  --test-limit N      test on the first N test samples only\n"
    "  --alpha A           winner mixing weight of the forward activation (1.75)\n"
    "  --beta B            winner mixing weight of the label activation (1)\n"
    "  --lr LR             learning-rate numerator (bidir 0.03, others 0.04);\n"
    "                      mlp: the constant SGD step size (0.1)\n"
    "  --lr-horizon T      lr(n) = LR*T/(T+n) (bidir 8000, others 4000)\n"
    "  --decay D           weight decay factor (bidir 0.99, others 0.986)\n"
    "  --init W            initial value of every weight (bidir 0.9, others 0.75)\n"
    "  --q-input Q         nudge bias toward the input (entangled 1.2, others 1)\n"
    "  --q-label Q         nudge bias toward the label (1)\n"
    "  --batch B           mlp: samples per minibatch (16)\n"
    "  --seed S            mlp: seed of the initial weights and the shuffle (1)\n"
    "  --kernel NAME       kernel family: auto (default), or one `bdc info` lists;\n"
    "                      the environment variable BDC_KERNEL does the same\n"
    "  --engine NAME       blocked (default): blocks of samples share one pass over\n"
    "                      the weights, on threads; sample: one sample at a time on\n"
    "                      one thread (the reference).  Both end with the same weights\n"
    "  --threads N         threads of the blocked engine (default: one per core)\n"
    "  --block B           samples per block (default: from the L1 data cache size)\n"
    "  --tile R            used input rows per chunk of a block (default: from the L1\n"
    "                      data cache size).  Engine, threads, block and tile change\n"
    "                      the speed, never the result (docs/engine.md)\n"
    "  --eval-every N      also test every N training samples: the learning curve\n"
    "  --target ACC        the test accuracy that time-to-accuracy is taken at (0.95)\n"
    "  --results DIR       record the run in DIR/<machine>/<experiment>/: a row of\n"
    "                      runs.csv, its curve, meta.json (docs/results.md)\n"
    "  --experiment NAME   that experiment folder (default: default)\n"
    "  --skip-recorded     with --results: do nothing when this run is already\n"
    "                      recorded there (how `bdc sweep --list` commands resume)\n"
    "  --json              print one JSON object on stdout instead of the summary\n"
    "  --help              this text\n"
    "\n"
    "Exit status: 0 success, 1 runtime failure (data, memory), 2 bad usage.\n";

enum {
    OPT_MODEL = 256, OPT_HIDDEN, OPT_EPOCHS, OPT_DATASET, OPT_DATA_DIR,
    OPT_TRAIN_LIMIT, OPT_TEST_LIMIT, OPT_ALPHA, OPT_BETA, OPT_LR, OPT_LR_HORIZON,
    OPT_DECAY, OPT_INIT, OPT_Q_INPUT, OPT_Q_LABEL, OPT_KERNEL, OPT_JSON,
    OPT_EVAL_EVERY, OPT_TARGET, OPT_RESULTS, OPT_EXPERIMENT, OPT_SKIP_RECORDED,
    OPT_BATCH, OPT_SEED, OPT_ENGINE, OPT_THREADS, OPT_BLOCK, OPT_TILE, OPT_HELP,
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
    {"json", no_argument, 0, OPT_JSON},
    {"eval-every", required_argument, 0, OPT_EVAL_EVERY},
    {"target", required_argument, 0, OPT_TARGET},
    {"results", required_argument, 0, OPT_RESULTS},
    {"experiment", required_argument, 0, OPT_EXPERIMENT},
    {"skip-recorded", no_argument, 0, OPT_SKIP_RECORDED},
    {"batch", required_argument, 0, OPT_BATCH},
    {"seed", required_argument, 0, OPT_SEED},
    {"engine", required_argument, 0, OPT_ENGINE},
    {"threads", required_argument, 0, OPT_THREADS},
    {"block", required_argument, 0, OPT_BLOCK},
    {"tile", required_argument, 0, OPT_TILE},
    {"help", no_argument, 0, OPT_HELP},
    {0, 0, 0, 0},
};

/* Everything the command line sets.  Numeric overrides are applied on top
 * of the model's published configuration once the model is known. */
typedef struct train_args {
    const char *model, *dataset, *data_dir, *kernel;
    size_t train_limit, test_limit; /* 0: all */
    int json;
    int set[OPT_HELP + 1];
    size_t hidden, epochs, batch, seed;
    double alpha, beta, lr, lr_horizon, decay, init, q_input, q_label;
    /* Learning curve and results (docs/results.md). */
    size_t eval_every;
    double target;
    const char *results, *experiment;
    int skip_recorded;
    /* The engine (docs/engine.md). */
    const char *engine;
    size_t threads, block, tile; /* 0: the default */
} train_args;

static int parse(int argc, char **argv, train_args *a)
{
    memset(a, 0, sizeof *a);
    a->dataset = "mnist";
    a->target = 0.95;
    a->experiment = "default";
    a->engine = "blocked";
    optind = 0; /* glibc: start afresh, whatever an earlier parse left */
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        int bad = 0;
        const char *flag = c >= OPT_MODEL ? options[c - OPT_MODEL].name : "";
        char name[40];
        snprintf(name, sizeof name, "--%s", flag);
        if (optarg && !*optarg) { /* e.g. --results "" would mean the root folder */
            bdc_error("train", "%s: '' is empty (give a value)", name);
            return -1;
        }
        switch (c) {
        case OPT_MODEL: a->model = optarg; break;
        case OPT_DATASET: a->dataset = optarg; break;
        case OPT_DATA_DIR: a->data_dir = optarg; break;
        case OPT_KERNEL: a->kernel = optarg; break;
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
        case OPT_BATCH: bad = bdc_parse_size("train", name, optarg, 1, 65536, &a->batch); break;
        case OPT_SEED: bad = bdc_parse_size("train", name, optarg, 0, SIZE_MAX, &a->seed); break;
        case OPT_EVAL_EVERY: bad = bdc_parse_size("train", name, optarg, 1, SIZE_MAX, &a->eval_every); break;
        case OPT_TARGET: bad = bdc_parse_double("train", name, optarg, 0, 1, &a->target); break;
        case OPT_RESULTS: a->results = optarg; break;
        case OPT_SKIP_RECORDED: a->skip_recorded = 1; break;
        case OPT_ENGINE: a->engine = optarg; break;
        case OPT_THREADS: bad = bdc_parse_size("train", name, optarg, 1, 1024, &a->threads); break;
        case OPT_BLOCK: bad = bdc_parse_size("train", name, optarg, 1, 4096, &a->block); break;
        case OPT_TILE: bad = bdc_parse_size("train", name, optarg, 1, BDC_MAX_DIM, &a->tile); break;
        case OPT_EXPERIMENT:
            a->experiment = optarg;
            if (bdc_experiment_name_check(optarg)) {
                bdc_error("train", "--experiment: '%s' is not a folder name of letters, digits, '.', '_', '-'",
                          optarg);
                bad = 1;
            }
            break;
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
        bdc_error("train", "--model is required: bidir, entangled, binconv or mlp");
        return -1;
    }
    if (strcmp(a->engine, "blocked") != 0 && strcmp(a->engine, "sample") != 0) {
        bdc_error("train", "--engine: unknown engine '%s' (known: blocked, sample)", a->engine);
        return -1;
    }
    if (strcmp(a->engine, "sample") == 0 && (a->threads > 1 || a->block || a->tile)) {
        bdc_error("train", "--%s: the sample engine runs one sample at a time on one thread",
                  a->threads > 1 ? "threads" : a->block ? "block" : "tile");
        return -1;
    }
    return 0;
}

/* The model's published configuration with the flags laid over it. */
static int configure(const train_args *a, bdc_config *cfg)
{
    if (bdc_config_defaults(a->model, cfg)) {
        bdc_error("train", "--model: unknown model '%s' (known: bidir, entangled, binconv, mlp)",
                  a->model);
        return -1;
    }
    /* A flag that the model does not read is refused rather than ignored. */
    static const int wta_only[] = {OPT_ALPHA, OPT_BETA, OPT_LR_HORIZON, OPT_DECAY,
                                   OPT_INIT, OPT_Q_INPUT, OPT_Q_LABEL, OPT_ENGINE,
                                   OPT_THREADS, OPT_BLOCK, OPT_TILE};
    static const int mlp_only[] = {OPT_BATCH, OPT_SEED};
    const int is_mlp = strcmp(cfg->model, "mlp") == 0;
    const int *refused = is_mlp ? wta_only : mlp_only;
    const size_t nrefused = is_mlp ? sizeof wta_only / sizeof *wta_only
                                   : sizeof mlp_only / sizeof *mlp_only;
    for (size_t i = 0; i < nrefused; i++)
        if (a->set[refused[i]]) {
            bdc_error("train", "--%s does not apply to --model %s",
                      options[refused[i] - OPT_MODEL].name, cfg->model);
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
    if (a->set[OPT_BATCH]) cfg->batch = a->batch;
    if (a->set[OPT_SEED]) cfg->seed = (uint64_t)a->seed;
    return 0;
}

/* Replaces a set of images by its binconv features; their cost goes to
 * prep. */
static int to_binconv(bdc_samples *set, bdc_cost *prep, char *err, size_t errlen)
{
    bdc_samples features;
    if (bdc_binconv_features(set, &features, err, errlen))
        return -1;
    bdc_binconv_cost(set->count, prep);
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

/* Whether this run trains on the blocked engine: the winner-take-all
 * learners do unless --engine sample says otherwise (the mlp has its own
 * minibatch loop, docs/mlp.md). */
static int uses_engine(const train_args *a)
{
    return strcmp(a->engine, "blocked") == 0 && strcmp(a->model, "mlp") != 0;
}

/* The progress bar during the blocked engine's training. */
typedef struct engine_progress {
    bdc_progress *bar;
    uint64_t per_epoch;
    unsigned epochs;
    uint64_t correct_before; /* right predictions before this call */
} engine_progress;

static void show_progress(void *ctx, uint64_t done, uint64_t correct)
{
    const engine_progress *p = ctx;
    /* The bar looks at the clock on multiples of 256 steps only. */
    const uint64_t shown = done & ~(uint64_t)255;
    if (shown)
        bdc_progress_update(p->bar, shown, (unsigned)((shown - 1) / p->per_epoch) + 1,
                            p->epochs, p->correct_before + correct);
}

/* The multiply-adds the blocked engine executed in training: its forward
 * passes (padding lanes included), recomputed neurons, the label side. */
static uint64_t engine_macs(const bdc_engine_stats *s)
{
    return s->forward_macs + s->recompute_macs + s->output_macs;
}

/* The blocked engine's counters (its name and sizes are run columns). */
static void print_engine_json(bdc_json *j, const bdc_engine *e)
{
    if (!e)
        return;
    const bdc_engine_stats s = bdc_engine_stats_of(e);
    bdc_json_u64(j, "engine_macs", engine_macs(&s));
    bdc_json_u64(j, "engine_forward_macs", s.forward_macs);
    bdc_json_u64(j, "engine_recomputed", s.recomputed);
    bdc_json_u64(j, "engine_pruned", s.pruned);
    bdc_json_num(j, "engine_step_seconds", s.step_seconds);
}

/* Every model prints every key; 0 marks a setting the model does not have
 * (mlp has no alpha .. q_label).  batch and seed come with the run record's
 * columns (null for the winner-take-all learners). */
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

/* The run the command line asks for (parse, configure, resolve), without
 * loading anything.  0; 1 after --help; -1 after a usage error (printed). */
static int plan(int argc, char **argv, train_args *a, bdc_run_desc *d)
{
    memset(d, 0, sizeof *d);
    int rc = parse(argc, argv, a);
    if (rc)
        return rc;
    if (configure(a, &d->cfg))
        return -1;
    char err[512];
    if (bdc_check_stability(&d->cfg, err, sizeof err)) {
        bdc_error("train", "%s", err);
        return -1;
    }
    const bdc_family *family = bdc_family_select(a->kernel, err, sizeof err);
    if (!family) {
        bdc_error("train", "%s", err);
        return -1;
    }
    if (!a->data_dir && !bdc_dataset_default_dir(a->dataset)) {
        bdc_error("train", "--dataset: unknown dataset '%s' (known: mnist, fashion)",
                  a->dataset);
        return -1;
    }
    d->dataset = a->data_dir ? a->data_dir : a->dataset;
    d->kernel = family->name;
    d->threads = !uses_engine(a) ? 1
                 : a->threads ? (unsigned)a->threads
                              : bdc_machine_cores(bdc_machine_get());
    d->engine = uses_engine(a) ? "blocked" : strcmp(a->model, "mlp") == 0 ? "minibatch"
                                                                        : "sample";
    if (uses_engine(a)) {
        /* A size given equal to the one bdc would choose is no change. */
        bdc_engine_opts o = {d->threads, a->block, a->tile}, chosen = {d->threads, 0, 0};
        bdc_engine_resolve_options(&o);
        bdc_engine_resolve_options(&chosen);
        d->block = o.block;
        d->tile = o.tile;
        d->block_given = o.block != chosen.block;
        d->tile_given = o.tile != chosen.tile;
    }
    d->train_limit = a->train_limit;
    d->test_limit = a->test_limit;
    d->eval_every = a->eval_every;
    d->target = a->target;
    return 0;
}

int bdc_train_plan(int argc, char **argv, bdc_run_desc *d)
{
    train_args a;
    return plan(argc, argv, &a, d);
}

int bdc_cmd_train(int argc, char **argv)
{
    train_args a;
    bdc_run_desc desc;
    int rc = plan(argc, argv, &a, &desc);
    if (rc)
        return rc > 0 ? BDC_EXIT_OK : BDC_EXIT_USAGE;
    bdc_config cfg = desc.cfg;
    const bdc_family *family = bdc_family_by_name(desc.kernel);
    const char *dir = a.data_dir ? a.data_dir : bdc_dataset_default_dir(a.dataset);
    char err[4600];
    char results_dir[4200] = "";
    if (a.results &&
        (bdc_results_path(results_dir, sizeof results_dir, a.results,
                          bdc_machine_get()->id, a.experiment) ||
         bdc_results_prepare(results_dir, err, sizeof err))) {
        bdc_error("train", "--results: %s", results_dir[0] ? err : "path too long");
        return BDC_EXIT_FAILURE;
    }
    if (a.skip_recorded) {
        char id[96];
        bdc_run_id(&desc, id, sizeof id);
        const int found = a.results ? bdc_results_has(results_dir, id, err, sizeof err) : -2;
        if (found < 0) {
            bdc_error("train", "--skip-recorded: %s", found == -2 ? "needs --results" : err);
            return found == -2 ? BDC_EXIT_USAGE : BDC_EXIT_FAILURE;
        }
        if (found) {
            fprintf(stderr, "bdc train: %s is already recorded in %s/runs.csv; skipped\n",
                    id, results_dir);
            return BDC_EXIT_OK;
        }
    }

    double t0 = bdc_now();
    bdc_dataset data;
    if (bdc_dataset_load(dir, &data, err, sizeof err)) {
        bdc_error("train", "%s", err);
        return BDC_EXIT_FAILURE;
    }
    if (a.train_limit) bdc_samples_truncate(&data.train, a.train_limit);
    if (a.test_limit) bdc_samples_truncate(&data.test, a.test_limit);
    bdc_cost prep;
    memset(&prep, 0, sizeof prep);
    if (strcmp(cfg.model, "binconv") == 0 &&
        (data.train.rows != 28 || data.train.cols != 28)) {
        bdc_error("train", "--model binconv needs 28x28 images; %s holds %zux%zu images",
                  dir, data.train.rows, data.train.cols);
        bdc_dataset_free(&data);
        return BDC_EXIT_USAGE;
    }
    if (strcmp(cfg.model, "binconv") == 0 &&
        (to_binconv(&data.train, &prep, err, sizeof err) ||
         to_binconv(&data.test, &prep, err, sizeof err))) {
        bdc_error("train", "%s", err);
        bdc_dataset_free(&data);
        return BDC_EXIT_FAILURE;
    }
    const double prep_seconds = bdc_now() - t0;

    const size_t D = data.train.dim;
    /* The weights must fit in half of this machine's memory, leaving room
     * for the data and the system (computed in double: D*H*4 cannot
     * overflow). */
    const double weight_bytes = (double)D * (double)cfg.hidden * sizeof(float);
    const uint64_t known = bdc_machine_get()->memory; /* 0: unknown, no limit */
    const double memory = known ? (double)known : 1e18;
    if (weight_bytes > memory / 2) {
        bdc_error("train", "--hidden: %zu neurons x %zu inputs need %.1f GiB of weights, "
                  "over half of this machine's %.1f GiB of memory",
                  cfg.hidden, D, weight_bytes / 1073741824.0, memory / 1073741824.0);
        bdc_dataset_free(&data);
        return BDC_EXIT_USAGE;
    }
    const int blocked = uses_engine(&a);
    const bdc_engine_opts eopts = {desc.threads, a.block, a.tile};
    const bdc_model_ops *ops = blocked ? &bdc_engine_ops : bdc_model_ops_for(cfg.model);
    bdc_engine *engine = NULL;
    bdc_model *model;
    if (blocked) {
        engine = bdc_engine_create(&cfg, D, family, &eopts, err, sizeof err);
        model = engine ? bdc_engine_model(engine) : NULL;
    } else {
        snprintf(err, sizeof err, "out of memory for a %s model with %zu hidden neurons",
                 cfg.model, cfg.hidden);
        model = ops->create(&cfg, D, family->kernels);
    }
    bdc_sample_buf buf;
    if (!model || bdc_sample_buf_init(&buf, D)) {
        bdc_error("train", "%s", model ? "out of memory" : err);
        if (model) ops->destroy(model);
        bdc_dataset_free(&data);
        return BDC_EXIT_FAILURE;
    }

    const uint64_t steps = (uint64_t)cfg.epochs * data.train.count;
    bdc_progress progress;
    bdc_progress_begin(&progress, steps);
    uint64_t n = 0, train_correct = 0;
    bdc_curve curve; /* its clock times the training, tests excluded */
    bdc_curve_begin(&curve, a.eval_every, ops, model, &data.test, &buf);
    if (ops->train_batch) {
        if (bdc_train_minibatches(ops, model, &cfg, &data.train, &progress, &curve,
                                  &train_correct)) {
            bdc_progress_end(&progress);
            bdc_error("train", "out of memory for a minibatch of %zu samples", cfg.batch);
            bdc_curve_free(&curve);
            bdc_sample_buf_free(&buf);
            ops->destroy(model);
            bdc_dataset_free(&data);
            return BDC_EXIT_FAILURE;
        }
    } else if (ops->train_steps) {
        /* Many steps per call: up to the next point of the curve. */
        engine_progress shown = {&progress, data.train.count, cfg.epochs, 0};
        if (engine)
            bdc_engine_set_progress(engine, show_progress, &shown);
        while (n < steps) {
            const uint64_t until = curve.every && curve.next < steps ? curve.next : steps;
            shown.correct_before = train_correct;
            train_correct += ops->train_steps(model, &data.train, n, until - n);
            n = until;
            bdc_curve_tick(&curve, n, steps);
        }
    } else {
        for (unsigned epoch = 0; epoch < cfg.epochs; epoch++)
            for (size_t i = 0; i < data.train.count; i++, n++) {
                const bdc_sample s = bdc_samples_get(&data.train, i, &buf);
                train_correct += ops->train_step(model, &s, n) == s.label;
                bdc_progress_update(&progress, n + 1, epoch + 1, cfg.epochs, train_correct);
                bdc_curve_tick(&curve, n + 1, steps);
            }
    }
    const double train_seconds = bdc_curve_train_seconds(&curve);
    const double train_cpu_seconds = bdc_curve_train_cpu_seconds(&curve);
    bdc_progress_end(&progress);

    bdc_cost train_cost, infer_before, infer_after;
    ops->cost(model, &train_cost, &infer_before);
    t0 = bdc_now();
    const double cpu0 = bdc_cpu_now();
    const uint64_t test_correct = bdc_evaluate(ops, model, &data.test, &buf);
    const double test_seconds = bdc_now() - t0;
    const double test_cpu_seconds = bdc_cpu_now() - cpu0;
    ops->cost(model, &train_cost, &infer_after);
    bdc_curve_finish(&curve, steps, train_seconds, train_cpu_seconds, test_correct,
                     data.test.count);
    const double accuracy = (double)test_correct / (double)data.test.count;
    char fp[17];
    snprintf(fp, sizeof fp, "%016llx", (unsigned long long)ops->fingerprint(model));
    const int native = bdc_family_status_of(family) == BDC_NATIVE;

    bdc_run_record rec;
    memset(&rec, 0, sizeof rec);
    rec.desc = desc;
    bdc_run_id(&desc, rec.run_id, sizeof rec.run_id);
    bdc_run_identify(&rec);
    rec.kernel_status = bdc_family_status_name(bdc_family_status_of(family));
    rec.train_samples = data.train.count;
    rec.train_steps = steps;
    rec.test_samples = data.test.count;
    rec.test_correct = test_correct;
    rec.test_accuracy = accuracy;
    rec.train_running_accuracy = steps ? (double)train_correct / (double)steps : 0;
    rec.parameters = ops->parameter_count(model);
    rec.train = train_cost;
    rec.infer = bdc_cost_sub(&infer_after, &infer_before);
    rec.prep = prep;
    rec.prep_seconds = prep_seconds;
    rec.train_seconds = train_seconds;
    rec.train_cpu_seconds = train_cpu_seconds;
    rec.test_seconds = test_seconds;
    rec.test_cpu_seconds = test_cpu_seconds;
    rec.eval_seconds = curve.eval_seconds;
    rec.peak_rss_bytes = peak_rss_bytes();
    rec.curve = &curve;
    snprintf(rec.fingerprint, sizeof rec.fingerprint, "%s", fp);
    const bdc_curve_point *reached = bdc_curve_reach(&curve, desc.target);

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
        bdc_json_u64(&j, "parameters", ops->parameter_count(model));
        bdc_json_u64(&j, "peak_rss_bytes", peak_rss_bytes());
        bdc_json_str(&j, "weights_fnv1a64", fp);
        bdc_run_json(&j, &rec);
        print_engine_json(&j, engine);
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
               ops->parameter_count(model), (double)peak_rss_bytes() / 1048576.0);
        printf("  cost:  training %.3g FLOPs (%.3g dense), inference %.3g FLOPs per sample\n",
               (double)bdc_cost_flops(&rec.train), (double)bdc_cost_dense_flops(&rec.train),
               data.test.count ? (double)bdc_cost_flops(&rec.infer) / (double)data.test.count : 0.0);
        if (reached)
            printf("  %.2f%% reached after %llu samples, %.3g training FLOPs, %.2f s\n",
                   100.0 * desc.target, (unsigned long long)reached->samples,
                   (double)reached->train_flops, reached->train_seconds);
        else
            printf("  %.2f%% not reached\n", 100.0 * desc.target);
        if (engine) {
            const bdc_engine_opts o = bdc_engine_options(engine);
            const bdc_engine_stats st = bdc_engine_stats_of(engine);
            printf("  engine: blocked, %u threads, block %zu, tile %zu: %.3g multiply-adds "
                   "executed in training, %.3g G/s\n",
                   o.threads, o.block, o.tile, (double)engine_macs(&st),
                   (double)engine_macs(&st) / train_seconds / 1e9);
        } else if (strcmp(cfg.model, "mlp") != 0) {
            printf("  engine: sample, one sample at a time on one thread\n");
        }
    }
    rc = BDC_EXIT_OK;
    if (a.results && !a.json)
        printf("  recording it in %s/runs.csv as %s\n", results_dir, rec.run_id);
    /* A run whose report could not be written (a full disk) fails and is
     * not recorded; the report is complete before the commit, so that exit
     * status 1 always means "not in runs.csv". */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("bdc train: cannot write the summary");
        rc = BDC_EXIT_FAILURE;
    } else if (a.results && bdc_results_commit(results_dir, &rec, err, sizeof err)) {
        bdc_error("train", "--results: %s", err);
        rc = BDC_EXIT_FAILURE;
    }
    bdc_curve_free(&curve);
    bdc_sample_buf_free(&buf);
    ops->destroy(model);
    bdc_dataset_free(&data);
    return rc;
}
