/* The machine record, probed through hwloc (topology, caches), CPUID
 * (kernels/cpu.h), uname and the libraries' own version calls. */
#define _GNU_SOURCE
#include "machine.h"

#include <ctype.h>
#include <errno.h>
#include <hwloc.h>
#include <pthread.h>
#include <simde/simde-common.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>

#include "../kernels/cpu.h"
#include "version.h"

#if defined(__clang__)
#define BDC_COMPILER __VERSION__ /* already says "clang" */
#elif defined(__GNUC__)
#define BDC_COMPILER "gcc " __VERSION__
#else
#define BDC_COMPILER "unknown"
#endif

#if defined(__SANITIZE_ADDRESS__)
#define BDC_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BDC_SANITIZED 1
#endif
#endif
#ifndef BDC_SANITIZED
#define BDC_SANITIZED 0
#endif

/* Copies src into the array dst, cut to fit. */
#define COPY(dst, src) copy_text((dst), sizeof(dst), (src))

/* Physical memory as the OS counts it; 0 when unknown. */
static uint64_t os_memory_bytes(void)
{
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page : 0;
}

static void copy_text(char *dst, size_t size, const char *src)
{
    size_t n = 0;
    while (n + 1 < size && src[n])
        n++;
    memcpy(dst, src, n);
    dst[n] = 0;
}

/* --- hwloc ---------------------------------------------------------------- */

/* The whole machine, including the CPUs a cgroup or taskset keeps this
 * process off (so that the id does not change with them); instruction
 * caches too, which hwloc leaves out by default. */
static int load_topology(hwloc_topology_t *out, char *err, size_t errlen)
{
    /* A library of another API major is not ABI compatible with the headers
     * bdc was built against: hwloc's own advice is not to use it. */
    if ((hwloc_get_api_version() >> 16) != (HWLOC_API_VERSION >> 16)) {
        snprintf(err, errlen, "hwloc: the library's API %x does not match the headers' %x",
                 hwloc_get_api_version(), (unsigned)HWLOC_API_VERSION);
        errno = ENOSYS;
        return -1;
    }
    hwloc_topology_t t;
    if (hwloc_topology_init(&t) != 0) {
        int e = errno;
        snprintf(err, errlen, "hwloc: cannot initialise a topology: %s", strerror(e));
        errno = e;
        return -1;
    }
    hwloc_topology_set_flags(t, HWLOC_TOPOLOGY_FLAG_INCLUDE_DISALLOWED);
    hwloc_topology_set_icache_types_filter(t, HWLOC_TYPE_FILTER_KEEP_ALL);
    if (hwloc_topology_load(t) != 0) {
        int e = errno;
        snprintf(err, errlen, "hwloc: cannot load the topology: %s", strerror(e));
        hwloc_topology_destroy(t);
        errno = e;
        return -1;
    }
    *out = t;
    return 0;
}

/* The objects a "core" is: Core, or PU where the OS reports no cores. */
static hwloc_obj_type_t core_type(hwloc_topology_t t)
{
    return hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_CORE) > 0 ? HWLOC_OBJ_CORE
                                                           : HWLOC_OBJ_PU;
}

/* The CPU affinity the process started with (taskset, numactl), taken
 * once before bdc binds any thread: threads inherit their creator's mask,
 * so a later look would see only the core the caller was bound to. */
static cpu_set_t launch_affinity;
static int launch_affinity_known;
static pthread_once_t launch_affinity_once = PTHREAD_ONCE_INIT;

static void read_launch_affinity(void)
{
    launch_affinity_known =
        sched_getaffinity(0, sizeof launch_affinity, &launch_affinity) == 0;
}

/* The PUs this process may run on: those its cgroup allows (hwloc) and its
 * launch affinity names.  Returns a bitmap to free, NULL if out of memory. */
static hwloc_bitmap_t usable_cpuset(hwloc_topology_t t)
{
    pthread_once(&launch_affinity_once, read_launch_affinity);
    hwloc_bitmap_t set = hwloc_bitmap_dup(hwloc_topology_get_allowed_cpuset(t));
    if (!set || !launch_affinity_known)
        return set;
    hwloc_bitmap_t launch = hwloc_bitmap_alloc();
    if (!launch) {
        hwloc_bitmap_free(set);
        return NULL;
    }
    for (unsigned cpu = 0; cpu < CPU_SETSIZE; cpu++)
        if (CPU_ISSET(cpu, &launch_affinity))
            hwloc_bitmap_set(launch, cpu);
    hwloc_bitmap_and(set, set, launch);
    hwloc_bitmap_free(launch);
    return set;
}

static unsigned count_usable(hwloc_topology_t t, hwloc_const_cpuset_t usable,
                             hwloc_obj_type_t type)
{
    unsigned n = 0;
    for (hwloc_obj_t o = hwloc_get_next_obj_by_type(t, type, NULL); o;
         o = hwloc_get_next_obj_by_type(t, type, o))
        if (o->cpuset && hwloc_bitmap_intersects(o->cpuset, usable))
            n++;
    return n;
}

/* The index-th core with a usable PU, NULL past the last. */
static hwloc_obj_t usable_core(hwloc_topology_t t, hwloc_const_cpuset_t usable,
                               unsigned index)
{
    hwloc_obj_type_t type = core_type(t);
    for (hwloc_obj_t o = hwloc_get_next_obj_by_type(t, type, NULL); o;
         o = hwloc_get_next_obj_by_type(t, type, o))
        if (o->cpuset && hwloc_bitmap_intersects(o->cpuset, usable) && index-- == 0)
            return o;
    return NULL;
}

static const char *info_of(hwloc_topology_t t, const char *name)
{
    hwloc_obj_t pkg = hwloc_get_obj_by_type(t, HWLOC_OBJ_PACKAGE, 0);
    const char *v = pkg ? hwloc_obj_get_info_by_name(pkg, name) : NULL;
    if (!v)
        v = hwloc_obj_get_info_by_name(hwloc_get_root_obj(t), name);
    return v ? v : "";
}

static int cache_rank(const bdc_machine_cache *c)
{
    return (int)c->level * 2 + (strcmp(c->kind, "instruction") == 0);
}

static void read_caches(hwloc_topology_t t, bdc_machine *m)
{
    const int depth = hwloc_topology_get_depth(t);
    for (int d = 0; d < depth && m->cache_count < BDC_MACHINE_MAX_CACHES; d++) {
        if (!hwloc_obj_type_is_cache(hwloc_get_depth_type(t, d)))
            continue;
        hwloc_obj_t first = hwloc_get_obj_by_depth(t, d, 0);
        if (!first || !first->attr)
            continue;
        const struct hwloc_cache_attr_s *a = &first->attr->cache;
        bdc_machine_cache *c = &m->caches[m->cache_count++];
        memset(c, 0, sizeof *c);
        c->level = a->depth;
        const char *suffix = "";
        switch (a->type) {
        case HWLOC_OBJ_CACHE_DATA: COPY(c->kind, "data"); suffix = "d"; break;
        case HWLOC_OBJ_CACHE_INSTRUCTION: COPY(c->kind, "instruction"); suffix = "i"; break;
        default: COPY(c->kind, "unified"); break;
        }
        snprintf(c->name, sizeof c->name, "L%u%s", c->level % 100, suffix);
        c->size = a->size;
        c->line_size = a->linesize;
        c->associativity = a->associativity;
        c->instances = (unsigned)hwloc_get_nbobjs_by_depth(t, d);
        int w = first->cpuset ? hwloc_bitmap_weight(first->cpuset) : 0;
        c->pus_per_instance = w > 0 ? (unsigned)w : 0;
        for (hwloc_obj_t o = first->next_cousin; o; o = o->next_cousin)
            if (o->attr && o->attr->cache.size != a->size)
                c->mixed_sizes = 1;
    }
    /* hwloc lists the outermost cache first; readers expect L1 first. */
    for (unsigned i = 1; i < m->cache_count; i++)
        for (unsigned k = i; k > 0 && cache_rank(&m->caches[k - 1]) > cache_rank(&m->caches[k]); k--) {
            bdc_machine_cache tmp = m->caches[k];
            m->caches[k] = m->caches[k - 1];
            m->caches[k - 1] = tmp;
        }
}

static void api_version_text(char *out, size_t len, unsigned v)
{
    snprintf(out, len, "%u.%u.%u", v >> 16, (v >> 8) & 0xffu, v & 0xffu);
}

static void read_topology(hwloc_topology_t t, bdc_machine *m)
{
    COPY(m->topology_source, "hwloc");
    int packages = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PACKAGE);
    int pus = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PU);
    int cores = hwloc_get_nbobjs_by_type(t, core_type(t));
    int numa = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_NUMANODE);
    m->packages = packages > 0 ? (unsigned)packages : 0;
    m->pus = pus > 0 ? (unsigned)pus : 1;
    m->cores = cores > 0 ? (unsigned)cores : m->pus;
    m->numa_nodes = numa > 0 ? (unsigned)numa : 0;
    hwloc_bitmap_t usable = usable_cpuset(t);
    if (usable) {
        m->cores_allowed = count_usable(t, usable, core_type(t));
        m->pus_allowed = count_usable(t, usable, HWLOC_OBJ_PU);
        hwloc_bitmap_free(usable);
    }
    if (m->cores_allowed == 0 || m->pus_allowed == 0) {
        m->cores_allowed = m->cores;
        m->pus_allowed = m->pus;
    }
    /* hwloc counts memory attached to NUMA nodes; some VMs add memory the
     * nodes do not list (seen here: 5 GB in node 0 of a 24 GiB guest), so
     * the larger of that and the OS's count is the machine's memory. */
    m->memory = hwloc_get_root_obj(t)->total_memory;
    if (os_memory_bytes() > m->memory)
        m->memory = os_memory_bytes();
    COPY(m->cpu_vendor, info_of(t, "CPUVendor"));
    COPY(m->cpu_family, info_of(t, "CPUFamilyNumber"));
    COPY(m->cpu_model_number, info_of(t, "CPUModelNumber"));
    COPY(m->cpu_stepping, info_of(t, "CPUStepping"));
    COPY(m->hwloc_release, info_of(t, "hwlocVersion"));
    COPY(m->hwloc_backend, info_of(t, "Backend"));
    /* CPUID gives the x86 brand string; elsewhere hwloc may know more. */
    const char *hw_model = info_of(t, "CPUModel");
    if (strlen(hw_model) > strlen(m->cpu_model))
        COPY(m->cpu_model, hw_model);
    read_caches(t, m);
}

/* --- everything else ------------------------------------------------------ */

static void read_counts_without_hwloc(bdc_machine *m)
{
    COPY(m->topology_source, "sysconf");
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    m->pus = m->cores = n > 0 ? (unsigned)n : 1;
    pthread_once(&launch_affinity_once, read_launch_affinity);
    int allowed = launch_affinity_known ? CPU_COUNT(&launch_affinity) : 0;
    m->pus_allowed = m->cores_allowed = allowed > 0 ? (unsigned)allowed : m->pus;
    m->memory = os_memory_bytes();
}

static void read_os(bdc_machine *m)
{
    struct utsname u;
    if (uname(&u) == 0) {
        COPY(m->os, u.sysname);
        COPY(m->kernel, u.release);
        COPY(m->kernel_version, u.version);
        COPY(m->architecture, u.machine);
    }
    FILE *f = fopen("/etc/os-release", "r");
    if (!f)
        return;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "PRETTY_NAME=", 12) != 0)
            continue;
        char *v = line + 12;
        v[strcspn(v, "\n")] = 0;
        size_t n = strlen(v);
        if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
            v[n - 1] = 0;
            v++;
        }
        COPY(m->distribution, v);
        break;
    }
    fclose(f);
}

static void read_build(bdc_machine *m)
{
    COPY(m->compiler, BDC_COMPILER);
    m->sanitized = BDC_SANITIZED;
    api_version_text(m->hwloc_api_compiled, sizeof m->hwloc_api_compiled, HWLOC_API_VERSION);
    api_version_text(m->hwloc_api_runtime, sizeof m->hwloc_api_runtime,
                     hwloc_get_api_version());
    COPY(m->zlib_compiled, ZLIB_VERSION);
    COPY(m->zlib_runtime, zlibVersion());
    snprintf(m->simde, sizeof m->simde, "%d.%d.%d", SIMDE_VERSION_MAJOR,
             SIMDE_VERSION_MINOR, SIMDE_VERSION_MICRO);
    COPY(m->bdc_version, BDC_VERSION);
    COPY(m->bdc_commit, BDC_COMMIT);
}

/* Removes every case-insensitive occurrence of mark from s. */
static void remove_mark(char *s, const char *mark)
{
    const size_t n = strlen(mark);
    for (char *p = strcasestr(s, mark); p; p = strcasestr(p, mark))
        memmove(p, p + n, strlen(p + n) + 1);
}

void bdc_machine_make_id(const char *model, unsigned cores, char *id, size_t len)
{
    char words[160];
    COPY(words, model);
    remove_mark(words, "(r)");
    remove_mark(words, "(tm)");
    char suffix[24];
    snprintf(suffix, sizeof suffix, "%uc", cores);
    /* Room for the model's words: at most 60 characters, whole words. */
    const size_t room = len > strlen(suffix) + 1 ? len - strlen(suffix) - 1 : 0;
    const size_t limit = room < 60 ? room : 60;
    size_t used = 0;
    char *p = words;
    while (*p) {
        while (*p && !isalnum((unsigned char)*p))
            p++;
        char *word = p;
        while (*p && isalnum((unsigned char)*p)) {
            *p = (char)tolower((unsigned char)*p);
            p++;
        }
        const size_t wlen = (size_t)(p - word);
        if (wlen == 0 || (wlen == 3 && strncmp(word, "cpu", 3) == 0) ||
            (wlen == 9 && strncmp(word, "processor", 9) == 0))
            continue;
        if (used + wlen + 1 > limit)
            break;
        memcpy(id + used, word, wlen);
        used += wlen;
        id[used++] = '-';
    }
    if (used == 0 && limit >= 8) {
        memcpy(id, "unknown-", 8);
        used = 8;
    }
    if (len > used)
        snprintf(id + used, len - used, "%s", suffix);
}

int bdc_machine_probe(bdc_machine *m, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    COPY(m->cpu_model, bdc_cpu_model());
    m->features = bdc_cpu_features();
    const char *hidden = getenv("BDC_CPU_DISABLE");
    COPY(m->features_hidden, hidden ? hidden : "");
    read_os(m);
    read_build(m);
    hwloc_topology_t t;
    int status = load_topology(&t, err, errlen);
    if (status == 0) {
        read_topology(t, m);
        hwloc_topology_destroy(t);
    } else {
        read_counts_without_hwloc(m);
    }
    bdc_machine_make_id(m->cpu_model[0] ? m->cpu_model : m->architecture, m->cores,
                        m->id, sizeof m->id);
    return status;
}

static bdc_machine this_machine;
static pthread_once_t this_machine_once = PTHREAD_ONCE_INIT;

static void probe_this_machine(void)
{
    char err[256];
    (void)bdc_machine_probe(&this_machine, err, sizeof err);
}

const bdc_machine *bdc_machine_get(void)
{
    pthread_once(&this_machine_once, probe_this_machine);
    return &this_machine;
}

const bdc_machine_cache *bdc_machine_data_cache(const bdc_machine *m, unsigned level)
{
    for (unsigned i = 0; i < m->cache_count; i++)
        if (m->caches[i].level == level && strcmp(m->caches[i].kind, "instruction") != 0)
            return &m->caches[i];
    return NULL;
}

uint64_t bdc_machine_cache_size(const bdc_machine *m, unsigned level)
{
    const bdc_machine_cache *c = bdc_machine_data_cache(m, level);
    return c ? c->size : 0;
}

unsigned bdc_machine_cores(const bdc_machine *m)
{
    return m->cores_allowed > 0 ? m->cores_allowed : 1;
}

/* --- binding -------------------------------------------------------------- */

/* One topology for every binding call, loaded once: binding functions may
 * be called on it from several threads at once. */
static hwloc_topology_t bind_topology;
static int bind_load_errno;
static pthread_once_t bind_once = PTHREAD_ONCE_INIT;

static void destroy_bind_topology(void)
{
    hwloc_topology_destroy(bind_topology);
    bind_topology = NULL;
}

static void load_bind_topology(void)
{
    char err[256];
    if (load_topology(&bind_topology, err, sizeof err) != 0) {
        bind_topology = NULL;
        bind_load_errno = errno ? errno : ENOSYS;
        return;
    }
    atexit(destroy_bind_topology);
}

int bdc_machine_bind_thread(unsigned core_index)
{
    pthread_once(&bind_once, load_bind_topology);
    if (!bind_topology) {
        errno = bind_load_errno;
        return -1;
    }
    hwloc_bitmap_t set = usable_cpuset(bind_topology);
    if (!set) {
        errno = ENOMEM;
        return -1;
    }
    hwloc_obj_t core = usable_core(bind_topology, set, core_index);
    if (!core) {
        hwloc_bitmap_free(set);
        errno = EINVAL;
        return -1;
    }
    hwloc_bitmap_and(set, set, core->cpuset);
    int status = hwloc_set_cpubind(bind_topology, set, HWLOC_CPUBIND_THREAD);
    int saved = errno;
    hwloc_bitmap_free(set);
    errno = saved;
    return status == 0 ? 0 : -1;
}

/* --- JSON ----------------------------------------------------------------- */

/* Strings hwloc may not know are left out rather than written empty. */
static void str_if(bdc_json *j, const char *key, const char *value)
{
    if (value[0])
        bdc_json_str(j, key, value);
}

void bdc_machine_json(bdc_json *j, const char *key, const bdc_machine *m)
{
    bdc_json_open(j, key, '{');
    bdc_json_str(j, "id", m->id);
    bdc_json_str(j, "cpu_model", m->cpu_model);
    str_if(j, "cpu_vendor", m->cpu_vendor);
    str_if(j, "cpu_family", m->cpu_family);
    str_if(j, "cpu_model_number", m->cpu_model_number);
    str_if(j, "cpu_stepping", m->cpu_stepping);
    bdc_json_str(j, "architecture", m->architecture);
    bdc_json_open(j, "features", '[');
    for (unsigned i = 0; i < bdc_cpu_feature_count; i++)
        if (m->features & bdc_cpu_all_features[i])
            bdc_json_str(j, NULL, bdc_cpu_feature_name(bdc_cpu_all_features[i]));
    bdc_json_close(j, ']');
    str_if(j, "features_hidden", m->features_hidden);

    bdc_json_str(j, "topology_source", m->topology_source);
    str_if(j, "hwloc_backend", m->hwloc_backend);
    if (m->packages)
        bdc_json_u64(j, "packages", m->packages);
    bdc_json_u64(j, "cores", m->cores);
    bdc_json_u64(j, "pus", m->pus);
    bdc_json_u64(j, "cores_allowed", m->cores_allowed);
    bdc_json_u64(j, "pus_allowed", m->pus_allowed);
    if (m->numa_nodes)
        bdc_json_u64(j, "numa_nodes", m->numa_nodes);
    if (m->memory)
        bdc_json_u64(j, "memory_bytes", m->memory);
    bdc_json_open(j, "caches", '[');
    for (unsigned i = 0; i < m->cache_count; i++) {
        const bdc_machine_cache *c = &m->caches[i];
        bdc_json_open(j, NULL, '{');
        bdc_json_str(j, "name", c->name);
        bdc_json_u64(j, "level", c->level);
        bdc_json_str(j, "kind", c->kind);
        bdc_json_u64(j, "size_bytes", c->size);
        if (c->line_size)
            bdc_json_u64(j, "line_bytes", c->line_size);
        if (c->associativity > 0)
            bdc_json_u64(j, "ways", (uint64_t)c->associativity);
        else if (c->associativity < 0)
            bdc_json_str(j, "ways", "full");
        bdc_json_u64(j, "instances", c->instances);
        if (c->pus_per_instance)
            bdc_json_u64(j, "pus_per_instance", c->pus_per_instance);
        if (c->mixed_sizes)
            bdc_json_bool(j, "mixed_sizes", 1);
        bdc_json_close(j, '}');
    }
    bdc_json_close(j, ']');

    bdc_json_open(j, "os", '{');
    bdc_json_str(j, "name", m->os);
    bdc_json_str(j, "kernel", m->kernel);
    bdc_json_str(j, "kernel_version", m->kernel_version);
    str_if(j, "distribution", m->distribution);
    bdc_json_close(j, '}');

    bdc_json_str(j, "compiler", m->compiler);
    bdc_json_bool(j, "sanitized", m->sanitized);
    bdc_json_open(j, "libraries", '{');
    bdc_json_str(j, "hwloc_api_compiled", m->hwloc_api_compiled);
    bdc_json_str(j, "hwloc_api_runtime", m->hwloc_api_runtime);
    str_if(j, "hwloc_release", m->hwloc_release);
    bdc_json_str(j, "zlib_compiled", m->zlib_compiled);
    bdc_json_str(j, "zlib_runtime", m->zlib_runtime);
    bdc_json_str(j, "simde", m->simde);
    bdc_json_close(j, '}');
    bdc_json_str(j, "bdc_version", m->bdc_version);
    bdc_json_str(j, "commit", m->bdc_commit);
    bdc_json_close(j, '}');
}
