/* shell.h - the interactive shell (GNU readline): prompt, history kept in
 * the XDG state folder, completion of commands, files and stream ids. */
#ifndef SHELL_H
#define SHELL_H
#include "session.h"

/* Runs until quit or end of input; returns the last command's status. */
int shell_run(Session *s);

#endif
