/* replay.c - runs a fuzz target's entry point over files given on the
 * command line, so that `make check` replays the saved crashing inputs and
 * seeds under the sanitizers without libFuzzer (gcc builds it too). */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
  int bad = 0;
  for (int i = 1; i < argc; i++) {
    char *data;
    gsize len;
    if (!g_file_get_contents(argv[i], &data, &len, NULL)) {
      fprintf(stderr, "replay: cannot read %s\n", argv[i]);
      bad = 1;
      continue;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)data, len);
    g_free(data);
  }
  printf("replayed %d inputs\n", argc - 1);
  return bad;
}
