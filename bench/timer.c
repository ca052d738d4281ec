/* A whole-process timer that alternates its commands, so that drift of the machine (cache,
 * other load, the disk's mood) spreads over all of them instead of favouring the first.
 *
 *   timer ROUNDS SPEC
 *
 * SPEC has one command per line, four tab-separated fields:
 *
 *   NAME  SETUP  EXPECTED_EXIT  COMMAND
 *
 * SETUP is a shell command run (untimed) before every timed run, or "-" for none. COMMAND is
 * split on spaces and executed directly, without a shell, with its output discarded; the time
 * from fork to its reaping is one sample, and its peak RSS is what the kernel reports in
 * ru_maxrss (the figure `/usr/bin/time -f %M` prints). A run that exits otherwise than
 * EXPECTED_EXIT stops the benchmark: a failed run must never be timed as a fast one.
 *
 * Each round runs every command once, starting one further down the list each round. Prints
 * one line per command: NAME, median ms, min ms, max ms, max peak RSS KiB, samples.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { max_commands = 256, max_args = 64 };

struct command {
    char* name;
    char* setup;
    int expected_exit;
    char* argv[max_args];
    double* samples;
    long rss_kib;
};

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int compare(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

static void run_setup(const struct command* c) {
    if (strcmp(c->setup, "-") == 0) return;
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", c->setup, (char*)NULL);
        _exit(127);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "timer: setup of %s failed: %s\n", c->name, c->setup);
        exit(1);
    }
}

static double timed_run(struct command* c) {
    double start = now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        execvp(c->argv[0], c->argv);
        _exit(127);
    }
    int status;
    struct rusage usage;
    if (pid < 0 || wait4(pid, &status, 0, &usage) < 0) {
        perror("timer");
        exit(1);
    }
    double elapsed = now_ms() - start;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != c->expected_exit) {
        fprintf(stderr, "timer: %s exited %d, expected %d\n", c->name,
                WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), c->expected_exit);
        exit(1);
    }
    if (usage.ru_maxrss > c->rss_kib) c->rss_kib = usage.ru_maxrss;
    return elapsed;
}

int main(int argc, char** argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: timer ROUNDS SPEC\n");
        return 2;
    }
    int rounds = atoi(argv[1]);
    FILE* spec = fopen(argv[2], "r");
    if (!spec || rounds < 1) {
        perror(argv[2]);
        return 2;
    }
    static struct command commands[max_commands];
    int count = 0;
    char* line = NULL;
    size_t size = 0;
    while (getline(&line, &size, spec) > 0) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#') continue;
        if (count == max_commands) {
            fprintf(stderr, "timer: too many commands\n");
            return 2;
        }
        struct command* c = &commands[count];
        char* rest = strdup(line);
        c->name = strsep(&rest, "\t");
        c->setup = strsep(&rest, "\t");
        char* expected = strsep(&rest, "\t");
        if (!c->setup || !expected || !rest) {
            fprintf(stderr, "timer: malformed line: %s\n", line);
            return 2;
        }
        c->expected_exit = atoi(expected);
        int n = 0;
        for (char* arg; (arg = strsep(&rest, " ")) != NULL;) {
            if (*arg == '\0') continue;
            if (n == max_args - 1) {
                fprintf(stderr, "timer: too many arguments: %s\n", line);
                return 2;
            }
            c->argv[n++] = arg;
        }
        c->argv[n] = NULL;
        c->samples = calloc((size_t)rounds, sizeof(double));
        ++count;
    }
    for (int round = 0; round < rounds; ++round) {
        for (int k = 0; k < count; ++k) {
            struct command* c = &commands[(k + round) % count];
            run_setup(c);
            c->samples[round] = timed_run(c);
        }
    }
    for (int k = 0; k < count; ++k) {
        struct command* c = &commands[k];
        qsort(c->samples, (size_t)rounds, sizeof(double), compare);
        double median = rounds % 2 ? c->samples[rounds / 2]
                                   : (c->samples[rounds / 2 - 1] + c->samples[rounds / 2]) / 2;
        printf("%s\t%.3f\t%.3f\t%.3f\t%ld\t%d\n", c->name, median, c->samples[0],
               c->samples[rounds - 1], c->rss_kib, rounds);
    }
    return 0;
}
