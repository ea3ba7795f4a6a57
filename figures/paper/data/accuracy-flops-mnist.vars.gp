title_1 = "bidir, 2 epochs"
color_1 = 1
point_1 = 2
title_2 = "bidir, 8 epochs"
color_2 = 1
point_2 = 5
title_3 = "bidir (input-only α=1, β=0), 2 epochs"
color_3 = 6
point_3 = 2
title_4 = "bidir (input-only α=1, β=0), 8 epochs"
color_4 = 6
point_4 = 5
title_5 = "bidir (label-only α=0, β=1), 2 epochs"
color_5 = 7
point_5 = 2
title_6 = "bidir (label-only α=0, β=1), 8 epochs"
color_6 = 7
point_6 = 5
title_7 = "entangled, 1 epoch"
color_7 = 2
point_7 = 1
title_8 = "entangled, 3 epochs"
color_8 = 2
point_8 = 3
title_9 = "binconv, 1 epoch"
color_9 = 3
point_9 = 1
title_10 = "binconv, 2 epochs"
color_10 = 3
point_10 = 2
title_11 = "mlp, 1 epoch"
color_11 = 4
point_11 = 1
title_12 = "mlp, 5 epochs"
color_12 = 4
point_12 = 4
title_13 = "mlp, 20 epochs"
color_13 = 4
point_13 = 6
nseries = 13
data_file = "figures/paper/data/accuracy-flops-mnist.tsv"
front_file = "figures/paper/data/accuracy-flops-mnist-front.tsv"
title_text = "Test accuracy against training compute, MNIST"
xlo = 1461258683.75
xhi = 1328337496480.0
ymin = 56.269999999999996
ymax = 98.49
xtics_list = "(\"2×10^{9}\" 2000000000, \"5×10^{9}\" 5000000000, \"10^{10}\" 1e+10, \"2×10^{10}\" 2e+10, \"5×10^{10}\" 5e+10, \"10^{11}\" 1e+11, \"2×10^{11}\" 2e+11, \"5×10^{11}\" 5e+11, \"10^{12}\" 1e+12)"
