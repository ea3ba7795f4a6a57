/* The machine record: what a measurement ran on.  Every result file,
 * `bdc info` and the benchmarks carry it, so that a figure can always be
 * traced to a CPU, its caches, the OS, the compiler and the libraries.
 * The topology comes from hwloc; this is the only file that talks to it. */
#ifndef BDC_MACHINE_H
#define BDC_MACHINE_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"

#define BDC_MACHINE_MAX_CACHES 12

/* One level and kind of cache, as one instance of it looks. */
typedef struct bdc_machine_cache {
    char name[8];        /* "L1d", "L1i", "L2", "L3" */
    unsigned level;      /* 1, 2, 3 ... */
    char kind[12];       /* "data", "instruction" or "unified" */
    uint64_t size;       /* bytes of one instance */
    unsigned line_size;  /* bytes; 0 when unknown */
    int associativity;   /* ways; 0 unknown, -1 fully associative */
    unsigned instances;  /* how many the machine has */
    unsigned pus_per_instance; /* hardware threads sharing one instance */
    int mixed_sizes;     /* instances differ in size (hybrid CPUs); size is
                            that of the first one */
} bdc_machine_cache;

typedef struct bdc_machine {
    char id[80];          /* "amd-epyc-2c": names results/<id>/ */
    char cpu_model[128];
    char cpu_vendor[48];  /* empty when hwloc does not say */
    char cpu_family[16], cpu_model_number[16], cpu_stepping[16];
    char architecture[32];
    unsigned features;    /* BDC_CPU_* bits, as dispatch sees them */
    char features_hidden[128]; /* $BDC_CPU_DISABLE when set */

    char topology_source[16]; /* "hwloc", or "sysconf" when hwloc failed */
    char hwloc_backend[32];   /* "Linux"; "Synthetic" or "XML" when forced
                                 by HWLOC_SYNTHETIC / HWLOC_XMLFILE */
    unsigned packages;    /* 0 when unknown */
    unsigned cores, pus;  /* the whole machine, >= 1 */
    unsigned cores_allowed, pus_allowed; /* those this process may run on:
                             its cgroup's and its launch affinity's */
    unsigned numa_nodes;  /* 0 when unknown */
    uint64_t memory;      /* bytes; 0 when unknown */
    unsigned cache_count;
    bdc_machine_cache caches[BDC_MACHINE_MAX_CACHES]; /* by level, then d, i */

    char os[64], kernel[128], kernel_version[160], distribution[128];
    char compiler[128];
    int sanitized;        /* built with AddressSanitizer: timings mean nothing */
    char hwloc_api_compiled[16], hwloc_api_runtime[16], hwloc_release[32];
    char zlib_compiled[16], zlib_runtime[16];
    char simde[16];
    char bdc_version[16], bdc_commit[48];
} bdc_machine;

/* Fills m afresh.  Returns 0; or -1 with a one-line reason in err when
 * hwloc could not load the topology, in which case m is still complete
 * except for what only hwloc knows (counts then come from sysconf, one core
 * per hardware thread, and no caches are listed). */
int bdc_machine_probe(bdc_machine *m, char *err, size_t errlen);

/* The machine id of a CPU model with `cores` cores: the model's words,
 * lowercase, without the marks "(R)" and "(TM)" and the filler words "cpu"
 * and "processor", joined by '-', cut after at most 60 characters at a word
 * boundary, then "-<cores>c": "AMD EPYC", 2 -> "amd-epyc-2c".  Only
 * [a-z0-9-] ever appears; a model with no words gives "unknown-<cores>c". */
void bdc_machine_make_id(const char *model, unsigned cores, char *id, size_t len);

/* The record of this process, probed on first use and kept.  Never NULL;
 * when the probe failed the record is the degraded one described above. */
const bdc_machine *bdc_machine_get(void);

/* The data or unified cache of one core at `level` (1, 2, 3 ...), or NULL
 * when the machine does not report it. */
const bdc_machine_cache *bdc_machine_data_cache(const bdc_machine *m, unsigned level);

/* Bytes of that cache, 0 when unknown. */
uint64_t bdc_machine_cache_size(const bdc_machine *m, unsigned level);

/* Cores this process may run on (>= 1): the number of threads worth
 * starting for work that wants one core each. */
unsigned bdc_machine_cores(const bdc_machine *m);

/* Binds the calling thread to the core_index-th core this process may run
 * on (its usable hardware threads; see cores_allowed).  Returns 0, or -1 with errno
 * set (EINVAL: no such core; ENOSYS/EXDEV or others from hwloc: the system
 * refuses); the caller reports it and carries on unbound. */
int bdc_machine_bind_thread(unsigned core_index);

/* Writes m as a nested object under key (NULL inside an array). */
void bdc_machine_json(bdc_json *j, const char *key, const bdc_machine *m);

#endif
