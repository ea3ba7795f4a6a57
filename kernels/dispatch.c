#include "dispatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "families.h"

#define BDC_FAMILY_PTR(name) &bdc_family_##name,
static const bdc_family *const families[] = {BDC_FAMILY_LIST(BDC_FAMILY_PTR)};
#undef BDC_FAMILY_PTR

size_t bdc_family_count(void) { return sizeof families / sizeof families[0]; }

const bdc_family *bdc_family_at(size_t i)
{
    return i < bdc_family_count() ? families[i] : NULL;
}

const bdc_family *bdc_family_by_name(const char *name)
{
    for (size_t i = 0; i < bdc_family_count(); i++)
        if (strcmp(families[i]->name, name) == 0)
            return families[i];
    return NULL;
}

bdc_family_status bdc_family_status_of(const bdc_family *f)
{
    if (f->needs & ~bdc_cpu_features())
        return BDC_UNAVAILABLE;
    return f->emulated ? BDC_EMULATED : BDC_NATIVE;
}

const char *bdc_family_status_name(bdc_family_status s)
{
    switch (s) {
    case BDC_NATIVE: return "native";
    case BDC_EMULATED: return "emulated";
    default: return "unavailable";
    }
}

const bdc_family *bdc_family_auto(void)
{
    for (size_t i = 0; i < bdc_family_count(); i++)
        if (bdc_family_status_of(families[i]) == BDC_NATIVE)
            return families[i];
    return &bdc_family_scalar; /* scalar is always native */
}

const bdc_family *bdc_family_select(const char *name, char *err, size_t errlen)
{
    const char *source = "--kernel";
    if (!name || !*name) {
        name = getenv("BDC_KERNEL");
        source = "BDC_KERNEL";
    }
    if (!name || !*name || strcmp(name, "auto") == 0)
        return bdc_family_auto();
    const bdc_family *f = bdc_family_by_name(name);
    if (!f) {
        size_t used = (size_t)snprintf(err, errlen,
                                       "%s: unknown kernel family '%s' (known: auto",
                                       source, name);
        for (size_t i = 0; i < bdc_family_count() && used < errlen; i++)
            used += (size_t)snprintf(err + used, errlen - used, ", %s",
                                     families[i]->name);
        if (used < errlen)
            snprintf(err + used, errlen - used, ")");
        return NULL;
    }
    if (bdc_family_status_of(f) == BDC_UNAVAILABLE) {
        size_t used = (size_t)snprintf(err, errlen,
                                       "%s: kernel family '%s' needs", source, name);
        for (unsigned i = 0; i < bdc_cpu_feature_count && used < errlen; i++) {
            unsigned bit = bdc_cpu_all_features[i];
            if ((f->needs & bit) && !(bdc_cpu_features() & bit))
                used += (size_t)snprintf(err + used, errlen - used, " %s",
                                         bdc_cpu_feature_name(bit));
        }
        if (used < errlen)
            snprintf(err + used, errlen - used, ", which this CPU lacks");
        return NULL;
    }
    return f;
}
