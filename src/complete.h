/* complete.h - the hidden `mptcpanalyzer --complete CWORD WORD...` entry
 * that the bash completion script (share/mptcpanalyzer.bash) calls on TAB:
 * WORD... are bash's COMP_WORDS (the program first), CWORD its
 * COMP_CWORD. Prints the candidates for word CWORD, one per line; a line
 * "@captures", "@files" or "@dirs" asks the script to add capture file
 * names (and folders), any file names, or folder names.
 * Commands and options come from the command table; stream ids from the
 * cache only, so a TAB never starts tshark. */
#ifndef COMPLETE_H
#define COMPLETE_H

int complete_run(int argc, char **argv);

#endif
