#include <deployphase/context/secrets.hpp>

#include <algorithm>
#include <cctype>
#include <functional>

namespace deployphase::context {
namespace {

using nlohmann::json;

constexpr std::size_t shortest_text = 3;

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string child_path(const std::string& parent, std::string_view key) {
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

// Calls visit(path, value) for every member of every object and element of every array
// under `value`; visit returns false to not descend into that value.
void walk(json& value, const std::string& path,
          const std::function<bool(const std::string&, json&)>& visit) {
    if (value.is_object()) {
        for (auto& [key, child] : value.items()) {
            std::string at = child_path(path, key);
            if (visit(at, child)) walk(child, at, visit);
        }
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) {
            std::string at = child_path(path, std::to_string(i));
            if (visit(at, value[i])) walk(value[i], at, visit);
        }
    }
}

// The text a value shows up as in output: strings as they are, numbers as written.
std::string text_of(const json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_number()) return value.dump();
    return {};
}

// A missing or empty secret is shown as it is: "***" would claim a value that is not there.
bool nothing_to_hide(const json& value) {
    return value.is_null() || (value.is_string() && value.get_ref<const std::string&>().empty());
}

bool is_masked(const json& value) {
    return value.is_string() && value == masked_value;
}

}  // namespace

Secrets::Secrets(std::vector<std::string> named) : m_named(std::move(named)) {}

bool Secrets::is_secret(std::string_view path) const {
    for (const std::string& named : m_named) {
        if (path == named ||
            (path.starts_with(named) && path.size() > named.size() && path[named.size()] == '.')) {
            return true;
        }
    }
    std::size_t dot = path.rfind('.');
    std::string key = upper(dot == std::string_view::npos ? path : path.substr(dot + 1));
    if (key.ends_with("_TOKEN")) return true;
    for (std::string_view word :
         {"PASSWORD", "PASSWD", "SECRET", "CREDENTIAL", "PRIVATE_KEY", "API_KEY"}) {
        if (key.find(word) != std::string::npos) return true;
    }
    return false;
}

void Secrets::learn(const json& context) {
    json copy = context;
    walk(copy, "", [&](const std::string& path, json& value) {
        if (!is_secret(path)) return true;
        if (is_masked(value)) return false;
        m_known[path] = value;
        std::vector<std::string> texts;
        if (value.is_object() || value.is_array()) {
            walk(value, path, [&](const std::string&, json& inner) {
                texts.push_back(text_of(inner));
                return true;
            });
        } else {
            texts.push_back(text_of(value));
        }
        for (std::string& text : texts) {
            if (text.size() >= shortest_text &&
                std::find(m_texts.begin(), m_texts.end(), text) == m_texts.end()) {
                m_texts.push_back(std::move(text));
            }
        }
        return false;
    });
    std::stable_sort(
        m_texts.begin(), m_texts.end(),
        [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

json Secrets::mask(const json& context) const {
    return mask_at("", context);
}

json Secrets::mask_at(std::string_view path, const json& value) const {
    if (!path.empty() && is_secret(path))
        return nothing_to_hide(value) ? value : json(std::string(masked_value));
    json copy = value.is_string() ? json(mask_text(value.get<std::string>())) : value;
    walk(copy, std::string(path), [&](const std::string& at, json& inner) {
        if (is_secret(at)) {
            if (!nothing_to_hide(inner)) inner = std::string(masked_value);
            return false;
        }
        if (inner.is_string()) inner = mask_text(inner.get<std::string>());
        return true;
    });
    return copy;
}

json Secrets::mask_strings(const json& value) const {
    if (m_texts.empty()) return value;
    if (value.is_string()) return mask_text(value.get<std::string>());
    json copy = value;
    walk(copy, "", [&](const std::string&, json& inner) {
        if (inner.is_string()) inner = mask_text(inner.get<std::string>());
        return true;
    });
    return copy;
}

std::string Secrets::mask_text(std::string_view text) const {
    if (m_texts.empty()) return std::string(text);
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        auto found = std::find_if(m_texts.begin(), m_texts.end(), [&](const std::string& secret) {
            return text.compare(i, secret.size(), secret) == 0;
        });
        if (found != m_texts.end()) {
            out += masked_value;
            i += found->size();
        } else {
            out += text[i++];
        }
    }
    return out;
}

json Secrets::reveal(const json& context) const {
    json copy = context;
    walk(copy, "", [&](const std::string& path, json& value) {
        if (!is_secret(path)) return true;
        if (auto known = m_known.find(path); known != m_known.end() && is_masked(value))
            value = known->second;
        return false;
    });
    return copy;
}

std::vector<std::string> Secrets::missing(const json& context) const {
    std::vector<std::string> paths;
    json copy = context;
    walk(copy, "", [&](const std::string& path, json& value) {
        if (!is_secret(path)) return true;
        if (is_masked(value) && !m_known.contains(path)) paths.push_back(path);
        return false;
    });
    return paths;
}

std::string StreamMasker::feed(std::string_view piece) {
    m_pending += piece;
    const std::vector<std::string>& texts = m_secrets.texts();
    std::size_t longest = texts.empty() ? 0 : texts.front().size();
    std::string out;
    std::size_t i = 0;
    // Left to right, as mask_text does; stop at the first place where what has arrived so far
    // could still be the start of a secret, and keep it for the next piece.
    while (i < m_pending.size()) {
        std::string_view rest = std::string_view(m_pending).substr(i);
        auto whole = std::find_if(texts.begin(), texts.end(),
                                  [&](const std::string& text) { return rest.starts_with(text); });
        if (whole != texts.end()) {
            out += masked_value;
            i += whole->size();
            continue;
        }
        if (rest.size() < longest &&
            std::any_of(texts.begin(), texts.end(), [&](const std::string& text) {
                return text.size() > rest.size() && text.starts_with(rest);
            })) {
            break;
        }
        out += m_pending[i++];
    }
    m_pending.erase(0, i);
    return out;
}

std::string StreamMasker::finish() {
    std::string out = m_secrets.mask_text(m_pending);
    m_pending.clear();
    return out;
}

}  // namespace deployphase::context
