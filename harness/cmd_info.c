/* `bdc info`: what this CPU is, which kernel families run on it and how. */
#include <stdio.h>
#include <string.h>

#include "../kernels/cpu.h"
#include "../kernels/dispatch.h"
#include "args.h"
#include "commands.h"
#include "json.h"
#include "version.h"

static const char usage[] =
    "usage: bdc info [--json]\n"
    "\n"
    "Print the CPU model, the features bdc detected, and every kernel family\n"
    "with its status here: native, emulated (SIMDe translates its ISA; correct\n"
    "but not a speed contender) or unavailable; and the family `auto` picks.\n"
    "BDC_CPU_DISABLE=avx2,... hides detected features (a testing aid).\n";

int bdc_cmd_info(int argc, char **argv)
{
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            return BDC_EXIT_OK;
        } else {
            bdc_error("info", "unknown option '%s' (see bdc info --help)", argv[i]);
            return BDC_EXIT_USAGE;
        }
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
        bdc_json_end(&j);
        return BDC_EXIT_OK;
    }
    printf("cpu       %s\n", bdc_cpu_model());
    printf("features ");
    for (unsigned i = 0; i < bdc_cpu_feature_count; i++)
        if (features & bdc_cpu_all_features[i])
            printf(" %s", bdc_cpu_feature_name(bdc_cpu_all_features[i]));
    printf("\nkernels\n");
    for (size_t i = 0; i < bdc_family_count(); i++) {
        const bdc_family *f = bdc_family_at(i);
        printf("  %-7s %-11s %s%s\n", f->name,
               bdc_family_status_name(bdc_family_status_of(f)), f->description,
               f == chosen ? "  <- auto" : "");
    }
    return BDC_EXIT_OK;
}
