/* The durable floor: what any runner that records each step durably must pay here.
 *
 *   floor STEPS JOURNAL [fdatasync]
 *
 * For each step: append "started N" to JOURNAL and fsync it, posix_spawn `sh -c true` and
 * wait for it, append "finished N" and fsync it. Nothing else: no parsing, no planning, no
 * logs. deployphase's `run` of a no-op phase is measured against this. With "fdatasync" the
 * appends are made durable the way deployphase makes them, to show what that choice is worth.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

static int (*sync_journal)(int) = fsync;

static void record(int fd, const char* what, long step) {
    char line[64];
    int length = snprintf(line, sizeof line, "%s %ld\n", what, step);
    if (write(fd, line, (size_t)length) != length || sync_journal(fd) != 0) {
        perror("floor: journal");
        exit(1);
    }
}

int main(int argc, char** argv) {
    if (argc != 3 && !(argc == 4 && strcmp(argv[3], "fdatasync") == 0)) {
        fprintf(stderr, "usage: floor STEPS JOURNAL [fdatasync]\n");
        return 2;
    }
    if (argc == 4) sync_journal = fdatasync;
    long steps = strtol(argv[1], NULL, 10);
    int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
        perror(argv[2]);
        return 1;
    }
    char* child_argv[] = {"sh", "-c", "true", NULL};
    for (long step = 1; step <= steps; ++step) {
        record(fd, "started", step);
        pid_t pid;
        int error = posix_spawnp(&pid, "sh", NULL, NULL, child_argv, environ);
        if (error != 0) {
            fprintf(stderr, "floor: spawn: %s\n", strerror(error));
            return 1;
        }
        int status;
        while (waitpid(pid, &status, 0) < 0) {
            if (errno != EINTR) {
                perror("floor: waitpid");
                return 1;
            }
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "floor: step %ld failed\n", step);
            return 1;
        }
        record(fd, "finished", step);
    }
    return close(fd) == 0 ? 0 : 1;
}
