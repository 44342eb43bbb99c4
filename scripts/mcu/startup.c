/* startup.c - reset, vector table, stack measurement and exit for a bare-metal
 * Cortex-M firmware on QEMU: the Cortex-M4F of mps2-an386, the Cortex-M3 of
 * mps2-an385 (mps2-an386.ld) or the Cortex-M0 of microbit (microbit.ld).
 * Its inline assembly is in the ARMv6-M subset that the M0 implements.
 *
 * Reset_Handler enables the FPU (when built for one), copies .data, zeroes
 * .bss, opens the semihosting standard streams, paints the unused stack with
 * a pattern, and runs main(); its status leaves QEMU through Arm
 * semihosting (SYS_EXIT_EXTENDED), so it becomes qemu-system-arm's exit
 * status. Standard output goes through newlib's rdimon semihosting library:
 * run QEMU with `-semihosting-config enable=on,target=native`.
 *
 * mcu_after_runs(), called from main (the verification harness calls it via
 * HARNESS_AFTER_RUNS after its m_run calls), prints how deep the stack went
 * below its caller's stack pointer: the measured stack use of everything main
 * called so far.
 *
 * A fault or any other exception prints its number and the address it
 * happened at, and exits with 100 + the exception number (HardFault: 103; on
 * the M0 every fault is a HardFault: an undefined instruction, an unaligned
 * access, a bus error).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern uint32_t __data_start[], __data_end[], __data_load[];
extern uint32_t __bss_start[], __bss_end[];
extern uint32_t __heap_end[], __stack_limit[], __stack_top[];
/* librdimon's _sbrk honours this limit once it is set. */
extern char *__heap_limit;
extern void initialise_monitor_handles(void);
extern int main(void);

void Reset_Handler(void) __attribute__((noreturn));
void mcu_after_runs(void);
void mcuStackReport(const uint32_t *callerSp);
void mcuUnexpectedException(void);
void mcuReportException(const uint32_t *frame) __attribute__((noreturn));
void _exit(int status) __attribute__((noreturn));

#define STACK_PAINT 0xC5AC5AC5u
#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)
#define SCB_CCR (*(volatile uint32_t *)0xE000ED14u)

/* Semihosting operations and the reason code for a normal application exit. */
enum {
  SYS_WRITE0 = 0x04,
  SYS_EXIT_EXTENDED = 0x20,
  ADP_Stopped_ApplicationExit = 0x20026
};

static uint32_t semihostingCall(uint32_t op, const void *arg) {
  register uint32_t r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

/* Plain SYS_EXIT on AArch32 carries only the reason (QEMU maps
   ApplicationExit to 0, anything else to 1); SYS_EXIT_EXTENDED, which qemu
   7.2 implements for AArch32 too, carries the exit status itself. */
void _exit(int status) {
  uint32_t block[2];
  block[0] = ADP_Stopped_ApplicationExit;
  block[1] = (uint32_t)status;
  semihostingCall(SYS_EXIT_EXTENDED, block);
  for (;;)
    ;
}

static uint32_t *currentSp(void) {
  uint32_t *sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  return sp;
}

void Reset_Handler(void) {
  uint32_t *p;
  uint32_t *sp;
#if defined(__ARM_FP)
  /* Full access to CP10 and CP11 (the FPU) before any floating-point
     instruction; -mfloat-abi=hard code uses it from the first call on. */
  SCB_CPACR |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
  memcpy(__data_start, __data_load,
         (size_t)((char *)__data_end - (char *)__data_start));
  memset(__bss_start, 0, (size_t)((char *)__bss_end - (char *)__bss_start));
  __heap_limit = (char *)__heap_end;
  initialise_monitor_handles();
  /* Paint the free stack below this frame, last, so that only main and what
     it calls leave marks; a volatile store keeps the loop a loop (a library
     call here would run on the stack being painted). */
  sp = currentSp();
  for (p = __stack_limit; p < sp; p++)
    *(volatile uint32_t *)p = STACK_PAINT;
  exit(main());
}

/* Called before the model runs (HARNESS_BEFORE_RUNS). With -DMCU_UNALIGN_TRP,
   an unaligned word or halfword access faults from here on, as on a part
   whose firmware sets CCR.UNALIGN_TRP (ARMv7-M), for code built with
   -mno-unaligned-access; mcu_after_runs and a fault turn it off again, as
   newlib's printf accesses memory unaligned. */
void mcu_before_runs(void) {
#if defined(MCU_UNALIGN_TRP)
  SCB_CCR |= 1u << 3;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
}

/* Reads the caller's stack pointer (no frame of its own yet) and hands it on. */
__attribute__((naked)) void mcu_after_runs(void) {
  __asm__ volatile("mov r0, sp\n\tb mcuStackReport");
}

void mcuStackReport(const uint32_t *callerSp) {
  const uint32_t *p = __stack_limit;
#if defined(MCU_UNALIGN_TRP)
  SCB_CCR &= ~(1u << 3);
#endif
  while (p < callerSp && *p == STACK_PAINT)
    p++;
  if (p == __stack_limit)
    printf("mcu stack overflow: more than %lu bytes\n",
           (unsigned long)((char *)__stack_top - (char *)__stack_limit));
  else
    printf("mcu stack %lu\n", (unsigned long)((const char *)callerSp - (const char *)p));
}

static void writeUnsigned(char *out, unsigned value) {
  char digits[12];
  int n = 0;
  do {
    digits[n++] = (char)('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0)
    *out++ = digits[--n];
  *out = '\0';
}

static void writeHex(char *out, uint32_t value) {
  int k;
  for (k = 7; k >= 0; k--) {
    out[k] = "0123456789abcdef"[value & 15u];
    value >>= 4;
  }
  out[8] = '\0';
}

/* Every exception but reset: hands the stacked frame (r0-r3, r12, lr, pc,
   xPSR; the firmware runs on the main stack only) to mcuReportException. */
__attribute__((naked)) void mcuUnexpectedException(void) {
  __asm__ volatile("mov r0, sp\n\tb mcuReportException");
}

void mcuReportException(const uint32_t *frame) {
  static char message[80] = "mcu: unexpected exception ";
  uint32_t ipsr;
#if defined(MCU_UNALIGN_TRP)
  SCB_CCR &= ~(1u << 3); /* the C library below may access memory unaligned */
#endif
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  ipsr &= 0x1FFu;
  writeUnsigned(message + strlen(message), ipsr);
  strcat(message, " at pc 0x");
  writeHex(message + strlen(message), frame[6]);
  strcat(message, "\n");
  semihostingCall(SYS_WRITE0, message);
  _exit(100 + (int)ipsr);
}

/* The initial stack pointer, then the 15 system exceptions and the board's 32
   interrupts; every exception but reset is unexpected here. */
typedef void (*VectorEntry)(void);
#define UNEXPECTED2 mcuUnexpectedException, mcuUnexpectedException
#define UNEXPECTED8 UNEXPECTED2, UNEXPECTED2, UNEXPECTED2, UNEXPECTED2
__attribute__((section(".isr_vector"), used)) static const VectorEntry Vectors[16 + 32] = {
    (VectorEntry)(uintptr_t)__stack_top, Reset_Handler,
    UNEXPECTED2, UNEXPECTED2, UNEXPECTED2, UNEXPECTED8, UNEXPECTED8,
    UNEXPECTED8, UNEXPECTED8, UNEXPECTED8,
};
