# `plan`, `run --dry-run`, `rollback --dry-run`, `validate`, `show` and `status` change
# nothing: over every phase we ship or test, with each shipped context, strace sees no process
# created besides deployphase itself, and no file in the working tree, the state directory or
# $HOME is created, changed or removed.
source "$(dirname "$0")/lib.sh"
command -v strace >/dev/null || { fail "strace is needed (scripts/dev setup installs it)"; suite_done; exit; }

mkdir -p "$WORK/tree/home"
cp -r "$PROJECT_ROOT/phases" "$WORK/tree/"
cp "$FIXTURES/phases/"* "$WORK/tree/phases/"
cp "$SHARED_SEED" "$WORK/tree/phases/seed.md"
tree=$WORK/tree
snapshot() { (cd "$tree" && find . -printf '%p %y %s %m %T@\n' | sort); }

# A finished run's state, so status and rollback --dry-run have something to read.
(cd "$tree" && HOME=$tree/home "$DEPLOYPHASE" run phases/deployment-operations.md \
    -c phases/contexts/production.json --set "deploy_target=$tree/target" -q >/dev/null 2>&1) ||
    fail "the shipped phase did not run"

# spawned TRACE: whether the traced deployphase started a process: an execve besides its own,
# a fork, or a clone that does not share its memory (or a vfork-style one). Threads, and the
# tracer task LeakSanitizer clones at exit in the sanitizer build, share it.
spawned() {
    [ "$(grep -c 'execve(' "$1")" -gt 1 ] && return 0
    grep -E 'v?fork\(' "$1" | grep -q . && return 0
    grep -E 'clone3?\(' "$1" | grep -vE 'CLONE_VM' | grep -q . && return 0
    grep -E 'clone3?\(' "$1" | grep -q CLONE_VFORK
}

# quiet COMMAND...: runs deployphase under strace in $tree; fails on any new process.
quiet() {
    (cd "$tree" && HOME=$tree/home strace -f -qq -e trace=execve,fork,vfork,clone,clone3 \
        -o "$WORK/trace" "$DEPLOYPHASE" "$@" >/dev/null 2>&1)
    spawned "$WORK/trace" && fail "\`$*\` created processes" "$(cat "$WORK/trace")"
    TRIED=$((TRIED + 1))
}

case_ "nothing is spawned and nothing changes, for every phase and context"
TRIED=0
before=$(snapshot)
for phase in "$tree"/phases/*.md "$tree"/phases/*.json; do
    sampled 4 || continue  # under the sanitizers, one phase in 4
    name=phases/$(basename "$phase")
    quiet validate "$name"
    quiet show "$name"
    quiet plan "$name"
    quiet run "$name" --dry-run --state-dir fresh-state
    for context in "$tree"/phases/contexts/*.json; do
        quiet plan "$name" -c "phases/contexts/$(basename "$context")"
        quiet run "$name" -c "phases/contexts/$(basename "$context")" --dry-run
    done
done
quiet status
quiet status -o json
quiet report
quiet rollback --dry-run
after=$(snapshot)
expect_eq "the tree after $TRIED commands" "$after" "$before"
[ ! -e "$tree/fresh-state" ] || fail "run --dry-run created a state directory"
[ "$TRIED" -ge "$(rounds 100 24)" ] || fail "only $TRIED commands tried"
echo "side-effect-free commands: $TRIED"

case_ "the probe can fail: a real run is seen spawning"
(cd "$tree" && strace -f -qq -e trace=execve,fork,vfork,clone,clone3 -o "$WORK/trace" \
    "$DEPLOYPHASE" run phases/actions.md --state-dir probe-state >/dev/null 2>&1)
spawned "$WORK/trace" || fail "strace did not see the steps of a real run"

suite_done
