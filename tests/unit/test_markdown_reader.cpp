#include <filesystem>

#include <catch2/catch.hpp>

#include <deployphase/phase/loader.hpp>
#include <deployphase/phase/markdown_reader.hpp>
#include <deployphase/support/errors.hpp>

#include "phase/step_item.hpp"
#include "phase_dump.hpp"

using namespace deployphase;

namespace {

phase::LoadedPhase load_fixture(const std::string& name) {
    return phase::load_phase(SourceFile::from_text(name, test::read_fixture("phases/" + name)));
}

phase::LoadedPhase load_text(std::string text, std::string name = "p.md") {
    return phase::load_phase(SourceFile::from_text(std::move(name), std::move(text)));
}

std::string crlf(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '\n') out += '\r';
        out += c;
    }
    return out;
}

}  // namespace

TEST_CASE("reader: '# Phase • Name', bulleted steps, every guard placement, alias sections",
          "[reader]") {
    auto loaded = load_fixture("bullet-title.md");
    CHECK(loaded.warnings.empty());
    CHECK(test::dump_phase(loaded.phase) ==
          "name: Release Train\n"
          "title: Phase \xE2\x80\xA2 Release Train\n"
          "step 1 freeze-branch @7:5\n"
          "  guard: [if release branch exists] condition: release branch exists @7:25\n"
          "step 2 tag-release @8:5\n"
          "  description: Tag the release commit\n"
          "  guard: [if version bumped] condition: version bumped @8:23\n"
          "step 3 publish-artifacts @9:5\n"
          "  description: Publish build artifacts\n"
          "  guard: [conditional: if artifacts built] condition: artifacts built @9:68\n"
          "step 4 announce @10:5\n"
          "  description: Announce the release\n"
          "validation: js @31:1\n"
          "  | canExecutePhase() { return hasContext('release.branch'); }\n"
          "section purpose \"Goal\" @3:1\n"
          "  text: Ship the release candidate to every region.\n"
          "section prerequisites \"Context Required\" @12:1\n"
          "  item: Release branch\n"
          "  item: Signed build artifacts\n"
          "section success_criteria \"Success Criteria\" @16:1\n"
          "  item: Tag pushed\n"
          "  item: Artifacts published\n"
          "section skip_conditions \"Skip When\" @20:1\n"
          "  item: Hotfix already shipped\n"
          "section outputs \"Key Outputs\" @23:1\n"
          "  item: Release notes\n"
          "section notes \"Notes\" @26:1\n"
          "  item: Announce in the release channel\n");
}

TEST_CASE(
    "reader: '# Phase: Name', annotations beside guards, expression guards, markup in "
    "descriptions, unknown sections, a summary and an untagged validation block",
    "[reader]") {
    auto loaded = load_fixture("colon-title.md");
    CHECK(loaded.warnings.empty());
    CHECK(test::dump_phase(loaded.phase) ==
          "name: Database Migration\n"
          "title: Phase: Database Migration\n"
          "summary: Moves the schema forward with a reversible migration.\n"
          "step 1 backup-database @10:6\n"
          "  description: Snapshot the database\n"
          "  guard: [if backups enabled] condition: backups enabled @10:69\n"
          "  annotation: at phase start\n"
          "step 2 check-locks @11:6\n"
          "  guard: [conditional: if hasContext('db.locks') && (isLargeTable() || "
          "!maintenanceWindow())] condition: hasContext('db.locks') && (isLargeTable() || "
          "!maintenanceWindow()) @11:37\n"
          "  annotation: manual review\n"
          "step 3 run-migrations @12:6\n"
          "  description: Run migrate up [--all] as described in the runbook\n"
          "step 4 verify_schema.v2 @13:6\n"
          "  description: Compare the schema with the expected dump\n"
          "validation: (none) @23:1\n"
          "  | canExecutePhase() {\n"
          "  |   return hasContext('db.url');\n"
          "  | }\n"
          "section purpose \"Purpose\" @5:1\n"
          "  text: Apply pending migrations safely, with a backup first.\n"
          "section other \"Rollout Notes\" @15:1\n"
          "  text: Roll out region by region.\n"
          "  item: eu-west first\n"
          "  item: then us-east\n");
}

TEST_CASE(
    "reader: '# Phase - Name' with tabs, trailing spaces, hard breaks and no final "
    "newline, a phase without validation logic",
    "[reader]") {
    std::string text = test::read_fixture("phases/dash-title.md");
    REQUIRE(text.back() != '\n');
    auto loaded = load_fixture("dash-title.md");
    CHECK(loaded.warnings.empty());
    CHECK_FALSE(loaded.phase.validation.has_value());
    CHECK(test::dump_phase(loaded.phase) ==
          "name: Smoke Tests\n"
          "title: Phase - Smoke Tests\n"
          "step 1 ping-service @4:6\n"
          "  description: Ping the service\n"
          "step 2 check-login @5:6\n"
          "  description: Log in as the test user\n"
          "  guard: [Conditional: If staging available] condition: staging available @5:63\n"
          "step 3 check-search @6:6\n"
          "  description: Search for a known item\n"
          "section expected_duration \"Expected Duration\" @8:1\n"
          "  text: Quick: 5 minutes\nFull: 20 minutes\n");
}

TEST_CASE("reader: the mojibake bullet 'â€¢' in a title still separates the name", "[reader]") {
    auto loaded = load_fixture("mojibake-title.md");
    CHECK(test::dump_phase(loaded.phase) ==
          "name: Cache Warmup\n"
          "title: Phase \xC3\xA2\xE2\x82\xAC\xC2\xA2 Cache Warmup\n"
          "step 1 warm-cache @4:6\n"
          "  description: Prime the cache\n"
          "  guard: [conditional: if cache enabled] condition: cache enabled @4:54\n"
          "step 2 check-hit-rate @5:6\n"
          "  description: Check the hit rate\n");
}

TEST_CASE("reader: a repeated step id is kept, told apart by position, and warned about",
          "[reader]") {
    auto loaded = load_fixture("repeated-ids.md");
    CHECK(test::dump_phase(loaded.phase) ==
          "name: Canary\n"
          "title: Phase \xE2\x80\xA2 Canary\n"
          "step 1 deploy @4:6\n"
          "  description: Deploy to the canary hosts\n"
          "step 2 observe @5:6\n"
          "  description: Watch the error rate\n"
          "  guard: [if canary metrics available] condition: canary metrics available @5:43\n"
          "step 3 deploy @6:6\n"
          "  description: Deploy to the remaining hosts\n"
          "step 4 observe @7:6\n"
          "  description: Watch the error rate again\n");
    CHECK(test::dump_diagnostics(loaded.warnings) ==
          "repeated-ids.md:6:6: warning: step id \"deploy\" repeats step 1 (line 4); steps are "
          "told apart by their position\n"
          "3. **deploy** - Deploy to the remaining hosts\n"
          "     ^\n"
          "repeated-ids.md:7:6: warning: step id \"observe\" repeats step 2 (line 5); steps are "
          "told apart by their position\n"
          "4. **observe** - Watch the error rate again\n"
          "     ^\n");
}

TEST_CASE(
    "reader: steps split by prose, continued over lines, with nested lists, an indented "
    "fence",
    "[reader]") {
    auto loaded = load_fixture("multi-block-steps.md");
    CHECK(loaded.warnings.empty());
    CHECK(test::dump_phase(loaded.phase) ==
          "name: Infrastructure\n"
          "title: Phase \xE2\x80\xA2 Infrastructure\n"
          "step 1 plan-changes @6:6\n"
          "  description: Compute the change set for every workspace\n"
          "step 2 review-plan @8:6\n"
          "  description: Review the plan carefully\n"
          "  guard: [if manual review required] condition: manual review required @8:56\n"
          "step 3 apply-changes @14:6\n"
          "  description: Apply the change set\n"
          "  guard: [if changes pending] condition: changes pending @14:49\n"
          "validation: javascript @21:4\n"
          "  | canExecutePhase() {\n"
          "  |   return hasContext('cloud.credentials');\n"
          "  | }\n");
}

TEST_CASE("reader: CRLF line endings and a byte order mark read exactly like LF", "[reader]") {
    for (const char* name : {"colon-title.md", "bullet-title.md", "multi-block-steps.md"}) {
        std::string text = test::read_fixture(std::string("phases/") + name);
        auto plain = load_text(text, name);
        auto windows = load_text("\xEF\xBB\xBF" + crlf(text), name);
        INFO(name);
        CHECK(test::dump_phase(windows.phase) == test::dump_phase(plain.phase));
    }
}

TEST_CASE("reader: the user's seed document, with its quirks", "[reader][seed]") {
    std::filesystem::path seed =
        std::filesystem::path(DEPLOYPHASE_SHARED_DIR) / "seeds" / "deployment-operations.md";
    if (!std::filesystem::exists(seed)) {
        WARN("seed not found at " << seed << "; skipped");
        return;
    }
    auto loaded = phase::load_phase(seed.string());
    const phase::Phase& p = loaded.phase;
    CHECK(loaded.warnings.empty());
    CHECK(p.name == "Deployment & Operations");
    CHECK(p.title == "Phase \xC3\xA2\xE2\x82\xAC\xC2\xA2 Deployment & Operations");
    std::string steps;
    for (const auto& step : p.steps) {
        steps += std::to_string(step.index) + " " + step.id + " | " + step.description;
        if (step.guard) steps += " | if " + step.guard->condition;
        steps += "\n";
    }
    CHECK(steps ==
          "1 prepare-deployment-environment | Configure production environment and dependencies "
          "| if environment setup required\n"
          "2 deploy-with-monitoring | Execute deployment with comprehensive monitoring and "
          "rollback capability\n"
          "3 setup-alerts-monitoring | Configure monitoring, alerts, and observability | if "
          "monitoring required\n"
          "4 verify-production-deployment | Validate deployment success and functionality in "
          "production\n"
          "5 update-documentation | Update operational documentation and runbooks\n"
          "6 setup-backup-recovery | Configure backup and disaster recovery procedures | if data "
          "persistence\n"
          "7 train-operations-team | Transfer knowledge to operations/support team | if team "
          "handover required\n"
          "8 create-rollback-plan | Document rollback procedures and test rollback capability\n");
    REQUIRE(p.validation.has_value());
    CHECK(p.validation->language == "javascript");
    CHECK(p.validation->where.line == 39);
    CHECK(p.validation->source.starts_with("canExecutePhase() {\n"));
    CHECK(p.validation->source.ends_with("isNewFeatureRelease();\n}\n"));
    std::string sections;
    for (const auto& s : p.sections) {
        sections += std::string(phase::section_kind_name(s.kind)) + " " +
                    std::to_string(s.items.size()) + "\n";
    }
    CHECK(sections ==
          "purpose 0\nprerequisites 3\nsuccess_criteria 8\nskip_conditions 4\n"
          "expected_duration 0\noutputs 11\nnotes 7\n");
    CHECK(p.find_section(phase::SectionKind::expected_duration)->text ==
          "Simple: 1-2 hours\nStandard: 4-8 hours\nComplex: 1-2 days");
    // The last line has a trailing space and no newline after it.
    CHECK(p.find_section(phase::SectionKind::notes)->items.back() ==
          "Consider gradual rollout for high-risk changes");
}

TEST_CASE("reader: the shipped phase keeps the seed's steps and guards", "[reader]") {
    auto loaded =
        phase::load_phase(std::string(DEPLOYPHASE_PHASES_DIR) + "/deployment-operations.md");
    CHECK(loaded.warnings.empty());
    std::string outline;
    for (const auto& step : loaded.phase.steps) {
        outline += step.id + (step.guard ? " if " + step.guard->condition : "") + "\n";
    }
    CHECK(outline ==
          "prepare-deployment-environment if environment setup required\n"
          "deploy-with-monitoring\n"
          "setup-alerts-monitoring if monitoring required\n"
          "verify-production-deployment\n"
          "update-documentation\n"
          "setup-backup-recovery if data persistence\n"
          "train-operations-team if team handover required\n"
          "create-rollback-plan\n");
    CHECK(loaded.phase.validation.has_value());
}

TEST_CASE("reader: warnings that do not make a phase invalid", "[reader]") {
    auto loaded = load_text(
        "# Phase: A\n"
        "# Another title\n"
        "## Steps Sequence\n"
        "1. **one** - first\n"
        "3. **two** - second\n"
        "## Validation Logic\n"
        "```js\n"
        "```\n");
    CHECK(loaded.phase.steps.size() == 2);
    CHECK(test::dump_diagnostics(loaded.warnings) ==
          "p.md:2:1: warning: second title ignored; the title is on line 1\n"
          "# Another title\n"
          "^\n"
          "p.md:5:1: warning: step numbered 3 is step 2 of the phase; steps run in the order they "
          "are written\n"
          "3. **two** - second\n"
          "^\n"
          "p.md:7:1: warning: validation logic block is empty\n"
          "```js\n"
          "^\n");
}

TEST_CASE("reader: phase names from the title forms in use", "[reader]") {
    CHECK(phase::phase_name_from_title("Phase \xE2\x80\xA2 Name") == "Name");
    CHECK(phase::phase_name_from_title("Phase \xC3\xA2\xE2\x82\xAC\xC2\xA2 Name") == "Name");
    CHECK(phase::phase_name_from_title("Phase: Name") == "Name");
    CHECK(phase::phase_name_from_title("Phase - Two Words") == "Two Words");
    CHECK(phase::phase_name_from_title("phase \xE2\x80\x94 Name") == "Name");
    CHECK(phase::phase_name_from_title("Deployment") == "Deployment");
    CHECK(phase::phase_name_from_title("Phase Deployment") == "Phase Deployment");
    CHECK(phase::phase_name_from_title("Phase:").empty());
}

TEST_CASE("reader: bracketed text is a guard only when it starts with 'conditional:' or 'if '",
          "[reader]") {
    auto guard = phase::classify_bracketed("conditional: if monitoring required");
    CHECK(guard.is_guard);
    CHECK(guard.condition == "monitoring required");
    CHECK(guard.text.substr(guard.condition_offset) == "monitoring required");
    CHECK(phase::classify_bracketed(" if x ").condition == "x");
    CHECK(phase::classify_bracketed("conditional: staging only").condition == "staging only");
    CHECK(phase::classify_bracketed("IF x").is_guard);
    CHECK_FALSE(phase::classify_bracketed("at phase start").is_guard);
    CHECK_FALSE(phase::classify_bracketed("iffy").is_guard);
    CHECK_FALSE(phase::classify_bracketed("conditionally").is_guard);
    CHECK(phase::classify_bracketed("if").condition.empty());
}

TEST_CASE("reader: script blocks bind to steps by id or index, at any depth", "[reader][actions]") {
    auto loaded = load_fixture("actions.md");
    CHECK(loaded.warnings.size() == 1);  // the repeated id
    CHECK(test::dump_phase(loaded.phase) ==
          "name: Release\n"
          "title: Phase \xE2\x80\xA2 Release\n"
          "step 1 build @4:6\n"
          "  description: Build the release\n"
          "  run: sh timeout 2m @5:4\n"
          "    $ make release\n"
          "step 2 deploy @8:6\n"
          "  description: Deploy the first region\n"
          "  guard: [if deploy enabled] condition: deploy enabled @8:45\n"
          "  run: sh @15:1\n"
          "    $ ./deploy.sh \"$DEPLOYPHASE_CTX_REGION\"\n"
          "  rollback: sh @19:1\n"
          "    $ ./undeploy.sh\n"
          "  check: bash timeout 30s @23:1\n"
          "    $ test -L current\n"
          "  retries: 2 every 5s\n"
          "step 3 announce @9:6\n"
          "  description: Tell the team\n"
          "step 4 deploy @10:6\n"
          "  description: Deploy the second region\n"
          "  run: bash timeout 1h @27:1\n"
          "    $ ./deploy.sh second\n"
          "section other \"Step Actions\" @12:1\n"
          "  text: The id deploy names two steps, so these blocks use indexes.\n\n"
          "A block without attributes is only an example:\n\n"
          "echo not a script of any step\n");
}

TEST_CASE("reader: a fence's info string splits on runs of spaces and tabs", "[reader][actions]") {
    auto loaded = load_text(
        "# Phase: P\n## Steps Sequence\n1. **a** - A\n2. **b** - B\n## Step Actions\n"
        "```SH  \tstep=a\t\ttimeout=5s   retries=1\n"
        "true\n"
        "```\n"
        "```bash\tstep=2 \n"
        "true\n"
        "```\n"
        "``` sh\n"
        "only an example\n"
        "```\n");
    const auto& steps = loaded.phase.steps;
    REQUIRE(steps.size() == 2);
    REQUIRE(steps[0].run);
    CHECK(steps[0].run->shell == "sh");
    CHECK(steps[0].run->timeout == std::chrono::milliseconds(5000));
    CHECK(steps[0].retries == 1);
    REQUIRE(steps[1].run);
    CHECK(steps[1].run->shell == "bash");
    CHECK_FALSE(steps[1].run->timeout);

    // An unknown attribute is still pointed at where it is written, after a tab.
    try {
        load_text(
            "# Phase: P\n## Steps Sequence\n1. **a** - A\n## Step Actions\n"
            "```sh step=a\tcolour=red\ntrue\n```\n");
        FAIL("an unknown attribute was accepted");
    } catch (const InputError& e) {
        CHECK_THAT(e.what(), Catch::Contains("p.md:5:14: error: unknown attribute \"colour\""));
    }
}

TEST_CASE("reader: durations", "[reader][actions]") {
    using std::chrono::milliseconds;
    CHECK(phase::parse_duration("250ms") == milliseconds(250));
    CHECK(phase::parse_duration("5s") == milliseconds(5000));
    CHECK(phase::parse_duration("10m") == milliseconds(600000));
    CHECK(phase::parse_duration("2h") == milliseconds(7200000));
    CHECK_FALSE(phase::parse_duration("10").has_value());
    CHECK_FALSE(phase::parse_duration("1.5s").has_value());
    CHECK_FALSE(phase::parse_duration("s").has_value());
    CHECK_FALSE(phase::parse_duration("-5s").has_value());
    CHECK_FALSE(phase::parse_duration("10 m").has_value());
    CHECK(phase::format_duration(milliseconds(600000)) == "10m");
    CHECK(phase::format_duration(milliseconds(1500)) == "1500ms");
    CHECK(phase::format_duration(milliseconds(0)) == "0ms");
    CHECK(phase::format_duration(milliseconds(7200000)) == "2h");
}
