// avro-c (libavro) for Swift: its value API is made of function-like macros over an interface table, which Swift
// cannot call; these inline functions call them, one per operation Tributary reads with.
#ifndef TRIBUTARY_CAVRO_SHIM_H
#define TRIBUTARY_CAVRO_SHIM_H
#include <avro.h>

static inline avro_type_t tr_avro_type(avro_value_t *v) { return avro_value_get_type(v); }
static inline avro_schema_t tr_avro_schema(avro_value_t *v) { return avro_value_get_schema(v); }
static inline int tr_avro_boolean(avro_value_t *v, int *out) { return avro_value_get_boolean(v, out); }
static inline int tr_avro_int(avro_value_t *v, int32_t *out) { return avro_value_get_int(v, out); }
static inline int tr_avro_long(avro_value_t *v, int64_t *out) { return avro_value_get_long(v, out); }
static inline int tr_avro_float(avro_value_t *v, float *out) { return avro_value_get_float(v, out); }
static inline int tr_avro_double(avro_value_t *v, double *out) { return avro_value_get_double(v, out); }
static inline int tr_avro_string(avro_value_t *v, const char **s, size_t *size) { return avro_value_get_string(v, s, size); }
static inline int tr_avro_bytes(avro_value_t *v, const void **b, size_t *size) { return avro_value_get_bytes(v, b, size); }
static inline int tr_avro_fixed(avro_value_t *v, const void **b, size_t *size) { return avro_value_get_fixed(v, b, size); }
static inline int tr_avro_enum(avro_value_t *v, int *out) { return avro_value_get_enum(v, out); }
static inline int tr_avro_size(avro_value_t *v, size_t *out) { return avro_value_get_size(v, out); }
static inline int tr_avro_child(avro_value_t *v, size_t i, avro_value_t *child, const char **name) {
    return avro_value_get_by_index(v, i, child, name);
}
static inline int tr_avro_branch(avro_value_t *v, int *discriminant, avro_value_t *branch) {
    int rc = avro_value_get_discriminant(v, discriminant);
    return rc ? rc : avro_value_get_current_branch(v, branch);
}
static inline void tr_avro_iface_decref(avro_value_iface_t *iface) { avro_value_iface_decref(iface); }
#endif
