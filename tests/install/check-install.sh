#!/usr/bin/env bash
# Checks what 'cmake --install' put under a prefix.
#
#   tests/install/check-install.sh PREFIX CLI
#
# PREFIX is the folder the install filled; CLI is a chronoscope-cli binary, asked
# for its commands and options (the drift checks: every command and every long
# option of 'CLI --help' and 'CLI COMMAND --help' must be offered by the bash
# completion and mentioned by the man page).
#
# Prints one line per check ("ok:", "FAIL:", "skip:") and exits 1 when any check
# failed, 0 otherwise (2 for a wrong command line). With CI=true, a tool a check
# needs (appstreamcli, groff) must be there; otherwise that check is skipped
# with a note. desktop-file-validate is used when it is installed. The
# completion is tried in a plain bash, and also with the bash-completion
# package's helpers when $BASH_COMPLETION_SCRIPT (default
# /usr/share/bash-completion/bash_completion) exists.
set -uo pipefail

usage() {
    echo "usage: ${0##*/} PREFIX CLI" >&2
    exit 2
}
(($# == 2)) || usage

failures=0
ok() { printf 'ok: %s\n' "$*"; }
fail() {
    printf 'FAIL: %s\n' "$*"
    failures=$((failures + 1))
}
skip() { printf 'skip: %s\n' "$*"; }
ci() { [[ ${CI:-} == true ]]; }
# A tool a check needs: missing is a failure under CI=true, else a skip.
need() {
    command -v "$1" >/dev/null 2>&1 && return 0
    if ci; then
        fail "$1 is not installed (required when CI=true): $2"
    else
        skip "$1 is not installed: $2"
    fi
    return 1
}

# Absolute paths: nothing below depends on the current folder.
[[ -d $1 ]] || {
    echo "${0##*/}: PREFIX '$1' is not a folder" >&2
    exit 2
}
PREFIX=$(cd -- "$1" && pwd -P) || exit 2
# A name without '/' is looked up in PATH first, then taken as a file here.
CLI=$2
if [[ $CLI != */* ]]; then
    found=$(type -P -- "$CLI") && CLI=$found
fi
if [[ -e $CLI ]]; then
    CLI=$(cd -- "$(dirname -- "$CLI")" && pwd -P)/$(basename -- "$CLI") || exit 2
fi
[[ -f $CLI && -x $CLI ]] || {
    echo "${0##*/}: CLI '$2' is not an executable file" >&2
    exit 2
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/check-install.XXXXXX") || exit 2
trap 'rm -rf -- "$WORK"' EXIT
mkdir -p "$WORK/empty"

ID=io.github.chronoscope.Chronoscope
BIN=$PREFIX/bin
SHARE=$PREFIX/share

# ---------------------------------------------------------------- programs
for program in chronoscope chronoscope-cli; do
    if [[ -f $BIN/$program && -x $BIN/$program ]]; then
        ok "bin/$program is an executable file"
    elif [[ -e $BIN/$program ]]; then
        fail "bin/$program is not an executable file"
    else
        fail "bin/$program is missing"
    fi
done

# ------------------------------------------------------------ desktop file
desktop=$SHARE/applications/$ID.desktop
if [[ -f $desktop ]]; then
    ok "share/applications/$ID.desktop exists"
    grep -qx "Icon=$ID" "$desktop" || fail "$ID.desktop: Icon is not $ID"
    grep -q '^Exec=chronoscope\( \|$\)' "$desktop" || fail "$ID.desktop: Exec does not run chronoscope"
    for key in Categories Keywords MimeType; do
        value=$(sed -n "s/^$key=//p" "$desktop")
        [[ -z $value || $value == *';' ]] || fail "$ID.desktop: $key does not end in ';'"
    done
    if command -v desktop-file-validate >/dev/null 2>&1; then
        if out=$(desktop-file-validate "$desktop" 2>&1); then
            ok "desktop-file-validate $ID.desktop"
            [[ -z $out ]] || printf '%s\n' "$out" | sed 's/^/  /'
        else
            fail "desktop-file-validate $ID.desktop:"
            printf '%s\n' "$out" | sed 's/^/  /'
        fi
    else
        skip "desktop-file-validate is not installed (desktop-file-utils): $ID.desktop not validated"
    fi
else
    fail "share/applications/$ID.desktop is missing"
fi

# ---------------------------------------------------------------- metainfo
metainfo=$SHARE/metainfo/$ID.metainfo.xml
if [[ -f $metainfo ]]; then
    ok "share/metainfo/$ID.metainfo.xml exists"
    if need appstreamcli "$ID.metainfo.xml not validated"; then
        if out=$(appstreamcli validate --no-net "$metainfo" 2>&1); then
            ok "appstreamcli validate --no-net $ID.metainfo.xml"
        else
            fail "appstreamcli validate --no-net $ID.metainfo.xml:"
            printf '%s\n' "$out" | sed 's/^/  /'
        fi
    fi
else
    fail "share/metainfo/$ID.metainfo.xml is missing"
fi

# ------------------------------------------------------------------- icons
svg=$SHARE/icons/hicolor/scalable/apps/$ID.svg
png=$SHARE/icons/hicolor/256x256/apps/$ID.png
if [[ -f $svg ]]; then ok "${svg#"$PREFIX"/} exists"; else fail "${svg#"$PREFIX"/} is missing"; fi
if [[ -f $png ]]; then
    ok "${png#"$PREFIX"/} exists"
    if command -v file >/dev/null 2>&1; then
        size=$(file -b -- "$png")
        [[ $size == *'PNG image data, 256 x 256'* ]] || fail "${png#"$PREFIX"/} is not a 256x256 PNG: $size"
    fi
else
    fail "${png#"$PREFIX"/} is missing"
fi

# --------------------------------------------- the CLI's commands and options
# The commands of 'CLI --help' (the "Commands:" block).
if ! help=$("$CLI" --help 2>&1); then
    fail "'$CLI --help' failed"
fi
mapfile -t commands < <(
    awk '/^Commands:/ { on = 1; next } on && /^[[:space:]]*$/ { exit } on && match($0, /^  [a-z][a-z0-9-]*( |$)/) { print $1 }' <<<"$help")
((${#commands[@]} > 0)) || fail "found no command in '$CLI --help'"

# The long options of a help text's "Options:" block, one per line, without "--".
long_options() {
    awk '/^Options:/ { on = 1; next } on && /^[[:space:]]*$/ { exit }
         on && match($0, /^  (-[A-Za-z0-9], )?--[A-Za-z0-9][A-Za-z0-9-]*/) {
             s = substr($0, RSTART, RLENGTH); sub(/^.*--/, "", s); print s }'
}

# Every command (and sub-command, e.g. "schema validate") with its options:
# entries "COMMAND<TAB>opt opt ...".
entries=()
for command in "${commands[@]}"; do
    if ! text=$("$CLI" "$command" --help 2>&1); then
        fail "'chronoscope-cli $command --help' failed"
        continue
    fi
    entries+=("$command"$'\t'"$(long_options <<<"$text" | tr '\n' ' ')")
    # A command with actions names them: "Run 'chronoscope-cli schema validate --help'".
    while IFS= read -r sub; do
        [[ -n $sub ]] || continue
        if ! subtext=$("$CLI" "$command" "$sub" --help 2>&1); then
            fail "'chronoscope-cli $command $sub --help' failed"
            continue
        fi
        entries+=("$command $sub"$'\t'"$(long_options <<<"$subtext" | tr '\n' ' ')")
    done < <(sed -n "s/.*Run 'chronoscope-cli $command \([a-z][a-z0-9-]*\) --help'.*/\1/p" <<<"$text" | sort -u)
done
top_options=$(long_options <<<"$help" | tr '\n' ' ')

# ---------------------------------------------------------- bash completion
completion=$SHARE/bash-completion/completions/chronoscope-cli
bash_completion_script=${BASH_COMPLETION_SCRIPT:-/usr/share/bash-completion/bash_completion}

# complete MODE WORD... : what the completion offers for the words (the last is
# the one being completed), one per line. MODE is "plain" or "helpers".
complete_words() {
    local mode=$1
    shift
    (cd "$WORK/empty" && bash -c '
        mode=$1 helpers=$2 completion=$3
        shift 3
        if [[ $mode == helpers ]]; then
            source "$helpers" >/dev/null 2>&1 || exit 3
        fi
        source "$completion" >/dev/null 2>&1 || exit 3
        declare -F _chronoscope_cli >/dev/null || exit 4
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        COMP_LINE="$*"
        COMP_POINT=${#COMP_LINE}
        _chronoscope_cli chronoscope-cli "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]:-}" || exit 5
        printf "%s\n" "${COMPREPLY[@]}"
    ' bash "$mode" "$bash_completion_script" "$completion" "$@")
}

# offers LIST WORD : whether the lines of LIST include WORD.
offers() { grep -qxF -- "$2" <<<"$1"; }

check_completion() {
    local mode=$1 got entry command options option missing=0
    got=$(complete_words "$mode" chronoscope-cli '')
    case $? in
        0) ;;
        3) fail "completion ($mode): sourcing share/bash-completion/completions/chronoscope-cli failed"; return ;;
        4) fail "completion ($mode): the file defines no function _chronoscope_cli"; return ;;
        *) fail "completion ($mode): _chronoscope_cli failed on 'chronoscope-cli '"; return ;;
    esac
    for command in "${commands[@]}"; do
        offers "$got" "$command" || {
            fail "completion ($mode): 'chronoscope-cli ' does not offer the command '$command'"
            missing=1
        }
    done
    got=$(complete_words "$mode" chronoscope-cli --)
    for option in $top_options; do
        offers "$got" "--$option" || {
            fail "completion ($mode): 'chronoscope-cli --' does not offer --$option"
            missing=1
        }
    done
    for entry in "${entries[@]}"; do
        command=${entry%%$'\t'*}
        options=${entry#*$'\t'}
        if [[ $command == *' '* ]]; then
            # A sub-command is offered after its command.
            got=$(complete_words "$mode" chronoscope-cli "${command%% *}" '')
            offers "$got" "${command#* }" || {
                fail "completion ($mode): 'chronoscope-cli ${command%% *} ' does not offer '${command#* }'"
                missing=1
            }
        fi
        # shellcheck disable=SC2086 # the command's words
        got=$(complete_words "$mode" chronoscope-cli $command --)
        for option in $options; do
            offers "$got" "--$option" || {
                fail "completion ($mode): command '$command': option --$option is not offered"
                missing=1
            }
        done
    done
    ((missing)) || ok "completion ($mode) offers every command and every long option of '${CLI##*/} --help'"
}

if [[ -f $completion ]]; then
    ok "share/bash-completion/completions/chronoscope-cli exists"
    if out=$(bash -n "$completion" 2>&1); then
        check_completion plain
        if [[ -f $bash_completion_script ]]; then
            check_completion helpers
        else
            skip "bash-completion is not installed ($bash_completion_script): completion tried without its helpers only"
        fi
    else
        fail "share/bash-completion/completions/chronoscope-cli: bash -n:"
        printf '%s\n' "$out" | sed 's/^/  /'
    fi
else
    fail "share/bash-completion/completions/chronoscope-cli is missing"
fi

# ------------------------------------------------------------- manual pages
# The page's text, .gz or plain, on stdout.
man_source() {
    if [[ $1 == *.gz ]]; then gzip -dc -- "$1"; else cat -- "$1"; fi
}
# The page found for NAME (NAME.1.gz or NAME.1), or nothing.
man_page() {
    local page
    for page in "$SHARE/man/man1/$1.1.gz" "$SHARE/man/man1/$1.1"; do
        [[ -f $page ]] && {
            printf '%s\n' "$page"
            return
        }
    done
}
# The source with the roff escapes that may sit inside a word undone:
# \- \(hy \% \& \: \fB \fI \fR \fP \f(CW.
man_plain() {
    man_source "$1" | sed -e 's/\\-/-/g' -e 's/\\(hy/-/g' -e 's/\\[%&:]//g' \
        -e 's/\\f([A-Z][A-Z]//g' -e 's/\\f\[[^]]*\]//g' -e 's/\\f[A-Z1-4]//g'
}
# The lines of the sections (.SH or .SS) whose title starts with the words $2.
man_section() {
    awk -v p="$2" '
        /^\.S[HS]([ \t]|$)/ {
            t = $0; sub(/^\.S[HS][ \t]*/, "", t); gsub(/"/, "", t)
            on = index(t, p) == 1 && (length(t) == length(p) || substr(t, length(p) + 1, 1) == " ")
            next
        }
        on' "$1"
}
# Whether the text file $1 mentions the word $2 (letters, digits and '-' around it do not count).
mentions() { grep -qE -- "(^|[^A-Za-z0-9-])$2([^A-Za-z0-9-]|\$)" "$1"; }

for name in chronoscope-cli chronoscope; do
    page=$(man_page "$name")
    if [[ -z $page ]]; then
        fail "share/man/man1/$name.1.gz (or $name.1) is missing"
        continue
    fi
    ok "${page#"$PREFIX"/} exists"
    if need groff "${page##*/} not rendered"; then
        out=$(man_source "$page" | groff -man -ww -z 2>&1)
        if [[ -z $out ]]; then
            ok "${page##*/} renders with groff -man -ww without a word"
        else
            fail "${page##*/}: groff -man -ww -z says:"
            printf '%s\n' "$out" | sed 's/^/  /'
        fi
    fi
done

page=$(man_page chronoscope-cli)
if [[ -n $page ]]; then
    plain=$WORK/chronoscope-cli.1.txt
    man_plain "$page" >"$plain"
    man_section "$plain" OPTIONS >"$WORK/options.txt"
    missing=0
    for command in "${commands[@]}"; do
        mentions "$plain" "$command" || {
            fail "man page ${page##*/}: the command '$command' is not mentioned"
            missing=1
        }
    done
    for option in $top_options; do
        mentions "$plain" "--$option" || {
            fail "man page ${page##*/}: the option --$option is not mentioned"
            missing=1
        }
    done
    for entry in "${entries[@]}"; do
        command=${entry%%$'\t'*}
        options=${entry#*$'\t'}
        # The command's own section ("chronoscope-cli COMMAND ..."), with OPTIONS
        # for the options every command has; the whole page when it has none.
        man_section "$plain" "chronoscope-cli $command" >"$WORK/section.txt"
        if [[ -s $WORK/section.txt ]]; then
            cat "$WORK/options.txt" >>"$WORK/section.txt"
            where="its section"
        else
            cp "$plain" "$WORK/section.txt"
            where="the page"
        fi
        for option in $options; do
            mentions "$WORK/section.txt" "--$option" || {
                fail "man page ${page##*/}: command '$command': option --$option is not mentioned in $where"
                missing=1
            }
        done
    done
    ((missing)) || ok "man page ${page##*/} mentions every command and every long option of '${CLI##*/} --help'"
fi

# ------------------------------------------------------------ sample store
sample=$SHARE/chronoscope/sample-store.chronoscope
if [[ -f $sample ]]; then
    ok "share/chronoscope/sample-store.chronoscope exists"
    if [[ $(head -c 15 -- "$sample" 2>/dev/null) != 'SQLite format 3' ]]; then
        fail "share/chronoscope/sample-store.chronoscope is not an SQLite file"
    else
        # The URI of the file, read-only ('%', '?' and '#' escaped).
        uri=${sample//%/%25}
        uri=${uri//\?/%3f}
        uri=${uri//#/%23}
        uri="file:$uri?mode=ro"
        mode=''
        if command -v sqlite3 >/dev/null 2>&1; then
            mode=$(sqlite3 "$uri" 'PRAGMA journal_mode;' 2>&1)
        elif command -v python3 >/dev/null 2>&1; then
            mode=$(python3 - "$sample" <<'EOF' 2>&1
import sqlite3, sys, urllib.parse
db = sqlite3.connect("file:" + urllib.parse.quote(sys.argv[1]) + "?mode=ro", uri=True)
print(db.execute("PRAGMA journal_mode").fetchone()[0])
EOF
            )
        else
            # Neither: the file header says it (bytes 18 and 19: 1 rollback journal, 2 WAL).
            header=$(od -An -tu1 -j18 -N2 -- "$sample" | tr -s ' ')
            [[ $header == ' 1 1' ]] && mode=delete || mode="not delete (header bytes 18-19:$header)"
        fi
        if [[ ${mode,,} == delete ]]; then
            ok "share/chronoscope/sample-store.chronoscope: journal_mode is delete"
        else
            fail "share/chronoscope/sample-store.chronoscope: journal_mode is '$mode', not 'delete' (a WAL store cannot be opened read-only from a folder nobody may write)"
        fi
    fi
else
    fail "share/chronoscope/sample-store.chronoscope is missing"
fi

# ---------------------------------------------------------------- summary
if ((failures)); then
    echo "$failures check(s) failed under $PREFIX"
    exit 1
fi
echo "every check passed under $PREFIX"
exit 0
