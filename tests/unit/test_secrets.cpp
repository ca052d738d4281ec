#include <catch2/catch.hpp>

#include <deployphase/context/secrets.hpp>

using deployphase::context::Secrets;
using deployphase::context::StreamMasker;
using nlohmann::json;

TEST_CASE("secrets: keys are secret by name pattern or by --secret", "[secrets]") {
    Secrets secrets({"db", "deploy.signing"});
    for (const char* key : {"github_token", "API_TOKEN", "db_password", "smtp.Password",
                            "client_secret", "SECRET", "aws.credentials", "ssh_private_key",
                            "stripe_api_key", "db", "db.host", "deploy.signing"}) {
        INFO(key);
        CHECK(secrets.is_secret(key));
    }
    for (const char* key : {"token_count", "tokenizer", "deploy_target", "dbx", "deploy",
                            "deploy.signing_mode", "release_version"}) {
        INFO(key);
        CHECK_FALSE(secrets.is_secret(key));
    }
}

TEST_CASE("secrets: mask replaces secret keys and their values in other strings", "[secrets]") {
    Secrets secrets;
    json context = {{"api_token", "tok-123456"},     {"release", "v1"},
                    {"note", "use tok-123456 here"}, {"db", {{"password", 4242}, {"host", "db1"}}},
                    {"list", {"a", "tok-123456"}},   {"empty_secret", nullptr}};
    secrets.learn(context);
    CHECK(secrets.mask(context) == json{{"api_token", "***"},
                                        {"release", "v1"},
                                        {"note", "use *** here"},
                                        {"db", {{"password", "***"}, {"host", "db1"}}},
                                        {"list", {"a", "***"}},
                                        {"empty_secret", nullptr}});
    // Not learned yet: the key is masked, its value is not hunted for in free text.
    Secrets fresh;
    CHECK(fresh.mask(context)["note"] == "use tok-123456 here");
    CHECK(fresh.mask(context)["api_token"] == "***");
}

TEST_CASE("secrets: reveal puts known values back, missing names the others", "[secrets]") {
    Secrets secrets;
    secrets.learn({{"api_token", "tok-1"}, {"plain", "x"}});
    json recorded = {{"api_token", "***"}, {"db_password", "***"}, {"plain", "x"}};
    CHECK(secrets.reveal(recorded) ==
          json{{"api_token", "tok-1"}, {"db_password", "***"}, {"plain", "x"}});
    CHECK(secrets.missing(recorded) == std::vector<std::string>{"db_password"});
    // A masked value seen later does not replace a known one.
    secrets.learn({{"api_token", "***"}});
    CHECK(secrets.reveal(recorded)["api_token"] == "tok-1");
}

TEST_CASE("secrets: free text, longest value first, short values left alone", "[secrets]") {
    Secrets secrets;
    secrets.learn({{"a_token", "abcdef"}, {"b_token", "abc"}, {"c_token", "ab"}});
    CHECK(secrets.mask_text("xabcdefx abc ab") == "x***x *** ab");
}

TEST_CASE("secrets: a stream masks a value split anywhere across pieces", "[secrets]") {
    Secrets secrets;
    secrets.learn({{"a_token", "ABCD"}, {"b_token", "CDEF"}, {"c_password", "s3cr3t-value"}});
    const std::string text = "log: s3cr3t-value then xABCDEF and s3cr3t-valu end\n";
    const std::string expected = secrets.mask_text(text);
    CHECK(expected == "log: *** then x***EF and s3cr3t-valu end\n");
    for (std::size_t cut = 0; cut <= text.size(); ++cut) {
        for (std::size_t cut2 = cut; cut2 <= text.size(); cut2 += 3) {
            StreamMasker stream(secrets);
            std::string out = stream.feed(text.substr(0, cut));
            out += stream.feed(text.substr(cut, cut2 - cut));
            out += stream.feed(text.substr(cut2));
            out += stream.finish();
            INFO("cuts " << cut << " and " << cut2);
            REQUIRE(out == expected);
        }
    }
}

TEST_CASE("secrets: a stream without secrets passes everything at once", "[secrets]") {
    Secrets secrets;
    StreamMasker stream(secrets);
    CHECK(stream.feed("partial line") == "partial line");
    CHECK(stream.finish().empty());
}

TEST_CASE("secrets: mask_at masks a value by the path it was found at", "[secrets]") {
    Secrets secrets({"db.pass"});
    secrets.learn({{"db", {{"pass", "deep-pw-42"}}}, {"note", "x"}});
    CHECK(secrets.mask_at("db.pass", "deep-pw-42") == "***");
    CHECK(secrets.mask_at("db", {{"pass", "deep-pw-42"}, {"host", "h"}}) ==
          json{{"pass", "***"}, {"host", "h"}});
    CHECK(secrets.mask_at("note", "uses deep-pw-42") == "uses ***");
    CHECK(secrets.mask_at("db.pass", nullptr).is_null());   // missing stays missing
    CHECK(secrets.mask_at("pass", "deep-pw-42") == "***");  // known value, other path
}

TEST_CASE("secrets: mask_strings masks values in any JSON without looking at keys", "[secrets]") {
    Secrets secrets;
    CHECK(secrets.mask_strings({{"api_token", "not learned"}}) ==
          json{{"api_token", "not learned"}});
    secrets.learn({{"api_token", "tok-123456"}});
    CHECK(secrets.mask_strings({{"reason", "exit tok-123456"}, {"n", 1}, {"l", {"tok-123456"}}}) ==
          json{{"reason", "exit ***"}, {"n", 1}, {"l", {"***"}}});
}
