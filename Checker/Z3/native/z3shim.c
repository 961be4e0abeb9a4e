/*
 * libpagehint-z3: the "libz3" that Microsoft.Z3 4.12.2 loads on this machine.
 *
 * Built against a stub with soname libz3.so.4, so the loader pulls in the distribution's libz3 as a dependency and a
 * dlsym on this library's handle finds every Z3 entry point we do not define in libz3 itself. We define only:
 *   - Z3_enable_concurrent_dec_ref, which libz3 4.8.12 lacks and the wrapper calls on every new context (a no-op here);
 *   - the release entry points (Z3_dec_ref, every Z3_<kind>_dec_ref, Z3_del_constructor(_list)): the wrapper's
 *     finalizers call them from the GC finalizer thread, which Z3 4.8.12 does not survive. A release made on a thread
 *     other than the one that created the context is queued and replayed on the owner thread at its next inc/dec-ref;
 *   - Z3_mk_context_rc (remembers the creating thread) and Z3_del_context (drops the context's queue);
 *   - pagehint_z3_library: the file the real entry points come from, for `pagehint prove` to print.
 * The real functions are found with dlsym(RTLD_NEXT, ...), the next definition after this library.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

typedef void *Z3_context;
typedef void (*release_fn)(Z3_context, void *);

struct pending { release_fn release; void *object; };

/* One context made by Z3_mk_context_rc: the thread that owns it and the releases other threads left for it. */
struct owner {
    Z3_context context;
    pthread_t thread;
    struct pending *queue;
    size_t count, capacity;
    struct owner *next;
};

static pthread_mutex_t owners_lock = PTHREAD_MUTEX_INITIALIZER;
static struct owner *owners;

static void *real(const char *name)
{
    void *f = dlsym(RTLD_NEXT, name);
    if (!f) {
        fprintf(stderr, "libpagehint-z3: the loaded libz3 has no %s\n", name);
        abort();
    }
    return f;
}

static struct owner *find(Z3_context c)
{
    for (struct owner *o = owners; o; o = o->next)
        if (o->context == c) return o;
    return NULL;
}

/* On the owner thread: takes the context's queue and replays it. Elsewhere: nothing. */
static void drain(Z3_context c)
{
    struct pending *queue = NULL;
    size_t count = 0;
    pthread_mutex_lock(&owners_lock);
    struct owner *o = find(c);
    if (o && o->count && pthread_equal(o->thread, pthread_self())) {
        queue = o->queue; count = o->count;
        o->queue = NULL; o->count = o->capacity = 0;
    }
    pthread_mutex_unlock(&owners_lock);
    for (size_t i = 0; i < count; i++) queue[i].release(c, queue[i].object);
    free(queue);
}

/* Releases now on the owner thread (after what is queued), else queues the release for the owner. */
static void release(Z3_context c, void *object, release_fn f)
{
    pthread_mutex_lock(&owners_lock);
    struct owner *o = find(c);
    if (o && !pthread_equal(o->thread, pthread_self())) {
        if (o->count == o->capacity) {
            size_t capacity = o->capacity ? 2 * o->capacity : 256;
            struct pending *grown = realloc(o->queue, capacity * sizeof *grown);
            if (!grown) { fputs("libpagehint-z3: out of memory\n", stderr); abort(); }
            o->queue = grown; o->capacity = capacity;
        }
        o->queue[o->count++] = (struct pending){ f, object };
        pthread_mutex_unlock(&owners_lock);
        return;
    }
    pthread_mutex_unlock(&owners_lock);
    drain(c);
    f(c, object);
}

#define RESOLVED(name) \
    static release_fn f; \
    release_fn g = __atomic_load_n(&f, __ATOMIC_ACQUIRE); \
    if (!g) { g = (release_fn)real(#name); __atomic_store_n(&f, g, __ATOMIC_RELEASE); }

#define RELEASE(name) void name(Z3_context c, void *object) { RESOLVED(name) release(c, object, g); }
#define ACQUIRE(name) void name(Z3_context c, void *object) { RESOLVED(name) drain(c); g(c, object); }
#define KIND(kind) RELEASE(Z3_##kind##_dec_ref) ACQUIRE(Z3_##kind##_inc_ref)

RELEASE(Z3_dec_ref)
ACQUIRE(Z3_inc_ref)
RELEASE(Z3_del_constructor)
RELEASE(Z3_del_constructor_list)
KIND(apply_result) KIND(ast_map) KIND(ast_vector) KIND(fixedpoint) KIND(func_entry) KIND(func_interp) KIND(goal)
KIND(model) KIND(optimize) KIND(param_descrs) KIND(params) KIND(probe) KIND(solver) KIND(stats) KIND(tactic)

void Z3_enable_concurrent_dec_ref(Z3_context c) { (void)c; }

Z3_context Z3_mk_context_rc(void *config)
{
    static Z3_context (*make)(void *);
    if (!make) make = (Z3_context (*)(void *))real("Z3_mk_context_rc");
    Z3_context c = make(config);
    if (!c) return c;
    struct owner *o = calloc(1, sizeof *o);
    if (!o) { fputs("libpagehint-z3: out of memory\n", stderr); abort(); }
    o->context = c;
    o->thread = pthread_self();
    pthread_mutex_lock(&owners_lock);
    o->next = owners;
    owners = o;
    pthread_mutex_unlock(&owners_lock);
    return c;
}

void Z3_del_context(Z3_context c)
{
    static void (*del)(Z3_context);
    if (!del) del = (void (*)(Z3_context))real("Z3_del_context");
    pthread_mutex_lock(&owners_lock);
    for (struct owner **p = &owners; *p; p = &(*p)->next)
        if ((*p)->context == c) {
            struct owner *o = *p;
            *p = o->next;
            free(o->queue); /* the context's objects go with it */
            free(o);
            break;
        }
    pthread_mutex_unlock(&owners_lock);
    del(c);
}

/* The file libz3's entry points are actually taken from. */
const char *pagehint_z3_library(void)
{
    Dl_info info;
    void *f = dlsym(RTLD_NEXT, "Z3_get_full_version");
    return f && dladdr(f, &info) && info.dli_fname ? info.dli_fname : "?";
}
