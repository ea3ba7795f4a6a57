#include "tiny_data.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bdc_tiny_image(size_t i, uint8_t pixels[BDC_TINY_PIXELS], uint8_t *label)
{
    *label = (uint8_t)(i % 10);
    memset(pixels, 0, BDC_TINY_PIXELS);
    if (i % 1000 == 0)
        return; /* blank */
    if (i % 1000 == 1) {
        memset(pixels, 255, BDC_TINY_PIXELS); /* every activation equal */
        return;
    }
    if (i % 1000 == 2) {
        pixels[14 * 28 + 14] = 255; /* one lit pixel */
        return;
    }
    /* A blob per class at its own place, with noise: learnable, so that the
     * runs also differ from one setting to another. */
    uint32_t x = (uint32_t)i * 2654435761u + 12345u;
    const size_t cy = 6 + (*label % 4) * 5, cx = 6 + (*label / 4) * 7;
    for (size_t y = 0; y < 28; y++)
        for (size_t c = 0; c < 28; c++) {
            x = x * 1664525u + 1013904223u;
            const size_t dy = y > cy ? y - cy : cy - y, dx = c > cx ? c - cx : cx - c;
            if (dy <= 3 && dx <= 3)
                pixels[y * 28 + c] = (uint8_t)(128 + (x >> 25));
            else if ((x >> 28) == 0)
                pixels[y * 28 + c] = (uint8_t)(x >> 24);
        }
}

static void put_be32(FILE *f, uint32_t v)
{
    const uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    ck_assert_uint_eq(fwrite(b, 1, 4, f), 4);
}

static void write_set(const char *dir, const char *prefix, size_t first, size_t count)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s-images-idx3-ubyte", dir, prefix);
    FILE *img = fopen(path, "wb");
    ck_assert_msg(img != NULL, "cannot create %s", path);
    snprintf(path, sizeof path, "%s/%s-labels-idx1-ubyte", dir, prefix);
    FILE *lab = fopen(path, "wb");
    ck_assert_msg(lab != NULL, "cannot create %s", path);
    const uint8_t image_magic[4] = {0, 0, 8, 3}, label_magic[4] = {0, 0, 8, 1};
    ck_assert_uint_eq(fwrite(image_magic, 1, 4, img), 4);
    put_be32(img, (uint32_t)count);
    put_be32(img, 28);
    put_be32(img, 28);
    ck_assert_uint_eq(fwrite(label_magic, 1, 4, lab), 4);
    put_be32(lab, (uint32_t)count);
    for (size_t i = first; i < first + count; i++) {
        uint8_t pixels[BDC_TINY_PIXELS], label;
        bdc_tiny_image(i, pixels, &label);
        ck_assert_uint_eq(fwrite(pixels, 1, sizeof pixels, img), sizeof pixels);
        ck_assert_uint_eq(fwrite(&label, 1, 1, lab), 1);
    }
    ck_assert_int_eq(fclose(img), 0);
    ck_assert_int_eq(fclose(lab), 0);
}

void bdc_tiny_dataset(const char *dir, size_t train, size_t test)
{
    write_set(dir, "train", 0, train);
    write_set(dir, "t10k", 1000, test);
}
