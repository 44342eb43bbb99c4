/* startup.c - reset, vector table and exit of a bare-metal Cortex-M4F
 * firmware on QEMU's mps2-an386 board (mps2-an386.ld). The same approach as
 * the verification harness's scripts/mcu/startup.c, kept here so that the
 * example stands alone.
 *
 * Reset_Handler enables the FPU, copies .data, zeroes .bss, opens newlib's
 * semihosting standard streams (librdimon) and runs main(); its status
 * leaves QEMU through Arm semihosting (SYS_EXIT_EXTENDED) and becomes
 * qemu-system-arm's exit status. Run QEMU with
 * `-semihosting-config enable=on,target=native`. Any other exception (a
 * fault) prints its number and exits with 100 + that number.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

extern uint32_t __data_start[], __data_end[], __data_load[];
extern uint32_t __bss_start[], __bss_end[];
extern uint32_t __heap_end[], __stack_top[];
/* librdimon's _sbrk honours this limit once it is set. */
extern char *__heap_limit;
extern void initialise_monitor_handles(void);
extern int main(void);

void Reset_Handler(void) __attribute__((noreturn));
void unexpectedException(void) __attribute__((noreturn));
void _exit(int status) __attribute__((noreturn));

#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)

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

/* SYS_EXIT_EXTENDED carries the exit status itself (plain SYS_EXIT on
   AArch32 carries only a reason). */
void _exit(int status) {
  uint32_t block[2];
  block[0] = ADP_Stopped_ApplicationExit;
  block[1] = (uint32_t)status;
  semihostingCall(SYS_EXIT_EXTENDED, block);
  for (;;)
    ;
}

void Reset_Handler(void) {
  /* Full access to CP10 and CP11 (the FPU) before any floating-point
     instruction: -mfloat-abi=hard code uses it from the first call on. */
  SCB_CPACR |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  memcpy(__data_start, __data_load, (size_t)((char *)__data_end - (char *)__data_start));
  memset(__bss_start, 0, (size_t)((char *)__bss_end - (char *)__bss_start));
  __heap_limit = (char *)__heap_end;
  initialise_monitor_handles();
  exit(main());
}

void unexpectedException(void) {
  static char message[] = "unexpected exception    \n";
  uint32_t ipsr;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  ipsr &= 0x1FFu;
  message[21] = (char)('0' + ipsr / 100 % 10);
  message[22] = (char)('0' + ipsr / 10 % 10);
  message[23] = (char)('0' + ipsr % 10);
  semihostingCall(SYS_WRITE0, message);
  _exit(100 + (int)ipsr);
}

/* The initial stack pointer, then the 15 system exceptions and the board's 32
   interrupts; every exception but reset is unexpected here. */
typedef void (*VectorEntry)(void);
#define UNEXPECTED2 unexpectedException, unexpectedException
#define UNEXPECTED8 UNEXPECTED2, UNEXPECTED2, UNEXPECTED2, UNEXPECTED2
__attribute__((section(".isr_vector"), used)) static const VectorEntry vectors[16 + 32] = {
    (VectorEntry)(uintptr_t)__stack_top, Reset_Handler, UNEXPECTED2, UNEXPECTED2, UNEXPECTED2,
    UNEXPECTED8, UNEXPECTED8, UNEXPECTED8, UNEXPECTED8, UNEXPECTED8,
};
