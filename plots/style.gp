# The look every figure shares, loaded first by each figure's script.
# plots.py passes: term_kind (png, pdf or svg), out_file, vars_file (the
# figure's data and titles), style_file (this file).
# pscale: point sizes in the scripts are multiplied by it, so that marks
# keep their size relative to the text in every format.
if (term_kind eq "png") {
    set terminal pngcairo size 1280,760 font "DejaVu Sans,13" linewidth 1.3
    pscale = 1.0
} else {
    if (term_kind eq "svg") {
        set terminal svg size 1280,760 font "DejaVu Sans,13" dynamic linewidth 1.3
        pscale = 1.0
    } else {
        # 7 x 4.2 inches: the text width of a paper.
        set terminal pdfcairo size 7in,4.2in font "DejaVu Sans,9" linewidth 0.7
        pscale = 0.55
    }
}
set output out_file
set encoding utf8
set datafile separator "\t"
set datafile missing "-"
set grid xtics ytics mxtics mytics lt 1 lc rgb "#d0d0d0" lw 0.7, lt 1 lc rgb "#ececec" lw 0.5
set border 3 lw 1
set tics nomirror out
# Line figures: the key under the plot, in two columns, so the plot keeps
# the width; bar figures move it above (their scripts say so).
set key outside below center vertical maxcols 2 Left reverse noenhanced samplen 2.5 \
    spacing 1.1 width 1
set title noenhanced

# Learners: one colour per learner variant, in plots.py's order (bidir
# and its ablations first, then entangled, binconv, mlp).
# 1-4: bidir, entangled, binconv, mlp; 5: another model; 6-10: variants.
array learner_colors[10] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#8c564b", \
                            "#17becf", "#9467bd", "#e377c2", "#bcbd22", "#7f7f7f"]
learner_color(i) = learner_colors[(i - 1) % 10 + 1]
# Kernel families: scalar, sse, avx2, neon, other.
array family_colors[5] = ["#7f7f7f", "#ff7f0e", "#1f77b4", "#9467bd", "#2ca02c"]
family_color(i) = family_colors[(i - 1) % 5 + 1]
# Machines, in order.
array machine_colors[6] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]
machine_color(i) = machine_colors[(i - 1) % 6 + 1]
# Point types for up to 8 training lengths: filled circle, square,
# triangle, diamond, inverted triangle, pentagon, then open ones.
array point_types[8] = [7, 5, 9, 13, 11, 15, 6, 4]
point_type(i) = point_types[(i - 1) % 8 + 1]
