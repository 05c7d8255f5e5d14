//go:build ignore

/*
 * flbhost: drives a Go output plugin (.so) the way Fluent Bit's Go proxy
 * does (src/flb_plugin_proxy.c, src/proxy/go/go.c), for tests.
 *
 *   flbhost PLUGIN.so SCRIPT
 *
 * Script commands, one per line ('#' comments):
 *   prop INST KEY VALUE...     set a property of output instance INST
 *   init INST                  FLBPluginInit (the SAME plugin struct for all
 *                              instances, overwritten each time)
 *   flush INST TAG FILE        FLBPluginFlushCtx with FILE's bytes (msgpack)
 *   pflush THREADS INST TAG FILE...
 *                              flush the files from THREADS threads at once
 *   bench THREADS INST|- TAG FILE
 *                              flush every chunk of FILE, a chunk file of
 *                              bench-host (each chunk: its length and its
 *                              record count, 4 bytes each, big-endian, then
 *                              the chunk), from THREADS threads that each take
 *                              the next chunk, as Fluent Bit's output workers
 *                              do; a chunk is read only when a thread takes
 *                              it. "-" for INST: read and copy the chunks the
 *                              same way without calling the plugin (the floor)
 *   peak                       print the process's peak resident memory so far
 *                              (VmHWM of /proc/self/status: what getrusage's
 *                              maxrss would say, without the parent's memory
 *                              that exec leaves in it)
 *   exit INST                  FLBPluginExitCtx
 *   unregister                 FLBPluginUnregister
 *   waitfile PATH [SECONDS]    block until PATH exists (default at most 300 s;
 *                              a timeout ends the program with status 3), so
 *                              that a test can act between two calls
 *   source PATH                run the commands of PATH, then go on (PATH can
 *                              be written by the test while the host waits)
 *
 * Output, one line per call:
 *   register name=haproxy type=2 proxy=11
 *   init instance=0 rc=1
 *   flush instance=0 chunk=NAME rc=1 [thread=N]
 *   bench chunks=N records=N ok=N retry=N error=N seconds=S
 *   peak vmhwm_kb=N
 *   exit instance=0 rc=1
 *   unregister
 *   waitfile PATH
 * A failing init ends the program with status 255, as Fluent Bit does.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "flbhost.h"

#define MAX_INSTANCES 8
#define MAX_PROPS     64
#define MAX_FILES     256
#define MAX_DEPTH     16

struct kv {
    char *key;
    char *value;
};

/* The host's output instance (Fluent Bit's struct flb_output_instance is
 * opaque to the plugin: it only passes the pointer back to the API). */
struct output_instance {
    int id;
    struct kv props[MAX_PROPS];
    int nprops;
    struct flb_plugin_proxy_context *context;
    int initialised;
};

static struct flb_plugin_proxy proxy;
static struct output_instance instances[MAX_INSTANCES];
static pthread_mutex_t out_mu = PTHREAD_MUTEX_INITIALIZER;

/* flb_output_get_property: case-insensitive, NULL when unset. */
static const char *output_get_property(const char *key, void *ins)
{
    struct output_instance *o = ins;
    int i;
    for (i = 0; i < o->nprops; i++) {
        if (strcasecmp(o->props[i].key, key) == 0) {
            return o->props[i].value;
        }
    }
    return NULL;
}

static void *sym(const char *name)
{
    void *s;
    dlerror();
    s = dlsym(proxy.dso_handler, name);
    if (dlerror() != NULL) {
        return NULL;
    }
    return s;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    va_list ap;
    pthread_mutex_lock(&out_mu);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fflush(stdout);
    pthread_mutex_unlock(&out_mu);
}

/* flb_plugin_proxy_create + flb_plugin_proxy_register + proxy_go_output_register */
static int load(const char *path)
{
    int (*cb_register)(struct flb_plugin_proxy_def *);
    struct flbgo_output_plugin *plugin;
    int ret;

    proxy.dso_handler = dlopen(path, RTLD_LAZY);
    if (!proxy.dso_handler) {
        fprintf(stderr, "flbhost: dlopen %s: %s\n", path, dlerror());
        return -1;
    }
    proxy.api = calloc(1, sizeof(struct flb_api));
    proxy.api->output_get_property = output_get_property;
    proxy.def = calloc(1, sizeof(struct flb_plugin_proxy_def));
    proxy.def->type = FLB_PROXY_OUTPUT_PLUGIN;

    cb_register = sym("FLBPluginRegister");
    if (!cb_register) {
        fprintf(stderr, "flbhost: no FLBPluginRegister\n");
        return -1;
    }
    ret = cb_register(proxy.def);
    if (ret == -1) {
        return -1;
    }
    say("register name=%s type=%d proxy=%d rc=%d\n",
        proxy.def->name ? proxy.def->name : "", proxy.def->type, proxy.def->proxy, ret);
    if (proxy.def->proxy != FLB_PROXY_GOLANG || proxy.def->type != FLB_PROXY_OUTPUT_PLUGIN) {
        fprintf(stderr, "flbhost: not a Go output plugin\n");
        return -1;
    }

    plugin = malloc(sizeof(struct flbgo_output_plugin));
    plugin->cb_init = sym("FLBPluginInit");
    if (!plugin->cb_init) {
        fprintf(stderr, "flbhost: could not load FLBPluginInit symbol\n");
        return -1;
    }
    plugin->cb_flush = sym("FLBPluginFlush");
    plugin->cb_flush_ctx = sym("FLBPluginFlushCtx");
    plugin->cb_exit = sym("FLBPluginExit");
    plugin->cb_exit_ctx = sym("FLBPluginExitCtx");
    plugin->name = strdup(proxy.def->name);
    plugin->api = NULL;
    plugin->o_ins = NULL;
    plugin->context = NULL;
    proxy.data = plugin;
    return 0;
}

/* flb_proxy_output_cb_init + proxy_go_output_init */
static int init_instance(struct output_instance *o)
{
    struct flbgo_output_plugin *plugin = proxy.data;
    int ret;

    o->context = calloc(1, sizeof(struct flb_plugin_proxy_context));
    o->context->proxy = &proxy;
    proxy.instance = o;

    plugin->api = proxy.api;
    plugin->o_ins = proxy.instance;
    plugin->context = o->context;
    ret = plugin->cb_init(plugin);
    say("init instance=%d rc=%d\n", o->id, ret);
    if (ret <= 0) {
        fprintf(stderr, "[go proxy]: plugin '%s' failed to initialize\n", plugin->name);
        return -1;
    }
    o->initialised = 1;
    /* plugin->o_ins / plugin->context now point at this instance until the
     * next Init overwrites them, as in Fluent Bit. */
    return ret;
}

struct chunk {
    char *name;
    unsigned char *data;
    size_t size;
};

static int read_chunk(const char *path, struct chunk *c)
{
    FILE *f = fopen(path, "rb");
    long n;
    const char *base;
    if (!f) {
        perror(path);
        return -1;
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    c->data = malloc(n > 0 ? n : 1);
    c->size = fread(c->data, 1, n, f);
    fclose(f);
    base = strrchr(path, '/');
    c->name = strdup(base ? base + 1 : path);
    return 0;
}

/* proxy_go_output_flush: the tag is copied into a NUL-terminated buffer; the
 * data is valid only during the call (we poison it afterwards). */
static int flush_one(struct output_instance *o, const char *tag, struct chunk *c)
{
    struct flbgo_output_plugin *plugin = proxy.data;
    size_t tag_len = strlen(tag);
    char *buf = malloc(tag_len + 1);
    unsigned char *copy = malloc(c->size ? c->size : 1);
    int ret;

    memcpy(buf, tag, tag_len);
    buf[tag_len] = '\0';
    memcpy(copy, c->data, c->size);
    if (plugin->cb_flush_ctx) {
        ret = plugin->cb_flush_ctx(o->context->remote_context, copy, c->size, buf);
    }
    else {
        ret = plugin->cb_flush(copy, c->size, buf);
    }
    memset(copy, 0xAA, c->size);
    free(copy);
    free(buf);
    return ret;
}

struct job {
    struct output_instance *o;
    const char *tag;
    struct chunk *chunks;
    int nchunks;
    int thread;
    int nthreads;
    pthread_barrier_t *start;
};

static void *worker(void *arg)
{
    struct job *j = arg;
    int i, rc;
    pthread_barrier_wait(j->start);
    for (i = j->thread; i < j->nchunks; i += j->nthreads) {
        rc = flush_one(j->o, j->tag, &j->chunks[i]);
        say("flush instance=%d chunk=%s rc=%d thread=%d\n", j->o->id, j->chunks[i].name, rc, j->thread);
    }
    return NULL;
}

/* bench: the chunks of a chunk file, handed out one at a time. */
struct bench {
    FILE *f;
    pthread_mutex_t mu;
    struct output_instance *o; /* NULL: the floor */
    const char *tag;
    long chunks, records, rc[3], bad;
    pthread_barrier_t start;
};

static unsigned long be32(const unsigned char *b)
{
    return (unsigned long)b[0] << 24 | (unsigned long)b[1] << 16 | (unsigned long)b[2] << 8 | b[3];
}

/* next_chunk reads the next chunk into *buf (grown as needed): its size, or
 * -1 at the end of the file (or on a short read, counted as bad). */
static long next_chunk(struct bench *bn, unsigned char **buf, size_t *cap, long *records)
{
    unsigned char head[8];
    unsigned long size;
    long ret = -1;
    pthread_mutex_lock(&bn->mu);
    if (fread(head, 1, 8, bn->f) == 8) {
        size = be32(head);
        *records = (long)be32(head + 4);
        if (size > *cap) {
            *buf = realloc(*buf, size);
            *cap = size;
        }
        if (fread(*buf, 1, size, bn->f) == size) {
            ret = (long)size;
            bn->chunks++;
            bn->records += *records;
        }
        else {
            bn->bad++;
        }
    }
    pthread_mutex_unlock(&bn->mu);
    return ret;
}

/* copy_only is flush_one without the plugin: the same copy and poisoning. */
static int copy_only(const unsigned char *data, size_t size)
{
    unsigned char *copy = malloc(size ? size : 1);
    memcpy(copy, data, size);
    memset(copy, 0xAA, size);
    free(copy);
    return FLB_OK;
}

static void *bench_worker(void *arg)
{
    struct bench *bn = arg;
    unsigned char *buf = NULL;
    size_t cap = 0;
    long size, records;
    int rc;
    pthread_barrier_wait(&bn->start);
    while ((size = next_chunk(bn, &buf, &cap, &records)) >= 0) {
        struct chunk c = {"bench", buf, (size_t)size};
        rc = bn->o ? flush_one(bn->o, bn->tag, &c) : copy_only(buf, (size_t)size);
        pthread_mutex_lock(&bn->mu);
        if (rc >= 0 && rc <= 2) bn->rc[rc]++;
        else bn->bad++;
        pthread_mutex_unlock(&bn->mu);
    }
    free(buf);
    return NULL;
}

static int run_bench(int nthreads, struct output_instance *o, const char *tag, const char *path)
{
    struct bench bn = {0};
    pthread_t th[64];
    struct timespec t0, t1;
    int i;
    if (nthreads < 1 || nthreads > 64) return 2;
    if (!(bn.f = fopen(path, "rb"))) {
        perror(path);
        return 2;
    }
    pthread_mutex_init(&bn.mu, NULL);
    pthread_barrier_init(&bn.start, NULL, nthreads);
    bn.o = o;
    bn.tag = tag;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (i = 0; i < nthreads; i++) pthread_create(&th[i], NULL, bench_worker, &bn);
    for (i = 0; i < nthreads; i++) pthread_join(th[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    pthread_barrier_destroy(&bn.start);
    pthread_mutex_destroy(&bn.mu);
    fclose(bn.f);
    say("bench chunks=%ld records=%ld ok=%ld retry=%ld error=%ld bad=%ld seconds=%.3f\n",
        bn.chunks, bn.records, bn.rc[FLB_OK], bn.rc[FLB_RETRY], bn.rc[FLB_ERROR], bn.bad,
        (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    return bn.bad ? 3 : 0;
}

static struct output_instance *instance(const char *s)
{
    int i = atoi(s);
    if (i < 0 || i >= MAX_INSTANCES) {
        fprintf(stderr, "flbhost: bad instance %s\n", s);
        exit(2);
    }
    instances[i].id = i;
    return &instances[i];
}

static char *next_tok(char **p)
{
    char *s = *p, *t;
    while (*s == ' ' || *s == '\t') s++;
    if (*s == '\0') return NULL;
    t = s;
    while (*s && *s != ' ' && *s != '\t') s++;
    if (*s) *s++ = '\0';
    *p = s;
    return t;
}

/* Runs the commands of script (named name in messages). Returns 0 at its
 * end, or the status the program must exit with. */
static int run_script(FILE *script, const char *name, int depth)
{
    char line[8192];
    int lineno = 0;

    while (fgets(line, sizeof(line), script)) {
        char *p = line, *cmd;
        size_t n = strlen(line);
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        cmd = next_tok(&p);
        if (!cmd || cmd[0] == '#') continue;

        if (strcmp(cmd, "prop") == 0) {
            struct output_instance *o = instance(next_tok(&p));
            char *key = next_tok(&p);
            while (*p == ' ' || *p == '\t') p++;
            if (!key || o->nprops >= MAX_PROPS) {
                fprintf(stderr, "flbhost: %s:%d: bad prop\n", name, lineno);
                return 2;
            }
            o->props[o->nprops].key = strdup(key);
            o->props[o->nprops].value = strdup(p);
            o->nprops++;
        }
        else if (strcmp(cmd, "init") == 0) {
            if (init_instance(instance(next_tok(&p))) < 0) {
                return 255; /* Fluent Bit exits when an output fails to start */
            }
        }
        else if (strcmp(cmd, "flush") == 0) {
            struct output_instance *o = instance(next_tok(&p));
            char *tag = next_tok(&p), *file = next_tok(&p);
            struct chunk c;
            if (!tag || !file || read_chunk(file, &c) != 0) return 2;
            say("flush instance=%d chunk=%s rc=%d\n", o->id, c.name, flush_one(o, tag, &c));
            free(c.data);
            free(c.name);
        }
        else if (strcmp(cmd, "pflush") == 0) {
            int nthreads = atoi(next_tok(&p)), i, nchunks = 0;
            struct output_instance *o = instance(next_tok(&p));
            char *tag = next_tok(&p), *file;
            struct chunk *chunks = calloc(MAX_FILES, sizeof(struct chunk));
            pthread_t th[64];
            struct job jobs[64];
            pthread_barrier_t start;
            if (nthreads < 1 || nthreads > 64 || !tag) return 2;
            while ((file = next_tok(&p)) && nchunks < MAX_FILES) {
                if (read_chunk(file, &chunks[nchunks]) != 0) return 2;
                nchunks++;
            }
            pthread_barrier_init(&start, NULL, nthreads);
            for (i = 0; i < nthreads; i++) {
                jobs[i] = (struct job){o, tag, chunks, nchunks, i, nthreads, &start};
                pthread_create(&th[i], NULL, worker, &jobs[i]);
            }
            for (i = 0; i < nthreads; i++) pthread_join(th[i], NULL);
            pthread_barrier_destroy(&start);
            for (i = 0; i < nchunks; i++) {
                free(chunks[i].data);
                free(chunks[i].name);
            }
            free(chunks);
        }
        else if (strcmp(cmd, "bench") == 0) {
            char *threads = next_tok(&p), *inst = next_tok(&p), *tag = next_tok(&p), *file = next_tok(&p);
            int ret;
            if (!threads || !inst || !tag || !file) {
                fprintf(stderr, "flbhost: %s:%d: bad bench\n", name, lineno);
                return 2;
            }
            ret = run_bench(atoi(threads), strcmp(inst, "-") == 0 ? NULL : instance(inst), tag, file);
            if (ret != 0) return ret;
        }
        else if (strcmp(cmd, "peak") == 0) {
            char buf[256];
            long kb = -1;
            FILE *f = fopen("/proc/self/status", "r");
            while (f && fgets(buf, sizeof(buf), f)) {
                if (sscanf(buf, "VmHWM: %ld kB", &kb) == 1) break;
            }
            if (f) fclose(f);
            if (kb < 0) {
                fprintf(stderr, "flbhost: %s:%d: no VmHWM in /proc/self/status\n", name, lineno);
                return 2;
            }
            say("peak vmhwm_kb=%ld\n", kb);
        }
        else if (strcmp(cmd, "exit") == 0) {
            /* flb_proxy_output_cb_exit + proxy_go_output_destroy */
            struct output_instance *o = instance(next_tok(&p));
            struct flbgo_output_plugin *plugin = proxy.data;
            int ret = 0;
            if (plugin->cb_exit_ctx) {
                ret = plugin->cb_exit_ctx(o->context->remote_context);
            }
            else if (plugin->cb_exit) {
                ret = plugin->cb_exit();
            }
            say("exit instance=%d rc=%d\n", o->id, ret);
            free(o->context);
            o->context = NULL;
        }
        else if (strcmp(cmd, "unregister") == 0) {
            /* flb_proxy_output_cb_destroy + proxy_go_output_unregister */
            void (*cb_unregister)(struct flb_plugin_proxy_def *) = sym("FLBPluginUnregister");
            struct flbgo_output_plugin *plugin = proxy.data;
            if (cb_unregister) cb_unregister(proxy.def);
            free(plugin->name);
            free(plugin);
            proxy.data = NULL;
            say("unregister\n");
        }
        else if (strcmp(cmd, "waitfile") == 0) {
            char *path = next_tok(&p), *secs = next_tok(&p);
            double limit = secs ? atof(secs) : 300;
            struct timespec t0, now, nap = {0, 20 * 1000 * 1000};
            struct stat st;
            if (!path || limit <= 0) {
                fprintf(stderr, "flbhost: %s:%d: bad waitfile\n", name, lineno);
                return 2;
            }
            clock_gettime(CLOCK_MONOTONIC, &t0);
            while (stat(path, &st) != 0) {
                clock_gettime(CLOCK_MONOTONIC, &now);
                if ((now.tv_sec - t0.tv_sec) + (now.tv_nsec - t0.tv_nsec) / 1e9 > limit) {
                    fprintf(stderr, "flbhost: %s:%d: waitfile %s: not there after %g s\n", name, lineno, path, limit);
                    return 3;
                }
                nanosleep(&nap, NULL);
            }
            say("waitfile %s\n", path);
        }
        else if (strcmp(cmd, "source") == 0) {
            char *path = next_tok(&p);
            FILE *f;
            int ret;
            if (!path || depth >= MAX_DEPTH) {
                fprintf(stderr, "flbhost: %s:%d: bad source (or nested too deep)\n", name, lineno);
                return 2;
            }
            if (!(f = fopen(path, "r"))) {
                perror(path);
                return 2;
            }
            ret = run_script(f, path, depth + 1);
            fclose(f);
            if (ret != 0) return ret;
        }
        else {
            fprintf(stderr, "flbhost: %s:%d: unknown command %s\n", name, lineno, cmd);
            return 2;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    FILE *script;
    int ret;

    if (argc != 3) {
        fprintf(stderr, "usage: %s PLUGIN.so SCRIPT\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (load(argv[1]) != 0) {
        return 1;
    }
    script = strcmp(argv[2], "-") == 0 ? stdin : fopen(argv[2], "r");
    if (!script) {
        perror(argv[2]);
        return 2;
    }
    ret = run_script(script, argv[2], 0);
    if (ret != 0) {
        return ret;
    }
    /* Fluent Bit keeps the .so loaded until exit (a Go runtime cannot be
     * unloaded): no dlclose. */
    return 0;
}
