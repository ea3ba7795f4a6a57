/* A minimal writer for one flat JSON object per call site. */
#ifndef BDC_JSON_H
#define BDC_JSON_H

#include <stdint.h>
#include <stdio.h>

typedef struct bdc_json {
    FILE *f;
    int fields;
} bdc_json;

void bdc_json_begin(bdc_json *j, FILE *f);
void bdc_json_str(bdc_json *j, const char *key, const char *value);
void bdc_json_u64(bdc_json *j, const char *key, uint64_t value);
void bdc_json_num(bdc_json *j, const char *key, double value);
void bdc_json_bool(bdc_json *j, const char *key, int value);
/* Opens a nested object or array as the value of key; close with _end. */
void bdc_json_open(bdc_json *j, const char *key, char bracket);
void bdc_json_close(bdc_json *j, char bracket);
void bdc_json_end(bdc_json *j);

/* Writes s as a JSON string literal. */
void bdc_json_write_string(FILE *f, const char *s);

#endif
