#!/bin/sh
# genguard-hook-shim v@VERSION@: installed by `genguard install-hooks`.
# `genguard install-hooks --uninstall` removes it and restores any hook it displaced.
hook=@HOOK@
PY=@PYTHON@
gg_code=@CODE@
case $0 in */*) chained="${0%/*}/$hook.genguard-chained" ;; *) chained= ;; esac

# The hook in Python: the interpreter that installed the shim, else `genguard hook`.
genguard_python() {
    if [ -x "$PY" ]; then
        "$PY" -I -S -c "$gg_code" "$hook" "$@"
    elif command -v genguard >/dev/null 2>&1; then
        genguard hook "$hook" "$@"
    else
        echo "genguard: $PY is gone and genguard is not on PATH; the $hook hook did nothing" \
            "(run 'genguard install-hooks' again)" >&2
    fi
}

# Whether this is a plain commit, made by git itself, with no merge, squash,
# cherry-pick, revert, rebase or --amend under way (those bring lines from other
# commits, and their trailers are Python's to find); no /proc to see --amend means
# "maybe not". Sets gg_git and gg_state. git runs hooks at the top of the worktree; in
# the main worktree (no GIT_DIR, a .git directory without a commondir file) .git is
# both dirs, which spares a rev-parse.
genguard_plain() {
    [ "${GENGUARD_QUICK:-1}" = 0 ] && return 1
    if [ -z "$GIT_DIR" ] && [ -z "$GIT_COMMON_DIR" ] && [ -d .git ] && [ ! -f .git/commondir ]; then
        gg_git="$PWD/.git"
        gg_state="$gg_git/genguard"
    else
        gg_dirs=$(git rev-parse --path-format=absolute --git-dir --git-common-dir) || return 1
        gg_git=${gg_dirs%%"
"*}
        gg_state="${gg_dirs#*"
"}/genguard"
    fi
    for gg_f in MERGE_HEAD SQUASH_MSG CHERRY_PICK_HEAD REVERT_HEAD rebase-merge rebase-apply; do
        [ -e "$gg_git/$gg_f" ] && return 1
    done
    gg_comm=
    read -r gg_comm < "/proc/$PPID/comm" 2>/dev/null
    [ "$gg_comm" = git ] || return 1
    grep -qxzF -e --amend "/proc/$PPID/cmdline"
    [ $? = 1 ]
}

# Whether this commit cannot hold AI lines, decided without Python. It cannot when it
# is a plain commit and no staged path (old and new names) is one the ledger's index
# lists in live-files (genguard.ledger.index). Anything it cannot tell (no index yet,
# a path git quotes) means "maybe".
genguard_quiet() {
    genguard_plain || return 1
    gg_live="$gg_state/live-files"
    [ -f "$gg_live" ] || [ ! -e "$gg_state/ledger.jsonl" ] || return 1
    [ -s "$gg_live" ] || return 0
    gg_staged=$(git -c core.quotePath=false diff --cached --name-only --no-renames) || return 1
    [ -n "$gg_staged" ] || return 0
    # a staged path the index lists, or its "*" (a file it could not list): maybe
    printf '%s\n*\n' "$gg_staged" | grep -Fqx -f "$gg_live" && return 1
    return 0
}

# The Assisted-by values the gate of this git commit left for the tree being
# committed, in gg_values (genguard.hooks.pending; "trailers": values without spaces
# or quotes, separated by spaces). Fails when there is no such verdict or it names
# values only Python can pass on: Python then finds them as before.
genguard_gate_trailers() {
    genguard_plain || return 1
    gg_tree=$(git write-tree) || return 1
    gg_verdict="$gg_state/verdicts/$gg_tree"
    [ -f "$gg_verdict" ] && [ ! -L "$gg_verdict" ] && [ ! -L "$gg_state/verdicts" ] || return 1
    gg_values=
    IFS= read -r gg_values < "$gg_verdict"  # the first line: pid, trailers, verdict
    case $gg_values in
    *"\"git_pid\": $PPID,"*'"trailers": "'*'"verdict": "pass"'*) ;;
    *) return 1 ;;
    esac
    gg_values=${gg_values#*'"trailers": "'}
    gg_values=${gg_values%%'"'*}
}

# Add "Assisted-by: VALUE" trailers (values from $3 on) to the message file $1; $2 is
# git's source of the message. git interpret-trailers keeps existing trailers,
# comments, the scissors line of commit -v and a template where they are, and the
# result replaces the file only if it still holds every line of the message, in
# order. A message of nothing but comments gets the trailers below a blank subject
# line when an editor will open (no source, a template, or -c/--amend), and stays as
# it is otherwise; commit-msg refuses it if nothing more is written.
genguard_add_trailers() {
    gg_msg=$1
    gg_source=$2
    shift 2
    gg_new="$gg_msg.genguard-$$"
    gg_cc=$(git config --get-all core.commentChar | sed -n '$p' | tr -d ' \t')
    case $gg_cc in '' | auto) gg_cc='#' ;; esac
    if sed '/^[^[:space:]] -\{24\} >8 -\{24\}$/,$d' "$gg_msg" | awk -v c="$gg_cc" '
        { sub(/^[ \t\r\f\v]+/, ""); if ($0 != "" && index($0, c) != 1) found = 1 }
        END { exit found }'; then
        case $gg_source in '' | template | commit) ;; *) return 0 ;; esac
        {
            printf '\n\n'
            printf 'Assisted-by: %s\n' "$@"
            grep -q '[^[:space:]]' "$gg_msg" && printf '\n'
            sed '/./,$!d' "$gg_msg"
        } > "$gg_new" || { rm -f "$gg_new"; return 1; }
    else
        for gg_v; do
            set -- "$@" --trailer "Assisted-by: $gg_v"
            shift
        done
        git interpret-trailers --if-exists addIfDifferent --no-divider "$@" \
            < "$gg_msg" > "$gg_new" &&
            awk 'NR == FNR { sub(/[ \t\r\f\v]+$/, ""); if ($0 != "") want[++n] = $0; next }
                { sub(/[ \t\r\f\v]+$/, ""); if (i < n && $0 == want[i + 1]) i++ }
                END { exit i < n }' "$gg_msg" "$gg_new" || { rm -f "$gg_new"; return 0; }
    fi
    if cmp -s "$gg_msg" "$gg_new"; then
        rm -f "$gg_new"
    else
        mv -f "$gg_new" "$gg_msg"
    fi
}

# commit-msg: refuse a message that holds nothing but Assisted-by trailers (put into
# an empty editor message by prepare-commit-msg) or an unedited template, as git
# refuses an empty message.
genguard_message_check() {
    grep -q '^Assisted-by: ' "$1" 2>/dev/null || return 0
    gg_body=$(genguard_strip < "$1")
    if [ -z "$gg_body" ]; then
        echo "Aborting commit due to empty commit message" \
            "(genguard's Assisted-by trailers alone are not a message)." >&2
        return 1
    fi
    gg_tmpl=$(git config --path commit.template 2>/dev/null)
    if [ -n "$gg_tmpl" ] && [ -r "$gg_tmpl" ] && [ "$(genguard_strip < "$gg_tmpl")" = "$gg_body" ]; then
        echo "Aborting commit; you did not edit the message." >&2
        return 1
    fi
    return 0
}
genguard_strip() {
    sed '/^. -\{24\} >8 -\{24\}$/,$d' | git stripspace --strip-comments |
        grep -v '^Assisted-by: ' | tr -d ' \t\n\r'
}

# A hook that was here before genguard's runs first; a blocking one that fails stops git.
status=0
if [ -x "$chained" ]; then
    if [ "$hook" = post-rewrite ]; then  # git's list of rewritten commits, read by both
        gg_pairs=$(mktemp "${TMPDIR:-/tmp}/genguard-rewrite.XXXXXX") || exit 0
        cat > "$gg_pairs"
        exec 3< "$gg_pairs" < "$gg_pairs"
        rm -f "$gg_pairs"
        "$chained" "$@" <&3 || status=$?
    else
        "$chained" "$@" || status=$?
    fi
    case $hook in pre-commit | prepare-commit-msg | commit-msg) [ $status = 0 ] || exit $status ;; esac
fi
case $hook in
pre-commit)
    # A commit that cannot hold AI lines: the gate has nothing to check. Its verdict
    # ("pass", from this git process) is left for post-commit, which tells a gated
    # commit from a --no-verify one by it (genguard.hooks.pending).
    if genguard_quiet && gg_tree=$(git write-tree) && [ -n "$gg_tree" ]; then
        gg_dir="$gg_state/verdicts"
        gg_tmp="$gg_dir/.$gg_tree.$$"
        if (umask 077 && { [ -d "$gg_dir" ] || mkdir -p "$gg_dir"; } && [ ! -L "$gg_dir" ] &&
            printf '{"git_pid": %s, "quick": true, %s, "verdict": "pass"}\n' "$PPID" \
                '"findings": [], "tools": [], "trailers": ""' > "$gg_tmp" &&
            mv -f "$gg_tmp" "$gg_dir/$gg_tree"); then
            exit 0
        fi
        rm -f "$gg_tmp"
    fi
    genguard_python "$@"
    ;;
prepare-commit-msg)
    # the gate passed this tree moments ago and left its trailers (none: no AI lines)
    if genguard_gate_trailers; then
        [ -n "$gg_values" ] || exit 0
        # shellcheck disable=SC2086  # the values hold no spaces, quotes or globs
        genguard_add_trailers "$1" "$2" $gg_values
        exit 0
    fi
    genguard_quiet && exit 0  # no AI lines, no trailers to add
    genguard_python "$@"
    ;;
genguard-trailers)  # genguard.hooks.trailers adds the trailers it found through here
    genguard_add_trailers "$@"
    ;;
commit-msg)
    genguard_message_check "$1"
    ;;
*)
    genguard_python "$@"
    exit $status
    ;;
esac
