#pragma once
// Which context keys hold secrets, and masking of their values wherever text or JSON leaves
// the process: the journal, the state directory, logs, the terminal, reports and plans.
// docs/reliability.md ("Secrets") states what it promises and where it stops.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace deployphase::context {

// What a masked value is replaced with.
inline constexpr std::string_view masked_value = "***";

class Secrets {
  public:
    // `named`: dotted paths given with --secret; everything under a named path is secret.
    explicit Secrets(std::vector<std::string> named = {});

    // A key is secret when it is, or lies under, a named path, or when its last segment
    // (case-insensitive) ends in "_TOKEN" or contains "PASSWORD", "PASSWD", "SECRET",
    // "CREDENTIAL", "PRIVATE_KEY" or "API_KEY".
    bool is_secret(std::string_view path) const;

    // Remembers the values of the secret keys in `context` (nested objects included). Values
    // already masked are not remembered.
    void learn(const nlohmann::json& context);

    // A copy of `context` with each secret key's value replaced by "***" (null and "" stay as
    // they are), and every known secret value inside any other string replaced too.
    nlohmann::json mask(const nlohmann::json& context) const;

    // mask() for the value found at `path` of a context (a fact a plan shows, say).
    nlohmann::json mask_at(std::string_view path, const nlohmann::json& value) const;

    // A copy of `value` with every known secret value inside any string replaced; keys are not
    // looked at (for JSON that is not a context, such as an event's reason).
    nlohmann::json mask_strings(const nlohmann::json& value) const;

    // `text` with every known secret value replaced by "***". Values shorter than 3 bytes are
    // too common to hunt for in free text; they are masked only where their key is known.
    std::string mask_text(std::string_view text) const;

    // `context` with the remembered real values put back where "***" stands.
    nlohmann::json reveal(const nlohmann::json& context) const;

    // The secret keys of `context` that are "***" with no remembered value: what a resumed
    // run must be given again.
    std::vector<std::string> missing(const nlohmann::json& context) const;

    // The texts mask_text() looks for, longest first.
    const std::vector<std::string>& texts() const { return m_texts; }

  private:
    std::vector<std::string> m_named;
    std::map<std::string, nlohmann::json> m_known;  // path -> real value
    std::vector<std::string> m_texts;
};

// Masks the known secret values in output that arrives in pieces (a step's stdout): a value
// split across two pieces is still masked. A tail that may be the start of a value is held
// back until the next piece shows whether it is, or until finish().
class StreamMasker {
  public:
    explicit StreamMasker(const Secrets& secrets) : m_secrets(secrets) {}
    std::string feed(std::string_view piece);
    std::string finish();

  private:
    const Secrets& m_secrets;
    std::string m_pending;
};

}  // namespace deployphase::context
