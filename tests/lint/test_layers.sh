# The layers of docs/architecture.md, checked from the includes: each module of the core
# includes only modules below it, nothing of the core includes the command line, and CLI11 and
# spdlog are each read by one file of the command line only. A file in the wrong place fails
# here, naming the include.
set -uo pipefail
root=${PROJECT_ROOT:?set PROJECT_ROOT to the checkout}
cd "$root" || exit 1

failures=0
fail() {
    printf 'FAIL: %s\n' "$1"
    failures=$((failures + 1))
}

# The modules, lowest first; each may include itself and the ones before it.
layers=(support predicate phase context plan state run report)
below() {  # below MODULE: the modules MODULE may include
    local module=$1 allowed=() m
    for m in "${layers[@]}"; do
        allowed+=("$m")
        [ "$m" = "$module" ] && break
    done
    echo "${allowed[@]}"
}

# The order says a little more than it has to: context needs only support, state only support
# and context. What matters is that nothing points up.
for module in "${layers[@]}"; do
    permitted=" $(below "$module") "
    while IFS=: read -r file _ used; do
        [[ $permitted == *" $used "* ]] ||
            fail "$file: the $module layer includes <deployphase/$used/...>, a layer above it"
    done < <(grep -rnoE '#include <deployphase/[a-z_]+/' "include/deployphase/$module" "src/$module" 2>/dev/null |
        sed -E 's|#include <deployphase/([a-z_]+)/|\1|')
done

# Nothing of the core includes the command line.
while IFS= read -r line; do
    fail "$line: the core includes the command line"
done < <(grep -rnE '#include "(cli/|app\.hpp|flags\.hpp|commands\.hpp)' include src --include='*.[ch]pp' |
    grep -v '^src/cli/' | grep -v '^src/main.cpp:')

# CLI11 in flags.cpp alone, spdlog in logging.cpp alone: each costs seconds of compiling in
# every file that includes it.
while IFS= read -r file; do
    [ "$file" = src/cli/flags.cpp ] || fail "$file includes CLI11; only src/cli/flags.cpp may"
done < <(grep -rlE --include='*.[ch]pp' '#include <CLI/' src include tests fuzz bench)
while IFS= read -r file; do
    [ "$file" = src/cli/logging.cpp ] || fail "$file includes spdlog; only src/cli/logging.cpp may"
done < <(grep -rlE --include='*.[ch]pp' '#include <spdlog/' src include tests fuzz bench)

# The checks can fail: a core file that included the command line would be caught.
grep -rqE '#include <deployphase/' src/run || fail "the include scan found nothing to check"

if [ "$failures" -eq 0 ]; then
    echo "layers hold: ${layers[*]}, then the command line"
    exit 0
fi
exit 1
