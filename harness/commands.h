/* The subcommands of ./bdc; each returns an exit status (args.h). */
#ifndef BDC_COMMANDS_H
#define BDC_COMMANDS_H

#include "run_record.h"

int bdc_cmd_train(int argc, char **argv);
int bdc_cmd_sweep(int argc, char **argv);
int bdc_cmd_merge(int argc, char **argv);
int bdc_cmd_table(int argc, char **argv);
/* The run `bdc train` would do with these arguments (argv[0] is "train"),
 * resolved without loading anything: 0; 1 for --help; -1 after printing a
 * usage error.  `d` points into argv. */
int bdc_train_plan(int argc, char **argv, bdc_run_desc *d);
int bdc_cmd_info(int argc, char **argv);

#endif
