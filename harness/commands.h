/* The subcommands of ./bdc; each returns an exit status (args.h). */
#ifndef BDC_COMMANDS_H
#define BDC_COMMANDS_H

int bdc_cmd_train(int argc, char **argv);
int bdc_cmd_info(int argc, char **argv);

#endif
