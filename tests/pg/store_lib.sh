# Sourced by tests/e2e/lib.sh when STORE=postgresql: the same suite, with runs recorded in the
# throwaway PostgreSQL server that `scripts/dev test` starts (pg_virtualenv sets PGHOST, PGPORT,
# PGUSER, PGPASSWORD and PGDATABASE).
#
# Each suite gets its own schema, and each state directory a key of its own (its absolute path),
# so cases stay as independent as they are with the directory store. A wrapper stands in for
# the binary, so that every way a suite starts deployphase gets the key.

if [ -z "${PGHOST:-}" ] || [ -z "${PGPORT:-}" ]; then
    echo "no PostgreSQL server: run the tests with \`bash scripts/dev test\` (it starts one)"
    # A requested store is never skipped quietly: scripts/dev test requires it.
    rm -rf "$WORK"
    [ "${DEPLOYPHASE_REQUIRE_PG:-}" = 1 ] && exit 1
    exit 77
fi

export DEPLOYPHASE_STATE_URL="postgresql://"
DEPLOYPHASE_STATE_SCHEMA="e2e_$(basename "$0" .sh)_$$"
export DEPLOYPHASE_STATE_SCHEMA
REAL_DEPLOYPHASE=$DEPLOYPHASE
DEPLOYPHASE="$WORK/.bin/deployphase"
mkdir -p "$WORK/.bin"
cat >"$DEPLOYPHASE" <<WRAPPER
#!/usr/bin/env bash
# deployphase with DEPLOYPHASE_STATE_KEY taken from --state-dir, unless the test gave one.
dir=.deployphase
previous=
for argument in "\$@"; do
    [ "\$previous" = --state-dir ] && dir=\$argument
    case "\$argument" in --state-dir=*) dir=\${argument#--state-dir=} ;; esac
    previous=\$argument
done
: "\${DEPLOYPHASE_STATE_KEY:=\$(realpath -m -- "\$dir")}"
export DEPLOYPHASE_STATE_KEY
exec "$REAL_DEPLOYPHASE" "\$@"
WRAPPER
chmod +x "$DEPLOYPHASE"

drop_suite_schema() {
    psql -q -c "drop schema if exists $DEPLOYPHASE_STATE_SCHEMA cascade" >/dev/null 2>&1
}

# The key the wrapper gives a state directory.
key_of() { realpath -m -- "$1"; }

store_records() {
    psql -X -At -v key="$(key_of "$1")" <<SQL
select r.payload from $DEPLOYPHASE_STATE_SCHEMA.records r
  join $DEPLOYPHASE_STATE_SCHEMA.runs u using (state_key, run)
 where r.state_key = :'key' and u.archived_at is null order by r.seq;
SQL
}

store_archived_runs() {
    psql -X -At -v key="$(key_of "$1")" <<SQL
select count(*) from $DEPLOYPHASE_STATE_SCHEMA.runs
 where state_key = :'key' and archived_at is not null;
SQL
}

store_all_records() {
    psql -X -At -v key="$(key_of "$1")" <<SQL
select payload from $DEPLOYPHASE_STATE_SCHEMA.records where state_key = :'key' order by run, seq;
SQL
}
