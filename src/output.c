/* output.c - write errors on standard output (see output.h). The one
 * piece of state, whether the error was already reported, lives here
 * because stdout itself is process-wide. */
#include "output.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

static gboolean reported;

static int report(int err)
{
  if (!reported)
    fprintf(stderr, "mptcpanalyzer: write error on standard output: %s\n",
            g_strerror(err ? err : EIO));
  reported = TRUE;
  return 1;
}

int output_check(void)
{
  errno = 0;
  if (fflush(stdout) != 0)
    return report(errno);
  if (ferror(stdout) || reported)
    return report(0);
  return 0;
}

gboolean output_failed(void)
{
  return reported;
}

int output_close(void)
{
  int rc = output_check();
  errno = 0;
  if (fclose(stdout) != 0 && rc == 0)
    rc = report(errno);
  return rc;
}
