/* Returns STATUS from main: qemu-system-arm must exit with it. */
#include <stdio.h>

int main(void) {
  printf("returning %d\n", STATUS);
  return STATUS;
}
