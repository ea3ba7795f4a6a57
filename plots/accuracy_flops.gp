# Test accuracy against executed training FLOPs: one line per learner
# variant and training length through its hidden sizes (FLOPs grow with H),
# and the Pareto front of all runs.  Data and titles: plots.py.
load style_file
load vars_file
set key maxrows int((nseries + 2) / 2) height 0.6
set title title_text
set xlabel "executed training FLOPs (log scale)"
set ylabel "test accuracy (%)"
set logscale x
set xrange [xlo : xhi]
if (strlen(xtics_list)) { eval("set xtics " . xtics_list) }
pad = (ymax - ymin) * 0.06 + 0.2
set yrange [ymin - pad : (ymax + pad > 100 ? 100 : ymax + pad)]
plot for [i = 1:nseries] data_file index (i - 1) using 2:3 with linespoints \
         lc rgb learner_color(value(sprintf("color_%d", i))) \
         pt point_type(value(sprintf("point_%d", i))) ps 1.3 * pscale lw 1.4 \
         title value(sprintf("title_%d", i)), \
     front_file using 1:2 with steps dt (6, 4) lc rgb "black" lw 1.2 title "Pareto front", \
     front_file using 1:2 with points pt 6 ps 2.3 * pscale lw 1.2 lc rgb "black" notitle
