/* tinyplan_kernels.h - What every kernel file includes.
 *
 * The kernels are C99 functions that tinyplan copies into the model.c it
 * writes, each file one family (kernels/README.md). In model.c every kernel
 * is `static`; compiled on their own (the build's standalone check, or a
 * program linking a kernel file) they have external linkage, which is what
 * TP_KERNEL means here. The prototypes below let a kernel file call kernels
 * of other files without including their definitions.
 */
#ifndef TINYPLAN_KERNELS_H
#define TINYPLAN_KERNELS_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#ifndef TP_KERNEL
#define TP_KERNEL
#endif

/* cmath.c */
float tp_fmaf(float x, float y, float z);
float tp_expf(float x);
float tp_logf(float x);
float tp_tanhf(float x);
float tp_sigmoidf(float x);
float tp_erff(float x);
float tp_powf(float x, float y);
double tp_sigmoid(double x);

/* activations.c */
float tp_clip_f32(float x, float lo, float hi);
float tp_hardsigmoid_f32(float x, float alpha, float beta);
double tp_hardsigmoid_f64(double x, double alpha, double beta);

/* float16.c */
float tp_f16_to_f32(uint16_t h);
float tp_bf16_to_f32(uint16_t h);
uint16_t tp_f64_to_narrow(double f, int32_t dm, int32_t db);
uint16_t tp_f32_to_narrow(float f, int32_t dm, int32_t db);
uint16_t tp_f32_to_f16(float f);
uint16_t tp_f32_to_bf16(float f);

/* cast.c */
/* The placeholder of the Cast loop tp_cast, which its instances replace by
   a conversion function. */
double tp_cast_element(float v);

/* unary.c */
/* The element function a loop calls, which tinyplan replaces. */
float tp_unary_op_f32(float x);
float tp_unary1_op_f32(float x, float alpha);
float tp_unary2_op_f32(float x, float alpha, float beta);

/* binary.c */
/* The element function a loop calls, which tinyplan replaces. */
float tp_binary_op_f32(float a, float b);

/* compare.c */
/* The element function a loop calls, which tinyplan replaces. */
uint8_t tp_compare_op_f32(float a, float b);

/* quant.c */
int32_t tp_vcvtr(float v);
int32_t tp_quant_round(float v, float lo, float hi);
uint8_t tp_saturate_round_u8(float v, int32_t zp);
int8_t tp_saturate_round_i8(float v, int32_t zp);
void tp_qstore_u8(void *y, int32_t i, int32_t acc, float multiplier, int32_t zp);
void tp_qstore_i8(void *y, int32_t i, int32_t acc, float multiplier, int32_t zp);
void tp_qstore_finite_u8(void *y, int32_t i, int32_t acc, float multiplier, int32_t zp);
void tp_qstore_finite_i8(void *y, int32_t i, int32_t acc, float multiplier, int32_t zp);
void tp_qstore4_finite_u8(uint8_t *y, int32_t a0, int32_t a1, int32_t a2, int32_t a3,
                          float multiplier, int32_t zp);
void tp_qstore4_finite_i8(int8_t *y, int32_t a0, int32_t a1, int32_t a2, int32_t a3,
                          float multiplier, int32_t zp);
int32_t tp_requant_float(void);

/* qlinear.c */
/* The element function the QLinearAdd / QLinearMul loop calls, which
   tinyplan replaces. */
float tp_qlinear_binary_op(int32_t a, int32_t b, const float *p);

#endif
