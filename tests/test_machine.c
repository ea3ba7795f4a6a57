/* The machine record: sane on this machine, stable, robust without caches;
 * thread binding; and `bdc info` --json / --id / bad flags. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "../harness/machine.h"
#include "suites.h"

static int is_id(const char *s)
{
    if (!*s || s[0] == '-' || s[strlen(s) - 1] == '-' || strstr(s, "--"))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return 0;
    return 1;
}

/* Runs a shell command; returns its exit status, its stdout in out. */
static int run(const char *cmd, char *out, size_t len)
{
    FILE *p = popen(cmd, "r");
    ck_assert_msg(p != NULL, "cannot run %s", cmd);
    size_t n = fread(out, 1, len - 1, p);
    out[n] = 0;
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static const char *bdc_bin(void)
{
    const char *bin = getenv("BDC_BIN");
    ck_assert_msg(bin && *bin, "BDC_BIN is not set (run through make test)");
    return bin;
}

static void chomp(char *s)
{
    s[strcspn(s, "\n")] = 0;
}

START_TEST(record_is_sane)
{
    bdc_machine m;
    char err[256] = "";
    ck_assert_msg(bdc_machine_probe(&m, err, sizeof err) == 0, "%s", err);
    ck_assert_str_eq(m.topology_source, "hwloc");
    ck_assert_uint_ge(m.cores, 1);
    ck_assert_uint_ge(m.pus, m.cores);
    ck_assert_uint_ge(m.cores_allowed, 1);
    ck_assert_uint_le(m.cores_allowed, m.cores);
    ck_assert_uint_le(m.pus_allowed, m.pus);
    ck_assert_uint_ge(m.packages, 1);
    ck_assert_uint_le(m.packages, m.cores);
    ck_assert_uint_gt(m.memory, 0);
    ck_assert_uint_eq(bdc_machine_cores(&m), m.cores_allowed);
    ck_assert_msg(is_id(m.id), "bad machine id '%s'", m.id);
    char suffix[32];
    snprintf(suffix, sizeof suffix, "-%uc", m.cores);
    ck_assert_str_eq(m.id + strlen(m.id) - strlen(suffix), suffix);
    ck_assert(m.cpu_model[0] && m.architecture[0] && m.os[0] && m.kernel[0]);
    ck_assert(m.compiler[0] && m.simde[0] && m.zlib_runtime[0]);
#if defined(__SANITIZE_ADDRESS__)
    ck_assert_int_eq(m.sanitized, 1);
#else
    ck_assert_int_eq(m.sanitized, 0);
#endif
    /* A runtime hwloc of another major API would not be ABI compatible. */
    ck_assert_int_eq(m.hwloc_api_compiled[0], m.hwloc_api_runtime[0]);
}
END_TEST

START_TEST(record_is_stable)
{
    bdc_machine a, b;
    char err[256];
    ck_assert_int_eq(bdc_machine_probe(&a, err, sizeof err), 0);
    ck_assert_int_eq(bdc_machine_probe(&b, err, sizeof err), 0);
    ck_assert_str_eq(a.id, b.id);
    ck_assert_uint_eq(a.cores, b.cores);
    ck_assert_uint_eq(a.pus, b.pus);
    ck_assert_uint_eq(a.cache_count, b.cache_count);
    ck_assert_str_eq(bdc_machine_get()->id, a.id);
    ck_assert_ptr_eq(bdc_machine_get(), bdc_machine_get());
}
END_TEST

START_TEST(caches_ascend_with_level)
{
    bdc_machine m;
    char err[256];
    ck_assert_int_eq(bdc_machine_probe(&m, err, sizeof err), 0);
    uint64_t previous = 0;
    unsigned previous_level = 0;
    for (unsigned level = 1; level <= 5; level++) {
        const bdc_machine_cache *c = bdc_machine_data_cache(&m, level);
        if (!c)
            continue;
        ck_assert_uint_eq(c->level, level);
        ck_assert_str_ne(c->kind, "instruction");
        ck_assert_uint_eq(bdc_machine_cache_size(&m, level), c->size);
        ck_assert_msg(c->size > previous, "L%u (%llu bytes) is not larger than L%u",
                      level, (unsigned long long)c->size, previous_level);
        previous = c->size;
        previous_level = level;
    }
    for (unsigned i = 0; i < m.cache_count; i++) {
        const bdc_machine_cache *c = &m.caches[i];
        ck_assert_uint_ge(c->instances, 1);
        ck_assert_uint_le(c->pus_per_instance, m.pus);
        ck_assert_msg(c->line_size == 0 || (c->line_size & (c->line_size - 1)) == 0,
                      "%s line of %u bytes", c->name, c->line_size);
        if (i > 0)
            ck_assert_uint_ge(c->level, m.caches[i - 1].level);
    }
    ck_assert_uint_eq(bdc_machine_cache_size(&m, 99), 0);
}
END_TEST

START_TEST(no_caches_is_not_a_crash)
{
    /* A topology without caches, as hwloc reports under some emulators. */
    setenv("HWLOC_SYNTHETIC", "pack:1 core:3 pu:2", 1);
    bdc_machine m;
    char err[256];
    int status = bdc_machine_probe(&m, err, sizeof err);
    unsetenv("HWLOC_SYNTHETIC");
    ck_assert_int_eq(status, 0);
    ck_assert_str_eq(m.hwloc_backend, "Synthetic");
    ck_assert_uint_eq(m.cache_count, 0);
    ck_assert_ptr_null(bdc_machine_data_cache(&m, 1));
    ck_assert_uint_eq(bdc_machine_cache_size(&m, 2), 0);
    ck_assert_uint_eq(m.cores, 3);
    ck_assert_uint_eq(m.pus, 6);
    ck_assert_msg(is_id(m.id), "bad machine id '%s'", m.id);
    ck_assert_ptr_nonnull(strstr(m.id, "-3c"));
    /* And it still writes as JSON. */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    bdc_json j;
    bdc_json_begin(&j, f);
    bdc_machine_json(&j, "machine", &m);
    bdc_json_end(&j);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(text, "\"caches\": []"));
    free(text);
}
END_TEST

START_TEST(no_core_objects_is_not_a_crash)
{
    /* Without the Linux and x86 back ends hwloc knows only PUs: no
     * packages, cores, caches or memory, as under some emulators. */
    setenv("HWLOC_COMPONENTS", "-linux,-x86", 1);
    bdc_machine m;
    char err[256];
    int status = bdc_machine_probe(&m, err, sizeof err);
    unsetenv("HWLOC_COMPONENTS");
    ck_assert_int_eq(status, 0);
    ck_assert_uint_eq(m.cache_count, 0);
    ck_assert_uint_eq(m.packages, 0);
    ck_assert_uint_ge(m.pus, 1);
    ck_assert_uint_eq(m.cores, m.pus); /* one core per PU when unknown */
    ck_assert_uint_ge(bdc_machine_cores(&m), 1);
    ck_assert_msg(is_id(m.id), "bad machine id '%s'", m.id);
}
END_TEST

START_TEST(id_folds_model_names)
{
    char id[80];
    bdc_machine_make_id("AMD EPYC", 2, id, sizeof id);
    ck_assert_str_eq(id, "amd-epyc-2c");
    bdc_machine_make_id("Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz", 6, id, sizeof id);
    ck_assert_str_eq(id, "intel-core-i7-8700-3-20ghz-6c");
    bdc_machine_make_id("AMD Ryzen 7 5800X 8-Core Processor  ", 8, id, sizeof id);
    ck_assert_str_eq(id, "amd-ryzen-7-5800x-8-core-8c");
    bdc_machine_make_id(" -- ", 4, id, sizeof id);
    ck_assert_str_eq(id, "unknown-4c");
    bdc_machine_make_id("aarch64 (part 0xd0c)", 64, id, sizeof id);
    ck_assert_str_eq(id, "aarch64-part-0xd0c-64c");
    /* Too long: cut at a word, still a valid id. */
    bdc_machine_make_id("Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu",
                        128, id, sizeof id);
    ck_assert_msg(is_id(id) && strlen(id) <= 65, "'%s'", id);
    ck_assert_ptr_nonnull(strstr(id, "-128c"));
}
END_TEST

/* Binds itself to core 0 and reports the PU count of its new affinity. */
static void *bind_core0(void *arg)
{
    int *result = arg;
    result[0] = bdc_machine_bind_thread(0);
    cpu_set_t set;
    result[1] = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : -1;
    result[2] = CPU_ISSET(sched_getcpu(), &set);
    errno = 0;
    result[3] = bdc_machine_bind_thread(bdc_machine_cores(bdc_machine_get()));
    result[4] = errno;
    return NULL;
}

START_TEST(binding_to_core0_works)
{
    /* In a thread of its own, so that the test's thread keeps its mask. */
    int result[5] = {0};
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, bind_core0, result), 0);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    const bdc_machine *m = bdc_machine_get();
    ck_assert_int_eq(result[0], 0);
    ck_assert_int_ge(result[1], 1); /* only core 0's hardware threads */
    ck_assert_int_le(result[1], (int)(m->pus / m->cores));
    ck_assert_int_eq(result[2], 1);
    ck_assert_int_eq(result[3], -1); /* one past the last core */
    ck_assert_int_eq(result[4], EINVAL);
}
END_TEST

START_TEST(info_json_is_valid_and_carries_the_id)
{
    char cmd[1024], out[256];
    snprintf(cmd, sizeof cmd,
             "'%s' info --json | python3 -c 'import json,sys; "
             "d=json.load(sys.stdin); m=d[\"machine\"]; "
             "print(m[\"id\"], m[\"cores\"], len(m[\"caches\"]), d[\"auto\"])'",
             bdc_bin());
    ck_assert_int_eq(run(cmd, out, sizeof out), 0);
    bdc_machine m;
    char err[256];
    ck_assert_int_eq(bdc_machine_probe(&m, err, sizeof err), 0);
    char expected[256];
    snprintf(expected, sizeof expected, "%s %u %u ", m.id, m.cores, m.cache_count);
    ck_assert_msg(strncmp(out, expected, strlen(expected)) == 0,
                  "info --json gave '%s', the record '%s...'", out, expected);
}
END_TEST

START_TEST(info_id_is_the_record_id)
{
    bdc_machine m;
    char err[256], cmd[1024], out[256];
    ck_assert_int_eq(bdc_machine_probe(&m, err, sizeof err), 0);
    snprintf(cmd, sizeof cmd, "'%s' info --id", bdc_bin());
    ck_assert_int_eq(run(cmd, out, sizeof out), 0);
    chomp(out);
    ck_assert_str_eq(out, m.id);
    /* A narrower affinity does not change which machine this is. */
    snprintf(cmd, sizeof cmd,
             "command -v taskset >/dev/null || exit 77; taskset -c 0 '%s' info --id",
             bdc_bin());
    int status = run(cmd, out, sizeof out);
    if (status != 77) {
        ck_assert_int_eq(status, 0);
        chomp(out);
        ck_assert_str_eq(out, m.id);
    }
}
END_TEST

START_TEST(info_refuses_bad_flags)
{
    char cmd[1024], out[512];
    snprintf(cmd, sizeof cmd, "'%s' info --bogus 2>&1", bdc_bin());
    ck_assert_int_eq(run(cmd, out, sizeof out), 2);
    ck_assert_ptr_nonnull(strstr(out, "--bogus"));
    snprintf(cmd, sizeof cmd, "'%s' info --id --json 2>&1", bdc_bin());
    ck_assert_int_eq(run(cmd, out, sizeof out), 2);
}
END_TEST

Suite *bdc_suite_machine(void)
{
    Suite *s = suite_create("machine");
    TCase *record = tcase_create("record");
    tcase_add_test(record, record_is_sane);
    tcase_add_test(record, record_is_stable);
    tcase_add_test(record, caches_ascend_with_level);
    tcase_add_test(record, no_caches_is_not_a_crash);
    tcase_add_test(record, no_core_objects_is_not_a_crash);
    tcase_add_test(record, id_folds_model_names);
    suite_add_tcase(s, record);
    TCase *bind = tcase_create("bind");
    tcase_add_test(bind, binding_to_core0_works);
    suite_add_tcase(s, bind);
    TCase *info = tcase_create("info");
    tcase_set_timeout(info, 30);
    tcase_add_test(info, info_json_is_valid_and_carries_the_id);
    tcase_add_test(info, info_id_is_the_record_id);
    tcase_add_test(info, info_refuses_bad_flags);
    suite_add_tcase(s, info);
    return s;
}
