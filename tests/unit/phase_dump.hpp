#pragma once
// The whole phase model as compact text, so a test can state everything it expects
// in one readable literal and Catch shows a readable difference when it fails.

#include <string>

#include <deployphase/phase/model.hpp>

namespace deployphase::test {

enum class Positions { shown, hidden };

std::string dump_phase(const phase::Phase& phase, Positions positions = Positions::shown);

// Every diagnostic, formatted as the CLI prints it, one after another.
std::string dump_diagnostics(const std::vector<Diagnostic>& diagnostics);

std::string read_fixture(const std::string& relative_path);

}  // namespace deployphase::test
