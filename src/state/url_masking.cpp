#include <deployphase/state/postgres_store.hpp>

#include <algorithm>

#include "support/text.hpp"

namespace deployphase::state {
namespace {

constexpr std::string_view mask = "***";

// The URI form: postgresql://[user[:password]@]host[:port][/dbname][?keyword=value&...].
std::string mask_uri(std::string_view url, std::size_t authority) {
    std::string out(url.substr(0, authority));
    std::string_view rest = url.substr(authority);
    std::size_t end = rest.find_first_of("/?");
    std::string_view host_part = rest.substr(0, end);
    if (std::size_t at = host_part.rfind('@'); at != std::string_view::npos) {
        std::string_view user = host_part.substr(0, at);
        if (std::size_t colon = user.find(':'); colon != std::string_view::npos) {
            out += user.substr(0, colon + 1);
            out += mask;
        } else {
            out += user;
        }
        out += host_part.substr(at);
    } else {
        out += host_part;
    }
    if (end == std::string_view::npos) return out;
    rest.remove_prefix(end);
    std::size_t query = rest.find('?');
    out += rest.substr(0, query);
    if (query == std::string_view::npos) return out;
    // Each parameter of the query: password's value masked.
    rest.remove_prefix(query);
    std::size_t start = 0;
    while (start < rest.size()) {
        std::size_t stop = rest.find('&', start + 1);
        std::string_view parameter = rest.substr(start, stop - start);  // "?k=v" or "&k=v"
        std::string_view body = parameter.substr(1);
        if (body.starts_with("password=")) {
            out += parameter.substr(0, 1 + std::string_view("password=").size());
            out += mask;
        } else {
            out += parameter;
        }
        if (stop == std::string_view::npos) break;
        start = stop;
    }
    return out;
}

// The keyword form: `keyword = value` pairs, a value bare or in single quotes with \' and \\.
std::string mask_keywords(std::string_view text) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (is_blank(text[i])) {
            out += text[i++];
            continue;
        }
        std::size_t keyword_end = i;
        while (keyword_end < text.size() && text[keyword_end] != '=' &&
               !is_blank(text[keyword_end]))
            ++keyword_end;
        std::string_view keyword = text.substr(i, keyword_end - i);
        std::size_t equals = keyword_end;
        while (equals < text.size() && is_blank(text[equals]))
            ++equals;
        if (equals >= text.size() || text[equals] != '=') {  // not a pair: kept as it is
            out += text.substr(i, equals - i);
            i = equals;
            continue;
        }
        std::size_t value = equals + 1;
        while (value < text.size() && is_blank(text[value]))
            ++value;
        std::size_t value_end = value;
        if (value_end < text.size() && text[value_end] == '\'') {
            for (++value_end; value_end < text.size() && text[value_end] != '\''; ++value_end) {
                if (text[value_end] == '\\') ++value_end;
            }
            value_end = std::min(value_end + 1, text.size());
        } else {
            while (value_end < text.size() && !is_blank(text[value_end]))
                ++value_end;
        }
        out += text.substr(i, value - i);
        out += keyword == "password" ? mask : text.substr(value, value_end - value);
        i = value_end;
    }
    return out;
}

}  // namespace

std::string mask_url_password(std::string_view url) {
    for (std::string_view scheme : {"postgresql://", "postgres://"}) {
        if (url.starts_with(scheme)) return mask_uri(url, scheme.size());
    }
    return mask_keywords(url);
}

}  // namespace deployphase::state
