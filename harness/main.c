/* ./bdc: the command-line entry point; one subcommand per concept. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "version.h"

static const char usage[] =
    "usage: bdc COMMAND [options]\n"
    "\n"
    "bdc measures what winner-take-all, backprop-free learning buys per unit\n"
    "of compute on a real CPU.\n"
    "\n"
    "commands:\n"
    "  train      train and test one learner (bdc train --help)\n"
    "  info       this CPU, its kernel families and topology (bdc info --help)\n"
    "  sweep      run a grid of trainings from a sweep file (bdc sweep --help)\n"
    "  merge      combine results folders (bdc merge --help)\n"
    "  table      the comparison table of an experiment (bdc table --help)\n"
    "\n"
    "  --version  print the version and the commit it was built from\n"
    "  --help     this text\n"
    "\n"
    "Exit status: 0 success, 1 runtime failure, 2 bad usage.\n";

int main(int argc, char **argv)
{
    if (argc > 0 && argv[0] && *argv[0])
        bdc_argv0 = argv[0];
    if (argc < 2) {
        fputs(usage, stderr);
        return BDC_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return BDC_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("bdc %s (commit %s)\n", BDC_VERSION, BDC_COMMIT);
        return BDC_EXIT_OK;
    }
    if (strcmp(cmd, "train") == 0)
        return bdc_cmd_train(argc - 1, argv + 1);
    if (strcmp(cmd, "info") == 0)
        return bdc_cmd_info(argc - 1, argv + 1);
    if (strcmp(cmd, "sweep") == 0)
        return bdc_cmd_sweep(argc - 1, argv + 1);
    if (strcmp(cmd, "merge") == 0)
        return bdc_cmd_merge(argc - 1, argv + 1);
    if (strcmp(cmd, "table") == 0)
        return bdc_cmd_table(argc - 1, argv + 1);
    fprintf(stderr, "bdc: unknown command '%s' (see bdc --help)\n", cmd);
    return BDC_EXIT_USAGE;
}
