# `cmake --install` puts the binary, the man page and the bash completion where users and
# their shells look for them.
source "$(dirname "$0")/lib.sh"

build_dir=$(cd "$(dirname "$DEPLOYPHASE")/.." && pwd)

case_ "cmake --install --prefix: binary, man page, bash completion"
cmake --install "$build_dir" --prefix "$WORK/prefix" >/dev/null || fail "cmake --install failed"
"$WORK/prefix/bin/deployphase" --version >/dev/null || fail "the installed binary does not run"
man_page=$(find "$WORK/prefix" -path '*/man1/deployphase.1')
[ -n "$man_page" ] || fail "no man page installed"
expect_match "man page" "$(head -1 "$man_page")" '^\.TH DEPLOYPHASE 1 '
completion="$WORK/prefix/share/bash-completion/completions/deployphase"
[ -f "$completion" ] || fail "no bash completion installed"
expect_eq "completion registers" \
    "$(bash -c "source '$completion' && complete -p deployphase")" \
    "complete -F _deployphase deployphase"

case_ "the man page and the completion know every subcommand --help lists"
commands=$("$DEPLOYPHASE" --help | sed -n '/^Subcommands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
[ -n "$commands" ] || fail "no subcommands found in --help"
for command in $commands; do
    grep -q "^\.B $command\b" "$man_page" || fail "the man page lacks $command"
    grep -q "local commands=.*\b$command\b" "$completion" || fail "the completion lacks $command"
done

# complete WORD...: what the installed completion offers for the last word of the line, in $WORK.
complete_line() {
    (cd "$WORK" && bash -c '
        source /usr/share/bash-completion/bash_completion
        source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
        _deployphase
        printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$completion" "$@")
}

case_ "completion offers context keys for --set and --secret, and the awaited step for confirm"
if [ -f /usr/share/bash-completion/bash_completion ]; then
    cp "$PROJECT_ROOT/phases/deployment-operations.md" "$WORK/deploy.md"
    printf '{"release_version": "1", "db": {"nested_key": 1}, "api_token": "x"}\n' >"$WORK/ctx.json"
    offered=$(complete_line "$DEPLOYPHASE" run deploy.md -c ctx.json --set dep)
    expect_eq "--set dep" "$offered" "deploy_target=
deployed_release="
    offered=$(complete_line "$DEPLOYPHASE" plan deploy.md -c ctx.json --secret a)
    expect_eq "--secret a" "$offered" "already_deployed
api_token"
    # Top-level keys only: a nested key is not a key of the context.
    offered=$(complete_line "$DEPLOYPHASE" run -c ctx.json --set n)
    expect_eq "--set n" "$offered" ""
    printf '# Phase: M\n## Steps Sequence\n1. **approve-change** - by hand\n2. **b**\n```sh step=b\ntrue\n```\n' >"$WORK/manual.md"
    (cd "$WORK" && "$DEPLOYPHASE" run manual.md --state-dir waiting </dev/null >/dev/null 2>&1)
    offered=$(complete_line "$DEPLOYPHASE" confirm --state-dir waiting "")
    expect_eq "confirm" "$offered" "approve-change"
    offered=$(complete_line "$DEPLOYPHASE" logs --state-dir waiting "")
    expect_eq "logs" "$offered" "approve-change
b"
    offered=$(complete_line "$DEPLOYPHASE" validate --st)
    expect_eq "validate --st" "$offered" "--strict"
else
    echo "bash-completion is missing: scripts/dev setup installs it; case skipped"
fi

suite_done
