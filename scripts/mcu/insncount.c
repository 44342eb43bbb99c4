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
 * Build:  gcc -shared -fPIC -O2 -o insncount.so scripts/mcu/insncount.c
 * Use:    qemu-system-arm ... -plugin ./insncount.so[,outfile=PATH]
 * At exit it writes "insns N" to PATH, or to standard error.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
                                    qemu_plugin_udata_cb_t cb, void *userdata);

/* qemu 7.2 accepts plugins built for API versions 0 to 1. */
QEMU_PLUGIN_EXPORT int qemu_plugin_version = 1;

/* One vCPU (the MPS2 boards have max_cpus 1), so a plain counter is exact. */
static uint64_t InsnCount;
static char OutFile[4096];

static void onTranslate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
                                           &InsnCount,
                                           qemu_plugin_tb_n_insns(tb));
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
    } else {
      fprintf(stderr, "insncount: unknown option '%s' (want outfile=PATH)\n",
              argv[i]);
      return -1;
    }
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, onTranslate);
  qemu_plugin_register_atexit_cb(id, onExit, NULL);
  return 0;
}
