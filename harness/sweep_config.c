#include "sweep_config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The keys a sweep file may set, with the kind of value each takes:
 * n a name, p a path, u a whole number, d a number.  Ranges are checked by
 * `bdc train` itself when the sweep plans its runs. */
static const struct key {
    const char *name;
    char type;
} keys[] = {
    {"model", 'n'}, {"hidden", 'u'}, {"epochs", 'u'}, {"dataset", 'n'},
    {"data-dir", 'p'}, {"train-limit", 'u'}, {"test-limit", 'u'},
    {"alpha", 'd'}, {"beta", 'd'}, {"lr", 'd'}, {"lr-horizon", 'd'},
    {"decay", 'd'}, {"init", 'd'}, {"q-input", 'd'}, {"q-label", 'd'},
    {"kernel", 'n'}, {"threads", 'u'}, {"seed", 'u'}, {"batch", 'u'},
    {"eval-every", 'u'}, {"target", 'd'},
    /* Of the sweep itself, before the first section, one value each. */
    {"experiment", 'n'}, {"results", 'p'},
};

#define MAX_LINE 4096
#define MAX_RUNS 1000000

static const struct key *find_key(const char *name)
{
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (strcmp(keys[i].name, name) == 0)
            return &keys[i];
    return NULL;
}

static int fail(char *err, size_t errlen, const char *path, unsigned line,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int fail(char *err, size_t errlen, const char *path, unsigned line,
                const char *fmt, ...)
{
    int n = line ? snprintf(err, errlen, "%s:%u: ", path, line)
                 : snprintf(err, errlen, "%s: ", path);
    if (n < 0 || (size_t)n >= errlen)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

static int is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-' || c == '+';
}

/* Checks one value of a key; returns a reason, or NULL if it is good. */
static const char *check_value(char type, const char *v)
{
    switch (type) {
    case 'n':
        for (const char *p = v; *p; p++)
            if (!is_name_char(*p))
                return "is not a name (letters, digits, '.', '_', '-', '+')";
        return NULL;
    case 'p':
        return NULL; /* anything without spaces and commas */
    case 'u': {
        if (strlen(v) > 19)
            return "is too large";
        for (const char *p = v; *p; p++)
            if (*p < '0' || *p > '9')
                return "is not a whole number";
        return NULL;
    }
    default: {
        char *end;
        errno = 0;
        double d = strtod(v, &end);
        if (*end || errno || !isfinite(d))
            return "is not a number";
        return NULL;
    }
    }
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
    return s;
}

/* A block of settings: the shared one, or a section's. */
typedef struct block {
    char *name;
    unsigned line;
    bdc_sweep_setting *settings;
    size_t count;
} block;

static void free_setting(bdc_sweep_setting *s)
{
    free(s->key);
    for (size_t i = 0; i < s->count; i++) free(s->values[i]);
    free(s->values);
}

static void free_block(block *b)
{
    free(b->name);
    for (size_t i = 0; i < b->count; i++) free_setting(&b->settings[i]);
    free(b->settings);
}

static const bdc_sweep_setting *block_find(const block *b, const char *key)
{
    for (size_t i = 0; i < b->count; i++)
        if (strcmp(b->settings[i].key, key) == 0)
            return &b->settings[i];
    return NULL;
}

/* Parses "key = v1, v2" (comment already removed) into *s. */
static int parse_setting(char *text, const char *path, unsigned line,
                         bdc_sweep_setting *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->line = line;
    char *eq = strchr(text, '=');
    if (!eq)
        return fail(err, errlen, path, line,
                    "expected 'key = value, value, ...' or '[section]'");
    *eq = '\0';
    char *name = trim(text);
    const struct key *k = find_key(name);
    if (!k) {
        char alt[64];
        snprintf(alt, sizeof alt, "%s", name);
        for (char *p = alt; *p; p++)
            if (*p == '_') *p = '-';
        if (find_key(alt))
            return fail(err, errlen, path, line, "unknown key '%s' (did you mean '%s'?)",
                        name, alt);
        return fail(err, errlen, path, line,
                    "unknown key '%s' (keys are bdc train flags without '--'; "
                    "see docs/sweeps.md)", name[0] ? name : "");
    }
    char *rest = eq + 1;
    size_t cap = 0;
    for (;;) {
        char *comma = strchr(rest, ',');
        if (comma) *comma = '\0';
        char *v = trim(rest);
        if (!*v)
            return fail(err, errlen, path, line, "%s: empty value%s", k->name,
                        comma || s->count ? " (between commas?)" : "");
        if (strpbrk(v, " \t"))
            return fail(err, errlen, path, line,
                        "%s: '%s' has a space in it (separate values with commas)",
                        k->name, v);
        const char *why = check_value(k->type, v);
        if (why)
            return fail(err, errlen, path, line, "%s: '%s' %s", k->name, v, why);
        for (size_t i = 0; i < s->count; i++)
            if (strcmp(s->values[i], v) == 0)
                return fail(err, errlen, path, line, "%s: '%s' is listed twice", k->name, v);
        if (s->count == cap) {
            cap = cap ? 2 * cap : 4;
            char **grown = realloc(s->values, cap * sizeof *grown);
            if (!grown) return fail(err, errlen, path, line, "out of memory");
            s->values = grown;
        }
        if (!(s->values[s->count] = strdup(v)))
            return fail(err, errlen, path, line, "out of memory");
        s->count++;
        if (!comma) break;
        rest = comma + 1;
    }
    if (!(s->key = strdup(k->name)))
        return fail(err, errlen, path, line, "out of memory");
    return 0;
}

static int add_setting(block *b, bdc_sweep_setting *s)
{
    bdc_sweep_setting *grown = realloc(b->settings, (b->count + 1) * sizeof *grown);
    if (!grown) return -1;
    b->settings = grown;
    b->settings[b->count++] = *s;
    return 0;
}

/* A section's grid: the shared settings (a section's own list replacing a
 * shared one in place), then the section's other settings. */
static int make_grid(const block *shared, const block *own, bdc_sweep_grid *g)
{
    memset(g, 0, sizeof *g);
    g->settings = calloc(shared->count + own->count + 1, sizeof *g->settings);
    g->name = strdup(own->name ? own->name : "");
    if (!g->settings || !g->name) return -1;
    g->line = own->line;
    const block *from[2] = {shared, own};
    for (int b = 0; b < 2; b++)
        for (size_t i = 0; i < from[b]->count; i++) {
            const bdc_sweep_setting *s = &from[b]->settings[i];
            if (b == 0 && block_find(own, s->key))
                s = block_find(own, s->key);
            else if (b == 1 && block_find(shared, s->key))
                continue; /* already placed */
            if (strcmp(s->key, "experiment") == 0 || strcmp(s->key, "results") == 0)
                continue;
            bdc_sweep_setting *d = &g->settings[g->count++];
            d->line = s->line;
            d->count = s->count;
            d->key = strdup(s->key);
            d->values = calloc(s->count, sizeof *d->values);
            if (!d->key || !d->values) return -1;
            for (size_t v = 0; v < s->count; v++)
                if (!(d->values[v] = strdup(s->values[v]))) return -1;
        }
    return 0;
}

static void stem(const char *path, char *out, size_t len)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(out, len, "%s", base);
    char *dot = strrchr(out, '.');
    if (dot && dot != out) *dot = '\0';
}

int bdc_sweep_parse(const char *text, size_t len, const char *path, bdc_sweep *out,
                    char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    block shared = {0};
    block *sections = NULL;
    size_t nsections = 0;
    int rc = -1;
    unsigned line = 0;
    char buf[MAX_LINE + 2];
    const char *p = text, *end = text + len;
    if (!(out->path = strdup(path))) {
        fail(err, errlen, path, 0, "out of memory");
        goto done;
    }
    while (p < end) {
        line++;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const size_t n = (size_t)((nl ? nl : end) - p);
        if (n > MAX_LINE) {
            fail(err, errlen, path, line, "line longer than %d characters", MAX_LINE);
            goto done;
        }
        memcpy(buf, p, n);
        buf[n] = '\0';
        p = nl ? nl + 1 : end;
        if (memchr(buf, '\0', n)) {
            fail(err, errlen, path, line, "NUL byte in the line");
            goto done;
        }
        if (n && buf[n - 1] == '\r') buf[n - 1] = '\0';
        for (size_t i = 0; buf[i]; i++)
            if ((unsigned char)buf[i] < 0x20 && buf[i] != '\t') {
                fail(err, errlen, path, line, "control character 0x%02x",
                     (unsigned char)buf[i]);
                goto done;
            }
        char *hash = strchr(buf, '#');
        if (hash) *hash = '\0';
        char *t = trim(buf);
        if (!*t)
            continue;
        if (*t == '[') {
            size_t tl = strlen(t);
            if (t[tl - 1] != ']') {
                fail(err, errlen, path, line, "a section line is '[name]'");
                goto done;
            }
            t[tl - 1] = '\0';
            char *name = trim(t + 1);
            if (!*name) {
                fail(err, errlen, path, line, "a section needs a name: '[name]'");
                goto done;
            }
            for (char *c = name; *c; c++)
                if (!is_name_char(*c)) {
                    fail(err, errlen, path, line,
                         "section name '%s' is not a name (letters, digits, '.', '_', '-', '+')",
                         name);
                    goto done;
                }
            for (size_t i = 0; i < nsections; i++)
                if (strcmp(sections[i].name, name) == 0) {
                    fail(err, errlen, path, line, "section [%s] appears twice (first at line %u)",
                         name, sections[i].line);
                    goto done;
                }
            if (nsections && sections[nsections - 1].count == 0) {
                fail(err, errlen, path, sections[nsections - 1].line,
                     "section [%s] sets nothing", sections[nsections - 1].name);
                goto done;
            }
            block *grown = realloc(sections, (nsections + 1) * sizeof *grown);
            if (!grown) {
                fail(err, errlen, path, line, "out of memory");
                goto done;
            }
            sections = grown;
            memset(&sections[nsections], 0, sizeof *sections);
            sections[nsections].line = line;
            if (!(sections[nsections++].name = strdup(name))) {
                fail(err, errlen, path, line, "out of memory");
                goto done;
            }
            continue;
        }
        bdc_sweep_setting s;
        if (parse_setting(t, path, line, &s, err, errlen)) {
            free_setting(&s);
            goto done;
        }
        block *into = nsections ? &sections[nsections - 1] : &shared;
        const bdc_sweep_setting *before = block_find(into, s.key);
        const int sweep_key = strcmp(s.key, "experiment") == 0 || strcmp(s.key, "results") == 0;
        const char *problem = NULL;
        char why[160];
        if (before) {
            snprintf(why, sizeof why, "%s is set twice (first at line %u)", s.key, before->line);
            problem = why;
        } else if (sweep_key && nsections) {
            snprintf(why, sizeof why, "%s belongs above the first section", s.key);
            problem = why;
        } else if (sweep_key && s.count != 1) {
            snprintf(why, sizeof why, "%s takes one value", s.key);
            problem = why;
        }
        if (problem) {
            free_setting(&s);
            fail(err, errlen, path, line, "%s", problem);
            goto done;
        }
        if (add_setting(into, &s)) {
            free_setting(&s);
            fail(err, errlen, path, line, "out of memory");
            goto done;
        }
    }
    if (nsections && sections[nsections - 1].count == 0) {
        fail(err, errlen, path, sections[nsections - 1].line, "section [%s] sets nothing",
             sections[nsections - 1].name);
        goto done;
    }

    /* The sweep's own keys. */
    const bdc_sweep_setting *e = block_find(&shared, "experiment");
    const bdc_sweep_setting *r = block_find(&shared, "results");
    char name[256];
    stem(path, name, sizeof name);
    out->experiment = strdup(e ? e->values[0] : name);
    out->experiment_line = e ? e->line : 0;
    out->results = r ? strdup(r->values[0]) : NULL;
    out->results_line = r ? r->line : 0;
    if (!out->experiment || (r && !out->results)) {
        fail(err, errlen, path, 0, "out of memory");
        goto done;
    }

    /* The grids. */
    const size_t ngrids = nsections ? nsections : 1;
    out->grids = calloc(ngrids, sizeof *out->grids);
    if (!out->grids) {
        fail(err, errlen, path, 0, "out of memory");
        goto done;
    }
    block none = {0};
    for (size_t i = 0; i < ngrids; i++) {
        const block *own = nsections ? &sections[i] : &none;
        if (make_grid(&shared, own, &out->grids[i])) {
            out->count = i + 1;
            fail(err, errlen, path, 0, "out of memory");
            goto done;
        }
        out->count = i + 1;
        const bdc_sweep_grid *g = &out->grids[i];
        if (!bdc_sweep_grid_find(g, "model")) {
            if (nsections)
                fail(err, errlen, path, g->line, "section [%s] has no model (set 'model = ...' in it or above the first section)",
                     g->name);
            else
                fail(err, errlen, path, 0, "no 'model = ...' line: the sweep has no runs");
            goto done;
        }
        double runs = 1;
        for (size_t k = 0; k < g->count; k++)
            runs *= (double)g->settings[k].count;
        if (runs > MAX_RUNS) {
            fail(err, errlen, path, g->line, "%s%s%s has %.0f runs, more than %d",
                 nsections ? "section [" : "the grid", g->name, nsections ? "]" : "",
                 runs, MAX_RUNS);
            goto done;
        }
    }
    rc = 0;
done:
    free_block(&shared);
    for (size_t i = 0; i < nsections; i++) free_block(&sections[i]);
    free(sections);
    if (rc) bdc_sweep_free(out);
    return rc;
}

int bdc_sweep_load(const char *path, bdc_sweep *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(err, errlen, path, 0, "%s", strerror(errno));
    size_t cap = 1 << 14, n = 0;
    char *text = malloc(cap);
    while (text) {
        n += fread(text + n, 1, cap - n, f);
        if (n < cap || cap >= (1u << 24)) break;
        cap *= 2;
        char *grown = realloc(text, cap);
        if (!grown) { free(text); text = NULL; } else text = grown;
    }
    const int bad = ferror(f);
    fclose(f);
    if (!text || bad) {
        free(text);
        return fail(err, errlen, path, 0, "%s", bad ? "read error" : "out of memory");
    }
    if (n == cap) {
        free(text);
        return fail(err, errlen, path, 0, "larger than %zu bytes", cap);
    }
    int rc = bdc_sweep_parse(text, n, path, out, err, errlen);
    free(text);
    return rc;
}

void bdc_sweep_free(bdc_sweep *s)
{
    free(s->path);
    free(s->experiment);
    free(s->results);
    for (size_t i = 0; i < s->count; i++) {
        bdc_sweep_grid *g = &s->grids[i];
        free(g->name);
        for (size_t k = 0; k < g->count; k++) free_setting(&g->settings[k]);
        free(g->settings);
    }
    free(s->grids);
    memset(s, 0, sizeof *s);
}

size_t bdc_sweep_grid_size(const bdc_sweep_grid *g)
{
    size_t n = 1;
    for (size_t k = 0; k < g->count; k++)
        n *= g->settings[k].count;
    return n;
}

void bdc_sweep_grid_point(const bdc_sweep_grid *g, size_t i, char **out)
{
    /* Mixed radix, the last setting varying fastest. */
    for (size_t k = g->count; k-- > 0;) {
        const bdc_sweep_setting *s = &g->settings[k];
        out[2 * k] = s->key; /* "--" is added by the caller */
        out[2 * k + 1] = s->values[i % s->count];
        i /= s->count;
    }
}

const bdc_sweep_setting *bdc_sweep_grid_find(const bdc_sweep_grid *g, const char *key)
{
    for (size_t k = 0; k < g->count; k++)
        if (strcmp(g->settings[k].key, key) == 0)
            return &g->settings[k];
    return NULL;
}
