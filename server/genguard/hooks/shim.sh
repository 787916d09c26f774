#!/bin/sh
# genguard-hook-shim v@VERSION@: installed by `genguard install-hooks`.
# `genguard install-hooks --uninstall` removes it and restores any hook it displaced.
hook=@HOOK@
PY=@PYTHON@
gg_code=@CODE@
# A hook that was here before genguard's runs first (genguard.hooks.install).
case $0 in */*) chained="${0%/*}/$hook.genguard-chained" ;; *) chained= ;; esac

# The hook in Python: the interpreter that installed the shim, else `genguard hook`.
genguard_python() {
    if [ -x "$PY" ]; then
        "$PY" -I -S -c "$gg_code" "$hook" "$@"
        return $?
    fi
    if command -v genguard >/dev/null 2>&1; then
        genguard hook "$hook" "$@"
        return $?
    fi
    echo "genguard: $PY is gone and genguard is not on PATH; the $hook hook did nothing" \
        "(run 'genguard install-hooks' again)" >&2
    return 0
}

# Whether this commit cannot hold AI lines, decided without Python. It cannot when no
# staged path (old and new names) is one the ledger's index lists in live-files
# (genguard.ledger.index), and no merge, squash, cherry-pick, revert, rebase or
# --amend is under way (those bring lines from other commits). Anything it cannot
# tell (no index yet, a path git quotes, no /proc to see --amend) means "maybe".
# git runs hooks at the top of the worktree; in the main worktree (no GIT_DIR, a .git
# directory without a commondir file) .git is both dirs, which spares a rev-parse.
genguard_quiet() {
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
    gg_live="$gg_state/live-files"
    if [ ! -f "$gg_live" ]; then
        [ -e "$gg_state/ledger.jsonl" ] && return 1
    fi
    for gg_f in MERGE_HEAD SQUASH_MSG CHERRY_PICK_HEAD REVERT_HEAD rebase-merge rebase-apply; do
        [ -e "$gg_git/$gg_f" ] && return 1
    done
    gg_comm=
    read -r gg_comm < "/proc/$PPID/comm" 2>/dev/null
    [ "$gg_comm" = git ] || return 1
    grep -qxzF -e --amend "/proc/$PPID/cmdline"
    [ $? = 1 ] || return 1
    [ -s "$gg_live" ] || return 0
    gg_staged=$(git -c core.quotePath=false diff --cached --name-only --no-renames) || return 1
    [ -n "$gg_staged" ] || return 0
    # a staged path the index lists, or its "*" (a file it could not list): maybe
    printf '%s\n*\n' "$gg_staged" | grep -Fqx -f "$gg_live" && return 1
    return 0
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

status=0
case $hook in
pre-commit)
    if [ -x "$chained" ]; then
        "$chained" "$@" || exit $?
    fi
    # A commit that cannot hold AI lines: the gate has nothing to check. Its verdict
    # ("pass", from this git process) is left for post-commit, which tells a gated
    # commit from a --no-verify one by it (genguard.hooks.pending).
    if genguard_quiet && gg_tree=$(git write-tree) && [ -n "$gg_tree" ]; then
        gg_dir="$gg_state/verdicts"
        gg_tmp="$gg_dir/.$gg_tree.$$"
        if (umask 077 && { [ -d "$gg_dir" ] || mkdir -p "$gg_dir"; } && [ ! -L "$gg_dir" ] &&
            printf '{"git_pid": %s, "verdict": "pass", "quick": true, %s}\n' "$PPID" \
                '"findings": [], "tools": []' > "$gg_tmp" && mv -f "$gg_tmp" "$gg_dir/$gg_tree"); then
            exit 0
        fi
        rm -f "$gg_tmp"
    fi
    genguard_python "$@"
    ;;
prepare-commit-msg)
    if [ -x "$chained" ]; then
        "$chained" "$@" || exit $?
    fi
    genguard_quiet && exit 0  # no AI lines, no trailers to add
    genguard_python "$@"
    ;;
commit-msg)
    if [ -x "$chained" ]; then
        "$chained" "$@" || exit $?
    fi
    genguard_message_check "$1"
    ;;
post-rewrite)
    if [ -x "$chained" ]; then
        pairs=$(mktemp "${TMPDIR:-/tmp}/genguard-rewrite.XXXXXX") || exit 0
        cat > "$pairs"
        "$chained" "$@" < "$pairs" || status=$?
        genguard_python "$@" < "$pairs"
        rm -f "$pairs"
    else
        genguard_python "$@"
    fi
    exit $status
    ;;
*)
    if [ -x "$chained" ]; then
        "$chained" "$@" || status=$?
    fi
    genguard_python "$@"
    exit $status
    ;;
esac
