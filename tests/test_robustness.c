/* Bad environments and faults (docs/robustness.md): a full disk, a
 * read-only or impossible results folder, a stdout that cannot be written,
 * a process killed at any moment, two sweeps writing into one folder at
 * once.  Each case ends with a one-line error and exit status 1 or 2, and
 * leaves the results folder valid: runs.csv readable with every row's
 * curve there, no temporary file, and what was recorded before unchanged.
 *
 * The runs train on a tiny dataset the suite writes (tests/tiny_data.h),
 * so that each takes milliseconds. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <grp.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../harness/csv.h"
#include "../harness/machine.h"
#include "../harness/results.h"
#include "../harness/run_record.h"
#include "helpers.h"
#include "suites.h"
#include "tiny_data.h"

/* --- a scratch folder with a tiny dataset ---------------------------------- */

typedef struct scratch {
    char root[512];   /* removed at the end */
    char data[600];   /* the tiny dataset */
    char results[600];
    char dir[1200];   /* results/<machine>/exp */
} scratch;

static void scratch_make(scratch *s)
{
    bdc_test_tmpdir(s->root, sizeof s->root);
    snprintf(s->data, sizeof s->data, "%s/data", s->root);
    ck_assert_int_eq(mkdir(s->data, 0777), 0);
    bdc_tiny_dataset(s->data, 40, 20);
    snprintf(s->results, sizeof s->results, "%s/results", s->root);
    ck_assert_int_eq(bdc_results_path(s->dir, sizeof s->dir, s->results,
                                      bdc_machine_get()->id, "exp"), 0);
}

/* `train` on the tiny data into s->results, experiment exp; extra flags
 * (NULL-terminated) go at the end. */
static int train(const scratch *s, const char *hidden, const char *out, char *err,
                 size_t errlen)
{
    const char *args[] = {"train", "--model", "bidir", "--hidden", hidden, "--epochs", "2",
                          "--eval-every", "30", "--data-dir", s->data,
                          "--results", s->results, "--experiment", "exp", NULL};
    char tmp[512], path[600];
    bdc_test_tmpdir(tmp, sizeof tmp);
    snprintf(path, sizeof path, "%s/err", tmp);
    const int rc = bdc_test_wait(bdc_test_spawn(args, out, path));
    if (err) bdc_test_read(path, err, errlen);
    bdc_test_remove_tree(tmp);
    return rc;
}

/* --- the state of a results folder ---------------------------------------- */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Everything in a results folder, as one string to compare. */
static char *folder_state(const char *dir)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    const char *subs[] = {"", "/curves"};
    for (int s = 0; s < 2; s++) {
        char path[1400];
        snprintf(path, sizeof path, "%s%s", dir, subs[s]);
        DIR *d = opendir(path);
        if (!d) continue;
        char *names[512];
        size_t n = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
                !strcmp(e->d_name, ".lock") || !strcmp(e->d_name, "curves"))
                continue;
            ck_assert_uint_lt(n, 512);
            names[n++] = strdup(e->d_name);
        }
        closedir(d);
        qsort(names, n, sizeof *names, by_name);
        for (size_t i = 0; i < n; i++) {
            char file[2000], body[65536];
            snprintf(file, sizeof file, "%s/%s", path, names[i]);
            ck_assert_int_ge(bdc_test_read(file, body, sizeof body), 0);
            fprintf(f, "== %s/%s\n%s\n", subs[s], names[i], body);
            free(names[i]);
        }
    }
    ck_assert_int_eq(fclose(f), 0);
    return text;
}

/* The folder is valid: runs.csv (if any) reads with this bdc's header,
 * every row's curve file is there and reads, meta.json is there when a
 * row is, and no temporary file is left.  Returns the number of rows. */
static size_t assert_folder_valid(const char *dir)
{
    bdc_csv t;
    char err[4600];
    ck_assert_msg(bdc_results_read(dir, &t, err, sizeof err) == 0, "%s", err);
    char name[1400];
    snprintf(name, sizeof name, "%s/runs.csv", dir);
    ck_assert_msg(bdc_results_check_header(&t, name, err, sizeof err) == 0, "%s", err);
    const int curve = bdc_csv_column(&t, "curve_file");
    for (size_t r = 0; r < t.rows; r++) {
        char path[2000];
        snprintf(path, sizeof path, "%s/%s", dir, bdc_csv_cell(&t, r, (size_t)curve));
        bdc_csv c;
        ck_assert_msg(bdc_csv_read(path, &c, err, sizeof err) == 0, "row %zu: %s", r, err);
        bdc_csv_free(&c);
        for (size_t k = 0; k < r; k++)
            ck_assert_str_ne(bdc_csv_cell(&t, k, 0), bdc_csv_cell(&t, r, 0));
    }
    if (t.rows) {
        snprintf(name, sizeof name, "%s/meta.json", dir);
        ck_assert_int_eq(access(name, F_OK), 0);
    }
    const char *subs[] = {"", "/curves"};
    for (int s = 0; s < 2; s++) {
        snprintf(name, sizeof name, "%s%s", dir, subs[s]);
        DIR *d = opendir(name);
        if (!d) continue;
        struct dirent *e;
        while ((e = readdir(d)))
            ck_assert_msg(strncmp(e->d_name, "tmp-", 4) != 0, "%s/%s left behind", name,
                          e->d_name);
        closedir(d);
    }
    const size_t rows = t.rows;
    bdc_csv_free(&t);
    return rows;
}

/* --- bad environments --------------------------------------------------------- */

START_TEST(environment_is_checked_too)
{
    char err[4096];
    const char *args[] = {"train", "--model", "bidir", "--hidden", "2", NULL};
    setenv("BDC_KERNEL", "avx9000", 1);
    ck_assert_int_eq(bdc_test_run(args, NULL, err, sizeof err), 2);
    ck_assert_uint_eq(bdc_test_lines(err), 1);
    ck_assert_ptr_nonnull(strstr(err, "BDC_KERNEL: unknown kernel family 'avx9000'"));
    unsetenv("BDC_KERNEL");
    setenv("BDC_DATA_DIR", "/nonexistent", 1);
    ck_assert_int_eq(bdc_test_run(args, NULL, err, sizeof err), 1);
    ck_assert_uint_eq(bdc_test_lines(err), 1);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/mnist: cannot open the data folder"));
    unsetenv("BDC_DATA_DIR");
}
END_TEST

/* A results folder that cannot be made is reported before the training,
 * with nothing on stdout. */
START_TEST(impossible_results_folder)
{
    scratch s;
    scratch_make(&s);
    char file[700], out[4096], err[4096];
    snprintf(file, sizeof file, "%s/a-file", s.root);
    bdc_test_write(file, "not a folder\n");
    const char *args[] = {"train", "--model", "bidir", "--hidden", "2", "--data-dir", s.data,
                          "--results", file, NULL};
    ck_assert_int_eq(bdc_test_run(args, out, err, sizeof err), 1);
    ck_assert_str_eq(out, "");
    ck_assert_uint_eq(bdc_test_lines(err), 1);
    ck_assert_msg(strstr(err, "--results: ") && strstr(err, file) &&
                  strstr(err, "Not a directory"), "%s", err);
    /* The same from a sweep: the sweep stops before any run. */
    char sweep[700];
    snprintf(sweep, sizeof sweep, "%s/s.sweep", s.root);
    bdc_test_write(sweep, "model = bidir\nhidden = 2\n");
    const char *sw[] = {"sweep", sweep, "--results", file, NULL};
    ck_assert_int_eq(bdc_test_run(sw, out, err, sizeof err), 1);
    ck_assert_uint_eq(bdc_test_lines(err), 1);
    ck_assert_ptr_nonnull(strstr(err, "Not a directory"));
    const char *merge[] = {"merge", "--into", file, s.results, NULL};
    ck_assert_int_eq(train(&s, "3", NULL, NULL, 0), 0);
    ck_assert_int_eq(bdc_test_run(merge, out, err, sizeof err), 1);
    ck_assert_uint_eq(bdc_test_lines(err), 1);
    ck_assert_ptr_nonnull(strstr(err, "Not a directory"));
    bdc_test_remove_tree(s.root);
}
END_TEST

/* Every kind of failing run, pointed at a folder holding a run: exit 1
 * or 2, one line, and the folder exactly as it was. */
START_TEST(failures_leave_the_folder_as_it_was)
{
    scratch s;
    scratch_make(&s);
    ck_assert_int_eq(train(&s, "3", NULL, NULL, 0), 0);
    char *before = folder_state(s.dir);
    char missing[700];
    snprintf(missing, sizeof missing, "%s/none", s.root);
    static const struct { const char *flag, *value; int status; } failing[] = {
        {"--hidden", "0", 2},            /* out of range */
        {"--model", "perceptron", 2},    /* unknown name */
        {"--kernel", "avx9000", 2},
        {"--lr", "1", 2},                /* unstable with the decay below */
        {"--experiment", "../exp", 2},   /* not a folder name */
        {"--data-dir", NULL, 1},         /* missing data (the path is filled in) */
    };
    for (size_t i = 0; i < sizeof failing / sizeof *failing; i++) {
        const char *value = failing[i].value ? failing[i].value : missing;
        const char *args[] = {"train", "--model", "bidir", "--hidden", "3", "--decay", "0.5",
                              "--data-dir", s.data, "--results", s.results, "--experiment",
                              "exp", failing[i].flag, value, NULL};
        char err[4096];
        ck_assert_int_eq(bdc_test_run(args, NULL, err, sizeof err), failing[i].status);
        ck_assert_msg(bdc_test_lines(err) == 1, "%s %s: %s", failing[i].flag, value, err);
        char *after = folder_state(s.dir);
        ck_assert_msg(strcmp(before, after) == 0, "%s %s changed the folder", failing[i].flag,
                      value);
        free(after);
    }
    free(before);
    ck_assert_uint_eq(assert_folder_valid(s.dir), 1);
    bdc_test_remove_tree(s.root);
}
END_TEST

/* The weights, D x H x 4 bytes, must fit in half the memory; the product
 * is taken in double, so it cannot wrap.  The largest images bdc reads
 * (256 x 256 = 65 536 inputs) times the largest H (2^20) are 256 GiB:
 * refused on any machine with less than 512 GiB, before any allocation. */
START_TEST(weights_larger_than_memory)
{
    scratch s;
    scratch_make(&s);
    /* Two 256 x 256 images per set, blank (the data's content is not the
     * point). */
    const char *names[] = {"train", "t10k"};
    for (int k = 0; k < 2; k++) {
        char path[1400];
        snprintf(path, sizeof path, "%s/%s-images-idx3-ubyte", s.data, names[k]);
        FILE *f = fopen(path, "wb");
        ck_assert_ptr_nonnull(f);
        const uint8_t header[16] = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 1, 0, 0, 0, 1, 0};
        ck_assert_uint_eq(fwrite(header, 1, 16, f), 16);
        static const uint8_t blank[2 * 65536];
        ck_assert_uint_eq(fwrite(blank, 1, sizeof blank, f), sizeof blank);
        ck_assert_int_eq(fclose(f), 0);
        snprintf(path, sizeof path, "%s/%s-labels-idx1-ubyte", s.data, names[k]);
        f = fopen(path, "wb");
        ck_assert_ptr_nonnull(f);
        const uint8_t labels[10] = {0, 0, 8, 1, 0, 0, 0, 2, 3, 4};
        ck_assert_uint_eq(fwrite(labels, 1, 10, f), 10);
        ck_assert_int_eq(fclose(f), 0);
    }
    const char *args[] = {"train", "--model", "bidir", "--hidden", "1048576", "--data-dir",
                          s.data, NULL};
    char out[4096], err[4096];
    ck_assert_int_eq(bdc_test_run(args, out, err, sizeof err), 2);
    ck_assert_str_eq(out, "");
    ck_assert_uint_eq(bdc_test_lines(err), 1);
    ck_assert_msg(strstr(err, "--hidden: 1048576 neurons x 65536 inputs need 256.0 GiB"), "%s",
                  err);
    bdc_test_remove_tree(s.root);
}
END_TEST

/* Runs $BDC_BIN as an unprivileged user: as root, as nobody (65534), for
 * whom mode bits apply; otherwise as we are.  stderr into err. */
static int run_unprivileged(const char *const *args, char *err, size_t len)
{
    char tmp[512], path[600];
    bdc_test_tmpdir(tmp, sizeof tmp);
    snprintf(path, sizeof path, "%s/err", tmp);
    const char *argv[32] = {bdc_test_bin()};
    for (size_t i = 0; args[i]; i++) {
        ck_assert_uint_lt(i, 30);
        argv[i + 1] = args[i];
    }
    fflush(NULL);
    const pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        const int e = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int o = open("/dev/null", O_WRONLY);
        if (e < 0 || o < 0) _exit(126);
        dup2(o, 1);
        dup2(e, 2);
        if (geteuid() == 0 && (setgroups(0, NULL) || setgid(65534) || setuid(65534)))
            _exit(125);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    const int rc = bdc_test_wait(pid);
    bdc_test_read(path, err, len);
    bdc_test_remove_tree(tmp);
    return rc;
}

/* A data file or a results folder we may not read or write. */
START_TEST(no_permission)
{
    scratch s;
    scratch_make(&s);
    ck_assert_int_eq(chmod(s.root, 0755), 0); /* mkdtemp made it 0700 */
    char labels[1400], err[4096];
    snprintf(labels, sizeof labels, "%s/train-labels-idx1-ubyte", s.data);
    ck_assert_int_eq(chmod(labels, 0), 0);
    const char *args[] = {"train", "--model", "bidir", "--hidden", "2", "--data-dir", s.data,
                          NULL};
    ck_assert_int_eq(run_unprivileged(args, err, sizeof err), 1);
    ck_assert_uint_eq(bdc_test_lines(err), 1);
    ck_assert_msg(strstr(err, labels) && strstr(err, "Permission denied"), "%s", err);
    ck_assert_int_eq(chmod(labels, 0644), 0);
    /* A results folder recorded into by someone else, not writable by us. */
    ck_assert_int_eq(train(&s, "3", NULL, NULL, 0), 0);
    const char *rec[] = {"train", "--model", "bidir", "--hidden", "2", "--data-dir", s.data,
                         "--results", s.results, "--experiment", "exp", NULL};
    ck_assert_int_eq(run_unprivileged(rec, err, sizeof err), 1);
    ck_assert_uint_eq(bdc_test_lines(err), 1);
    ck_assert_msg(strstr(err, "--results: ") && strstr(err, "Permission denied"), "%s", err);
    ck_assert_uint_eq(assert_folder_valid(s.dir), 1);
    bdc_test_remove_tree(s.root);
}
END_TEST

/* --- a full disk, injected ---------------------------------------------------- */

/* The files a run writes, in order; the run fails at each in turn. */
static const char *const full_at[] = {"/curves/", "meta.json", "runs.csv"};

static void full_disk_leaves_folder_as_it_was(int recorded_before)
{
    scratch s;
    scratch_make(&s);
    if (recorded_before) {
        /* The same run and another one already there: the failing run
         * would replace the first, so its curve must come back intact. */
        ck_assert_int_eq(train(&s, "3", NULL, NULL, 0), 0);
        ck_assert_int_eq(train(&s, "4", NULL, NULL, 0), 0);
    }
    for (size_t i = 0; i < sizeof full_at / sizeof *full_at; i++) {
        if (recorded_before && strcmp(full_at[i], "meta.json") == 0)
            continue; /* written once: a folder with rows has it already */
        char *before = folder_state(s.dir);
        char err[4096];
        setenv("BDC_TEST_FULL_DISK", full_at[i], 1);
        ck_assert_int_eq(train(&s, "3", NULL, err, sizeof err), 1);
        unsetenv("BDC_TEST_FULL_DISK");
        ck_assert_uint_eq(bdc_test_lines(err), 1);
        ck_assert_msg(strstr(err, "No space left on device") && strstr(err, full_at[i]),
                      "full at %s: %s", full_at[i], err);
        assert_folder_valid(s.dir);
        char *after = folder_state(s.dir);
        ck_assert_msg(strcmp(before, after) == 0, "full at %s: the folder changed:\n%s\n---\n%s",
                      full_at[i], before, after);
        free(before);
        free(after);
    }
    /* With room again, the run is recorded. */
    ck_assert_int_eq(train(&s, "3", NULL, NULL, 0), 0);
    ck_assert_uint_eq(assert_folder_valid(s.dir), recorded_before ? 2 : 1);
    bdc_test_remove_tree(s.root);
}

START_TEST(full_disk_in_a_new_folder) { full_disk_leaves_folder_as_it_was(0); }
END_TEST

START_TEST(full_disk_replacing_a_run) { full_disk_leaves_folder_as_it_was(1); }
END_TEST

/* --- a real small file system: tmpfs in a mount namespace of its own ------- */

static int write_text(const char *path, const char *text)
{
    const int fd = open(path, O_WRONLY);
    if (fd < 0) return -1;
    const ssize_t n = write(fd, text, strlen(text));
    close(fd);
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Mounts a tmpfs of `size` at `at`, visible only to this test process and
 * the programs it starts (a private mount namespace: nothing to clean up,
 * even when the test fails).  Root can do it; others through a user
 * namespace where the kernel allows that.  0, or -1: not possible here. */
static int private_tmpfs(const char *at, const char *size)
{
    if (unshare(CLONE_NEWNS) != 0) {
        const uid_t uid = geteuid();
        const gid_t gid = getegid();
        char map[64];
        if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) return -1;
        snprintf(map, sizeof map, "%u %u 1", (unsigned)uid, (unsigned)uid);
        if (write_text("/proc/self/uid_map", map)) return -1;
        write_text("/proc/self/setgroups", "deny");
        snprintf(map, sizeof map, "%u %u 1", (unsigned)gid, (unsigned)gid);
        if (write_text("/proc/self/gid_map", map)) return -1;
    }
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) return -1;
    char opts[64];
    snprintf(opts, sizeof opts, "size=%s", size);
    return mount("tmpfs", at, "tmpfs", 0, opts);
}

/* Fills the file system holding dir: returns the filler's path. */
static void fill_up(const char *dir, char *filler, size_t len)
{
    snprintf(filler, len, "%s/filler", dir);
    const int fd = open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ck_assert_int_ge(fd, 0);
    static const char block[4096];
    while (write(fd, block, sizeof block) > 0)
        ;
    while (write(fd, block, 1) > 0)
        ;
    ck_assert_int_eq(errno, ENOSPC);
    close(fd);
}

START_TEST(full_tmpfs)
{
    scratch s;
    scratch_make(&s);
    ck_assert_int_eq(mkdir(s.results, 0777), 0);
    if (private_tmpfs(s.results, "512k")) {
        fprintf(stderr, "robustness: full_tmpfs skipped: cannot mount a tmpfs here (%s); "
                        "the injected full disk cases still ran\n", strerror(errno));
        bdc_test_remove_tree(s.root);
        return;
    }
    ck_assert_int_eq(train(&s, "3", NULL, NULL, 0), 0);
    char filler[1400], err[4096];
    fill_up(s.results, filler, sizeof filler);
    char *before = folder_state(s.dir);
    /* A new run and a repeated one: neither fits. */
    const char *hidden[] = {"4", "3"};
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(train(&s, hidden[i], NULL, err, sizeof err), 1);
        ck_assert_uint_eq(bdc_test_lines(err), 1);
        ck_assert_msg(strstr(err, "No space left on device") != NULL, "%s", err);
        assert_folder_valid(s.dir);
        char *after = folder_state(s.dir);
        ck_assert_str_eq(before, after);
        free(after);
    }
    free(before);
    ck_assert_int_eq(unlink(filler), 0);
    ck_assert_int_eq(train(&s, "4", NULL, NULL, 0), 0);
    ck_assert_uint_eq(assert_folder_valid(s.dir), 2);
    umount2(s.results, MNT_DETACH); /* a mount point cannot be removed */
    bdc_test_remove_tree(s.root);
}
END_TEST

START_TEST(read_only_results)
{
    scratch s;
    scratch_make(&s);
    ck_assert_int_eq(mkdir(s.results, 0777), 0);
    if (private_tmpfs(s.results, "1m")) {
        fprintf(stderr, "robustness: read_only_results skipped: cannot mount a tmpfs here "
                        "(%s)\n", strerror(errno));
        bdc_test_remove_tree(s.root);
        return;
    }
    ck_assert_int_eq(train(&s, "3", NULL, NULL, 0), 0);
    char *before = folder_state(s.dir);
    ck_assert_int_eq(mount(NULL, s.results, NULL, MS_REMOUNT | MS_RDONLY, NULL), 0);
    char out[4096], err[4096];
    snprintf(out, sizeof out, "%s/out", s.root);
    ck_assert_int_eq(train(&s, "4", out, err, sizeof err), 1);
    ck_assert_uint_eq(bdc_test_lines(err), 1);
    ck_assert_msg(strstr(err, "Read-only file system") != NULL, "%s", err);
    /* Said before training: nothing on stdout. */
    char printed[4096];
    ck_assert_int_eq(bdc_test_read(out, printed, sizeof printed), 0);
    char *after = folder_state(s.dir);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    umount2(s.results, MNT_DETACH);
    bdc_test_remove_tree(s.root);
}
END_TEST

/* --- stdout on a full disk ------------------------------------------------------ */

START_TEST(stdout_on_a_full_disk)
{
    scratch s;
    scratch_make(&s);
    char err[4096], errpath[700];
    snprintf(errpath, sizeof errpath, "%s/err", s.root);
    /* bdc train: the summary cannot be written, so the run fails and is
     * not recorded. */
    const char *args[] = {"train", "--model", "bidir", "--hidden", "3", "--data-dir", s.data,
                          "--results", s.results, "--experiment", "exp", "--json", NULL};
    ck_assert_int_eq(bdc_test_wait(bdc_test_spawn(args, "/dev/full", errpath)), 1);
    bdc_test_read(errpath, err, sizeof err);
    ck_assert_uint_eq(bdc_test_lines(err), 1);
    ck_assert_msg(strstr(err, "cannot write the summary: No space left on device"), "%s", err);
    ck_assert_uint_eq(assert_folder_valid(s.dir), 0);
    /* Every command that prints. */
    ck_assert_int_eq(train(&s, "3", NULL, NULL, 0), 0);
    char sweep[700];
    snprintf(sweep, sizeof sweep, "%s/s.sweep", s.root);
    bdc_test_write(sweep, "model = bidir\nhidden = 2, 3\n");
    const char *printing[][6] = {
        {"info", NULL},
        {"info", "--json", NULL},
        {"--help", NULL},
        {"sweep", sweep, "--list", NULL},
        {"table", s.dir, NULL},
        {"train", "--help", NULL},
    };
    for (size_t i = 0; i < sizeof printing / sizeof *printing; i++) {
        ck_assert_int_eq(bdc_test_wait(bdc_test_spawn(printing[i], "/dev/full", errpath)), 1);
        bdc_test_read(errpath, err, sizeof err);
        ck_assert_msg(bdc_test_lines(err) == 1 && strstr(err, "No space left on device"),
                      "bdc %s: %s", printing[i][0], err);
    }
    bdc_test_remove_tree(s.root);
}
END_TEST

/* --- killed at any moment ------------------------------------------------------ */

/* SIGKILL (no chance to clean up) at moments spread over whole runs, the
 * commit included: after each, the folder is valid, and the next run
 * removes what the killed one left. */
START_TEST(killed_at_any_moment)
{
    scratch s;
    scratch_make(&s);
    ck_assert_int_eq(train(&s, "3", NULL, NULL, 0), 0); /* a row to keep */
    /* How long a run takes here (sanitizers are slower). */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ck_assert_int_eq(train(&s, "4", NULL, NULL, 0), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    const long run_us = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000;
    const char *hidden[] = {"3", "5", "4", "6"};
    int killed = 0;
    for (int i = 0; i < 16; i++) {
        const char *args[] = {"train", "--model", "bidir", "--hidden", hidden[i % 4],
                              "--epochs", "2", "--eval-every", "30", "--data-dir", s.data,
                              "--results", s.results, "--experiment", "exp", NULL};
        const pid_t pid = bdc_test_spawn(args, NULL, NULL);
        usleep((useconds_t)(run_us * (i + 1) / 16));
        kill(pid, SIGKILL);
        killed += bdc_test_wait(pid) == 128 + SIGKILL;
        /* Temporary files may be left (a SIGKILL allows nothing else);
         * the rest of the folder must be valid. */
        char *state = folder_state(s.dir);
        ck_assert_ptr_nonnull(strstr(state, "== /runs.csv\n"));
        free(state);
        bdc_csv t;
        char err[4600];
        ck_assert_msg(bdc_results_read(s.dir, &t, err, sizeof err) == 0, "%s", err);
        ck_assert_uint_ge(t.rows, 2);
        const int curve = bdc_csv_column(&t, "curve_file");
        for (size_t r = 0; r < t.rows; r++) {
            char path[2000];
            snprintf(path, sizeof path, "%s/%s", s.dir, bdc_csv_cell(&t, r, (size_t)curve));
            ck_assert_int_eq(access(path, F_OK), 0);
        }
        bdc_csv_free(&t);
    }
    ck_assert_int_gt(killed, 0);
    ck_assert_int_eq(train(&s, "7", NULL, NULL, 0), 0);
    assert_folder_valid(s.dir); /* no temporary file left by now */
    bdc_test_remove_tree(s.root);
}
END_TEST

START_TEST(leftovers_are_removed)
{
    scratch s;
    scratch_make(&s);
    ck_assert_int_eq(train(&s, "3", NULL, NULL, 0), 0);
    char a[1400], b[1400], keep[1400];
    snprintf(a, sizeof a, "%s/tmp-999999-runs.csv", s.dir);
    snprintf(b, sizeof b, "%s/curves/tmp-999999-kept-x.csv", s.dir);
    snprintf(keep, sizeof keep, "%s/tmp-notes.txt", s.dir); /* not bdc's pattern */
    bdc_test_write(a, "half a fi");
    bdc_test_write(b, "half a fi");
    bdc_test_write(keep, "mine\n");
    ck_assert_int_eq(train(&s, "4", NULL, NULL, 0), 0);
    ck_assert_int_ne(access(a, F_OK), 0);
    ck_assert_int_ne(access(b, F_OK), 0);
    ck_assert_int_eq(access(keep, F_OK), 0);
    bdc_test_remove_tree(s.root);
}
END_TEST

/* SIGINT (Ctrl-C) during a sweep: the finished run stays, the one it
 * interrupted leaves nothing, the sweep dies of SIGINT. */
START_TEST(sweep_interrupted)
{
    scratch s;
    scratch_make(&s);
    char sweep[700], text[1024];
    snprintf(sweep, sizeof sweep, "%s/s.sweep", s.root);
    snprintf(text, sizeof text,
             "experiment = exp\nmodel = bidir\ndata-dir = %s\n"
             "[quick]\nhidden = 3\nepochs = 1\n"
             "[endless]\nhidden = 50\nepochs = 100000\n", s.data);
    bdc_test_write(sweep, text);
    const char *args[] = {"sweep", sweep, "--results", s.results, NULL};
    const pid_t pid = bdc_test_spawn(args, NULL, NULL);
    char runs[1400];
    snprintf(runs, sizeof runs, "%s/runs.csv", s.dir);
    for (int i = 0; i < 6000 && access(runs, F_OK); i++)
        usleep(5000);
    usleep(200000); /* inside the endless run */
    kill(pid, SIGINT);
    ck_assert_int_eq(bdc_test_wait(pid), 128 + SIGINT);
    ck_assert_uint_eq(assert_folder_valid(s.dir), 1);
    bdc_test_remove_tree(s.root);
}
END_TEST

/* --- two sweeps into one folder at once --------------------------------------- */

START_TEST(concurrent_sweeps_share_a_folder)
{
    scratch s;
    scratch_make(&s);
    char sweep[700], text[1024];
    snprintf(sweep, sizeof sweep, "%s/s.sweep", s.root);
    snprintf(text, sizeof text,
             "experiment = exp\ndata-dir = %s\nepochs = 1\n"
             "model = bidir, entangled\nhidden = 2, 3, 4, 5\n", s.data);
    bdc_test_write(sweep, text);
    const char *args[] = {"sweep", sweep, "--results", s.results, NULL};
    const pid_t a = bdc_test_spawn(args, NULL, NULL);
    const pid_t b = bdc_test_spawn(args, NULL, NULL);
    ck_assert_int_eq(bdc_test_wait(a), 0);
    ck_assert_int_eq(bdc_test_wait(b), 0);
    /* Every run once (a run both sweeps ran is one row), every curve. */
    ck_assert_uint_eq(assert_folder_valid(s.dir), 8);
    char out[8192];
    ck_assert_int_eq(bdc_test_run(args, out, NULL, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "8 runs: 0 ran, 8 already recorded"));
    bdc_test_remove_tree(s.root);
}
END_TEST

Suite *bdc_suite_robustness(void)
{
    Suite *s = suite_create("robustness");
    TCase *input = tcase_create("bad_input");
    tcase_set_timeout(input, 120);
    tcase_add_test(input, environment_is_checked_too);
    tcase_add_test(input, impossible_results_folder);
    tcase_add_test(input, stdout_on_a_full_disk);
    tcase_add_test(input, no_permission);
    tcase_add_test(input, failures_leave_the_folder_as_it_was);
    tcase_add_test(input, weights_larger_than_memory);
    suite_add_tcase(s, input);
    TCase *disk = tcase_create("full_disk");
    tcase_set_timeout(disk, 120);
    tcase_add_test(disk, full_disk_in_a_new_folder);
    tcase_add_test(disk, full_disk_replacing_a_run);
    tcase_add_test(disk, full_tmpfs);
    tcase_add_test(disk, read_only_results);
    suite_add_tcase(s, disk);
    TCase *faults = tcase_create("faults");
    tcase_set_timeout(faults, 300);
    tcase_add_test(faults, killed_at_any_moment);
    tcase_add_test(faults, leftovers_are_removed);
    tcase_add_test(faults, sweep_interrupted);
    tcase_add_test(faults, concurrent_sweeps_share_a_folder);
    suite_add_tcase(s, faults);
    return s;
}
