#include <deployphase/predicate/evaluator.hpp>

#include <fmt/format.h>

#include <charconv>

#include <deployphase/predicate/fact_naming.hpp>

namespace deployphase::predicate {

using nlohmann::json;

bool is_truthy(const json* value) {
    if (!value) return false;
    switch (value->type()) {
        case json::value_t::null:
            return false;
        case json::value_t::boolean:
            return value->get<bool>();
        case json::value_t::number_integer:
            return value->get<json::number_integer_t>() != 0;
        case json::value_t::number_unsigned:
            return value->get<json::number_unsigned_t>() != 0;
        case json::value_t::number_float: {
            double number = value->get<double>();
            return number != 0.0 && number == number;  // NaN is falsy too
        }
        case json::value_t::string:
            return !value->get_ref<const std::string&>().empty();
        default:
            return true;  // arrays and objects, even empty ones
    }
}

const json* lookup_path(const json& context, std::string_view path) {
    const json* node = &context;
    while (true) {
        std::size_t dot = path.find('.');
        std::string_view segment = path.substr(0, dot);
        if (node->is_object()) {
            auto found = node->find(std::string(segment));
            if (found == node->end()) return nullptr;
            node = &*found;
        } else if (node->is_array()) {
            std::size_t index = 0;
            auto [end, error] =
                std::from_chars(segment.data(), segment.data() + segment.size(), index);
            if (error != std::errc() || end != segment.data() + segment.size() ||
                index >= node->size()) {
                return nullptr;
            }
            node = &(*node)[index];
        } else {
            return nullptr;
        }
        if (dot == std::string_view::npos) return node;
        path.remove_prefix(dot + 1);
    }
}

std::string fact_key_for_call(const json& context, std::string_view name) {
    if (context.is_object() && context.contains(std::string(name))) return std::string(name);
    return derived_fact_key(name);
}

Evaluator::Evaluator(const Program& program, const json& context)
    : m_program(program), m_context(context) {}

bool Evaluator::record(std::string label, std::string key, const json* value,
                       const SourceLocation& where, Trace& trace, std::size_t depth) const {
    bool result = is_truthy(value);
    trace.push_back({depth, std::move(label), result, true, std::move(key), value ? *value : json(),
                     value == nullptr, where});
    return result;
}

bool Evaluator::read_fact(const std::string& key, const std::string& label,
                          const SourceLocation& where, Trace& trace, std::size_t depth) const {
    // A fact is one top-level key; only hasContext follows dotted paths.
    const json* value = nullptr;
    if (m_context.is_object()) {
        auto found = m_context.find(key);
        if (found != m_context.end()) value = &*found;
    }
    return record(label, key, value, where, trace, depth);
}

bool Evaluator::call(const Function& function, Trace& trace, std::size_t depth) const {
    return call_at(function, function.where, trace, depth);
}

bool Evaluator::call_at(const Function& function, const SourceLocation& where, Trace& trace,
                        std::size_t depth) const {
    std::size_t entry = trace.size();
    trace.push_back({depth, function.name + "()", false, false, {}, {}, false, where});
    bool result = evaluate(*function.body, trace, depth + 1);
    trace[entry].result = result;
    return result;
}

bool Evaluator::evaluate(const Expr& expr, Trace& trace, std::size_t depth) const {
    switch (expr.kind) {
        case Expr::Kind::literal:
            return expr.literal;
        case Expr::Kind::negation:
            return !evaluate(*expr.operands.front(), trace, depth);
        case Expr::Kind::conjunction:
            for (const auto& operand : expr.operands) {
                if (!evaluate(*operand, trace, depth)) return false;
            }
            return true;
        case Expr::Kind::disjunction:
            for (const auto& operand : expr.operands) {
                if (evaluate(*operand, trace, depth)) return true;
            }
            return false;
        case Expr::Kind::call:
            break;
    }
    if (expr.argument) {  // hasContext('path'); the parser allows no other call with one
        return record(fmt::format("hasContext('{}')", *expr.argument), *expr.argument,
                      lookup_path(m_context, *expr.argument), expr.where, trace, depth);
    }
    if (const Function* function = m_program.find(expr.name)) {
        return call_at(*function, expr.where, trace, depth);
    }
    return read_fact(fact_key_for_call(m_context, expr.name), expr.name + "()", expr.where, trace,
                     depth);
}

}  // namespace deployphase::predicate
