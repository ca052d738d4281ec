#include <catch2/catch.hpp>

#include <filesystem>

#include <deployphase/state/directory_store.hpp>
#include <deployphase/state/journal.hpp>
#include <deployphase/state/postgres_store.hpp>
#include <deployphase/state/run_state.hpp>
#include <deployphase/state/store.hpp>
#include <deployphase/support/errors.hpp>

#include "phase_dump.hpp"
#include "test_support.hpp"

using namespace deployphase;
using namespace deployphase::state;
namespace fs = std::filesystem;

namespace {

std::string input_error(const StoreOptions& options) {
    try {
        make_store(options);
    } catch (const InputError& e) {
        return e.diagnostics().front().message;
    }
    return "no error";
}

StoreOptions shared(std::string url, std::string key, std::string schema = "") {
    StoreOptions options;
    options.url = std::move(url);
    options.key = std::move(key);
    options.schema = std::move(schema);
    return options;
}

}  // namespace

TEST_CASE("store: a state directory keeps the current run, and archives it by id", "[store]") {
    test::TempDir dir;
    DirectoryStore store(dir.path / "state");
    CHECK_FALSE(store.has_current());
    CHECK_FALSE(Journal::open_run(store, false).has_value());
    CHECK_FALSE(fs::exists(dir.path / "state"));  // reading created nothing
    {
        auto lock = store.lock();
        Journal journal = Journal::create_run(store);
        journal.append(
            {{"type", "run_started"}, {"run_id", "r1"}, {"steps", nlohmann::json::array()}});
        CHECK(journal.name() == (dir.path / "state" / "journal").string());
    }
    REQUIRE(store.has_current());
    std::optional<Journal> read = Journal::open_run(store, false);
    REQUIRE(read.has_value());
    CHECK(read->state().run_id == "r1");
    store.archive_current("r1");
    CHECK_FALSE(store.has_current());
    CHECK(fs::exists(dir.path / "state" / "history" / "r1.journal"));
}

TEST_CASE("store: a shared store is named by server and key, never with the password", "[store]") {
    // Naming needs no server: nothing connects before first use.
    auto store = make_store(shared("postgresql://deploy:s3cret@db.example:6543/deploys", "a/b"));
    CHECK(store->name() == "postgresql://deploy@db.example:6543/deploys#a/b");
    auto other = make_store(shared("host=db port=5 dbname=d password=s3cret", "k", "team_x"));
    CHECK(other->name() == "postgresql://db:5/d?schema=team_x#k");
}

TEST_CASE("store: a state URL as a log keeps it has no password", "[store]") {
    using state::mask_url_password;
    CHECK(mask_url_password("postgresql://deploy:s3cret@db:6543/deploys") ==
          "postgresql://deploy:***@db:6543/deploys");
    CHECK(mask_url_password("postgres://deploy:s3:c@r@et@db") == "postgres://deploy:***@db");
    CHECK(mask_url_password("postgresql://deploy@db/x?sslmode=require&password=s3cret&a=b") ==
          "postgresql://deploy@db/x?sslmode=require&password=***&a=b");
    CHECK(mask_url_password("postgresql://db?password=s3cret") == "postgresql://db?password=***");
    CHECK(mask_url_password("postgresql:///deploys") == "postgresql:///deploys");
    CHECK(mask_url_password("host=db password=s3cret dbname=d") == "host=db password=*** dbname=d");
    CHECK(mask_url_password("host=db password = 's3 cr\\'et' dbname=d") ==
          "host=db password = *** dbname=d");
    CHECK(mask_url_password("password='unterminated") == "password=***");
    CHECK(mask_url_password("host=db passwordx=keep") == "host=db passwordx=keep");
}

TEST_CASE("store: a key, URL or schema that cannot work is an input error", "[store]") {
    CHECK(input_error(shared("postgresql://", ""))
              .starts_with("a shared state store needs --state-key"));
    CHECK(input_error(shared("", "k")).ends_with("give --state-url too"));
    CHECK(input_error(shared("postgresql://", std::string(201, 'k'))) ==
          "the state key must be 1 to 200 bytes of printable UTF-8");
    CHECK(input_error(shared("postgresql://", "a\nb")) ==
          "the state key must be 1 to 200 bytes of printable UTF-8");
    CHECK(input_error(shared("postgresql://", "caf\xe9")) ==
          "the state key must be 1 to 200 bytes of printable UTF-8");
    std::string accents;  // 100 characters, 200 bytes: the most a key holds
    for (int i = 0; i < 100; ++i)
        accents += "\xc3\xa9";
    CHECK(input_error(shared("postgresql://", accents)) == "no error");
    CHECK(input_error(shared("postgresql://", accents + "k")) ==
          "the state key must be 1 to 200 bytes of printable UTF-8");
    CHECK(input_error(shared("postgresql://", "k", "Bad-Name"))
              .starts_with("\"Bad-Name\" is not a schema name"));
    CHECK(input_error(shared("postgresql://", "k", "9lives"))
              .starts_with("\"9lives\" is not a schema name"));
    CHECK(input_error(shared("postgresql://", std::string(200, 'k'), "ok_2")) == "no error");
}

TEST_CASE("store: a PostgreSQL row is the record recorded there, or an error", "[store]") {
    auto row_error = [](std::string_view seq, std::string_view record) {
        try {
            (void)parse_record_row(seq, record, 2, 7, "pg:k");
        } catch (const StateError& e) {
            return test::dump_diagnostics(e.diagnostics());
        }
        return std::string("no error");
    };
    CHECK(parse_record_row("2", R"({"seq":2,"type":"step_started"})", 2, 7, "pg:k")["type"] ==
          "step_started");
    CHECK(row_error("3", R"({"seq":3})") ==
          "pg:k: error: run 7 has record 3 where 2 was expected; refusing to guess\n");
    CHECK(row_error("2", R"({"seq":3})") ==
          "pg:k: error: record 2 of run 7 is not the JSON object that was recorded\n");
    CHECK(row_error("2", "[2]") ==
          "pg:k: error: record 2 of run 7 is not the JSON object that was recorded\n");
    CHECK(row_error("2", "{\"seq\":2,\"x\":\"\xff\"}") ==
          "pg:k: error: record 2 of run 7 is not the JSON object that was recorded\n");
    // Printing or merging a record recurses once per level: a deep one is refused unread.
    std::string deep =
        R"({"seq":2,"values":)" + std::string(50000, '[') + std::string(50000, ']') + "}";
    CHECK(row_error("2", deep) ==
          "pg:k: error: record 2 of run 7: nested more than 108 levels "
          "deep; deployphase never writes such a record\n");
    CHECK(row_error("2\xff", "{}") ==
          "pg:k: error: run 7 has record 2\xef\xbf\xbd where 2 was expected; refusing to guess\n");
}
