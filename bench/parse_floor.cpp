// What reading a run costs before deployphase does anything of its own: nlohmann::json parsing
// every record of a journal, and cmark parsing a phase document. Resuming must do both (the
// journal is checked and folded whole, the phase re-read), so these times are its floor with
// the libraries deployphase is built on.
//
//   parse_floor JOURNAL PHASE [ROUNDS]
//
// Prints medians in milliseconds: DOM parse of every record (what the fold needs), a SAX pass
// that builds nothing (the lexer alone), and cmark_parse_document of the phase.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include <cmark.h>
#include <nlohmann/json.hpp>

namespace {

using Clock = std::chrono::steady_clock;

std::string slurp(const char* path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "parse_floor: cannot read %s\n", path);
        std::exit(2);
    }
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The payloads of `R <length> <crc> <payload>\n` frames after the header line.
std::vector<std::string_view> payloads(std::string_view journal) {
    std::vector<std::string_view> out;
    std::size_t at = journal.find('\n') + 1;
    while (at < journal.size() && journal.compare(at, 2, "R ") == 0) {
        std::size_t space = journal.find(' ', at + 2);
        std::size_t length =
            std::strtoul(std::string(journal.substr(at + 2, space - at - 2)).c_str(), nullptr, 10);
        std::size_t start = space + 10;  // 8 hex digits and a space
        out.push_back(journal.substr(start, length));
        at = start + length + 1;
    }
    return out;
}

struct Discard : nlohmann::json_sax<nlohmann::json> {
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t&) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
        return false;
    }
};

template <typename F>
double median_ms(int rounds, F&& work) {
    std::vector<double> times;
    for (int i = 0; i < rounds; ++i) {
        auto start = Clock::now();
        work();
        times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: parse_floor JOURNAL PHASE [ROUNDS]\n");
        return 2;
    }
    int rounds = argc > 3 ? std::atoi(argv[3]) : 5;
    std::string journal = slurp(argv[1]);
    std::string phase = slurp(argv[2]);
    std::vector<std::string_view> records = payloads(journal);

    std::size_t checked = 0;
    double dom = median_ms(rounds, [&] {
        for (std::string_view record : records)
            checked += nlohmann::json::parse(record).size();
    });
    double sax = median_ms(rounds, [&] {
        for (std::string_view record : records) {
            Discard discard;
            checked += nlohmann::json::sax_parse(record, &discard) ? 1 : 0;
        }
    });
    double markdown = median_ms(rounds, [&] {
        cmark_node* document = cmark_parse_document(phase.data(), phase.size(), CMARK_OPT_DEFAULT);
        checked += document != nullptr;
        cmark_node_free(document);
    });
    std::printf(
        "%zu records (%zu bytes): json dom %.1f ms, json sax %.1f ms; phase (%zu bytes): "
        "cmark %.1f ms\n",
        records.size(), journal.size(), dom, sax, phase.size(), markdown);
    return checked == 0 ? 1 : 0;
}
