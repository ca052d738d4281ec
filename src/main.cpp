#include "cli/app.hpp"

int main(int argc, char** argv) {
    return deployphase::cli::run(argc, argv);
}
