/* interrupt.c - the SIGINT flag (see interrupt.h). */
#include "interrupt.h"
#include <signal.h>
#include <string.h>

static volatile sig_atomic_t got_sigint;   /* set by the handler only */
static struct sigaction saved;             /* the action before catching */
static int depth;                          /* nested interrupt_catch() */

static void on_sigint(int sig)
{
  (void)sig;
  got_sigint = 1;
}

void interrupt_catch(void)
{
  if (depth++ > 0)
    return;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;                         /* no SA_RESTART: poll() returns */
  sigaction(SIGINT, &sa, &saved);
}

void interrupt_release(void)
{
  if (depth == 0 || --depth > 0)
    return;
  sigaction(SIGINT, &saved, NULL);
}

gboolean interrupt_pending(void)
{
  return got_sigint != 0;
}

void interrupt_clear(void)
{
  got_sigint = 0;
}
