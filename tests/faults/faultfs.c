// faultfs: an LD_PRELOAD shim that makes the N-th write, fsync or rename of a file under one
// directory fail, as a full disk or a dying device would. Test-only (tests/e2e/test_faults.sh,
// tests/soak/faults.sh).
//
//   FAULTFS_DIR    absolute directory whose files are watched (the state directory)
//   FAULTFS_CALL   write (write, pwrite), fsync (fsync, fdatasync) or rename
//   FAULTFS_N      which call of that kind fails first (1-based); 0 or unset: none
//   FAULTFS_ERRNO  the error: ENOSPC, EIO or EFBIG (default EIO)
//   FAULTFS_MODE   once (only the N-th call fails) or forever (the N-th and every later one)
//   FAULTFS_MARK   a file that gets the line "fault CALL N" when the fault is injected
//   FAULTFS_COUNT  a file that gets "write W\nfsync F\nrename R\n" (calls seen) at exit
//
// The variables and LD_PRELOAD are removed from the environment at start-up, so the steps the
// runner spawns are not affected: only the runner's own calls are counted.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

enum kind { KIND_WRITE, KIND_FSYNC, KIND_RENAME, KIND_COUNT };
static const char* const kind_names[KIND_COUNT] = {"write", "fsync", "rename"};

static char watched[PATH_MAX];
static size_t watched_length;
static int chosen_kind = -1;
static long chosen_n;
static int fault_errno = EIO;
static int forever;
static char mark_file[PATH_MAX];
static char count_file[PATH_MAX];
static long seen[KIND_COUNT];

static ssize_t (*real_write)(int, const void*, size_t);
static ssize_t (*real_pwrite)(int, const void*, size_t, off_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_rename)(const char*, const char*);

static void copy_env(const char* name, char* into, size_t size) {
    const char* value = getenv(name);
    if (value != NULL) snprintf(into, size, "%s", value);
}

static void report_counts(void) {
    if (count_file[0] == '\0') return;
    FILE* out = fopen(count_file, "w");
    if (out == NULL) return;
    for (int k = 0; k < KIND_COUNT; ++k)
        fprintf(out, "%s %ld\n", kind_names[k], seen[k]);
    fclose(out);
}

__attribute__((constructor)) static void faultfs_init(void) {
    real_write = (ssize_t(*)(int, const void*, size_t))dlsym(RTLD_NEXT, "write");
    real_pwrite = (ssize_t(*)(int, const void*, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
    real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    real_fdatasync = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    real_rename = (int (*)(const char*, const char*))dlsym(RTLD_NEXT, "rename");

    copy_env("FAULTFS_DIR", watched, sizeof watched);
    watched_length = strlen(watched);
    const char* call = getenv("FAULTFS_CALL");
    for (int k = 0; call != NULL && k < KIND_COUNT; ++k) {
        if (strcmp(call, kind_names[k]) == 0) chosen_kind = k;
    }
    const char* n = getenv("FAULTFS_N");
    chosen_n = n != NULL ? atol(n) : 0;
    const char* error = getenv("FAULTFS_ERRNO");
    if (error != NULL && strcmp(error, "ENOSPC") == 0) fault_errno = ENOSPC;
    if (error != NULL && strcmp(error, "EFBIG") == 0) fault_errno = EFBIG;
    const char* mode = getenv("FAULTFS_MODE");
    forever = mode != NULL && strcmp(mode, "forever") == 0;
    copy_env("FAULTFS_MARK", mark_file, sizeof mark_file);
    copy_env("FAULTFS_COUNT", count_file, sizeof count_file);
    atexit(report_counts);

    const char* const ours[] = {"LD_PRELOAD",    "FAULTFS_DIR",  "FAULTFS_CALL", "FAULTFS_N",
                                "FAULTFS_ERRNO", "FAULTFS_MODE", "FAULTFS_MARK", "FAULTFS_COUNT"};
    for (size_t i = 0; i < sizeof ours / sizeof ours[0]; ++i)
        unsetenv(ours[i]);
}

static int is_watched_path(const char* path) {
    if (watched_length == 0 || path == NULL) return 0;
    char absolute[2 * PATH_MAX + 2];
    if (path[0] != '/') {
        char cwd[PATH_MAX];
        if (getcwd(cwd, sizeof cwd) == NULL) return 0;
        snprintf(absolute, sizeof absolute, "%s/%s", cwd, path);
        path = absolute;
    }
    return strncmp(path, watched, watched_length) == 0 &&
           (path[watched_length] == '/' || path[watched_length] == '\0');
}

static int is_watched_fd(int fd) {
    if (watched_length == 0) return 0;
    char link[64];
    char target[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t length = readlink(link, target, sizeof target - 1);
    if (length <= 0) return 0;
    target[length] = '\0';
    return is_watched_path(target);
}

// Counts a call of `kind` on a watched file; returns whether it must fail.
static int inject(int kind) {
    long n = ++seen[kind];
    if (kind != chosen_kind || chosen_n <= 0) return 0;
    if (n != chosen_n && !(forever && n > chosen_n)) return 0;
    if (n == chosen_n && mark_file[0] != '\0') {
        int fd = open(mark_file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd >= 0) {
            char line[64];
            int length = snprintf(line, sizeof line, "fault %s %ld\n", kind_names[kind], n);
            real_write(fd, line, (size_t)length);
            close(fd);
        }
    }
    errno = fault_errno;
    return 1;
}

ssize_t write(int fd, const void* buffer, size_t size) {
    if (is_watched_fd(fd) && inject(KIND_WRITE)) return -1;
    return real_write(fd, buffer, size);
}

ssize_t pwrite(int fd, const void* buffer, size_t size, off_t offset) {
    if (is_watched_fd(fd) && inject(KIND_WRITE)) return -1;
    return real_pwrite(fd, buffer, size, offset);
}

int fsync(int fd) {
    if (is_watched_fd(fd) && inject(KIND_FSYNC)) return -1;
    return real_fsync(fd);
}

int fdatasync(int fd) {
    if (is_watched_fd(fd) && inject(KIND_FSYNC)) return -1;
    return real_fdatasync(fd);
}

int rename(const char* from, const char* to) {
    if ((is_watched_path(from) || is_watched_path(to)) && inject(KIND_RENAME)) return -1;
    return real_rename(from, to);
}
