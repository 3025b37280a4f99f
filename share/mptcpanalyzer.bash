# bash completion for mptcpanalyzer                        -*- shell-script -*-
# Installed as share/bash-completion/completions/mptcpanalyzer. The program
# itself says what fits the word under the cursor (its hidden --complete
# entry: commands and options from its command table, stream ids from its
# cache, never by starting tshark); this function adds file and folder
# names when it answers "@captures" (capture files and folders; any file
# when none matches), "@files" or "@dirs".
# SPDX-License-Identifier: GPL-3.0-or-later

# Capture files (by their usual endings) and folders under the word $1;
# every file when none of them fits.
_mptcpanalyzer_captures()
{
    local f
    local -a all found
    mapfile -t all < <(compgen -f -- "$1")
    for f in "${all[@]}"; do
        case $f in
            *.pcap|*.pcapng|*.cap|*.pcap.gz|*.pcapng.gz|*.ntar) found+=("$f") ;;
            *) [[ -d $f ]] && found+=("$f") ;;
        esac
    done
    (( ${#found[@]} )) || found=("${all[@]}")
    printf '%s\n' "${found[@]}"
}

_mptcpanalyzer()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prog=${COMP_WORDS[0]} line
    local -a answer
    COMPREPLY=()
    [[ $cur == "=" ]] && cur=
    # the program being completed, else the installed one
    prog=$(type -P -- "${prog/#\~/$HOME}" 2>/dev/null) || prog=mptcpanalyzer
    mapfile -t answer < <("$prog" --complete "$COMP_CWORD" "${COMP_WORDS[@]}" 2>/dev/null)
    for line in "${answer[@]}"; do
        case $line in
            @captures)
                compopt -o filenames 2>/dev/null
                mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(_mptcpanalyzer_captures "$cur") ;;
            @files)
                compopt -o filenames 2>/dev/null
                mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur") ;;
            @dirs)
                compopt -o filenames 2>/dev/null
                mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -d -- "$cur") ;;
            *)
                COMPREPLY+=("$line") ;;
        esac
    done
}
complete -F _mptcpanalyzer mptcpanalyzer
