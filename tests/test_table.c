/* Paper tables: significant digits, Markdown and LaTeX escaping, and
 * `bdc table`'s flags (formats, columns, filters, order, groups, the
 * fastest run of a configuration, bad flags) on a runs.csv written here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/sigfig.h"
#include "../harness/table_paper.h"
#include "helpers.h"
#include "suites.h"

/* --- units ------------------------------------------------------------- */

START_TEST(significant_digits)
{
    static const struct { double v; int digits; const char *text; } cases[] = {
        {0.9, 3, "0.900"},      {1.5, 3, "1.50"},       {12.345, 3, "12.3"},
        {229.2, 3, "229"},      {1234.4, 3, "1234"},    {9.996, 3, "10.0"},
        {99.96, 3, "100"},      {0.0775, 3, "0.0775"},  {0.00421, 3, "0.00421"},
        {1e-4, 3, "0.000100"},  {2.5e-5, 3, "2.50e-05"}, {0, 3, "0.00"},
        {-3.14159, 2, "-3.1"},  {0.96, 1, "1"},         {123456789, 3, "123456789"},
        {0.5, 9, "0.500000000"},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        bdc_format_sig(buf, sizeof buf, cases[i].v, cases[i].digits);
        ck_assert_msg(strcmp(buf, cases[i].text) == 0, "%g to %d digits: '%s', not '%s'",
                      cases[i].v, cases[i].digits, buf, cases[i].text);
    }
    bdc_format_sig(buf, sizeof buf, 0.0 / 0.0, 3);
    ck_assert_str_eq(buf, "-");
    bdc_format_sig(buf, sizeof buf, -1.0 / 0.0, 3);
    ck_assert_str_eq(buf, "-inf");
}
END_TEST

typedef void (*escape_fn)(FILE *, const char *);

static void check_escape(escape_fn fn, const char *in, const char *want)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    fn(f, in);
    fclose(f);
    ck_assert_msg(strcmp(text, want) == 0, "'%s' became '%s', not '%s'", in, text, want);
    free(text);
}

START_TEST(latex_escaping)
{
    check_escape(bdc_latex_escape, "test acc %", "test acc \\%");
    check_escape(bdc_latex_escape, "a_b&c#d$e{f}", "a\\_b\\&c\\#d\\$e\\{f\\}");
    check_escape(bdc_latex_escape, "x\\y~z^w", "x\\textbackslash{}y\\textasciitilde{}z"
                                              "\\textasciicircum{}w");
    check_escape(bdc_latex_escape, "<|>", "\\textless{}\\textbar{}\\textgreater{}");
    check_escape(bdc_latex_escape, "two\nlines", "two lines");
    check_escape(bdc_latex_escape, "-", "--");
    check_escape(bdc_latex_escape, "2.50e-05", "$2.50\\times10^{-5}$");
    check_escape(bdc_latex_escape, "-1e+20", "$-1\\times10^{20}$");
    /* Not numbers: left as text. */
    check_escape(bdc_latex_escape, "e-5", "e-5");
    check_escape(bdc_latex_escape, "1e", "1e");
    check_escape(bdc_latex_escape, "avx2 (emulated)", "avx2 (emulated)");
    check_escape(bdc_latex_escape, "96.14", "96.14");
}
END_TEST

START_TEST(markdown_escaping)
{
    check_escape(bdc_markdown_escape, "a|b", "a\\|b");
    check_escape(bdc_markdown_escape, "my_data*set*", "my\\_data\\*set\\*");
    check_escape(bdc_markdown_escape, "`x` [y] <z>", "\\`x\\` \\[y\\] \\<z\\>");
    check_escape(bdc_markdown_escape, "back\\slash", "back\\\\slash");
    check_escape(bdc_markdown_escape, "two\nlines\tand\ra\x01 bell", "two lines and a bell");
    check_escape(bdc_markdown_escape, "96.14", "96.14");
    check_escape(bdc_markdown_escape, "s to 95%", "s to 95%");
}
END_TEST

/* --- bdc table on a runs.csv --------------------------------------------- */

/* Six runs: bidir 100 and 300 on two datasets, and the 300/mnist run
 * three more times with other kernels (one emulated and fastest, one
 * slower, one faster and native).  A --data-dir dataset path holds the
 * characters both formats must escape. */
static const char runs_csv[] =
    "run_id,machine,commit,sanitized,model,dataset,hidden,epochs,kernel,threads,alpha,beta,"
    "target,kernel_status,test_accuracy,train_flops,train_seconds,infer_flops_per_sample,"
    "parameters,seconds_to_target\n"
    "r1,m1,c1,0,bidir,mnist,300,2,avx2,1,1.75,1,0.95,native,0.9214,11886654240,0.397132,"
    "92000,238200,\n"
    "r2,m1,c1,0,bidir,mnist,100,2,avx2,1,1.75,1,0.95,native,0.88,3960000000,0.13,30000,79400,\n"
    "r3,m1,c2,0,bidir,/data/my_set|50%,300,2,avx2,1,1.75,1,0.95,native,0.5,11886654240,0.5,"
    "92000,238200,\n"
    "r4,m1,c2,0,bidir,mnist,300,2,neon,1,1.75,1,0.95,emulated,0.9214,11886654240,0.2,92000,"
    "238200,\n"
    "r5,m1,c2,0,bidir,mnist,300,2,scalar,1,1.75,1,0.95,native,0.9214,11886654240,2.1,92000,"
    "238200,\n"
    "r6,m1,c2,0,bidir,mnist,300,2,sse,2,1.75,1,0.95,native,0.9214,11886654240,0.31,92000,"
    "238200,1.25\n"
    "r7,m1,c2,0,bidir,mnist,300,2,sse,1,1,0,0.95,native,0.9001,11886654240,0.33,92000,"
    "238200,\n";

typedef struct fixture {
    char dir[512], csv[600];
} fixture;

static void make_fixture(fixture *fx)
{
    bdc_test_tmpdir(fx->dir, sizeof fx->dir);
    snprintf(fx->csv, sizeof fx->csv, "%s/runs.csv", fx->dir);
    ck_assert_int_eq(bdc_test_write(fx->csv, runs_csv), 0);
}

static char out[32768], err[32768];

/* Runs bdc table with the fixture's runs.csv first; returns the status. */
static int table(const fixture *fx, const char *const *flags)
{
    const char *args[32] = {"table", fx->csv};
    size_t n = 2;
    for (; flags[n - 2]; n++) args[n] = flags[n - 2];
    args[n] = NULL;
    return bdc_test_run(args, out, err, sizeof out);
}

/* The order in which the needles appear in the haystack, all present. */
static void in_order(const char *hay, const char *const *needles)
{
    const char *at = hay;
    for (size_t i = 0; needles[i]; i++) {
        const char *next = strstr(at, needles[i]);
        ck_assert_msg(next != NULL, "'%s' missing or out of order in:\n%s", needles[i], hay);
        at = next + strlen(needles[i]);
    }
}

START_TEST(markdown_table)
{
    fixture fx;
    make_fixture(&fx);
    const char *flags[] = {"--format", "markdown", "--columns",
                           "model,dataset,hidden,kernel,accuracy,train_gflop", NULL};
    ck_assert_int_eq(table(&fx, flags), 0);
    /* Where it came from, in a comment; then the table. */
    in_order(out, (const char *const[]){
                      "<!--\nGenerated by: ", " table ", "runs.csv --format markdown --columns "
                      "model,dataset,hidden,kernel,accuracy,train_gflop\n",
                      "bdc 0.1.0, commit ", "7 runs on m1, recorded by bdc commit c1, c2\n",
                      "-->\n\n",
                      "| model | dataset | H | kernel | test acc % | train GFLOP |\n"
                      "|---|---|---:|---|---:|---:|\n",
                      "| bidir | mnist | 100 | avx2 | 88.00 | 3.96 |\n",
                      "| bidir | mnist | 300 | avx2 | 92.14 | 11.9 |\n",
                      "| bidir | /data/my\\_set\\|50% | 300 |",
                      "| neon (emulated) |", "\nFLOPs are executed", NULL});
    bdc_test_remove_tree(fx.dir);
}
END_TEST

START_TEST(latex_table)
{
    fixture fx;
    make_fixture(&fx);
    const char *flags[] = {"--format", "latex", "--columns", "dataset,hidden,accuracy,time_to_target",
                           "--where", "kernel=avx2", "--caption", "Runs of $\\alpha$",
                           "--label", "tab:runs", NULL};
    ck_assert_int_eq(table(&fx, flags), 0);
    in_order(out, (const char *const[]){
                      "% Generated by: ", " --caption 'Runs of $\\alpha$' --label tab:runs\n",
                      "% bdc 0.1.0, commit ", "% From ", "3 runs on m1",
                      "% Needs \\usepackage{booktabs}.\n",
                      "\\begin{table}\n\\centering\n\\caption{Runs of $\\alpha$}\n"
                      "\\label{tab:runs}\n\\begin{tabular}{@{}lrrr@{}}\n\\toprule\n"
                      "dataset & H & test acc \\% & s to 95\\% \\\\\n\\midrule\n",
                      "mnist & 100 & 88.00 & -- \\\\\n",
                      "mnist & 300 & 92.14 & -- \\\\\n",
                      "/data/my\\_set\\textbar{}50\\% & 300 & 50.00 & -- \\\\\n",
                      "\\bottomrule\n\\end{tabular}\n",
                      "% FLOPs are executed", "\\end{table}\n", NULL});
    /* Without a caption or a label: the tabular alone. */
    const char *bare[] = {"--format", "tex", NULL};
    ck_assert_int_eq(table(&fx, bare), 0);
    ck_assert_ptr_null(strstr(out, "\\begin{table}"));
    ck_assert_ptr_nonnull(strstr(out, "\\begin{tabular}"));
    bdc_test_remove_tree(fx.dir);
}
END_TEST

START_TEST(grouping_and_sorting)
{
    fixture fx;
    make_fixture(&fx);
    /* Groups in order of first appearance; rows by accuracy, descending;
     * the group's column is not repeated. */
    const char *flags[] = {"--group", "dataset", "--sort", "-accuracy,run_id", "--columns",
                           "run_id,dataset,accuracy", NULL};
    ck_assert_int_eq(table(&fx, flags), 0);
    ck_assert_ptr_null(strstr(out, "dataset  "));
    in_order(out, (const char *const[]){"dataset: mnist\n", "r1 ", "r4 ", "r5 ", "r6 ",
                                        "r7 ", "r2 ", "\ndataset: /data/my_set|50%\n",
                                        "r3 ", NULL});
    /* Naming the group in --sort orders the groups too (text ascending). */
    const char *sorted[] = {"--group", "dataset", "--sort", "dataset,-hidden,train_s",
                            "--columns", "run_id", "--format", "markdown", NULL};
    ck_assert_int_eq(table(&fx, sorted), 0);
    in_order(out, (const char *const[]){"| **dataset: /data/my\\_set\\|50%** |\n", "| r3 |",
                                        "| **dataset: mnist** |\n", "| r4 |", "| r6 |", "| r7 |",
                                        "| r1 |", "| r5 |", "| r2 |", NULL});
    /* The default order: model, hidden, epochs, then the file's order. */
    const char *plain[] = {"--columns", "run_id,hidden", NULL};
    ck_assert_int_eq(table(&fx, plain), 0);
    in_order(out, (const char *const[]){"r2 ", "r1 ", "r3 ", "r4 ", "r5 ", "r6 ", "r7 ",
                                        NULL});
    /* LaTeX groups: a \multicolumn heading, \midrule between groups. */
    const char *latex[] = {"--group", "model", "--columns", "model,run_id,hidden",
                           "--where", "hidden=100,3e2", "--where", "dataset!=mnist",
                           "--format", "latex", NULL};
    ck_assert_int_eq(table(&fx, latex), 0);
    in_order(out, (const char *const[]){"\\begin{tabular}{@{}lr@{}}\n",
                                        "run id & H \\\\\n\\midrule\n"
                                        "\\multicolumn{2}{@{}l}{\\textit{model: bidir}} \\\\\n"
                                        "r3 & 300 \\\\\n\\bottomrule\n", NULL});
    bdc_test_remove_tree(fx.dir);
}
END_TEST

START_TEST(fastest_and_digits)
{
    fixture fx;
    make_fixture(&fx);
    /* r1, r4, r5, r6 are one configuration: r4 (emulated) is the fastest,
     * r6 the fastest native one.  r7 differs in alpha and beta. */
    const char *flags[] = {"--fastest", "--columns", "run_id,kernel,threads,train_s",
                           "--digits", "2", NULL};
    ck_assert_int_eq(table(&fx, flags), 0);
    in_order(out, (const char *const[]){"r2 ", "0.13\n", "r6 ", "0.31\n", "r3 ", "0.50\n",
                                        "r7 ", "0.33\n", NULL});
    ck_assert_ptr_null(strstr(out, "r1 "));
    ck_assert_ptr_null(strstr(out, "r4 "));
    ck_assert_ptr_null(strstr(out, "r5 "));
    /* --compared keeps the configurations run in several ways; speed-up is
     * over the scalar run of the same configuration. */
    const char *compared[] = {"--compared", "--columns", "run_id,kernel,speedup", "--sort",
                              "-speedup", NULL};
    ck_assert_int_eq(table(&fx, compared), 0);
    in_order(out, (const char *const[]){"r4      neon (emulated)      10.5\n",
                                        "r6      sse                  6.77\n",
                                        "r1      avx2                 5.29\n",
                                        "r5      scalar               1.00\n", NULL});
    ck_assert_ptr_null(strstr(out, "r2 "));
    ck_assert_ptr_null(strstr(out, "r3 "));
    ck_assert_ptr_null(strstr(out, "r7 "));
    /* Conditions joined by '|': either may hold. */
    const char *either[] = {"--where", "run_id=r2|alpha=1", "--columns", "run_id", NULL};
    ck_assert_int_eq(table(&fx, either), 0);
    in_order(out, (const char *const[]){"r2\n", "r7\n", NULL});
    ck_assert_ptr_null(strstr(out, "r1\n"));
    /* Raw columns: config as written, measurements to the digits asked. */
    const char *raw[] = {"--columns", "run_id,alpha,train_seconds,test_accuracy", "--where",
                         "run_id=r1", "--digits", "4", NULL};
    ck_assert_int_eq(table(&fx, raw), 0);
    ck_assert_ptr_nonnull(strstr(out, "r1       1.75         0.3971         0.9214\n"));
    bdc_test_remove_tree(fx.dir);
}
END_TEST

START_TEST(bad_flags_exit_2)
{
    fixture fx;
    make_fixture(&fx);
    static const struct { const char *flags[6]; const char *error; } bad[] = {
        {{"--format", "html"}, "--format: unknown format 'html'"},
        {{"--sort", "nope"}, "--sort: unknown column 'nope'"},
        {{"--sort", ","}, "--sort: no key named"},
        {{"--group", "nope"}, "--group: unknown column 'nope'"},
        {{"--columns", "model,nope"}, "--columns: unknown column 'nope'"},
        {{"--columns", "model", "--group", "model"}, "--columns: no column left"},
        {{"--where", "nope=1"}, "--where: unknown column 'nope'"},
        {{"--where", "model"}, "--where: 'model' is not COLUMN=VALUE"},
        {{"--where", "=x"}, "--where: '=x' is not COLUMN=VALUE"},
        {{"--where", "!=x"}, "--where: '!=x' is not COLUMN=VALUE"},
        {{"--where", "model=bidir|"}, "--where: 'model=bidir|' is not COLUMN=VALUE"},
        {{"--where", "model=bidir|nope!=2"}, "--where: unknown column 'nope'"},
        {{"--digits", "0"}, "--digits: '0' is not a whole number in 1..9"},
        {{"--digits", "x"}, "--digits: 'x' is not a whole number in 1..9"},
        {{"--caption", "x"}, "--caption is for --format latex"},
        {{"--label", "x", "--format", "markdown"}, "--label is for --format latex"},
        {{"--sideways"}, "unknown option '--sideways'"},
        {{"--group"}, "--group needs a value"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert_msg(table(&fx, bad[i].flags) == 2, "case %zu: status not 2", i);
        ck_assert_msg(strstr(err, bad[i].error) != NULL, "case %zu: '%s'", i, err);
        ck_assert_msg(bdc_test_lines(err) == 1, "case %zu: '%s'", i, err);
        ck_assert_msg(out[0] == '\0', "case %zu printed '%s'", i, out);
    }
    /* A missing or damaged file is a runtime failure, naming the file. */
    const char *missing[] = {"table", "/nonexistent/runs.csv", NULL};
    ck_assert_int_eq(bdc_test_run(missing, out, err, sizeof out), 1);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/runs.csv"));
    ck_assert_int_eq(bdc_test_write(fx.csv, "model,hidden\nbidir\n"), 0);
    const char *damaged[] = {"table", fx.csv, NULL};
    ck_assert_int_eq(bdc_test_run(damaged, out, err, sizeof out), 1);
    ck_assert_ptr_nonnull(strstr(err, "runs.csv:2:"));
    bdc_test_remove_tree(fx.dir);
}
END_TEST

/* Runs with different targets: the header says "target", a note says
 * which; with one target the header names it. */
START_TEST(targets_are_named)
{
    fixture fx;
    make_fixture(&fx);
    const char *flags[] = {"--columns", "run_id,time_to_target", NULL};
    ck_assert_int_eq(table(&fx, flags), 0);
    ck_assert_ptr_nonnull(strstr(out, "s to 95%"));
    ck_assert_ptr_null(strstr(out, "The target accuracies"));
    char *text = strdup(runs_csv), *r3 = strstr(text, "\nr3,");
    ck_assert_ptr_nonnull(r3);
    char *target = strstr(r3, ",0.95,");
    memcpy(target, ",0.90,", 6);
    ck_assert_int_eq(bdc_test_write(fx.csv, text), 0);
    free(text);
    ck_assert_int_eq(table(&fx, flags), 0);
    in_order(out, (const char *const[]){"s to target\n", "The target accuracies: 95% (mnist), "
                                        "90% (/data/my_set|50%)\n", NULL});
    bdc_test_remove_tree(fx.dir);
}
END_TEST

START_TEST(several_files_one_table)
{
    fixture a, b;
    make_fixture(&a);
    make_fixture(&b);
    ck_assert_int_eq(bdc_test_write(b.csv, "run_id,machine,model,hidden,epochs\n"
                                           "q1,m2,entangled,784,3\n"),
                     0);
    const char *args[] = {"table", a.csv, b.dir, "--columns", "machine,model,run_id",
                          "--where", "machine=m2", "--format", "markdown", NULL};
    ck_assert_int_eq(bdc_test_run(args, out, err, sizeof out), 0);
    in_order(out, (const char *const[]){"1 run on m2, recorded by bdc commit ?",
                                        "| m2 | entangled | q1 |", NULL});
    bdc_test_remove_tree(a.dir);
    bdc_test_remove_tree(b.dir);
}
END_TEST

Suite *bdc_suite_table(void)
{
    Suite *s = suite_create("table");
    TCase *units = tcase_create("formats");
    tcase_add_test(units, significant_digits);
    tcase_add_test(units, latex_escaping);
    tcase_add_test(units, markdown_escaping);
    suite_add_tcase(s, units);
    TCase *cmd = tcase_create("command");
    tcase_set_timeout(cmd, 60);
    tcase_add_test(cmd, markdown_table);
    tcase_add_test(cmd, latex_table);
    tcase_add_test(cmd, grouping_and_sorting);
    tcase_add_test(cmd, fastest_and_digits);
    tcase_add_test(cmd, bad_flags_exit_2);
    tcase_add_test(cmd, targets_are_named);
    tcase_add_test(cmd, several_files_one_table);
    suite_add_tcase(s, cmd);
    return s;
}
