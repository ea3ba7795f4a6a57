/* Small `bdc train` runs and the results the spec demands of them.
 *
 * Each expected value was derived with the independent NumPy oracle, from
 * the spec and not from the C code:
 *
 *   /usr/bin/python3 tests/reference/spec_ref.py ARGS --data-dir DIR
 *
 * where ARGS is the case's argument string without any --dataset, and DIR
 * is data/mnist (or /usr/share/datasets/fashion-mnist for --dataset
 * fashion); the oracle prints test_correct, test_samples and
 * weights_fnv1a64.  `make check-reference` re-derives every line this way,
 * runs bdc beside it, and fails on any difference;
 * `tests/reference/check_reference.py --print` prints the lines afresh.
 *
 * X(name, bdc train arguments, test correct, test samples, weights fnv1a64)
 * The *_subnormal cases train so few neurons that the weights of pixels
 * that are never lit decay into the subnormal range (checked with the
 * oracle), so they would catch a flush-to-zero anywhere.
 */
#ifndef BDC_TEST_E2E_CASES_H
#define BDC_TEST_E2E_CASES_H

#define BDC_E2E_CASES(X) \
    X(bidir_h64, "--model bidir --train-limit 1000 --test-limit 500 --hidden 64 --epochs 2", 387, 500, "bac33771ffda6312") \
    X(entangled_h64, "--model entangled --train-limit 1000 --test-limit 500 --hidden 64 --epochs 2", 382, 500, "e33773d2f64ec9c5") \
    X(binconv_h64, "--model binconv --train-limit 500 --test-limit 300 --hidden 64 --epochs 2", 239, 300, "d73a588b79149328") \
    X(bidir_subnormal, "--model bidir --train-limit 2000 --test-limit 500 --hidden 2 --epochs 2", 109, 500, "37b245c7cd798d0b") \
    X(entangled_subnormal, "--model entangled --train-limit 2000 --test-limit 500 --hidden 4 --epochs 2", 182, 500, "a2f4033d3348199f") \
    X(entangled_ablation, "--model entangled --train-limit 800 --test-limit 300 --hidden 48 --epochs 2 --alpha 1 --beta 0.5 --lr 0.05 --lr-horizon 500 --decay 0.98 --init 0.6 --q-input 0.9 --q-label 1.1", 222, 300, "9489924a49c4a32e") \
    X(bidir_fashion, "--model bidir --dataset fashion --train-limit 800 --test-limit 300 --hidden 48 --epochs 2", 190, 300, "1c45456bde70aed7")

#endif
