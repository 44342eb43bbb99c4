/* print_main.c for a model generated with --weights-blob: maps the blob
   (argv[1]) at the address model.c was compiled with
   (-DMODEL_WEIGHTS_ADDRESS=...), reads MODEL_INPUT_0_SIZE floats from
   standard input, runs the model and prints output 0 as print_main.c does.
   Without MODEL_WEIGHTS_ADDRESS the blob is linked in (model_weights) and
   argv[1] is not read. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "model.h"

int main(int argc, char **argv) {
  static float input[MODEL_INPUT_0_SIZE];
  static float output[MODEL_OUTPUT_0_SIZE];
  int i;
#ifdef MODEL_WEIGHTS_ADDRESS
  int fd;
  void *at;
  if (argc < 2 || (fd = open(argv[1], O_RDONLY)) < 0)
    return 3;
  at = mmap((void *)(uintptr_t)(MODEL_WEIGHTS_ADDRESS), MODEL_WEIGHTS_BLOB_SIZE, PROT_READ,
            MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 0);
  if (at != (void *)(uintptr_t)(MODEL_WEIGHTS_ADDRESS))
    return 4;
  close(fd);
#else
  (void)argc;
  (void)argv;
#endif
  for (i = 0; i < MODEL_INPUT_0_SIZE; ++i)
    if (scanf("%f", &input[i]) != 1)
      return 2;
  if (model_run(input, output) != 0)
    return 1;
  for (i = 0; i < MODEL_OUTPUT_0_SIZE; ++i)
    printf("%d %.6f\n", i, output[i]);
  return 0;
}
