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

suite_done
