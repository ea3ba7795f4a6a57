/* The IDX reader (harness/idx.h) and the dataset loader (harness/dataset.h)
 * on files this suite writes itself, valid and malformed: every failure is
 * one line that names the file and says what is wrong. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "../harness/dataset.h"
#include "../harness/idx.h"
#include "../harness/samples.h"
#include "run_program.h"
#include "scratch.h"
#include "suites.h"

/* A scratch root per test case, removed by the parent process even when a
 * test fails, and a fresh folder inside it for each test. */
static char *root;
static char dir[4200];

static void make_root(void) { root = bdc_scratch_make(); }
static void remove_root(void) { bdc_scratch_remove(root); root = NULL; }
static void make_dir(void)
{
    snprintf(dir, sizeof dir, "%s/test-XXXXXX", root);
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* An IDX file in memory: header (magic 00 00 type ndims, big-endian
 * dimensions) then the payload. */
typedef struct idx_file {
    uint8_t bytes[4096];
    size_t len;
} idx_file;

static void idx_build(idx_file *f, uint8_t type, uint8_t ndims,
                      const uint32_t *dims, const uint8_t *payload, size_t len)
{
    uint8_t *p = f->bytes;
    *p++ = 0; *p++ = 0; *p++ = type; *p++ = ndims;
    for (unsigned d = 0; d < ndims; d++) {
        *p++ = (uint8_t)(dims[d] >> 24); *p++ = (uint8_t)(dims[d] >> 16);
        *p++ = (uint8_t)(dims[d] >> 8);  *p++ = (uint8_t)dims[d];
    }
    ck_assert_uint_le((size_t)(p - f->bytes) + len, sizeof f->bytes);
    if (len)
        memcpy(p, payload, len);
    f->len = (size_t)(p - f->bytes) + len;
}

/* Three 4x5 images: the first dense, the second sparse, the third blank. */
enum { N_IMG = 3, ROWS = 4, COLS = 5, PIX = ROWS * COLS };
static const uint8_t images[N_IMG * PIX] = {
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 255,
    0, 0, 0, 0, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
static const uint8_t labels[N_IMG] = {7, 0, 9};

static void write_images(const char *name, int gz, uint32_t count,
                         const uint8_t *pixels)
{
    idx_file f;
    const uint32_t dims[3] = {count, ROWS, COLS};
    idx_build(&f, 0x08, 3, dims, pixels, (size_t)count * PIX);
    (gz ? bdc_scratch_write_gz : bdc_scratch_write)(bdc_scratch_path(dir, name),
                                                    f.bytes, f.len);
}

static void write_labels(const char *name, int gz, uint32_t count,
                         const uint8_t *values)
{
    idx_file f;
    const uint32_t dims[1] = {count};
    idx_build(&f, 0x08, 1, dims, values, count);
    (gz ? bdc_scratch_write_gz : bdc_scratch_write)(bdc_scratch_path(dir, name),
                                                    f.bytes, f.len);
}

/* Reads `name` from the scratch folder expecting failure; the message must
 * be one line starting with the path and containing `problem`. */
static void expect_idx_error(const char *name, size_t ndims, const char *problem)
{
    char path[4200], err[512] = "";
    snprintf(path, sizeof path, "%s", bdc_scratch_path(dir, name));
    bdc_idx idx;
    ck_assert_int_eq(bdc_idx_read(path, ndims, &idx, err, sizeof err), -1);
    ck_assert_ptr_null(idx.data);
    ck_assert_msg(strncmp(err, path, strlen(path)) == 0 && err[strlen(path)] == ':',
                  "message does not start with '%s:': %s", path, err);
    ck_assert_msg(strstr(err, problem) != NULL, "message lacks '%s': %s", problem, err);
    ck_assert_msg(strchr(err, '\n') == NULL, "message is not one line: %s", err);
}

static void write_raw(const char *name, const void *bytes, size_t len)
{
    bdc_scratch_write(bdc_scratch_path(dir, name), bytes, len);
}

/* --- the reader on valid files ------------------------------------------- */

static void check_valid_images(int gz)
{
    write_images("img", gz, N_IMG, images);
    char err[512] = "";
    bdc_idx idx;
    ck_assert_int_eq(bdc_idx_read(bdc_scratch_path(dir, "img"), 3, &idx, err, sizeof err), 0);
    ck_assert_uint_eq(idx.ndims, 3);
    ck_assert_uint_eq(idx.dims[0], N_IMG);
    ck_assert_uint_eq(idx.dims[1], ROWS);
    ck_assert_uint_eq(idx.dims[2], COLS);
    ck_assert_uint_eq(idx.item_size, PIX);
    ck_assert_mem_eq(idx.data, images, sizeof images);
    bdc_idx_free(&idx);
    ck_assert_ptr_null(idx.data);
}

START_TEST(valid_raw_images) { check_valid_images(0); }
END_TEST

START_TEST(valid_gzip_images) { check_valid_images(1); }
END_TEST

START_TEST(valid_gzip_labels)
{
    write_labels("lab", 1, N_IMG, labels);
    char err[512] = "";
    bdc_idx idx;
    ck_assert_int_eq(bdc_idx_read(bdc_scratch_path(dir, "lab"), 1, &idx, err, sizeof err), 0);
    ck_assert_uint_eq(idx.ndims, 1);
    ck_assert_uint_eq(idx.dims[0], N_IMG);
    ck_assert_uint_eq(idx.item_size, 1);
    ck_assert_mem_eq(idx.data, labels, sizeof labels);
    bdc_idx_free(&idx);
}
END_TEST

/* --- the reader on malformed files ----------------------------------------- */

START_TEST(empty_file)
{
    write_raw("img", "", 0);
    expect_idx_error("img", 3, "truncated header: 0 of 16 bytes");
}
END_TEST

START_TEST(truncated_header)
{
    write_raw("img", "\0\0", 2);
    expect_idx_error("img", 3, "truncated header: 2 of 16 bytes");
    /* A good start, then only one of the three dimensions. */
    write_raw("img2", "\0\0\x08\x03\0\0\0\x03", 8);
    expect_idx_error("img2", 3, "truncated header: 8 of 16 bytes");
}
END_TEST

START_TEST(truncated_body)
{
    idx_file f;
    const uint32_t dims[3] = {N_IMG, ROWS, COLS};
    idx_build(&f, 0x08, 3, dims, images, sizeof images - 1);
    write_raw("img", f.bytes, f.len);
    expect_idx_error("img", 3, "truncated: the header promises 60 bytes of data, the file has 59");
}
END_TEST

START_TEST(bad_magic)
{
    idx_file f;
    const uint32_t dims[1] = {N_IMG};
    idx_build(&f, 0x08, 1, dims, labels, sizeof labels);
    f.bytes[1] = 0x42;
    write_raw("lab", f.bytes, f.len);
    expect_idx_error("lab", 1, "not an IDX file (magic starts 00 42, expected 00 00)");
}
END_TEST

START_TEST(wrong_element_type)
{
    idx_file f;
    const uint32_t dims[1] = {N_IMG};
    idx_build(&f, 0x0D, 1, dims, labels, sizeof labels); /* 0x0D: float */
    write_raw("lab", f.bytes, f.len);
    expect_idx_error("lab", 1, "element type 0x0d is not unsigned byte (0x08)");
}
END_TEST

START_TEST(wrong_number_of_dimensions)
{
    /* A label file where images are expected, and the other way round. */
    write_labels("lab", 0, N_IMG, labels);
    expect_idx_error("lab", 3, "has 1 dimensions, expected 3 (an image file)");
    write_images("img", 0, N_IMG, images);
    expect_idx_error("img", 1, "has 3 dimensions, expected 1 (a label file)");
}
END_TEST

START_TEST(zero_dimension)
{
    idx_file f;
    const uint32_t no_items[3] = {0, ROWS, COLS};
    idx_build(&f, 0x08, 3, no_items, NULL, 0);
    write_raw("img0", f.bytes, f.len);
    expect_idx_error("img0", 3, "dimension 0 is 0");
    const uint32_t no_columns[3] = {N_IMG, ROWS, 0};
    idx_build(&f, 0x08, 3, no_columns, NULL, 0);
    write_raw("img2", f.bytes, f.len);
    expect_idx_error("img2", 3, "dimension 2 is 0");
}
END_TEST

START_TEST(huge_dimensions_over_the_limit)
{
    idx_file f;
    const uint32_t dims[3] = {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu};
    idx_build(&f, 0x08, 3, dims, images, 16);
    write_raw("img", f.bytes, f.len);
    expect_idx_error("img", 3, "dimensions too large (over 4294967296 bytes of data)");
}
END_TEST

/* A header that promises almost the 4 GiB limit on a file of 16 bytes:
 * the reader must find it truncated without first allocating what the
 * header claims.  Outside the sanitizers (which reserve terabytes of address
 * space) the address space is capped to make a giant allocation fail. */
START_TEST(huge_dimensions_no_giant_allocation)
{
    idx_file f;
    const uint32_t dims[3] = {60000, 28, 2500}; /* 4.2e9 bytes */
    idx_build(&f, 0x08, 3, dims, images, 16);
    write_raw("img", f.bytes, f.len);
#if !defined(__SANITIZE_ADDRESS__)
    struct rlimit cap = {(rlim_t)1 << 31, (rlim_t)1 << 31}; /* 2 GiB */
    ck_assert_int_eq(setrlimit(RLIMIT_AS, &cap), 0);
#endif
    expect_idx_error("img", 3,
                     "truncated: the header promises 4200000000 bytes of data, the file has 16");
}
END_TEST

START_TEST(trailing_bytes)
{
    idx_file f;
    uint8_t extra[N_IMG + 1];
    memcpy(extra, labels, N_IMG);
    extra[N_IMG] = 0;
    const uint32_t dims[1] = {N_IMG};
    idx_build(&f, 0x08, 1, dims, extra, sizeof extra);
    write_raw("lab", f.bytes, f.len);
    expect_idx_error("lab", 1, "trailing bytes after the 3 bytes of data");
}
END_TEST

START_TEST(corrupt_gzip)
{
    /* A gzip header (deflate, no flags) followed by bytes that are not a
     * deflate stream (block type 3 is reserved). */
    static const uint8_t bad[] = {0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03,
                                  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    write_raw("img.gz", bad, sizeof bad);
    expect_idx_error("img.gz", 3, "corrupt gzip data");
}
END_TEST

START_TEST(gzip_with_a_wrong_checksum)
{
    write_images("img.gz", 1, N_IMG, images);
    size_t len;
    unsigned char *gz = bdc_scratch_read(bdc_scratch_path(dir, "img.gz"), &len);
    gz[len - 8] ^= 0x01; /* the CRC-32 of the trailer */
    write_raw("img.gz", gz, len);
    free(gz);
    expect_idx_error("img.gz", 3, "corrupt gzip data");
}
END_TEST

START_TEST(truncated_gzip)
{
    write_images("img.gz", 1, N_IMG, images);
    size_t len;
    unsigned char *gz = bdc_scratch_read(bdc_scratch_path(dir, "img.gz"), &len);
    /* Cut inside the compressed data, and cut only the 8-byte trailer (all
     * the data is there, its checksum is not). */
    write_raw("cut-data.gz", gz, len / 2);
    expect_idx_error("cut-data.gz", 3, "truncated gzip data");
    write_raw("cut-trailer.gz", gz, len - 8);
    expect_idx_error("cut-trailer.gz", 3, "truncated gzip data");
    free(gz);
}
END_TEST

START_TEST(missing_file)
{
    expect_idx_error("nothing-here", 3, "cannot open: No such file or directory");
}
END_TEST

/* --- the dataset loader ---------------------------------------------------- */

/* A complete dataset: training images raw, everything else gzipped. */
static void write_dataset(void)
{
    write_images("train-images-idx3-ubyte", 0, N_IMG, images);
    write_labels("train-labels-idx1-ubyte.gz", 1, N_IMG, labels);
    write_images("t10k-images-idx3-ubyte.gz", 1, 2, images + PIX);
    write_labels("t10k-labels-idx1-ubyte.gz", 1, 2, labels + 1);
}

/* Loading must fail with one line that contains every fragment. */
static void expect_dataset_error(const char *a, const char *b)
{
    char err[512] = "";
    bdc_dataset data;
    ck_assert_int_eq(bdc_dataset_load(dir, &data, err, sizeof err), -1);
    ck_assert_msg(strstr(err, a) != NULL, "message lacks '%s': %s", a, err);
    ck_assert_msg(!b || strstr(err, b) != NULL, "message lacks '%s': %s", b, err);
    ck_assert_msg(strchr(err, '\n') == NULL, "message is not one line: %s", err);
}

START_TEST(dataset_valid_raw_and_gzip)
{
    write_dataset();
    char err[512] = "";
    bdc_dataset data;
    ck_assert_msg(bdc_dataset_load(dir, &data, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(data.train.count, N_IMG);
    ck_assert_uint_eq(data.test.count, 2);
    ck_assert_uint_eq(data.train.dim, PIX);
    ck_assert_uint_eq(data.test.dim, PIX);
    ck_assert_uint_eq(data.train.rows, ROWS);
    ck_assert_uint_eq(data.train.cols, COLS);

    /* Pixels p become p / 255.0f, one float32 division. */
    for (int p = 0; p < 256; p++)
        ck_assert_float_eq(data.train.value[p], (float)p / 255.0f);
    ck_assert_float_eq(data.train.value[255], 1.0f);
    ck_assert_float_eq(data.train.value[0], 0.0f);

    bdc_sample_buf buf;
    ck_assert_int_eq(bdc_sample_buf_init(&buf, PIX), 0);
    for (size_t i = 0; i < N_IMG; i++) {
        const bdc_sample s = bdc_samples_get(&data.train, i, &buf);
        ck_assert_int_eq(s.label, labels[i]);
        /* The non-zero pixels, ascending, and the dense vector. */
        size_t k = 0;
        for (uint32_t j = 0; j < PIX; j++) {
            const uint8_t level = images[i * PIX + j];
            ck_assert_float_eq(s.dense[j], (float)level / 255.0f);
            if (level) {
                ck_assert_uint_lt(k, s.nnz);
                ck_assert_uint_eq(s.idx[k], j);
                ck_assert_float_eq(s.val[k], (float)level / 255.0f);
                k++;
            }
        }
        ck_assert_uint_eq(k, s.nnz);
    }
    /* Unpacking reuses the buffer: a sparse sample after the dense one
     * leaves no stale pixel behind, and the blank one is all zeros. */
    bdc_sample s = bdc_samples_get(&data.train, 0, &buf);
    ck_assert_uint_eq(s.nnz, PIX);
    s = bdc_samples_get(&data.train, 2, &buf);
    ck_assert_uint_eq(s.nnz, 0);
    for (size_t j = 0; j < PIX; j++)
        ck_assert_float_eq(s.dense[j], 0.0f);
    s = bdc_samples_get(&data.test, 0, &buf); /* the second image, gzipped */
    ck_assert_uint_eq(s.nnz, 2);
    ck_assert_uint_eq(s.idx[0], 4);
    ck_assert_uint_eq(s.idx[1], 19);
    ck_assert_float_eq(s.val[0], 128.0f / 255.0f);
    ck_assert_int_eq(s.label, labels[1]);
    ck_assert_double_eq(bdc_samples_mean_nnz(&data.test), 1.0);

    bdc_samples_truncate(&data.train, 1);
    ck_assert_uint_eq(data.train.count, 1);
    bdc_samples_truncate(&data.train, 5); /* never grows */
    ck_assert_uint_eq(data.train.count, 1);
    bdc_sample_buf_free(&buf);
    bdc_dataset_free(&data);
}
END_TEST

START_TEST(dataset_count_mismatch)
{
    write_dataset();
    write_labels("train-labels-idx1-ubyte.gz", 1, 2, labels);
    expect_dataset_error("train-labels-idx1-ubyte.gz: 2 labels, but ",
                         "train-images-idx3-ubyte has 3 images");
}
END_TEST

START_TEST(dataset_label_out_of_range)
{
    write_dataset();
    const uint8_t bad[2] = {3, 10};
    write_labels("t10k-labels-idx1-ubyte.gz", 1, 2, bad);
    expect_dataset_error("t10k-labels-idx1-ubyte.gz: label 10 of item 1 is not in 0..9",
                         NULL);
}
END_TEST

START_TEST(dataset_missing_file)
{
    write_dataset();
    remove(bdc_scratch_path(dir, "t10k-labels-idx1-ubyte.gz"));
    expect_dataset_error(dir, "no t10k-labels-idx1-ubyte or t10k-labels-idx1-ubyte.gz there");
}
END_TEST

START_TEST(dataset_missing_folder)
{
    char missing[4300];
    snprintf(missing, sizeof missing, "%s/absent", dir);
    char err[512] = "";
    bdc_dataset data;
    ck_assert_int_eq(bdc_dataset_load(missing, &data, err, sizeof err), -1);
    ck_assert_msg(strncmp(err, missing, strlen(missing)) == 0, "%s", err);
    ck_assert_msg(strstr(err, "No such file or directory") != NULL, "%s", err);
}
END_TEST

START_TEST(dataset_train_and_test_shapes_differ)
{
    write_dataset();
    idx_file f;
    const uint32_t dims[3] = {2, COLS, COLS}; /* 25 pixels, not 20 */
    uint8_t pixels[2 * COLS * COLS] = {0};
    idx_build(&f, 0x08, 3, dims, pixels, sizeof pixels);
    remove(bdc_scratch_path(dir, "t10k-images-idx3-ubyte.gz"));
    write_raw("t10k-images-idx3-ubyte", f.bytes, f.len);
    expect_dataset_error(dir, "training images have 20 pixels, test images 25");
}
END_TEST

START_TEST(dataset_images_too_large)
{
    write_dataset();
    idx_file f;
    const uint32_t dims[3] = {1, 1, 70000}; /* more inputs than uint16 indices reach */
    idx_build(&f, 0x08, 3, dims, NULL, 0);
    uint8_t *big = calloc(1, f.len + 70000);
    ck_assert_ptr_nonnull(big);
    memcpy(big, f.bytes, f.len);
    write_raw("train-images-idx3-ubyte", big, f.len + 70000);
    free(big);
    const uint8_t one[1] = {1};
    write_labels("train-labels-idx1-ubyte.gz", 1, 1, one);
    expect_dataset_error("train-images-idx3-ubyte: images of 1x70000 pixels exceed 65536 inputs",
                         NULL);
}
END_TEST

/* --- the same through the program ------------------------------------------ */

START_TEST(program_reports_a_bad_label_file)
{
    write_dataset();
    const uint8_t bad[N_IMG] = {1, 2, 200};
    write_labels("train-labels-idx1-ubyte.gz", 1, N_IMG, bad);
    bdc_run r;
    const char *args[] = {"train", "--model", "bidir", "--hidden", "4", "--data-dir",
                          dir, NULL};
    bdc_run_program(&r, args);
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.out, "");
    ck_assert_uint_eq(bdc_count_lines(r.err), 1);
    ck_assert_msg(strstr(r.err, "train-labels-idx1-ubyte.gz: label 200 of item 2") != NULL,
                  "%s", r.err);
    bdc_run_free(&r);
}
END_TEST

START_TEST(program_trains_on_a_tiny_dataset)
{
    write_dataset();
    bdc_run r;
    const char *args[] = {"train", "--model", "entangled", "--hidden", "3", "--json",
                          "--data-dir", dir, NULL};
    bdc_run_program(&r, args);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_str_eq(r.err, "");
    ck_assert_str_eq(bdc_json_field(r.out, "input_dim"), "20");
    ck_assert_str_eq(bdc_json_field(r.out, "train_samples"), "3");
    ck_assert_str_eq(bdc_json_field(r.out, "test_samples"), "2");
    bdc_run_free(&r);
}
END_TEST

START_TEST(program_refuses_binconv_on_small_images)
{
    write_dataset();
    bdc_run r;
    const char *args[] = {"train", "--model", "binconv", "--hidden", "3", "--data-dir",
                          dir, NULL};
    bdc_run_program(&r, args);
    /* The model and the data do not go together: a usage error naming the
     * flag and the folder. */
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(r.out, "");
    ck_assert_uint_eq(bdc_count_lines(r.err), 1);
    ck_assert_msg(strstr(r.err, "--model binconv needs 28x28 images") != NULL, "%s", r.err);
    ck_assert_msg(strstr(r.err, dir) != NULL, "%s", r.err);
    ck_assert_msg(strstr(r.err, "4x5") != NULL, "%s", r.err);
    bdc_run_free(&r);
}
END_TEST

Suite *bdc_suite_idx(void)
{
    Suite *s = suite_create("idx");
    TCase *reader = tcase_create("reader");
    tcase_add_unchecked_fixture(reader, make_root, remove_root);
    tcase_add_checked_fixture(reader, make_dir, NULL);
    tcase_add_test(reader, valid_raw_images);
    tcase_add_test(reader, valid_gzip_images);
    tcase_add_test(reader, valid_gzip_labels);
    tcase_add_test(reader, empty_file);
    tcase_add_test(reader, truncated_header);
    tcase_add_test(reader, truncated_body);
    tcase_add_test(reader, bad_magic);
    tcase_add_test(reader, wrong_element_type);
    tcase_add_test(reader, wrong_number_of_dimensions);
    tcase_add_test(reader, zero_dimension);
    tcase_add_test(reader, huge_dimensions_over_the_limit);
    tcase_add_test(reader, huge_dimensions_no_giant_allocation);
    tcase_add_test(reader, trailing_bytes);
    tcase_add_test(reader, corrupt_gzip);
    tcase_add_test(reader, gzip_with_a_wrong_checksum);
    tcase_add_test(reader, truncated_gzip);
    tcase_add_test(reader, missing_file);
    suite_add_tcase(s, reader);

    TCase *dataset = tcase_create("dataset");
    tcase_add_unchecked_fixture(dataset, make_root, remove_root);
    tcase_add_checked_fixture(dataset, make_dir, NULL);
    tcase_add_test(dataset, dataset_valid_raw_and_gzip);
    tcase_add_test(dataset, dataset_count_mismatch);
    tcase_add_test(dataset, dataset_label_out_of_range);
    tcase_add_test(dataset, dataset_missing_file);
    tcase_add_test(dataset, dataset_missing_folder);
    tcase_add_test(dataset, dataset_train_and_test_shapes_differ);
    tcase_add_test(dataset, dataset_images_too_large);
    tcase_add_test(dataset, program_reports_a_bad_label_file);
    tcase_add_test(dataset, program_trains_on_a_tiny_dataset);
    tcase_add_test(dataset, program_refuses_binconv_on_small_images);
    suite_add_tcase(s, dataset);
    return s;
}
