/* tui/complete.h — shell completion for slicedeck, from the binary itself.
 *
 * The bash function (packaging/bash-completion/slicedeck) runs
 *     slicedeck __complete CWORD WORD0 WORD1 ...
 * with its COMP_CWORD and COMP_WORDS, and inserts what comes back: one
 * candidate per line, already filtered by the word being completed, or
 * the line SD_COMPLETE_FILES asking for file names. Commands, their
 * options and the values a table row lists come from the CLI's own
 * command table (tui/cli.c), so completion cannot drift from what the
 * parser takes; factory, slice, site and alarm ids are asked of the engine
 * (1 s at most, silent when it does not answer), which scopes them to the
 * caller: a factory user is offered only their own factory's ids. Nothing
 * is evaluated by the shell: ids outside [A-Za-z0-9._:-] are left out.
 */
#ifndef SD_TUI_COMPLETE_H
#define SD_TUI_COMPLETE_H

#include <stdio.h>

#define SD_COMPLETE_FILES "!files"

/* argv[0..argc-1] are the words (argv[0] "slicedeck"), cword the index of
 * the one being completed (argc when it is a new, empty word). 0, or 2
 * for bad arguments. */
int sd_complete(FILE *out, int cword, int argc, char **argv);

#endif
