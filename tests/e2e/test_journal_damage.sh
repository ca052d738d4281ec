# A journal damaged on disk. A torn last record (the journal cut at every byte of it, or its
# last 512-byte block zeroed, as a power cut can leave it) is dropped, a copy kept beside the
# journal, and run --resume continues: no step recorded finished runs again. A bit flipped in
# a middle record is refused with the byte offset (exit 2), the file untouched, no step run.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/marker_phase.sh"
: "${DEPLOYPHASE_CRASHABLE:?set DEPLOYPHASE_CRASHABLE to build/tests/deployphase-crashable}"

STEPS=4
mkdir "$WORK/base"
write_marker_phase "$WORK/base/phase.md" "$STEPS"
# Stopped by a kill partway: the first crash point after which the journal's last record is
# step s3's first attempt starting.
journal="$WORK/base/.deployphase/journal"
for ((n = 1; n <= 200; n++)); do
    rm -rf "$WORK/base/.deployphase" "$WORK/base/marks"
    (cd "$WORK/base" && DEPLOYPHASE_TEST_CRASH_AT=$n "$DEPLOYPHASE_CRASHABLE" run phase.md -q \
        >/dev/null 2>&1)
    [ $? -eq 137 ] || { fail "no crash point leaves s3 started"; break; }
    tail -1 "$journal" | grep -q '"attempt":1,.*"index":3,.*"type":"attempt_started"' && break
done
size=$(stat -c %s "$journal")
last=$(grep -bo '^R ' "$journal" | tail -1 | cut -d: -f1)  # the last record's offset
{ [ "$last" -gt 1 ] && [ "$size" -gt "$last" ]; } || fail "no last record found in the journal"

# resume_damaged WHAT: resumes the copy in $WORK/d; checks it finished with the torn tail kept.
# resume_damaged WHAT [REDONE]: REDONE (default 0) more reruns are allowed: steps whose
# finished record the damage destroyed.
resume_damaged() {
    local what=$1 redone=${2:-0}
    reset_frozen
    check_recorded "$WORK/d" "$what"
    (cd "$WORK/d" && "$DEPLOYPHASE" run phase.md --resume -q >"$WORK/d/.out" 2>&1) ||
        fail "$what: run --resume failed" "$(cat "$WORK/d/.out")"
    check_finished "$WORK/d" "$STEPS" $((1 + redone)) "$what"
}

case_ "the journal cut at every byte of its last record: the tail is dropped, kept, resumed"
recovered=0
tried=0
for ((cut = last; cut < size; cut++)); do
    # Under the sanitizers: the record's first and last byte, and one cut in 6 between.
    [ "$cut" -eq "$last" ] || [ "$cut" -eq $((size - 1)) ] || sampled 6 || continue
    tried=$((tried + 1))
    rm -rf "$WORK/d" && cp -a "$WORK/base" "$WORK/d"
    truncate -s "$cut" "$WORK/d/.deployphase/journal"
    resume_damaged "cut at byte $cut"
    if [ "$cut" -gt "$last" ]; then
        copy="$WORK/d/.deployphase/journal.torn-$last"
        [ -e "$copy" ] || { fail "cut at byte $cut: no copy of the torn tail"; continue; }
        expect_eq "torn copy of cut $cut" "$(cat "$copy")" "$(head -c "$cut" "$journal" | tail -c +$((last + 1)))"
    fi
    recovered=$((recovered + 1))
done
echo "torn journals recovered: $recovered of $tried (cuts at $((size - last)) bytes)"

case_ "the last 512-byte block zeroed: a torn tail, dropped and resumed"
rm -rf "$WORK/d" && cp -a "$WORK/base" "$WORK/d"
block=$(((size - 1) / 512))
dd if=/dev/zero of="$WORK/d/.deployphase/journal" bs=512 seek="$block" count=1 conv=notrunc 2>/dev/null
# A block holds several records: every step whose end the zeroed bytes held runs again.
lost=$(grep -bo '"type":"step_finished"' "$journal" | awk -F: -v from=$((block * 512)) \
    '$1 >= from' | wc -l)
resume_damaged "the zeroed block $block" "$lost"
compgen -G "$WORK/d/.deployphase/journal.torn-*" >/dev/null || fail "the zeroed tail was not kept"

case_ "a bit flipped in a middle record: refused with its offset, nothing runs or changes"
rm -rf "$WORK/d" && cp -a "$WORK/base" "$WORK/d"
middle=$(grep -bo '^R ' "$journal" | sed -n 3p | cut -d: -f1)
flip_at=$((middle + 30))
byte=$(od -An -tu1 -j "$flip_at" -N1 "$journal" | tr -d ' ')
printf '%b' "\\$(printf '%03o' $((byte ^ 4)))" |
    dd of="$WORK/d/.deployphase/journal" bs=1 seek="$flip_at" conv=notrunc 2>/dev/null
cp "$WORK/d/.deployphase/journal" "$WORK/damaged-journal"
marks_before=$(cat "$WORK/d/marks")
for command in "run phase.md --resume" "resume" "rollback" "confirm s3"; do
    # shellcheck disable=SC2086 # the command is words to split
    (cd "$WORK/d" && "$DEPLOYPHASE" $command >"$WORK/d/.out" 2>&1)
    status=$?
    expect_eq "exit of $command" "$status" "2"
    expect_match "stderr of $command" "$(cat "$WORK/d/.out")" \
        "^\\.deployphase/journal: error: damaged record at byte $middle with intact records after it"
done
(cd "$WORK/d" && "$DEPLOYPHASE" status >"$WORK/d/.out" 2>&1)
expect_eq "exit of status" "$?" "2"
expect_eq "steps run" "$(cat "$WORK/d/marks")" "$marks_before"
cmp -s "$WORK/d/.deployphase/journal" "$WORK/damaged-journal" || fail "the damaged journal was changed"

suite_done
