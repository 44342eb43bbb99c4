/* insncount.c - a QEMU TCG plugin that counts executed guest instructions.
 *
 * Debian's qemu 7.2 loads plugins (-plugin) but ships neither plugins nor
 * qemu-plugin.h, so the few declarations used here are written out below,
 * matching qemu 7.2's include/qemu/qemu-plugin.h (plugin API version 1).
 *
 * Counting is per translation block: when a block is translated, an inline
 * "add the block's instruction count to a 64-bit counter" is attached to it,
 * so the count costs one add per executed block and no helper call. A block
 * that an exception leaves half-way would be counted whole; the firmware
 * under test takes no exceptions until its final semihosting call, which ends
 * its block. Counts are exact and repeatable (no -icount needed): run a
 * firmware that does N and N+1 inferences and subtract to get one inference.
 *
 * Build:  cc -shared -fPIC -O2 -o insncount.so scripts/mcu/insncount.c
 * Use:    qemu-system-arm ... -plugin ./insncount.so[,outfile=PATH][,blocks=on]
 * At exit it writes "insns N" to PATH, or to standard error. With blocks=on it
 * also writes "block ADDRESS INSNS EXECUTIONS" for every translated block
 * that ran (a block translated again appears again): enough to attribute the
 * count to functions with the ELF's symbol table.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QEMU_PLUGIN_EXPORT __attribute__((visibility("default")))

typedef uint64_t qemu_plugin_id_t;

/* qemu_info_t as of API version 1; only passed through here. */
typedef struct {
  const char *target_name;
  struct {
    int min;
    int cur;
  } version;
  bool system_emulation;
  union {
    struct {
      int smp_vcpus;
      int max_vcpus;
    } system;
  };
} qemu_info_t;

struct qemu_plugin_tb;

enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };

typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id,
                                               struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
                                           qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb,
                                              enum qemu_plugin_op op,
                                              void *ptr, uint64_t imm);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
                                    qemu_plugin_udata_cb_t cb, void *userdata);

/* qemu 7.2 accepts plugins built for API versions 0 to 1. */
QEMU_PLUGIN_EXPORT int qemu_plugin_version = 1;

/* One vCPU (the MPS2 boards have max_cpus 1), so plain counters are exact. */
static uint64_t InsnCount;
static char OutFile[4096];

/* With blocks=on: one record per translation, with its own execution count. */
struct Block {
  uint64_t Address;
  uint64_t Insns;
  uint64_t Executions;
  struct Block *Next;
};
static bool PerBlock;
static struct Block *Blocks;

static void onTranslate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  size_t insns = qemu_plugin_tb_n_insns(tb);
  (void)id;
  qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
                                           &InsnCount, insns);
  if (PerBlock) {
    struct Block *block = calloc(1, sizeof *block);
    if (block == NULL) {
      fprintf(stderr, "insncount: out of memory; block counts stop here\n");
      PerBlock = false;
      return;
    }
    block->Address = qemu_plugin_tb_vaddr(tb);
    block->Insns = insns;
    block->Next = Blocks;
    Blocks = block;
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
                                             &block->Executions, 1);
  }
}

static void onExit(qemu_plugin_id_t id, void *userdata) {
  FILE *out = stderr;
  (void)id;
  (void)userdata;
  if (OutFile[0] != '\0') {
    out = fopen(OutFile, "w");
    if (out == NULL) {
      fprintf(stderr, "insncount: cannot write %s\n", OutFile);
      return;
    }
  }
  fprintf(out, "insns %" PRIu64 "\n", InsnCount);
  for (; Blocks != NULL; Blocks = Blocks->Next)
    if (Blocks->Executions != 0)
      fprintf(out, "block 0x%" PRIx64 " %" PRIu64 " %" PRIu64 "\n",
              Blocks->Address, Blocks->Insns, Blocks->Executions);
  if (out != stderr)
    fclose(out);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
                                           const qemu_info_t *info, int argc,
                                           char **argv) {
  int i;
  (void)info;
  for (i = 0; i < argc; i++) {
    if (strncmp(argv[i], "outfile=", 8) == 0 &&
        strlen(argv[i] + 8) < sizeof OutFile) {
      strcpy(OutFile, argv[i] + 8);
    } else if (strcmp(argv[i], "blocks=on") == 0) {
      PerBlock = true;
    } else {
      fprintf(stderr,
              "insncount: unknown option '%s' (want outfile=PATH, blocks=on)\n",
              argv[i]);
      return -1;
    }
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, onTranslate);
  qemu_plugin_register_atexit_cb(id, onExit, NULL);
  return 0;
}
