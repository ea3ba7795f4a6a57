/* A bdc_table as a paper or a README shows it: Markdown (GitHub's tables)
 * and LaTeX (booktabs).  Both start with comment lines saying where the
 * table came from, so that a table pasted into a paper says how to make it
 * again. */
#ifndef BDC_TABLE_PAPER_H
#define BDC_TABLE_PAPER_H

#include <stddef.h>
#include <stdio.h>

#include "table.h"

/* One HTML comment holding the comment lines, then the table (numbers
 * right-aligned, a group as a row with its label in bold), then the notes
 * as a paragraph. */
void bdc_table_print_markdown(const bdc_table *t, const char *const *comment,
                              size_t ncomment, FILE *f);

/* The comment lines as `%` comments, then a booktabs tabular (\toprule,
 * \midrule, \bottomrule; a group as a \multicolumn row in italics, groups
 * apart by \midrule), the notes as `%` comments.  With a caption or a label
 * (LaTeX, used as given) the tabular goes in a table float, the caption
 * above it. */
void bdc_table_print_latex(const bdc_table *t, const char *const *comment, size_t ncomment,
                           const char *caption, const char *label, FILE *f);

/* A cell's text as Markdown table text: the characters that Markdown or a
 * table would read as syntax are backslash-escaped, line breaks become
 * spaces. */
void bdc_markdown_escape(FILE *f, const char *s);

/* A cell's text as LaTeX text: the ten special characters (and < > |,
 * which the default font encoding lacks) written as commands; a number in
 * exponent form ("2.50e-05") as math ($2.50\times10^{-5}$); a lone "-" (no
 * value) as an en dash. */
void bdc_latex_escape(FILE *f, const char *s);

#endif
