#!/usr/bin/env bash
# The PostgreSQL store where it differs from a state directory: runners on different machines
# (here: different working directories and $HOMEs) sharing one key, keys that do not wait on
# each other, the server going away mid-run, unlock, and the schema's version.
# Needs the throwaway server `bash scripts/dev test` starts.
STORE=postgresql
source "$(dirname "$0")/../e2e/lib.sh"
DP=$REAL_DEPLOYPHASE  # these cases give their keys themselves

count() { grep -cx -- "$2" "$1" 2>/dev/null || true; }
# each_ran_once LEDGER: every step of phase.md ran to its end exactly once.
each_ran_once() {
    local step
    for step in one two three; do
        expect_eq "$step ran to its end once" "$(count "$1" "$step")" 1
    done
}

# Every step appends to the ledger named by the context (through the environment, never the
# script text); step two waits for the gate.
cat >"$WORK/phase.md" <<'MD'
# Phase: Shared
## Steps Sequence
1. **one** - first
2. **two** - waits for the gate
3. **three** - last
## Step Actions
```sh step=one
echo one >> "$DEPLOYPHASE_CTX_LEDGER"
```
```sh step=two
echo two-started >> "$DEPLOYPHASE_CTX_LEDGER"
while [ ! -e "$DEPLOYPHASE_CTX_GATE" ]; do sleep 0.05; done
echo two >> "$DEPLOYPHASE_CTX_LEDGER"
```
```sh step=three
echo three >> "$DEPLOYPHASE_CTX_LEDGER"
```
MD

# machine NAME: a working directory and a $HOME of its own, with a copy of the phase.
machine() {
    mkdir -p "$WORK/$1/home"
    cp "$WORK/phase.md" "$WORK/$1/phase.md"
}
# on NAME ARGS...: deployphase on machine NAME; sets STATUS, OUT, ERR.
on() {
    local name=$1
    shift
    (cd "$WORK/$name" && HOME="$WORK/$name/home" "$DP" "$@") >"$WORK/.stdout" 2>"$WORK/.stderr"
    STATUS=$?
    OUT=$(cat "$WORK/.stdout")
    ERR=$(cat "$WORK/.stderr")
}
context() {  # LEDGER GATE: the context both machines give
    printf '{"ledger": "%s", "gate": "%s"}\n' "$1" "$2"
}
# ends_alone PID: whether PID exits within 20 s (the gate stays shut: only losing the store can
# end its step); otherwise opens every gate so the suite goes on.
ends_alone() {
    for _ in $(seq 1 200); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    touch "$WORK"/gate-{1..10}
    return 1
}
# start_holder NAME LEDGER ARGS...: `run phase.md ARGS...` in the background on machine NAME,
# until its step two has started (and waits for the gate); sets HOLDER to its pid.
start_holder() {
    local name=$1 ledger=$2
    shift 2
    (cd "$WORK/$name" && HOME="$WORK/$name/home" exec "$DP" run phase.md "$@" \
        >"$WORK/$name.out" 2>"$WORK/$name.err") &
    HOLDER=$!
    for _ in $(seq 1 300); do grep -q two-started "$ledger" 2>/dev/null && return 0; sleep 0.1; done
    fail "step two never started on $name" "$(cat "$WORK/$name.err")"
}
# holding NAME N KEY: machine NAME with its context (ledger-N, gate-N), and start_holder there
# on KEY; sets HOLDER.
holding() {
    machine "$1"
    context "$WORK/ledger-$2" "$WORK/gate-$2" >"$WORK/$1/ctx.json"
    start_holder "$1" "$WORK/ledger-$2" -c ctx.json --state-key "$3"
}

case_ "two machines, one key: one runs, the other exits 5; the winner is killed; the other resumes and finishes"
machine a
machine b
context "$WORK/ledger-1" "$WORK/gate-1" | tee "$WORK/a/ctx.json" >"$WORK/b/ctx.json"
start_holder a "$WORK/ledger-1" -c ctx.json --state-key team/prod
winner=$HOLDER
on b run phase.md -c ctx.json --state-key team/prod
expect_status 5
expect_match stderr "$ERR" "^postgresql://.*#team/prod: error: another run holds the lock \\(pid $winner on [^,]+, since [0-9TZ:-]+\\); it is released when that runner's database session ends"
on b status --state-key team/prod
expect_match "status seen from b" "$OUT" 'two +running'
kill -KILL "$winner"
wait "$winner" 2>/dev/null
machine watcher
on watcher status --state-key team/prod
expect_match "a dead winner's run reads interrupted, from any machine" "$OUT" 'of "Shared": interrupted'
[ -e "$WORK/watcher/.deployphase" ] && fail "status created a state directory"
touch "$WORK/gate-1"
on b run phase.md -c ctx.json --state-key team/prod --resume
expect_status 0
each_ran_once "$WORK/ledger-1"
expect_eq "two was cut off, then rerun" "$(count "$WORK/ledger-1" two-started)" 2
on a status --state-key team/prod -o json
expect_match "a sees b's finish" "$OUT" '"state": "succeeded"'
on a run phase.md -c ctx.json --state-key team/prod --resume
expect_status 0
expect_eq "a retried job deploys nothing again" "$(count "$WORK/ledger-1" three)" 1

case_ "ten keys at once: no runner waits on another"
# Each run's only step waits until all ten have started it: if any runner waited on another's
# lock, the barrier would never fill and the steps would time out.
cat >"$WORK/barrier.md" <<'MD'
# Phase: Barrier
## Steps Sequence
1. **meet** - all ten at once
## Step Actions
```sh step=meet timeout=60s
touch "$DEPLOYPHASE_CTX_BARRIER/$DEPLOYPHASE_CTX_NAME"
while [ "$(ls "$DEPLOYPHASE_CTX_BARRIER" | wc -l)" -lt 10 ]; do sleep 0.05; done
```
MD
mkdir -p "$WORK/barrier"
export DEPLOYPHASE_STATE_SCHEMA="${DEPLOYPHASE_STATE_SCHEMA}_fresh"  # first use, by all ten
pids=()
for i in $(seq 1 10); do
    mkdir -p "$WORK/k$i"
    (cd "$WORK/k$i" && exec "$DP" run ../barrier.md --state-key "slot/$i" \
        --set barrier="$WORK/barrier" --set name="k$i" >"$WORK/k$i.out" 2>&1) &
    pids+=($!)
done
for i in $(seq 1 10); do
    wait "${pids[$((i - 1))]}"
    status=$?
    [ "$status" -eq 0 ] || fail "the runner of slot/$i exited $status" "$(cat "$WORK/k$i.out")"
done
expect_eq "met" "$(find "$WORK/barrier" -mindepth 1 -maxdepth 1 | wc -l)" 10
expect_eq "runs recorded" "$(psql -X -At -c "select count(*) from $DEPLOYPHASE_STATE_SCHEMA.runs")" 10
psql -q -c "drop schema $DEPLOYPHASE_STATE_SCHEMA cascade" >/dev/null 2>&1
export DEPLOYPHASE_STATE_SCHEMA="${DEPLOYPHASE_STATE_SCHEMA%_fresh}"

case_ "the server stops mid-run: the running step is stopped, no further step starts, resume finishes"
holding c 3 stop/me
runner=$HOLDER
pg_ctlcluster "$PGVERSION" regress stop -m fast
ends_alone "$runner" || fail "the runner went on with its step after losing the server"
wait "$runner"
expect_eq "exit status" "$?" 6
expect_eq "two was stopped before it finished" "$(count "$WORK/ledger-3" two)" 0
expect_match stderr "$(cat "$WORK/c.err")" "^postgresql://[^ ]+:$PGPORT/[^ ]+#stop/me: error: lost the connection to the state store: .*; no further step starts, and \`deployphase run --resume\` continues once the server is back"
expect_eq "three did not start" "$(count "$WORK/ledger-3" three)" 0
on c status --state-key stop/me
expect_status 6
expect_match "status names the server" "$ERR" "error: cannot connect to the state store: .*$PGPORT"
pg_ctlcluster "$PGVERSION" regress start
touch "$WORK/gate-3"
on c run phase.md -c ctx.json --state-key stop/me --resume
expect_status 0
each_ran_once "$WORK/ledger-3"

case_ "unlock ends a stuck runner's session: it stops its step and starts no further one"
holding d 4 stuck/one
stuck=$HOLDER
on d unlock --state-key stuck/one </dev/null
expect_status 2
expect_match "no terminal: asks for --yes" "$ERR" 'confirm with --yes'
on d unlock --state-key stuck/one --yes
expect_status 0
expect_match unlock "$OUT" "locked by pid $stuck on "
expect_match unlock "$OUT" 'Unlocked'
ends_alone "$stuck" || fail "the unlocked runner went on with its step"
wait "$stuck"
expect_eq "the stuck runner's exit" "$?" 6
expect_eq "two was stopped before it finished" "$(count "$WORK/ledger-4" two)" 0
touch "$WORK/gate-4"
expect_eq "three did not start" "$(count "$WORK/ledger-4" three)" 0
on d unlock --state-key stuck/one --yes
expect_match "free now" "$OUT" 'the lock is free'
on d run phase.md -c ctx.json --state-key stuck/one --resume
expect_status 0
each_ran_once "$WORK/ledger-4"

case_ "other applications' advisory locks, whatever their keys, do not confuse status or unlock"
# A negative key puts 0xffffffff in pg_locks' classid; holder lookups once did arithmetic on
# every row and failed with "bigint out of range" while such a lock was held.
psql -X -q -c "select pg_advisory_lock(-1)" -c "select pg_advisory_lock(1, 1)" \
    -c "select pg_sleep(120)" >/dev/null 2>&1 &
foreign=$!
for _ in $(seq 1 100); do
    [ "$(psql -X -At -c "select count(*) from pg_locks where locktype = 'advisory' and granted \
        and pid <> pg_backend_pid()")" -ge 2 ] && break
    sleep 0.1
done
holding h 8 foreign/locks
runner=$HOLDER
on h status --state-key foreign/locks -o json
expect_status 0
expect_match "status of the live run" "$OUT" '"state": "running"'
on h unlock --state-key foreign/locks --yes
expect_status 0
expect_match unlock "$OUT" "locked by pid $runner on "
ends_alone "$runner" || fail "the unlocked runner went on with its step"
wait "$runner"
kill -0 "$foreign" 2>/dev/null || fail "unlock ended another application's session"
kill "$foreign" 2>/dev/null
wait "$foreign" 2>/dev/null
touch "$WORK/gate-8"

case_ "unlock of a state directory explains that only the holder's end releases it"
machine e
DEPLOYPHASE_STATE_URL='' start_holder e "$WORK/ledger-5" --set ledger="$WORK/ledger-5" \
    --set gate="$WORK/gate-5"
holder=$HOLDER
(cd "$WORK/e" && DEPLOYPHASE_STATE_URL='' "$DP" unlock --yes) >"$WORK/.stdout" 2>"$WORK/.stderr"
STATUS=$?
expect_status 2
expect_match stderr "$(cat "$WORK/.stderr")" "lock: error: the lock is held by a live process \\(pid $holder"
touch "$WORK/gate-5"
wait "$holder"

case_ "a record written behind the runner's back is detected, not applied twice"
holding g 7 dup/one
dup=$HOLDER
# What a replayed write would do: store the record the runner is about to write.
psql -X -q -v key=dup/one <<SQL
insert into $DEPLOYPHASE_STATE_SCHEMA.records (state_key, run, seq, payload)
select state_key, run, max(seq) + 1, '{"seq":' || (max(seq) + 1) || ',"type":"run_finished","status":"succeeded"}'
  from $DEPLOYPHASE_STATE_SCHEMA.records where state_key = :'key' group by state_key, run;
SQL
touch "$WORK/gate-7"
wait "$dup"
expect_eq "exit status" "$?" 2
expect_match stderr "$(cat "$WORK/g.err")" '#dup/one: error: record [0-9]+ of run 1 is already stored: another runner wrote to this run; nothing more is recorded by this one'
expect_eq "three did not start" "$(count "$WORK/ledger-7" three)" 0

case_ "the server refuses a record (as when its disk is full): the run stops with exit 6; resume finishes"
holding i 9 refused/one
runner=$HOLDER
# Checked for new rows only, like a disk that has just filled up.
psql -X -q -c "alter table $DEPLOYPHASE_STATE_SCHEMA.records add constraint refuse_new check (false) not valid"
touch "$WORK/gate-9"
wait "$runner"
expect_eq "exit status" "$?" 6
expect_match stderr "$(cat "$WORK/i.err")" '#refused/one: error: the state store refused record [0-9]+: ERROR: +new row for relation "records" violates check constraint "refuse_new"'
expect_eq "three did not start" "$(count "$WORK/ledger-9" three)" 0
psql -X -q -c "alter table $DEPLOYPHASE_STATE_SCHEMA.records drop constraint refuse_new"
on i run phase.md -c ctx.json --state-key refused/one --resume
expect_status 0
expect_eq "one ran once" "$(count "$WORK/ledger-9" one)" 1
expect_eq "two's end was never recorded: it ran again" "$(count "$WORK/ledger-9" two)" 2
expect_eq "three ran once" "$(count "$WORK/ledger-9" three)" 1

case_ "any other statement the server refuses stops the command with exit 6 and its message"
psql -X -q <<SQL
create function $DEPLOYPHASE_STATE_SCHEMA.read_only() returns trigger language plpgsql as
  \$\$ begin raise exception 'slots are read-only today'; end \$\$;
create trigger read_only before update on $DEPLOYPHASE_STATE_SCHEMA.slots
  for each row execute function $DEPLOYPHASE_STATE_SCHEMA.read_only();
SQL
on i run phase.md --set ledger="$WORK/ledger-10" --set gate="$WORK/gate-10" --state-key refused/two
expect_status 6
expect_match stderr "$ERR" '^postgresql://[^ ]+#refused/two: error: the state store refused a statement: ERROR: +slots are read-only today'
[ -e "$WORK/ledger-10" ] && fail "a step ran although the runner could not note itself as the holder"
psql -X -q -c "drop trigger read_only on $DEPLOYPHASE_STATE_SCHEMA.slots"

case_ "a schema of another version is refused before anything runs"
psql -q -c "update $DEPLOYPHASE_STATE_SCHEMA.meta set version = 99"
machine f
on f run phase.md --set ledger="$WORK/ledger-6" --set gate="$WORK/gate-6" --state-key v/1
expect_status 2
expect_match stderr "$ERR" "error: schema \"$DEPLOYPHASE_STATE_SCHEMA\" is at version 99; this deployphase reads version 1"
[ -e "$WORK/ledger-6" ] && fail "a step ran against a schema of another version"
psql -q -c "update $DEPLOYPHASE_STATE_SCHEMA.meta set version = 1"

case_ "bad store flags are input errors"
on f status --state-url postgresql://
expect_status 2
expect_match stderr "$ERR" 'needs --state-key NAME'
on f status --state-key x --state-url ''
expect_status 2
expect_match stderr "$ERR" 'give --state-url too'
on f status --state-key x --state-schema 'Bad-Name'
expect_status 2
expect_match stderr "$ERR" 'not a schema name'

case_ "the password in a URL never appears in a message"
on f status --state-url "postgresql://nobody:s3cr3t-pw@127.0.0.1:1/none" --state-key k
expect_status 6
expect_match stderr "$ERR" '^postgresql://nobody@127.0.0.1:1/none(\?schema=[a-z0-9_]+)?#k: error: cannot connect to the state store'
[[ "$OUT$ERR" == *s3cr3t-pw* ]] && fail "the password was printed" "$ERR"

suite_done
