title_1 = "bidir, H=1500, 8 epochs"
color_1 = 1
emulated_1 = 0
title_2 = "bidir (input-only α=1, β=0), H=1500, 8 epochs"
color_2 = 6
emulated_2 = 0
title_3 = "bidir (label-only α=0, β=1), H=1500, 8 epochs"
color_3 = 7
emulated_3 = 0
title_4 = "entangled, H=784, 3 epochs"
color_4 = 2
emulated_4 = 0
title_5 = "binconv, H=1000, 2 epochs"
color_5 = 3
emulated_5 = 0
title_6 = "mlp, H=1000, 20 epochs"
color_6 = 4
emulated_6 = 0
nseries = 6
data_file = "figures/paper/data/curves-samples-fashion.tsv"
title_text = "Learning curves, Fashion-MNIST"
xlabel_text = "training samples seen (log scale)"
xlo = 7692.307692307692
xhi = 1560000.0
ymin = 26.979999999999997
ymax = 89.3
xtics_list = "(\"10k\" 10000, \"20k\" 20000, \"50k\" 50000, \"100k\" 100000, \"200k\" 200000, \"500k\" 500000, \"1M\" 1000000)"
