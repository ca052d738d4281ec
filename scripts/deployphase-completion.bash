# bash completion for deployphase; installed as
# share/bash-completion/completions/deployphase by `cmake --install`.
# COMPREPLY: the words of $1 that start with the word being completed.
_deployphase_reply() {
    mapfile -t COMPREPLY < <(compgen -W "$1" -- "$cur")
}

# The top-level keys of the JSON object in file $1: enough JSON to skip strings and nesting.
_deployphase_json_keys() {
    [ -r "$1" ] || return
    LC_ALL=C awk '
        { text = text $0 "\n" }
        END {
            depth = 0; n = length(text)
            for (i = 1; i <= n; i++) {
                c = substr(text, i, 1)
                if (c == "\"") {
                    s = ""
                    for (i++; i <= n && (c = substr(text, i, 1)) != "\""; i++) {
                        if (c == "\\") { i++; c = substr(text, i, 1) }
                        s = s c
                    }
                    rest = substr(text, i + 1)
                    if (depth == 1 && match(rest, /^[ \t\r\n]*:/)) print s
                } else if (c == "{" || c == "[") depth++
                else if (c == "}" || c == "]") depth--
            }
        }' "$1" 2>/dev/null
}

# The context keys worth offering for --set, --set-string and --secret: those of the -c files on
# the line, and those the phase on the line reads or its scripts need (`deployphase facts`).
_deployphase_context_keys() {
    local i word next phase=""
    for ((i = 1; i < cword; i++)); do
        word=${words[i]}
        next=${words[i + 1]:-}
        case $word in
            -c | --context) _deployphase_json_keys "$next" ;;
            *.md | *.json) [ "${words[i - 1]}" != -c ] && [ "${words[i - 1]}" != --context ] &&
                [ "${words[i - 1]}" != --plan ] && phase=$word ;;
        esac
    done
    [ -n "$phase" ] && "${words[0]}" facts "$phase" 2>/dev/null | awk '/^[^ ]/ { print $1 }'
}

# The state flags on the line, to reach the same store as the command being completed.
_deployphase_state_args() {
    local i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            --state-dir | --state-url | --state-key | --state-schema)
                printf '%s\n%s\n' "${words[i]}" "${words[i + 1]:-}" ;;
        esac
    done
}

_deployphase() {
    local cur prev words cword
    _init_completion || return
    local commands="validate show plan facts run resume confirm rollback status history logs prune report unlock help"
    local global="--help --version --color --log-level --log-file"
    local command="" i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            -*) ;;
            *) if [[ " $commands " == *" ${words[i]} "* ]]; then command=${words[i]}; break; fi ;;
        esac
    done
    case $prev in
        --color) _deployphase_reply "auto always never"; return ;;
        --log-level) _deployphase_reply "trace debug info warn error off"; return ;;
        -o | --output)
            if [ "$command" = report ]; then _deployphase_reply "md text json"; else _deployphase_reply "text json"; fi
            return ;;
        --format) _deployphase_reply "md text json"; return ;;
        --on-failure) _deployphase_reply "stop rollback"; return ;;
        --interrupted) _deployphase_reply "rerun done fail"; return ;;
        --state-dir | --workdir) _filedir -d; return ;;
        -c | --context | --plan | --out | --events | --junit | --log-file) _filedir; return ;;
        --secret)
            _deployphase_reply "$(_deployphase_context_keys | sort -u)"
            return ;;
        -s | --set | --set-string)
            local keys
            keys=$(_deployphase_context_keys | sort -u | sed 's/$/=/')
            _deployphase_reply "$keys"
            compopt -o nospace 2>/dev/null
            return ;;
    esac
    if { [ "$command" = confirm ] || [ "$command" = logs ]; } && [[ $cur != -* ]]; then
        # From the run's status in the same store: the steps it waits on (confirm), or all its
        # steps (logs).
        local state_args=() steps wanted=awaiting-confirmation
        [ "$command" = logs ] && wanted=""
        mapfile -t state_args < <(_deployphase_state_args)
        steps=$("${words[0]}" status "${state_args[@]}" 2>/dev/null |
            awk -v wanted="$wanted" '$1 ~ /^[0-9]+\/[0-9]+$/ && (wanted == "" || $3 == wanted) { print $2 }')
        _deployphase_reply "$steps"
        return
    fi
    local flags
    case $command in
        "") _deployphase_reply "$commands $global"; return ;;
        validate) flags="--strict --help" ;;
        show | facts) flags="--output --help" ;;
        plan) flags="--context --set --set-string --secret --output --strict --out --help" ;;
        run) flags="--context --set --set-string --secret --state-dir --state-url --state-key --state-schema --workdir --kill-after --yes --allow-changed
                    --on-failure --plan --resume --interrupted --restart --dry-run --output
                    --events --junit --quiet --verbose --help" ;;
        resume) flags="--context --set --set-string --secret --state-dir --state-url --state-key --state-schema --workdir --kill-after --yes --allow-changed
                       --on-failure --interrupted --dry-run --output --events --junit --quiet --verbose
                       --help" ;;
        rollback) flags="--state-dir --state-url --state-key --state-schema --run --workdir --kill-after --allow-changed --dry-run --output
                         --events --junit --quiet --verbose --help" ;;
        confirm) flags="--state-dir --state-url --state-key --state-schema --reason --help" ;;
        status) flags="--state-dir --state-url --state-key --state-schema --run --output --help" ;;
        history) flags="--state-dir --state-url --state-key --state-schema --limit --output --help" ;;
        prune) flags="--state-dir --state-url --state-key --state-schema --keep --older-than --dry-run --help" ;;
        logs) flags="--state-dir --state-url --state-key --state-schema --run --attempt --kind --follow --help" ;;
        report) flags="--state-dir --state-url --state-key --state-schema --run --output --format --help" ;;
        help) _deployphase_reply "$commands"; return ;;
        unlock) flags="--state-dir --state-url --state-key --state-schema --yes --help" ;;
    esac
    if [[ $cur == -* ]]; then
        _deployphase_reply "$flags"
    else
        _filedir
    fi
}
complete -F _deployphase deployphase
