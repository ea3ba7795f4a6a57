# Kernel throughput per family (bars, log scale) and the roofline bound of
# each case (black bar across the group: the best this core can do for the
# case's FLOPs and bytes, docs/benchmarks.md).  Cases are grouped by
# operation, named by shape below and by operation above.  Emulated
# families are hatched.  Data and titles: plots.py.
load style_file
load vars_file
set title title_text
set ylabel "GFLOP/s (log scale)"
set logscale y
set yrange [ymin / 2 : ymax * 3.5]
set style data histograms
set style histogram clustered gap 1
set boxwidth 0.9 relative
set xtics rotate by -90 left noenhanced font ",10"
set xrange [-0.8 : nrows + 0.3]
set grid noxtics nomxtics
set key outside top center horizontal reverse Left maxcols 5 width 1
set errorbars 0
# Operation names above their groups, on two heights so that long names
# of neighbouring groups do not collide.
do for [i = 1:nops] {
    set label i value(sprintf("op_%d", i)) at value(sprintf("op_center_%d", i)), \
        ymax * (i % 2 ? 1.5 : 2.4) center noenhanced font ",10"
}
plot for [i = 1:nseries] data_file using (column(i + 2)):xtic(1) \
         lc rgb family_color(value(sprintf("color_%d", i))) \
         fs pattern (value(sprintf("emulated_%d", i)) ? 4 : 3) border rgb "#404040" \
         title value(sprintf("title_%d", i)), \
     data_file using 0:2:(0.45) with xerrorbars pt 0 lw 2.2 lc rgb "black" \
         title "roofline bound"
