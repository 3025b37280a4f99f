/* interrupt.h - Ctrl-C (SIGINT) while a load runs.
 *
 * A signal handler can only set a flag; this file owns that one flag.
 * interrupt_catch() installs the handler (without SA_RESTART, so a waiting
 * poll() returns at once) and interrupt_release() puts back what was there
 * before; the tshark runner asks interrupt_pending() in its loop, ends
 * every tshark it started and fails the load with "interrupted". The shell
 * keeps the handler installed for its whole life, so Ctrl-C at the prompt
 * gives a new prompt instead of ending the program. */
#ifndef INTERRUPT_H
#define INTERRUPT_H
#include <glib.h>

/* Install the SIGINT handler; calls nest (only the outermost one installs
 * and only the matching outermost release restores). */
void interrupt_catch(void);
void interrupt_release(void);
/* TRUE when a SIGINT arrived since the last interrupt_clear(). */
gboolean interrupt_pending(void);
void interrupt_clear(void);

#endif
