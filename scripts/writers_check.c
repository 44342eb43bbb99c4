/* The writers check's runtime (tinyplan --check-writers; docs/planning.md,
 * "The writers check"), for host test builds.
 *
 * Build: the generated model.c (and anything else whose loads and stores
 * should be seen) with clang -fsanitize=thread -mllvm
 * -tsan-instrument-read-before-write=1 -c, this file without them and with
 * -fno-builtin, then link them without -fsanitize: ThreadSanitizer's
 * instrumentation then calls the __tsan_* hooks below on every load and
 * store, and its memcpy, memmove and memset calls come here too. Without
 * -tsan-instrument-read-before-write it leaves out a load followed by a
 * store to the same place, which is how an in-place kernel reads.
 *
 * For every byte of the arena it records the tag of the value that last
 * wrote it. Between tp_writers_node and tp_writers_done a node runs: it may
 * write only its results (and its scratch), which tags their bytes, and it
 * may read a byte only where one of its operands or results lies there with
 * the byte's tag. A result's own bytes may be read back, except where they
 * also lie in an operand: a byte there that holds the result's tag was
 * overwritten before the kernel read it as the operand's. Anything else
 * prints what was read, which value wrote it last and what was expected,
 * and aborts. Accesses outside the arena (weights, the stack, the caller's
 * buffers) are not checked, nor reads between nodes; a byte written between
 * nodes is tagged as such (the graph inputs' copies, which tp_writers_input
 * then tags as the inputs). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { kMaxRegions = 16, kMaxRanges = 256, kMaxTags = 1 << 22 };
/* The tag of bytes written between nodes (the input copies, which
 * tp_writers_input then tags as the inputs, or a stray write). */
static const uint32_t kOutside = 0xffffffffu;

typedef struct {
  uintptr_t lo, hi;
  uint32_t *tags;
} Region;

typedef struct {
  uintptr_t lo, hi;
  uint32_t tag;
  const char *name;
  int result;
} Range;

static Region regions[kMaxRegions];
static int numRegions;
static Range ranges[kMaxRanges];
static int numRanges;
static const char *node;
/* The range the last checked byte matched, tried first: kernels walk
 * one operand or result at a time. */
static int lastRead = -1, lastWrite = -1;

/* The name each tag was last declared with, for the messages. */
static const char **tagNames;
static uint32_t numTagNames;

static void fail(const char *what, uintptr_t at, uint32_t found) {
  int r;
  const char *expected = 0;
  for (r = 0; r < numRanges; ++r)
    if (at >= ranges[r].lo && at < ranges[r].hi && !ranges[r].result)
      expected = ranges[r].name;
  fprintf(stderr, "tinyplan writers check: '%s' %s a byte", node, what);
  for (r = 0; r < numRegions; ++r)
    if (at >= regions[r].lo && at < regions[r].hi)
      fprintf(stderr, " (arena region %d, offset %lu)", r,
              (unsigned long)(at - regions[r].lo));
  if (expected)
    fprintf(stderr, " of '%s'", expected);
  if (found == 0)
    fprintf(stderr, " that nothing wrote");
  else if (found == kOutside)
    fprintf(stderr, " that code outside every node wrote last");
  else
    fprintf(stderr, " that '%s' wrote last",
            found < numTagNames && tagNames[found] ? tagNames[found] : "?");
  fprintf(stderr, "\n");
  abort();
}

static uint32_t *tagAt(uintptr_t at) {
  int r;
  for (r = 0; r < numRegions; ++r)
    if (at >= regions[r].lo && at < regions[r].hi)
      return regions[r].tags + (at - regions[r].lo);
  return 0;
}

static void nameTag(uint32_t tag, const char *name) {
  if (tag >= kMaxTags) {
    fprintf(stderr, "tinyplan writers check: tag %u out of range\n", tag);
    abort();
  }
  if (tag >= numTagNames) {
    uint32_t n = numTagNames ? numTagNames : 64;
    while (n <= tag)
      n *= 2;
    tagNames = (const char **)realloc((void *)tagNames, n * sizeof *tagNames);
    if (!tagNames)
      abort();
    for (; numTagNames < n; ++numTagNames)
      tagNames[numTagNames] = 0;
  }
  tagNames[tag] = name;
}

static void readByte(uintptr_t at) {
  uint32_t *tag = tagAt(at);
  int r, inOperand = 0;
  if (!tag)
    return;
  for (r = 0; r < numRanges; ++r)
    if (at >= ranges[r].lo && at < ranges[r].hi && !ranges[r].result) {
      if (ranges[r].tag == *tag) {
        lastRead = r;
        return;
      }
      inOperand = 1;
    }
  for (r = 0; r < numRanges; ++r)
    if (at >= ranges[r].lo && at < ranges[r].hi && ranges[r].result &&
        ranges[r].tag == *tag && !inOperand)
      return;
  fail("reads", at, *tag);
}

static void writeByte(uintptr_t at) {
  uint32_t *tag = tagAt(at);
  int r;
  if (!tag)
    return;
  for (r = 0; r < numRanges; ++r)
    if (at >= ranges[r].lo && at < ranges[r].hi && ranges[r].result) {
      *tag = ranges[r].tag;
      lastWrite = r;
      return;
    }
  fail("writes outside its results", at, *tag);
}

static void onRead(const void *p, unsigned long n) {
  uintptr_t at = (uintptr_t)p, i;
  if (!node || !tagAt(at))
    return;
  for (i = 0; i < n; ++i) {
    uintptr_t b = at + i;
    const Range *r = lastRead >= 0 ? &ranges[lastRead] : 0;
    const uint32_t *tag = tagAt(b);
    /* Most often in the operand the last byte read was in. */
    if (tag && r && b >= r->lo && b < r->hi && *tag == r->tag)
      continue;
    readByte(b);
  }
}

static void onWrite(const void *p, unsigned long n) {
  uintptr_t at = (uintptr_t)p, i;
  if (!tagAt(at))
    return;
  if (!node) {
    for (i = 0; i < n; ++i)
      if (tagAt(at + i))
        *tagAt(at + i) = kOutside;
    return;
  }
  for (i = 0; i < n; ++i) {
    uintptr_t b = at + i;
    const Range *r = lastWrite >= 0 ? &ranges[lastWrite] : 0;
    uint32_t *tag = tagAt(b);
    if (r && b >= r->lo && b < r->hi && tag)
      *tag = r->tag;
    else
      writeByte(b);
  }
}

/* The generated C's calls. */

void tp_writers_region(const void *base, long bytes) {
  int r;
  uintptr_t lo = (uintptr_t)base;
  for (r = 0; r < numRegions && regions[r].lo != lo; ++r) {
  }
  if (r == kMaxRegions)
    abort();
  if (r == numRegions) {
    ++numRegions;
    regions[r].lo = lo;
    regions[r].hi = lo + (uintptr_t)bytes;
    regions[r].tags = (uint32_t *)calloc((size_t)(bytes > 0 ? bytes : 1), sizeof(uint32_t));
    if (!regions[r].tags)
      abort();
  } else {
    /* A new run: nothing in the arena is written yet. */
    long i;
    for (i = 0; i < bytes; ++i)
      regions[r].tags[i] = 0;
  }
}

void tp_writers_input(unsigned tag, const char *value, const void *at, long bytes) {
  long i;
  nameTag(tag, value);
  for (i = 0; i < bytes; ++i) {
    uint32_t *t = tagAt((uintptr_t)at + (uintptr_t)i);
    if (t)
      *t = tag;
  }
}

void tp_writers_node(const char *name) {
  node = name;
  numRanges = 0;
  lastRead = lastWrite = -1;
}

static void declare(unsigned tag, const char *value, const void *at, long bytes, int result) {
  int r;
  if (numRanges == kMaxRanges)
    abort();
  nameTag(tag, value);
  /* Two operands, or two results, that share bytes but not a tag cannot
   * both hold what they should (a result may overlap an operand). */
  for (r = 0; r < numRanges; ++r)
    if (ranges[r].result == result && ranges[r].tag != tag &&
        (uintptr_t)at < ranges[r].hi && (uintptr_t)at + (uintptr_t)bytes > ranges[r].lo &&
        tagAt((uintptr_t)at)) {
      fprintf(stderr, "tinyplan writers check: '%s' has '%s' and '%s' in the same bytes\n",
              node, ranges[r].name, value);
      abort();
    }
  ranges[numRanges].lo = (uintptr_t)at;
  ranges[numRanges].hi = (uintptr_t)at + (uintptr_t)bytes;
  ranges[numRanges].tag = tag;
  ranges[numRanges].name = value;
  ranges[numRanges].result = result;
  ++numRanges;
}

void tp_writers_operand(unsigned tag, const char *value, const void *at, long bytes) {
  declare(tag, value, at, bytes, 0);
}

void tp_writers_result(unsigned tag, const char *value, const void *at, long bytes) {
  declare(tag, value, at, bytes, 1);
}

void tp_writers_done(void) {
  node = 0;
  numRanges = 0;
  lastRead = lastWrite = -1;
}

/* ThreadSanitizer's hooks (clang -fsanitize=thread, LLVM 14 to 19). */

void __tsan_init(void) {}
void __tsan_func_entry(void *pc) { (void)pc; }
void __tsan_func_exit(void) {}
void __tsan_read1(void *p) { onRead(p, 1); }
void __tsan_read2(void *p) { onRead(p, 2); }
void __tsan_read4(void *p) { onRead(p, 4); }
void __tsan_read8(void *p) { onRead(p, 8); }
void __tsan_read16(void *p) { onRead(p, 16); }
void __tsan_write1(void *p) { onWrite(p, 1); }
void __tsan_write2(void *p) { onWrite(p, 2); }
void __tsan_write4(void *p) { onWrite(p, 4); }
void __tsan_write8(void *p) { onWrite(p, 8); }
void __tsan_write16(void *p) { onWrite(p, 16); }
void __tsan_unaligned_read2(const void *p) { onRead(p, 2); }
void __tsan_unaligned_read4(const void *p) { onRead(p, 4); }
void __tsan_unaligned_read8(const void *p) { onRead(p, 8); }
void __tsan_unaligned_read16(const void *p) { onRead(p, 16); }
void __tsan_unaligned_write2(void *p) { onWrite(p, 2); }
void __tsan_unaligned_write4(void *p) { onWrite(p, 4); }
void __tsan_unaligned_write8(void *p) { onWrite(p, 8); }
void __tsan_unaligned_write16(void *p) { onWrite(p, 16); }
void __tsan_read_range(void *p, unsigned long n) { onRead(p, n); }
void __tsan_write_range(void *p, unsigned long n) { onWrite(p, n); }
void __tsan_volatile_read1(void *p) { onRead(p, 1); }
void __tsan_volatile_read2(void *p) { onRead(p, 2); }
void __tsan_volatile_read4(void *p) { onRead(p, 4); }
void __tsan_volatile_read8(void *p) { onRead(p, 8); }
void __tsan_volatile_read16(void *p) { onRead(p, 16); }
void __tsan_volatile_write1(void *p) { onWrite(p, 1); }
void __tsan_volatile_write2(void *p) { onWrite(p, 2); }
void __tsan_volatile_write4(void *p) { onWrite(p, 4); }
void __tsan_volatile_write8(void *p) { onWrite(p, 8); }
void __tsan_volatile_write16(void *p) { onWrite(p, 16); }

/* The instrumented code's block copies, which the instrumentation leaves as
 * calls (this file is built with -fno-builtin, so these loops stay loops). */

void *memmove(void *dst, const void *src, size_t n) {
  unsigned char *d = (unsigned char *)dst;
  const unsigned char *s = (const unsigned char *)src;
  size_t i;
  onRead(src, n);
  onWrite(dst, n);
  if (d < s)
    for (i = 0; i < n; ++i)
      d[i] = s[i];
  else
    for (i = n; i > 0; --i)
      d[i - 1] = s[i - 1];
  return dst;
}

void *memcpy(void *dst, const void *src, size_t n) { return memmove(dst, src, n); }

void *memset(void *dst, int value, size_t n) {
  unsigned char *d = (unsigned char *)dst;
  size_t i;
  onWrite(dst, n);
  for (i = 0; i < n; ++i)
    d[i] = (unsigned char)value;
  return dst;
}

void *__tsan_memcpy(void *dst, const void *src, size_t n) { return memcpy(dst, src, n); }
void *__tsan_memmove(void *dst, const void *src, size_t n) { return memmove(dst, src, n); }
void *__tsan_memset(void *dst, int value, size_t n) { return memset(dst, value, n); }
