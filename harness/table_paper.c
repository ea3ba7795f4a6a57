#include "table_paper.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void bdc_markdown_escape(FILE *f, const char *s)
{
    for (; *s; s++) {
        const unsigned char c = (unsigned char)*s;
        if (c == '\n' || c == '\r' || c == '\t')
            fputc(' ', f);
        else if (c < 0x20 || c == 0x7f)
            continue; /* other control characters show as nothing */
        else if (strchr("\\|*_`[]<>#~", c))
            fprintf(f, "\\%c", c);
        else
            fputc(c, f);
    }
}

/* "2.50e-05" and the like: mantissa digits, an optional fraction, e, a
 * signed exponent.  Returns the offset of the 'e', or 0. */
static size_t exponent_form(const char *s)
{
    size_t i = s[0] == '-' ? 1 : 0;
    const size_t start = i;
    while (isdigit((unsigned char)s[i])) i++;
    if (i == start) return 0;
    if (s[i] == '.') {
        const size_t frac = ++i;
        while (isdigit((unsigned char)s[i])) i++;
        if (i == frac) return 0;
    }
    if (s[i] != 'e' && s[i] != 'E') return 0;
    const size_t e = i++;
    if (s[i] == '+' || s[i] == '-') i++;
    const size_t digits = i;
    while (isdigit((unsigned char)s[i])) i++;
    return i > digits && !s[i] ? e : 0;
}

void bdc_latex_escape(FILE *f, const char *s)
{
    if (strcmp(s, "-") == 0) {
        fputs("--", f);
        return;
    }
    const size_t e = exponent_form(s);
    if (e) {
        const long exponent = strtol(s + e + 1, NULL, 10);
        fprintf(f, "$%.*s\\times10^{%ld}$", (int)e, s, exponent);
        return;
    }
    for (; *s; s++) {
        const unsigned char c = (unsigned char)*s;
        switch (c) {
        case '\\': fputs("\\textbackslash{}", f); break;
        case '~': fputs("\\textasciitilde{}", f); break;
        case '^': fputs("\\textasciicircum{}", f); break;
        case '<': fputs("\\textless{}", f); break;
        case '>': fputs("\\textgreater{}", f); break;
        case '|': fputs("\\textbar{}", f); break;
        case '#': case '$': case '%': case '&': case '_': case '{': case '}':
            fprintf(f, "\\%c", c);
            break;
        case '\n': case '\r': case '\t': fputc(' ', f); break;
        default:
            if (c >= 0x20 && c != 0x7f) fputc(c, f);
        }
    }
}

void bdc_table_print_markdown(const bdc_table *t, const char *const *comment,
                              size_t ncomment, FILE *f)
{
    if (ncomment) {
        fputs("<!--\n", f);
        /* An HTML comment ends at the first "-->": no '>' may pass. */
        for (size_t i = 0; i < ncomment; i++) {
            for (const char *s = comment[i]; *s; s++)
                if (*s == '>') fputs("&gt;", f);
                else fputc(*s, f);
            fputc('\n', f);
        }
        fputs("-->\n\n", f);
    }
    fputc('|', f);
    for (size_t c = 0; c < t->columns; c++) {
        fputc(' ', f);
        bdc_markdown_escape(f, t->header[c] ? t->header[c] : "");
        fputs(" |", f);
    }
    fputs("\n|", f);
    for (size_t c = 0; c < t->columns; c++)
        fputs(t->right[c] ? "---:|" : "---|", f);
    fputc('\n', f);
    for (size_t r = 0; r < t->rows; r++) {
        const char *group = bdc_table_group_at(t, r);
        if (group) {
            fputs("| **", f);
            bdc_markdown_escape(f, group);
            fputs("** |", f);
            for (size_t c = 1; c < t->columns; c++) fputs(" |", f);
            fputc('\n', f);
        }
        fputc('|', f);
        for (size_t c = 0; c < t->columns; c++) {
            fputc(' ', f);
            bdc_markdown_escape(f, t->cells[r * t->columns + c]);
            fputs(" |", f);
        }
        fputc('\n', f);
    }
    if (t->notes) fputc('\n', f);
    for (size_t i = 0; i < t->notes; i++) {
        bdc_markdown_escape(f, t->note[i]);
        /* Each note on a line of its own: a hard line break. */
        fputs(i + 1 < t->notes ? "\\\n" : "\n", f);
    }
}

static void latex_comment(FILE *f, const char *s)
{
    fputs("% ", f);
    for (; *s; s++)
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
    fputc('\n', f);
}

void bdc_table_print_latex(const bdc_table *t, const char *const *comment, size_t ncomment,
                           const char *caption, const char *label, FILE *f)
{
    for (size_t i = 0; i < ncomment; i++) latex_comment(f, comment[i]);
    latex_comment(f, "Needs \\usepackage{booktabs}.");
    const int floating = caption || label;
    if (floating) fputs("\\begin{table}\n\\centering\n", f);
    /* Tables take their caption above. */
    if (caption) fprintf(f, "\\caption{%s}\n", caption);
    if (label) fprintf(f, "\\label{%s}\n", label);
    fputs("\\begin{tabular}{@{}", f);
    for (size_t c = 0; c < t->columns; c++) fputc(t->right[c] ? 'r' : 'l', f);
    fputs("@{}}\n\\toprule\n", f);
    for (size_t c = 0; c < t->columns; c++) {
        if (c) fputs(" & ", f);
        bdc_latex_escape(f, t->header[c] ? t->header[c] : "");
    }
    fputs(" \\\\\n\\midrule\n", f);
    for (size_t r = 0; r < t->rows; r++) {
        const char *group = bdc_table_group_at(t, r);
        if (group) {
            if (r) fputs("\\midrule\n", f);
            fprintf(f, "\\multicolumn{%zu}{@{}l}{\\textit{", t->columns);
            bdc_latex_escape(f, group);
            fputs("}} \\\\\n", f);
        }
        for (size_t c = 0; c < t->columns; c++) {
            if (c) fputs(" & ", f);
            bdc_latex_escape(f, t->cells[r * t->columns + c]);
        }
        fputs(" \\\\\n", f);
    }
    fputs("\\bottomrule\n\\end{tabular}\n", f);
    for (size_t i = 0; i < t->notes; i++) latex_comment(f, t->note[i]);
    if (floating) fputs("\\end{table}\n", f);
}
