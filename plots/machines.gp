# Training time of the same configurations on several machines, each with
# its fastest native kernel family: one group of bars per configuration,
# one bar per machine (log scale).  Data and titles: plots.py.
load style_file
load vars_file
set title title_text
set ylabel "training wall time (s, log scale)"
set logscale y
set yrange [ymin / 2 : ymax * 2]
set style data histograms
set style histogram clustered gap 1.5
set boxwidth 0.9 relative
set xtics rotate by xtics_angle left noenhanced
set grid noxtics nomxtics
set key outside top center horizontal reverse Left maxcols 4 width 1
plot for [i = 1:nseries] data_file using (column(i + 1)):xtic(1) \
         lc rgb machine_color(value(sprintf("color_%d", i))) \
         fs pattern (value(sprintf("emulated_%d", i)) ? 4 : 3) border rgb "#404040" \
         title value(sprintf("title_%d", i))
