/* A tiny MNIST-shaped dataset written by the tests themselves, so that a
 * run of ./bdc on it takes milliseconds: 28x28 images (binconv takes
 * them), raw IDX files, pixels from a fixed generator, and among them the
 * edge cases: a blank image, an all-white one, a single lit pixel. */
#ifndef BDC_TEST_TINY_DATA_H
#define BDC_TEST_TINY_DATA_H

#include <stddef.h>
#include <stdint.h>

enum { BDC_TINY_SIDE = 28, BDC_TINY_PIXELS = 28 * 28 };

/* The pixels and the label of image i (of any set: the generator is the
 * same; train and test differ by their offset). */
void bdc_tiny_image(size_t i, uint8_t pixels[BDC_TINY_PIXELS], uint8_t *label);

/* Writes the four IDX files of a dataset into dir (which exists): `train`
 * training images (image 0 onwards) and `test` test images (image 1000
 * onwards).  A failure fails the test. */
void bdc_tiny_dataset(const char *dir, size_t train, size_t test);

#endif
