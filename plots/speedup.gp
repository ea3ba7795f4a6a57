# End-to-end training speed-up over the scalar family on one thread: one
# group of bars per configuration, one bar per kernel family (and thread
# count, engine).  Emulated families are hatched.  Data and titles: plots.py.
load style_file
load vars_file
set title title_text
set ylabel "training speed-up over scalar (×)"
set style data histograms
set style histogram clustered gap 1.5
set boxwidth 0.9 relative
set yrange [0 : ymax * 1.15]
set xtics rotate by xtics_angle left noenhanced
set grid noxtics nomxtics
set key outside top center horizontal reverse Left maxcols 4 width 1
plot for [i = 1:nseries] data_file using (column(i + 1)):xtic(1) \
         lc rgb family_color(value(sprintf("color_%d", i))) \
         fs pattern (value(sprintf("emulated_%d", i)) ? 4 : 3) border rgb "#404040" \
         title value(sprintf("title_%d", i)), \
     1 with lines dt 2 lc rgb "black" lw 1 title "scalar = 1"
