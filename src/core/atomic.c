/* atomic.c: temporary file + fsync + rename, so outputs appear whole or not at all.
 * The temporary is created with open(O_CREAT | O_EXCL, 0666) rather than mkstemp so that
 * the umask applies (mkstemp makes 0600 files) and the name can end in ".tmp". */
#include "core/atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"

#define TMP_SUFFIX ".tmp"
#define TMP_RANDOM 6
#define TMP_ATTEMPTS 100

int tm_io_error(tumen_error *err, const char *what, const char *path, int errnum)
{
    char reason[256];
    if (strerror_r(errnum, reason, sizeof reason) != 0)
        snprintf(reason, sizeof reason, "error %d", errnum);
    return tm_error_set(err, TUMEN_EIO, NULL, 0, NULL, "cannot %s '%s': %s", what,
                        path ? path : "(null)", reason);
}

/* splitmix64: spreads the entropy of the seed over the bits used for the name. */
static uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/* Fills the TMP_RANDOM characters at p from the clock, the pid, an address and attempt;
 * O_EXCL makes collisions harmless, they only cost another attempt. */
static void fill_random(char *p, const void *addr, unsigned attempt)
{
    static const char chars[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    struct timespec ts = {0, 0};
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = mix64((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^
                       ((uint64_t)getpid() << 16) ^ (uint64_t)(uintptr_t)addr ^
                       ((uint64_t)attempt << 48));
    for (int i = 0; i < TMP_RANDOM; i++) {
        p[i] = chars[x % (sizeof chars - 1)];
        x /= sizeof chars - 1;
    }
}

/* Temporaries being written, for tm_atomic_remove_pending. Several threads write outputs at
 * once, so a slot is claimed and given back by compare-and-swap; a signal handler reads the
 * slots with plain atomic loads (lock-free pointer atomics are async-signal-safe). A
 * temporary that finds no free slot is only not removed by a signal. */
#define PENDING_MAX 32
static _Atomic(char *) pending[PENDING_MAX];

static void pending_add(char *tmp)
{
    for (size_t i = 0; i < PENDING_MAX; i++) {
        char *empty = NULL;
        if (atomic_compare_exchange_strong(&pending[i], &empty, tmp))
            return;
    }
}

static void pending_remove(char *tmp)
{
    for (size_t i = 0; tmp && i < PENDING_MAX; i++) {
        char *mine = tmp;
        if (atomic_compare_exchange_strong(&pending[i], &mine, NULL))
            return;
    }
}

void tm_atomic_remove_pending(void)
{
    for (size_t i = 0; i < PENDING_MAX; i++) {
        char *tmp = atomic_load(&pending[i]);
        if (tmp)
            unlink(tmp);
    }
}

static void release(tm_atomic_file *af)
{
    pending_remove(af->tmp_path);
    free(af->path);
    free(af->tmp_path);
    af->path = af->tmp_path = NULL;
    af->fp = NULL;
}

FILE *tm_atomic_open(const char *path, tm_atomic_file *af, tumen_error *err)
{
    af->fp = NULL;
    af->path = af->tmp_path = NULL;
    if (!path || !path[0]) {
        tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL, "No output path was given.");
        return NULL;
    }
    size_t len = strlen(path);
    af->path = malloc(len + 1);
    af->tmp_path = malloc(len + 1 + TMP_RANDOM + sizeof TMP_SUFFIX);
    if (!af->path || !af->tmp_path) {
        release(af);
        tm_error_set(err, TUMEN_ENOMEM, NULL, 0, NULL, "Out of memory opening '%s'.", path);
        return NULL;
    }
    memcpy(af->path, path, len + 1);
    struct stat target;
    if (stat(path, &target) == 0 && S_ISDIR(target.st_mode)) {
        tm_io_error(err, "write", path, EISDIR);
        release(af);
        return NULL;
    }
    if (stat(path, &target) == 0 && !S_ISREG(target.st_mode)) {
        /* A device or a pipe (/dev/stdout, /dev/full): written in place, since renaming a
         * temporary over it would replace the device with a file. */
        free(af->tmp_path);
        af->tmp_path = NULL;
        af->fp = fopen(path, "w");
        if (!af->fp) {
            tm_io_error(err, "open", path, errno);
            release(af);
        }
        return af->fp;
    }
    memcpy(af->tmp_path, path, len);
    af->tmp_path[len] = '.';
    memcpy(af->tmp_path + len + 1 + TMP_RANDOM, TMP_SUFFIX, sizeof TMP_SUFFIX);

    int fd = -1;
    for (unsigned attempt = 0; attempt < TMP_ATTEMPTS; attempt++) {
        fill_random(af->tmp_path + len + 1, af, attempt);
        fd = open(af->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            break;
    }
    if (fd < 0) {
        tm_io_error(err, "create a temporary file for", path, errno);
        release(af);
        return NULL;
    }
    pending_add(af->tmp_path);
    /* Replacing a file keeps its permissions (best effort). */
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
        (void)fchmod(fd, st.st_mode & 07777);

    af->fp = fdopen(fd, "w");
    if (!af->fp) {
        int e = errno;
        close(fd);
        unlink(af->tmp_path);
        tm_io_error(err, "open a temporary file for", path, e);
        release(af);
        return NULL;
    }
    return af->fp;
}

/* fsyncs the directory holding path so the rename itself survives a crash (best effort:
 * some file systems refuse fsync on directories). */
static void sync_parent_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir;
    if (!slash)
        dir = strdup(".");
    else if (slash == path)
        dir = strdup("/");
    else {
        dir = malloc((size_t)(slash - path) + 1);
        if (dir) {
            memcpy(dir, path, (size_t)(slash - path));
            dir[slash - path] = '\0';
        }
    }
    if (!dir)
        return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

int tm_atomic_commit(tm_atomic_file *af, tumen_error *err)
{
    if (!af->fp) {
        release(af);
        return tm_error_set(err, TUMEN_EUSAGE, NULL, 0, NULL,
                            "The output file was already closed.");
    }
    FILE *fp = af->fp;
    af->fp = NULL;
    int e = 0;
    if (ferror(fp))
        e = EIO;  /* an earlier write failed; its errno is gone */
    else if (fflush(fp) != 0)
        e = errno;
    else if (fsync(fileno(fp)) != 0 && errno != EINVAL && errno != EROFS)
        e = errno;  /* EINVAL/EROFS: a special file that cannot sync; nothing to lose */
    if (fclose(fp) != 0 && !e)
        e = errno;
    if (e) {
        if (af->tmp_path)
            unlink(af->tmp_path);
        tm_io_error(err, "write", af->path, e);
        release(af);
        return TUMEN_EIO;
    }
    if (!af->tmp_path) { /* written in place */
        release(af);
        return TUMEN_OK;
    }
    if (rename(af->tmp_path, af->path) != 0) {
        e = errno;
        unlink(af->tmp_path);
        tm_io_error(err, "replace", af->path, e);
        release(af);
        return TUMEN_EIO;
    }
    sync_parent_dir(af->path);
    release(af);
    return TUMEN_OK;
}

void tm_atomic_abort(tm_atomic_file *af)
{
    if (af->fp) {
        fclose(af->fp);
        af->fp = NULL;
        if (af->tmp_path)
            unlink(af->tmp_path);
    }
    release(af);
}
