# Learning curves: test accuracy against training samples seen, or against
# training wall time; one curve per learner variant (its largest run).
# Emulated kernel families are dashed.  Data and titles: plots.py.
load style_file
load vars_file
set key maxrows int((nseries + 2) / 2) height 0.6
set title title_text
set xlabel xlabel_text
set ylabel "test accuracy (%)"
set logscale x
set xrange [xlo : xhi]
if (strlen(xtics_list)) { eval("set xtics " . xtics_list) }
pad = (ymax - ymin) * 0.05 + 0.2
set yrange [ymin - pad : (ymax + pad > 100 ? 100 : ymax + pad)]
plot for [i = 1:nseries] data_file index (i - 1) using 1:2 with linespoints \
         lc rgb learner_color(value(sprintf("color_%d", i))) \
         dt 1 + value(sprintf("emulated_%d", i)) pt 7 ps 0.7 * pscale lw 1.6 \
         title value(sprintf("title_%d", i))
