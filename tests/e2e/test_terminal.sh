# What an operator meets in a real terminal: the binary driven in tmux (send-keys,
# capture-pane). A 40-column window keeps one live line per running step, however long its
# id; Ctrl-C stops a step and says so once, a second kills it at once; Ctrl-C at a y/N prompt
# is an interrupt; a manual step asks y/N, and does not with CI=true.
source "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null || { echo "tmux is missing: scripts/dev setup installs it"; exit 1; }

# A server of its own for each window: a new server on a socket whose old server is still
# shutting down can exit at once ("server exited unexpectedly").
sessions=0
socket="deployphase-test-$$-0"
tmux_() { tmux -L "$socket" "$@"; }
cleanup_tmux() { tmux_ kill-server 2>/dev/null || true; }
trap 'cleanup_tmux; finish' EXIT

# in_terminal COLUMNS COMMAND: starts COMMAND in $WORK in a fresh window of that width; the
# command's exit status lands in $WORK/.exit.
in_terminal() {
    cleanup_tmux
    sessions=$((sessions + 1))
    socket="deployphase-test-$$-$sessions"
    rm -f "$WORK/.exit"
    tmux_ new-session -d -x "$1" -y 20 \
        "cd '$WORK' && env -u CI ${TERMINAL_CI:+CI=$TERMINAL_CI} $2; echo \$? > .exit; sleep 600"
}
screen() { tmux_ capture-pane -p -t 0 | sed -e '/^$/d'; }
# wait_for_screen REGEX: up to 30 s for the window to show it.
wait_for_screen() {
    local i
    for ((i = 0; i < 300; i++)); do
        [[ "$(screen)" =~ $1 ]] && return 0
        sleep 0.1
    done
    fail "the terminal never showed /$1/" "$(screen)"
    return 1
}
wait_for_exit() {
    local i
    for ((i = 0; i < 300; i++)); do
        [ -s "$WORK/.exit" ] && { cat "$WORK/.exit"; return 0; }
        sleep 0.1
    done
    echo "never exited"
}

cat >"$WORK/wide.md" <<'MD'
# Phase: Wide
## Steps Sequence
1. **prepare-the-deployment-environment-for-the-release** - waits for a file
2. **train-the-operations-team** - manual
## Step Actions
```sh step=prepare-the-deployment-environment-for-the-release
touch started
while [ ! -e release ]; do sleep 0.05; done
```
MD
phase="$DEPLOYPHASE run wide.md"

case_ "a 40-column terminal shows one live line, cut to fit, however long the step's id"
rm -f "$WORK/release" "$WORK/started"
in_terminal 40 "$phase --state-dir narrow"
wait_for_screen '\[1/2\] .*[0-9]\.[0-9]s'
sleep 0.5  # several redraws
live=$(screen | grep -c '^\[1/2\]')
expect_eq "live lines of the running step" "$live" "1"
while IFS= read -r line; do
    [ "${#line}" -le 40 ] || fail "a line wider than the window" "$line"
done <<<"$(screen | grep '^\[1/2\]')"
case $(screen) in *"-for-the-release ..."[0-9]*) fail "the live line wrapped" "$(screen)" ;; esac
touch "$WORK/release"
wait_for_screen 'awaiting-confirmation|Is it done'
tmux_ send-keys -t 0 y Enter
expect_eq "exit status after y" "$(wait_for_exit)" "0"

case_ "Ctrl-C stops the step and says so once; exit 130"
rm -f "$WORK/release" "$WORK/started"
in_terminal 80 "$phase --state-dir interrupted"
wait_for_screen '\[1/2\] .*[0-9]\.[0-9]s'
tmux_ send-keys -t 0 C-c
expect_eq "exit status" "$(wait_for_exit)" "130"
expect_match "the step's line" "$(screen)" $'\\[1/2\\] prepare-the-deployment-environment-for-the-release \\.\\.\\. interrupted\n'
case $(screen) in *"interrupted (interrupted)"*) fail "interrupted said twice" "$(screen)" ;; esac

cat >"$WORK/stubborn.md" <<'MD'
# Phase: Stubborn
## Steps Sequence
1. **deploy-with-monitoring** - ignores SIGTERM
## Step Actions
```sh step=deploy-with-monitoring
trap '' TERM
touch started
while :; do sleep 0.05; done
```
MD

case_ "the first Ctrl-C says what it stops and how; the second kills the step at once"
in_terminal 100 "$DEPLOYPHASE run stubborn.md --state-dir stubborn --kill-after 5m"
wait_for_screen '\[1/1\] .*[0-9]\.[0-9]s'
tmux_ send-keys -t 0 C-c
wait_for_screen 'stopping deploy-with-monitoring: SIGTERM sent; Ctrl-C again to kill it now, else killed in 5m'
sleep 0.5
[ -s "$WORK/.exit" ] && fail "the step ignoring SIGTERM ended on the first Ctrl-C" "$(screen)"
tmux_ send-keys -t 0 C-c
expect_eq "exit status" "$(wait_for_exit)" "130"  # long before the 5 minutes
expect_match "the kill is said" "$(screen)" 'killing deploy-with-monitoring now \(SIGKILL to its process group\)'
expect_match "the step's line" "$(screen)" '\[1/1\] deploy-with-monitoring \.\.\. interrupted'

case_ "Ctrl-C at the y/N prompt exits 130 and records the step interrupted there"
touch "$WORK/release"
in_terminal 80 "$phase --state-dir prompt-interrupted"
wait_for_screen 'Is it done\? \[y/N\]'
tmux_ send-keys -t 0 C-c
expect_eq "exit status" "$(wait_for_exit)" "130"
run status --state-dir prompt-interrupted
expect_match status "$OUT" 'train-the-operations-team +interrupted'
expect_match events "$(recorded_events "$WORK/prompt-interrupted" | tail -2 | tr -d '\n')" \
    '"index":2,.*"status":"interrupted".*"type":"run_finished"'
expect_match "the next command" "$(screen)" 'deployphase resume --state-dir prompt-interrupted'

case_ "a manual step asks on a terminal, and not with CI=true"
touch "$WORK/release"
in_terminal 80 "$phase --state-dir asked"
wait_for_screen 'Step 2 "train-the-operations-team" is manual: manual\. Is it done\? \[y/N\]'
tmux_ send-keys -t 0 n Enter
expect_eq "exit status after n" "$(wait_for_exit)" "4"
TERMINAL_CI=true in_terminal 80 "$phase --state-dir in-ci"
expect_eq "exit status in CI" "$(wait_for_exit)" "4"
case $(screen) in *"[y/N]"*) fail "asked in CI" "$(screen)" ;; esac
expect_match "the run waits for confirmation" "$(screen)" 'train-the-operations-team +awaiting-confirmation'

suite_done
