/* `bdc sweep FILE`: run a grid of `bdc train` runs (docs/sweeps.md), each
 * as a child process recording itself in the results folder, skipping the
 * runs already there; or, with --list, print one command per run for GNU
 * parallel or a job array. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "args.h"
#include "commands.h"
#include "machine.h"
#include "results.h"
#include "sweep_config.h"

static const char usage[] =
    "usage: bdc sweep FILE [--list] [--results DIR]\n"
    "\n"
    "Run every `bdc train` run of the grid FILE describes (docs/sweeps.md), one\n"
    "child process after another, each recording itself in\n"
    "DIR/<machine>/<experiment>/ (docs/results.md).  Runs already recorded\n"
    "there are skipped, so an interrupted sweep resumes where it stopped; a\n"
    "run that fails is reported and the sweep goes on.\n"
    "\n"
    "  --list          print one `bdc train ... --skip-recorded` command per run\n"
    "                  instead, for GNU parallel or a job array; merge the\n"
    "                  folders afterwards with `bdc merge`\n"
    "  --results DIR   the results folder (default: the file's `results`, else\n"
    "                  results)\n"
    "  --help          this text\n"
    "\n"
    "Exit status: 0 every run recorded, 1 a run failed, 2 bad usage or a bad\n"
    "sweep file.  SIGINT/SIGTERM stop the running child and the sweep.\n";

/* One planned run. */
typedef struct run {
    char **argv;     /* program, "train", flags..., NULL; the strings belong
                        to the sweep, argv[0] is set just before exec */
    int argc;
    char id[96];
    int duplicate;   /* same id as an earlier run of the file */
    int recorded;    /* in runs.csv when the sweep started */
} run;

/* Orders run indices by id, then by position. */
static const run *sort_base;

static int by_id(const void *a, const void *b)
{
    const size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const int c = strcmp(sort_base[i].id, sort_base[j].id);
    return c ? c : (i > j) - (i < j);
}

/* Marks every run whose id an earlier run has.  -1 out of memory. */
static int mark_duplicates(run *runs, size_t n)
{
    size_t *order = malloc((n + 1) * sizeof *order);
    if (!order) return -1;
    for (size_t i = 0; i < n; i++) order[i] = i;
    sort_base = runs;
    qsort(order, n, sizeof *order, by_id);
    for (size_t k = 1; k < n; k++)
        runs[order[k]].duplicate = strcmp(runs[order[k]].id, runs[order[k - 1]].id) == 0;
    free(order);
    return 0;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Marks the runs that dir/runs.csv already has.  -1 with a reason. */
static int mark_recorded(const char *dir, run *runs, size_t n, char *err, size_t errlen)
{
    bdc_csv table;
    if (bdc_results_read(dir, &table, err, errlen))
        return -1;
    char **ids = malloc((table.rows + 1) * sizeof *ids);
    if (!ids) {
        bdc_csv_free(&table);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t r = 0; r < table.rows; r++)
        ids[r] = table.cells[r * table.columns];
    qsort(ids, table.rows, sizeof *ids, compare_strings);
    for (size_t i = 0; i < n; i++) {
        const char *key = runs[i].id;
        runs[i].recorded = table.rows &&
                           bsearch(&key, ids, table.rows, sizeof *ids, compare_strings) != NULL;
    }
    free(ids);
    bdc_csv_free(&table);
    return 0;
}

static volatile sig_atomic_t stop_signal;
static volatile pid_t child;

static void on_signal(int sig)
{
    stop_signal = sig;
    if (child > 0)
        kill(child, sig);
}

/* The flag a train error names ("--hidden: ..." -> "hidden"), or "". */
static void named_flag(const char *msg, char *key, size_t len)
{
    key[0] = '\0';
    const char *p = strstr(msg, "--");
    if (!p) return;
    p += 2;
    size_t n = 0;
    while (n + 1 < len && ((p[n] >= 'a' && p[n] <= 'z') || p[n] == '-'))
        n++;
    memcpy(key, p, n);
    key[n] = '\0';
}

/* bdc_train_plan with its error message caught instead of printed. */
static int plan_quietly(int argc, char **argv, bdc_run_desc *d, char *msg, size_t len)
{
    msg[0] = '\0';
    fflush(stderr);
    FILE *t = tmpfile();
    const int saved = t ? dup(STDERR_FILENO) : -1;
    if (saved < 0) {
        if (t) fclose(t);
        return bdc_train_plan(argc, argv, d); /* the message goes out as is */
    }
    dup2(fileno(t), STDERR_FILENO);
    const int rc = bdc_train_plan(argc, argv, d);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    rewind(t);
    if (!fgets(msg, (int)len, t))
        msg[0] = '\0';
    fclose(t);
    msg[strcspn(msg, "\n")] = '\0';
    const char *prefix = "bdc train: ";
    if (strncmp(msg, prefix, strlen(prefix)) == 0)
        memmove(msg, msg + strlen(prefix), strlen(msg) - strlen(prefix) + 1);
    return rc;
}

/* Writes s for a POSIX shell: as is when safe, else in single quotes. */
/* Runs one child `bdc train`; its exit status, or -1 if it could not start
 * or died of a signal. */
static int run_child(const char *self, char **argv)
{
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &old);
    fflush(NULL);
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        sigprocmask(SIG_SETMASK, &old, NULL);
#ifdef __linux__
        /* Do not outlive a sweep killed outright. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent) _exit(1);
#else
        (void)parent;
#endif
        execv(self, argv);
        fprintf(stderr, "bdc sweep: cannot run %s: %s\n", self, strerror(errno));
        _exit(127);
    }
    if (pid < 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        fprintf(stderr, "bdc sweep: cannot start a run: %s\n", strerror(errno));
        return -1;
    }
    child = pid;
    sigprocmask(SIG_SETMASK, &old, NULL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    child = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int bdc_cmd_sweep(int argc, char **argv)
{
    const char *file = NULL, *results_flag = NULL;
    int list = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            return BDC_EXIT_OK;
        } else if (strcmp(argv[i], "--list") == 0) {
            list = 1;
        } else if (strcmp(argv[i], "--results") == 0) {
            if (++i == argc) {
                bdc_error("sweep", "--results needs a value");
                return BDC_EXIT_USAGE;
            }
            results_flag = argv[i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            bdc_error("sweep", "unknown option '%s' (see bdc sweep --help)", argv[i]);
            return BDC_EXIT_USAGE;
        } else if (file) {
            bdc_error("sweep", "one sweep file at a time ('%s' and '%s')", file, argv[i]);
            return BDC_EXIT_USAGE;
        } else {
            file = argv[i];
        }
    }
    if (!file) {
        bdc_error("sweep", "which sweep file? (see bdc sweep --help)");
        return BDC_EXIT_USAGE;
    }

    char err[4600];
    bdc_sweep sweep;
    if (bdc_sweep_load(file, &sweep, err, sizeof err)) {
        bdc_error("sweep", "%s", err);
        return BDC_EXIT_USAGE;
    }
    int status = BDC_EXIT_USAGE;
    run *runs = NULL;
    size_t nruns = 0;
    char **flags = NULL; /* "--key" of every setting, owned here */
    size_t nflags = 0;
    if (bdc_experiment_name_check(sweep.experiment)) {
        bdc_error("sweep", "%s:%u: experiment: '%s' is not a folder name", file,
                  sweep.experiment_line, sweep.experiment);
        goto done;
    }
    const char *root = results_flag ? results_flag : sweep.results ? sweep.results : "results";

    /* Plan every run before starting any: a mistake anywhere in the file
     * is reported now, with its line. */
    size_t total = 0, most = 0;
    for (size_t g = 0; g < sweep.count; g++) {
        total += bdc_sweep_grid_size(&sweep.grids[g]);
        nflags += sweep.grids[g].count;
        if (sweep.grids[g].count > most) most = sweep.grids[g].count;
    }
    runs = calloc(total, sizeof *runs);
    flags = calloc(nflags + 1, sizeof *flags);
    char **point = malloc((2 * most + 1) * sizeof *point);
    if (!runs || !flags || !point) {
        free(point);
        bdc_error("sweep", "out of memory");
        status = BDC_EXIT_FAILURE;
        goto done;
    }
    size_t f = 0;
    for (size_t g = 0; g < sweep.count; g++) {
        const bdc_sweep_grid *grid = &sweep.grids[g];
        char **dashed = flags + f;
        for (size_t k = 0; k < grid->count; k++, f++) {
            flags[f] = malloc(strlen(grid->settings[k].key) + 3);
            if (!flags[f]) {
                free(point);
                bdc_error("sweep", "out of memory");
                status = BDC_EXIT_FAILURE;
                goto done;
            }
            sprintf(flags[f], "--%s", grid->settings[k].key);
        }
        for (size_t i = 0; i < bdc_sweep_grid_size(grid); i++) {
            run *r = &runs[nruns];
            r->argv = calloc(2 * grid->count + 7, sizeof *r->argv);
            if (!r->argv) {
                free(point);
                bdc_error("sweep", "out of memory");
                status = BDC_EXIT_FAILURE;
                goto done;
            }
            nruns++;
            bdc_sweep_grid_point(grid, i, point);
            r->argv[r->argc++] = NULL; /* the program */
            r->argv[r->argc++] = "train";
            for (size_t k = 0; k < grid->count; k++) {
                r->argv[r->argc++] = dashed[k];
                r->argv[r->argc++] = point[2 * k + 1];
            }
            r->argv[r->argc++] = "--results";
            r->argv[r->argc++] = (char *)root;
            r->argv[r->argc++] = "--experiment";
            r->argv[r->argc++] = sweep.experiment;
            bdc_run_desc d;
            char msg[1024], key[64];
            if (plan_quietly(r->argc - 1, r->argv + 1, &d, msg, sizeof msg)) {
                named_flag(msg, key, sizeof key);
                const bdc_sweep_setting *s = bdc_sweep_grid_find(grid, key);
                const unsigned line = s ? s->line : grid->line;
                if (line)
                    bdc_error("sweep", "%s:%u: %s", file, line, msg);
                else
                    bdc_error("sweep", "%s: %s", file, msg);
                free(point);
                goto done;
            }
            bdc_run_id(&d, r->id, sizeof r->id);
        }
    }
    free(point);
    if (mark_duplicates(runs, nruns)) {
        bdc_error("sweep", "out of memory");
        status = BDC_EXIT_FAILURE;
        goto done;
    }

    if (list) {
        for (size_t i = 0; i < nruns; i++) {
            if (runs[i].duplicate) continue;
            bdc_print_shell_word(stdout, bdc_argv0);
            for (int a = 1; a < runs[i].argc; a++) {
                fputc(' ', stdout);
                bdc_print_shell_word(stdout, runs[i].argv[a]);
            }
            fputs(" --skip-recorded\n", stdout);
        }
        status = BDC_EXIT_OK;
        goto done;
    }

    char dir[4200];
    if (bdc_results_path(dir, sizeof dir, root, bdc_machine_get()->id, sweep.experiment) ||
        bdc_results_prepare(dir, err, sizeof err)) {
        bdc_error("sweep", "%s", dir[0] ? err : "results path too long");
        status = BDC_EXIT_FAILURE;
        goto done;
    }
    char self[4096];
    const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) self[n] = '\0';
    else snprintf(self, sizeof self, "%s", bdc_argv0);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    /* What is recorded already: read once here, and checked again just
     * before each run in case another process recorded it meanwhile. */
    if (mark_recorded(dir, runs, nruns, err, sizeof err)) {
        bdc_error("sweep", "%s", err);
        status = BDC_EXIT_FAILURE;
        goto done;
    }
    size_t ran = 0, skipped = 0, failed = 0, unique = 0;
    for (size_t i = 0; i < nruns; i++)
        unique += !runs[i].duplicate;
    size_t at = 0;
    for (size_t i = 0; i < nruns && !stop_signal; i++) {
        if (runs[i].duplicate) continue;
        at++;
        const int done_already =
            runs[i].recorded ? 1 : bdc_results_has(dir, runs[i].id, err, sizeof err);
        if (done_already < 0) {
            bdc_error("sweep", "%s", err);
            status = BDC_EXIT_FAILURE;
            goto done;
        }
        if (done_already) {
            skipped++;
            continue;
        }
        printf("bdc sweep: run %zu of %zu: %s\n", at, unique, runs[i].id);
        runs[i].argv[0] = self;
        const int rc = run_child(self, runs[i].argv);
        if (stop_signal)
            break;
        if (rc != 0) {
            failed++;
            fprintf(stderr, "bdc sweep: run %s failed (%s %d); going on\n", runs[i].id,
                    rc < 0 ? "killed or not started," : "exit status", rc);
        } else {
            ran++;
        }
    }
    if (stop_signal) {
        fprintf(stderr, "bdc sweep: stopped by signal %d after %zu new runs; run the "
                        "same command again to resume\n", (int)stop_signal, ran);
        fflush(NULL);
        signal(stop_signal, SIG_DFL);
        raise(stop_signal);
        status = BDC_EXIT_FAILURE;
        goto done;
    }
    printf("bdc sweep: %zu runs: %zu ran, %zu already recorded, %zu failed; %s/runs.csv\n",
           unique, ran, skipped, failed, dir);
    status = failed ? BDC_EXIT_FAILURE : BDC_EXIT_OK;
done:
    for (size_t i = 0; i < nruns; i++) free(runs[i].argv);
    free(runs);
    for (size_t i = 0; flags && i < nflags; i++) free(flags[i]);
    free(flags);
    bdc_sweep_free(&sweep);
    return status;
}
