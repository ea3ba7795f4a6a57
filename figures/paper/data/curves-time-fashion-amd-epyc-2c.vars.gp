title_1 = "bidir, H=1500, 8 epochs, avx2, 2 threads"
color_1 = 1
emulated_1 = 0
title_2 = "bidir (input-only α=1, β=0), H=1500, 8 epochs, avx2, 2 threads"
color_2 = 6
emulated_2 = 0
title_3 = "bidir (label-only α=0, β=1), H=1500, 8 epochs, avx2, 2 threads"
color_3 = 7
emulated_3 = 0
title_4 = "entangled, H=784, 3 epochs, avx2, 2 threads"
color_4 = 2
emulated_4 = 0
title_5 = "binconv, H=1000, 2 epochs, avx2, 2 threads"
color_5 = 3
emulated_5 = 0
title_6 = "mlp, H=1000, 20 epochs, avx2"
color_6 = 4
emulated_6 = 0
nseries = 6
data_file = "figures/paper/data/curves-time-fashion-amd-epyc-2c.tsv"
title_text = "Learning curves against training time, Fashion-MNIST, on amd-epyc-2c"
xlabel_text = "training wall time, tests excluded (s, log scale)"
xlo = 0.0731253846153846
xhi = 67.3805561
ymin = 26.979999999999997
ymax = 89.3
xtics_list = "(\"0.1\" 0.1, \"0.2\" 0.2, \"0.5\" 0.5, \"1\" 1, \"2\" 2, \"5\" 5, \"10\" 10, \"20\" 20, \"50\" 50)"
