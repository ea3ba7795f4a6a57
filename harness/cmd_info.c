/* `bdc info`: what this machine is (the machine record: CPU, topology,
 * caches, OS, compiler, libraries) and which kernel families run on it. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../kernels/cpu.h"
#include "../kernels/dispatch.h"
#include "args.h"
#include "commands.h"
#include "json.h"
#include "machine.h"
#include "version.h"

static const char usage[] =
    "usage: bdc info [--json | --id]\n"
    "\n"
    "Print the machine record (CPU model, the features bdc detected, packages,\n"
    "cores, hardware threads, memory, each cache level, OS, compiler and\n"
    "library versions) and every kernel family with its status here: native,\n"
    "emulated (SIMDe translates its ISA; correct but not a speed contender) or\n"
    "unavailable; and the family `auto` picks.\n"
    "\n"
    "  --json   the same as one JSON object; the record is under \"machine\"\n"
    "  --id     only the machine id, the folder name under results/\n"
    "  --help   this text\n"
    "\n"
    "BDC_CPU_DISABLE=avx2,... hides detected features (a testing aid).\n";

/* "48 KiB", "32 MiB", "4.8 GiB": whole units when exact. */
static void format_bytes(char *out, size_t len, uint64_t bytes)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    unsigned u = 0;
    double v = (double)bytes;
    while (v >= 1024.0 && u + 1 < sizeof units / sizeof units[0]) {
        v /= 1024.0;
        u++;
    }
    if (v == (double)(uint64_t)v)
        snprintf(out, len, "%" PRIu64 " %s", (uint64_t)v, units[u]);
    else
        snprintf(out, len, "%.1f %s", v, units[u]);
}

static const char *plural(unsigned n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static void print_machine(const bdc_machine *m)
{
    char size[32];
    printf("machine   %s\n", m->id);
    printf("cpu       %s", m->cpu_model);
    if (m->cpu_vendor[0])
        printf("  (%s, family %s model %s stepping %s)", m->cpu_vendor,
               m->cpu_family[0] ? m->cpu_family : "?",
               m->cpu_model_number[0] ? m->cpu_model_number : "?",
               m->cpu_stepping[0] ? m->cpu_stepping : "?");
    printf("\nfeatures ");
    for (unsigned i = 0; i < bdc_cpu_feature_count; i++)
        if (m->features & bdc_cpu_all_features[i])
            printf(" %s", bdc_cpu_feature_name(bdc_cpu_all_features[i]));
    if (m->features_hidden[0])
        printf("  (hidden by BDC_CPU_DISABLE: %s)", m->features_hidden);
    printf("\ntopology  ");
    if (m->packages)
        printf("%u %s, ", m->packages, plural(m->packages, "package", "packages"));
    printf("%u %s, %u %s", m->cores, plural(m->cores, "core", "cores"), m->pus,
           plural(m->pus, "hardware thread", "hardware threads"));
    if (m->numa_nodes)
        printf(", %u NUMA %s", m->numa_nodes, plural(m->numa_nodes, "node", "nodes"));
    if (m->memory) {
        format_bytes(size, sizeof size, m->memory);
        printf(", %s memory", size);
    }
    printf("  (from %s%s%s)\n", m->topology_source, m->hwloc_backend[0] ? " " : "",
           m->hwloc_backend);
    if (m->cores_allowed != m->cores || m->pus_allowed != m->pus)
        printf("          this process may run on %u %s, %u %s\n", m->cores_allowed,
               plural(m->cores_allowed, "core", "cores"), m->pus_allowed,
               plural(m->pus_allowed, "hardware thread", "hardware threads"));
    if (m->cache_count == 0)
        printf("caches    not reported\n");
    for (unsigned i = 0; i < m->cache_count; i++) {
        const bdc_machine_cache *c = &m->caches[i];
        format_bytes(size, sizeof size, c->size);
        printf("%-9s %-4s %-8s x%-3u", i == 0 ? "caches" : "", c->name, size, c->instances);
        if (c->pus_per_instance)
            printf(" %u %s each", c->pus_per_instance,
                   plural(c->pus_per_instance, "thread", "threads"));
        if (c->line_size)
            printf(", line %u B", c->line_size);
        if (c->associativity > 0)
            printf(", %d-way", c->associativity);
        else if (c->associativity < 0)
            printf(", fully associative");
        if (c->mixed_sizes)
            printf(" (sizes differ between instances)");
        printf("\n");
    }
    printf("os        %s %s", m->os, m->kernel);
    if (m->distribution[0])
        printf(" (%s)", m->distribution);
    printf("\nbuild     %s%s; hwloc %s (API %s, compiled against %s), zlib %s, SIMDe %s\n",
           m->compiler, m->sanitized ? " with AddressSanitizer" : "",
           m->hwloc_release[0] ? m->hwloc_release : "?", m->hwloc_api_runtime,
           m->hwloc_api_compiled, m->zlib_runtime, m->simde);
    printf("bdc       %s (commit %s)\n", m->bdc_version, m->bdc_commit);
}

int bdc_cmd_info(int argc, char **argv)
{
    int json = 0, id_only = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--id") == 0)
            id_only = 1;
        else if (strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            return BDC_EXIT_OK;
        } else {
            bdc_error("info", "unknown option '%s' (see bdc info --help)", argv[i]);
            return BDC_EXIT_USAGE;
        }
    }
    if (json && id_only) {
        bdc_error("info", "--json and --id exclude each other");
        return BDC_EXIT_USAGE;
    }
    bdc_machine machine;
    char err[256];
    if (bdc_machine_probe(&machine, err, sizeof err) != 0)
        bdc_error("info", "warning: %s; counts from sysconf, no caches", err);
    if (id_only) {
        printf("%s\n", machine.id);
        return BDC_EXIT_OK;
    }
    const unsigned features = bdc_cpu_features();
    const bdc_family *chosen = bdc_family_auto();
    if (json) {
        bdc_json j;
        bdc_json_begin(&j, stdout);
        bdc_json_str(&j, "bdc_version", BDC_VERSION);
        bdc_json_str(&j, "commit", BDC_COMMIT);
        bdc_json_str(&j, "cpu_model", bdc_cpu_model());
        bdc_json_open(&j, "features", '[');
        for (unsigned i = 0; i < bdc_cpu_feature_count; i++)
            if (features & bdc_cpu_all_features[i])
                bdc_json_str(&j, NULL, bdc_cpu_feature_name(bdc_cpu_all_features[i]));
        bdc_json_close(&j, ']');
        bdc_json_open(&j, "kernels", '[');
        for (size_t i = 0; i < bdc_family_count(); i++) {
            const bdc_family *f = bdc_family_at(i);
            bdc_json_open(&j, NULL, '{');
            bdc_json_str(&j, "name", f->name);
            bdc_json_str(&j, "status", bdc_family_status_name(bdc_family_status_of(f)));
            bdc_json_str(&j, "description", f->description);
            bdc_json_close(&j, '}');
        }
        bdc_json_close(&j, ']');
        bdc_json_str(&j, "auto", chosen->name);
        bdc_machine_json(&j, "machine", &machine);
        bdc_json_end(&j);
        return BDC_EXIT_OK;
    }
    print_machine(&machine);
    printf("kernels\n");
    for (size_t i = 0; i < bdc_family_count(); i++) {
        const bdc_family *f = bdc_family_at(i);
        printf("  %-7s %-11s %s%s\n", f->name,
               bdc_family_status_name(bdc_family_status_of(f)), f->description,
               f == chosen ? "  <- auto" : "");
    }
    return BDC_EXIT_OK;
}
