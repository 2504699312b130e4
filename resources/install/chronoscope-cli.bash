# bash completion for chronoscope-cli                          -*- shell-script -*-
#
# Installed as share/bash-completion/completions/chronoscope-cli. Works with the
# bash-completion package's helpers (it then uses _filedir for file names) and
# without them (plain compgen). The commands and options are those printed by
# 'chronoscope-cli --help' and 'chronoscope-cli COMMAND --help';
# tests/install/check-install.sh fails when one of them is missing here.

# The commands, in the order of 'chronoscope-cli --help'.
_chronoscope_cli_commands='info streams events state append import export sample project command publish dead-letters diff history schema upcast story topics spec'

# The options of a command ("schema validate" for the schema command's action).
# A trailing '=' marks an option that takes a value.
_chronoscope_cli_options()
{
    local common='-h --help --help-all'
    local travel='--stream= --reducer= --timeout-ms= --memory-mb= --upcasters= --skip='
    local reactions='--fail= --decline-payments --no-reactions'
    case $1 in
        info) echo "$common" ;;
        streams) echo "$common --prefix= --contains= --glob= --category= --sort= --descending --limit= --categories" ;;
        events) echo "$common --stream= --from-version= --from-position= --limit= --type= --category= --prefix= --since= --until= --backward --follow --upcasters=" ;;
        state) echo "$common $travel --version= --at=" ;;
        append) echo "$common --stream= --type= --data= --metadata= --expected= --schema-version= --create --schemas= --require-schema" ;;
        import) echo "$common --stream=" ;;
        export) echo "$common --force" ;;
        sample) echo "$common --events= --seed= --force" ;;
        project) echo "$common --projection= --at= --time-limit= --memory-mb= --list-builtins" ;;
        command) echo "$common --json= $reactions" ;;
        publish) echo "$common --stream= --type= --data= --metadata= --expected= --correlation-id= --causation-id= $reactions" ;;
        dead-letters) echo "$common --json $reactions" ;;
        diff) echo "$common $travel --from= --to=" ;;
        history) echo "$common $travel --path=" ;;
        schema) echo '-h --help' ;;
        'schema validate') echo "$common --schemas= --require-schema --event= --type= --schema-version= --stream= --upcasters=" ;;
        upcast) echo "$common --upcasters= --stream= --limit= --changed-only" ;;
        story) echo "$common --event= --position= --correlation=" ;;
        topics) echo "$common --partitions= --group= --members= --member= --committed= --stream=" ;;
        spec) echo '-h --help' ;;
        'spec run') echo "$common" ;;
        'spec export') echo "$common --stream= --from= --to= --format=" ;;
    esac
}

# COMPREPLY += the blank-separated words of $1 that start with $2.
_chronoscope_cli_words()
{
    local word
    for word in $1; do
        [[ $word == "$2"* ]] && COMPREPLY+=("$word")
    done
}

# COMPREPLY += file names (or, with $2 = -d, folders) completing $cur; $1 is an
# extension pattern for _filedir (e.g. 'js' or '@(js|json)'), or empty.
_chronoscope_cli_files()
{
    if declare -F _filedir >/dev/null 2>&1; then
        local before=("${COMPREPLY[@]}")
        COMPREPLY=()
        if [[ ${2-} == -d ]]; then
            _filedir -d
        else
            _filedir "$1"
        fi
        COMPREPLY=("${before[@]}" "${COMPREPLY[@]}")
        return
    fi
    compopt -o filenames 2>/dev/null
    local line
    if [[ ${2-} == -d ]]; then
        while IFS= read -r line; do COMPREPLY+=("$line"); done < <(compgen -d -- "$cur")
        return
    fi
    if [[ -z $1 ]]; then
        while IFS= read -r line; do COMPREPLY+=("$line"); done < <(compgen -f -- "$cur")
        return
    fi
    # Folders (to walk into) and the files with one of the extensions.
    local ext exts=${1#@(}
    exts=${exts%)}
    while IFS= read -r line; do COMPREPLY+=("$line"); done < <(compgen -d -- "$cur")
    for ext in ${exts//|/ }; do
        while IFS= read -r line; do
            [[ -d $line ]] || COMPREPLY+=("$line")
        done < <(compgen -f -X "!*.$ext" -- "$cur")
    done
}

# The built-in projections, as 'builtin:NAME', asked of the program itself.
_chronoscope_cli_builtins()
{
    local program=$1 names
    names=$("$program" project --list-builtins 2>/dev/null |
        grep -o '"name":"[^"]*"' | sed 's/^"name":"\(.*\)"$/builtin:\1/')
    if [[ -z $names ]]; then
        names='builtin:events-by-type builtin:events-by-category builtin:events-per-hour builtin:events-per-day builtin:stream-lengths builtin:cart-summaries builtin:revenue-per-day'
    fi
    printf '%s\n' "$names"
}

# Completes the value $cur of option $1 of command $2 (into COMPREPLY).
_chronoscope_cli_value()
{
    local option=$1 program=$3
    case $option in
        --sort) _chronoscope_cli_words 'id version events last' "$cur" ;;
        --expected) _chronoscope_cli_words 'any no-stream exists' "$cur" ;;
        --fail)
            # A comma-separated list: complete its last item.
            local done_part='' item
            [[ $cur == *,* ]] && done_part=${cur%,*},
            for item in email inventory payment saga; do
                [[ ,$done_part == *",$item,"* ]] && continue
                [[ $done_part$item == "$cur"* ]] && COMPREPLY+=("$done_part$item")
            done
            ;;
        --upcasters) _chronoscope_cli_files '@(json|js)' ;;
        --reducer) _chronoscope_cli_files 'js' ;;
        --projection)
            _chronoscope_cli_words "$(_chronoscope_cli_builtins "$program")" "$cur"
            [[ $cur == builtin:* ]] || _chronoscope_cli_files 'js'
            ;;
        --schemas) _chronoscope_cli_files '' -d ;;
        --format) _chronoscope_cli_words 'json qtest jest' "$cur" ;;
        *) ;; # a stream id, a number, JSON, a time...: nothing to offer
    esac
}

_chronoscope_cli()
{
    COMPREPLY=()
    local IFS=$' \t\n'

    # The words as the program will see them: bash splits the line at every
    # character of COMP_WORDBREAKS ('=' and ':' included), so words typed
    # without a blank between them are joined again, using COMP_LINE.
    local -a words=()
    local cword=0 i=0 pos=0 joined=0
    local line=${COMP_LINE-}
    if [[ -z $line ]]; then
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    else
        local w
        for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
            w=${COMP_WORDS[i]}
            joined=$((i > 0))
            while ((pos < ${#line})) && [[ ${line:pos:1} == [[:space:]] ]]; do
                joined=0
                ((pos++))
            done
            [[ ${line:pos:${#w}} == "$w" ]] || joined=0
            [[ ${line:pos:${#w}} == "$w" ]] && ((pos += ${#w}))
            if ((joined)) && ((${#words[@]} > 0)); then
                words[${#words[@]} - 1]+=$w
            else
                words+=("$w")
            fi
            ((i == COMP_CWORD)) && cword=$((${#words[@]} - 1))
        done
    fi
    local cur=${words[cword]-}

    # What readline replaces: the part of the word after its last break character.
    local keep=0 breaks=${COMP_WORDBREAKS-$' \t\n"'\''><=;|&(:'}
    for ((i = ${#cur} - 1; i >= 0; i--)); do
        if [[ $breaks == *"${cur:i:1}"* ]]; then
            keep=$((i + 1))
            break
        fi
    done

    __chronoscope_cli_complete

    # Drop from each reply the part readline keeps.
    if ((keep > 0)) && ((${#COMPREPLY[@]} > 0)); then
        local prefix=${cur:0:keep} r
        local -a trimmed=()
        for r in "${COMPREPLY[@]}"; do
            trimmed+=("${r#"$prefix"}")
        done
        COMPREPLY=("${trimmed[@]}")
    fi
    return 0
}

# Fills COMPREPLY for words[] / cword / cur (set by _chronoscope_cli).
__chronoscope_cli_complete()
{
    # A copy: the value of --option=value is completed as cur (also by _filedir).
    local cur=$cur

    # The first word: a command, or one of the program's own options.
    if ((cword == 1)); then
        if [[ $cur == -* ]]; then
            _chronoscope_cli_words '-h --help -v --version' "$cur"
        else
            _chronoscope_cli_words "$_chronoscope_cli_commands" "$cur"
        fi
        return
    fi

    local command=${words[1]} first=2
    case " $_chronoscope_cli_commands " in
        *" $command "*) ;;
        *) return ;;
    esac
    # Commands with actions: schema validate; spec run, spec export.
    local actions=''
    case $command in
        schema) actions='validate' ;;
        spec) actions='run export' ;;
    esac
    if [[ -n $actions ]]; then
        if ((cword == 2)); then
            if [[ $cur == -* ]]; then
                _chronoscope_cli_words "$(_chronoscope_cli_options "$command")" "$cur"
            else
                _chronoscope_cli_words "$actions" "$cur"
            fi
            return
        fi
        [[ " $actions " == *" ${words[2]} "* ]] || return
        command="$command ${words[2]}"
        first=3
    fi
    local options
    options=$(_chronoscope_cli_options "$command")

    # Walk the words before the cursor: count the positional arguments, and
    # see whether the cursor is on the value of an option.
    local i word positional=0 value_of='' after_dashes=0
    for ((i = first; i < cword; i++)); do
        word=${words[i]}
        if [[ -n $value_of ]]; then
            value_of=''
        elif ((after_dashes)) || [[ $word != -* || $word == - ]]; then
            ((positional++))
        elif [[ $word == -- ]]; then
            after_dashes=1
        elif [[ $word != *=* && " $options " == *" $word= "* ]]; then
            value_of=$word
        fi
    done

    # --option=value
    if ((!after_dashes)) && [[ -z $value_of && $cur == --*=* ]]; then
        local option=${cur%%=*}
        if [[ " $options " == *" $option= "* ]]; then
            local prefix=$option= start=${#COMPREPLY[@]} r
            cur=${cur#*=}
            _chronoscope_cli_value "$option" "$command" "${words[0]}"
            for ((r = start; r < ${#COMPREPLY[@]}; r++)); do
                COMPREPLY[r]=$prefix${COMPREPLY[r]}
            done
        fi
        return
    fi
    # --option value
    if [[ -n $value_of ]]; then
        _chronoscope_cli_value "$value_of" "$command" "${words[0]}"
        return
    fi
    # An option name.
    if ((!after_dashes)) && [[ $cur == -* ]]; then
        _chronoscope_cli_words "${options//=/}" "$cur"
        return
    fi

    # A positional argument.
    case $command in
        import | export)
            ((positional < 2)) && _chronoscope_cli_files ''
            ;;
        dead-letters)
            case $positional in
                0) _chronoscope_cli_files '' ;;
                1) _chronoscope_cli_words 'show discard retry' "$cur" ;;
            esac
            ;;
        *)
            # STORE (or DEST for sample): a file; a postgresql:// URL is typed.
            ((positional < 1)) && _chronoscope_cli_files ''
            ;;
    esac
}

complete -F _chronoscope_cli chronoscope-cli

# ex: filetype=sh
