/*
 * The C yardstick: a plain single-thread breadth-first search of a pagehint model, the speed `pagehint bench`
 * measures its own search against. Hand-written C with no invariants checked, nothing but the search: 64-bit packed
 * states, one open-addressing visited table sized up front, a FIFO queue, and successors hashed and prefetched in
 * batches so that their cache misses overlap.
 *
 * The model comes from model.h, which `pagehint bench` writes after an exhaustive search of the configuration: the
 * state layout (where each actor's local state and each page's word lie in the 64-bit state), the initial state, and
 * every step group of every reachable (actor, local state, page, page word): its key, its step count and its effects,
 * each the bits to OR into the state after clearing that actor's and that page's fields. The groups are indexed in a
 * hash table before the clock starts. These are pagehint's own memoized steps, so a state's successors are computed
 * here exactly as pagehint computes them, and both searches must count the same states and the same transitions
 * (bench checks that they do).
 *
 * usage: yardstick SLOT_BITS      (the visited table has 2^SLOT_BITS slots of 8 bytes)
 * prints: states N transitions N depth N seconds S bytes N
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "model.h"

#define BATCH 256  /* successors hashed and prefetched before any is inserted */

static uint64_t *visited;  /* state + 1; 0 is an empty slot */
static uint64_t slot_mask;
static uint64_t *queue;
static uint64_t queue_cap, queue_len;

/* A 64-bit finaliser (murmur3's): every bit of the state reaches the slot index. */
static inline uint64_t mix(uint64_t x)
{
    x ^= x >> 33; x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33; x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

static void push(uint64_t s)
{
    if (queue_len == queue_cap)
    {
        queue_cap *= 2;
        queue = realloc(queue, queue_cap * sizeof *queue);
        if (!queue) { fprintf(stderr, "yardstick: out of memory for the queue\n"); exit(2); }
    }
    queue[queue_len++] = s;
}

/* Adds a state not seen before to the visited table and the queue. */
static inline void visit(uint64_t s, uint64_t h, uint64_t *stored)
{
    for (uint64_t i = h & slot_mask;; i = (i + 1) & slot_mask)
    {
        uint64_t k = visited[i];
        if (k == s + 1) return;
        if (k == 0)
        {
            visited[i] = s + 1;
            if (++*stored > (slot_mask + 1) / 10 * 9) { fprintf(stderr, "yardstick: the visited table is over 90%% full\n"); exit(2); }
            push(s);
            return;
        }
    }
}

/* The step groups by key (as model.h gives it: local state, page word, page and actor in YS_*_SHIFT positions), in an
   open-addressing index built before the search starts. */
static uint64_t *group_key;  /* key + 1; 0 is empty */
static int *group_at;
static uint32_t group_mask;

static void index_groups(void)
{
    uint32_t slots = 16;
    while (slots < 2u * YS_GROUPS) slots *= 2;
    group_mask = slots - 1;
    group_key = calloc(slots, sizeof *group_key);
    group_at = calloc(slots, sizeof *group_at);
    if (!group_key || !group_at) { fprintf(stderr, "yardstick: out of memory for the step groups\n"); exit(2); }
    for (int g = 0; g < YS_GROUPS; g++)
    {
        uint32_t i = (uint32_t)(mix(ys_group_key[g]) & group_mask);
        while (group_key[i] != 0) i = (i + 1) & group_mask;
        group_key[i] = ys_group_key[g] + 1;
        group_at[i] = g;
    }
}

/* The step group of (actor, local state, page, page word), or -1 if the export lacks it. */
static inline int group_of(int actor, int local, int page, int word)
{
    uint64_t key = ((uint64_t)(unsigned)local << YS_LOCAL_SHIFT) | ((uint64_t)(unsigned)word << YS_WORD_SHIFT)
                 | ((uint64_t)(unsigned)page << YS_PAGE_SHIFT) | (unsigned)actor;
    for (uint32_t i = (uint32_t)(mix(key) & group_mask);; i = (i + 1) & group_mask)
    {
        if (group_key[i] == key + 1) return group_at[i];
        if (group_key[i] == 0) return -1;
    }
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    int slot_bits = argc == 2 ? atoi(argv[1]) : 0;
    if (slot_bits < 10 || slot_bits > 40) { fprintf(stderr, "usage: yardstick SLOT_BITS (10 to 40)\n"); return 2; }
    slot_mask = (1ULL << slot_bits) - 1;
    visited = calloc(slot_mask + 1, sizeof *visited);
    queue_cap = 1 << 20;
    queue = malloc(queue_cap * sizeof *queue);
    if (!visited || !queue) { fprintf(stderr, "yardstick: out of memory for the visited table\n"); return 2; }

    index_groups();
    uint64_t batch[BATCH + YS_MAX_SUCCESSORS], hashes[BATCH + YS_MAX_SUCCESSORS];
    uint64_t stored = 0, transitions = 0, head = 0, level_end, depth = 0;
    double start = now();
    visit(YS_INITIAL, mix(YS_INITIAL), &stored);
    level_end = queue_len;
    while (head < queue_len)
    {
        /* Generate the successors of states in queue order until a batch is full, */
        int n = 0;
        while (head < queue_len && n < BATCH)
        {
            if (head == level_end) { if (n) break; level_end = queue_len; depth++; } /* a new level starts */
            uint64_t s = queue[head++];
            for (int a = 0; a < YS_ACTORS; a++)
            {
                int local = (int)((s >> ys_actor_shift[a]) & ((1ULL << ys_actor_width[a]) - 1));
                for (int p = 0; p < YS_PAGES; p++)
                {
                    int word = (int)((s >> ys_page_shift[p]) & ((1ULL << ys_page_width[p]) - 1));
                    int g = group_of(a, local, p, word);
                    if (g < 0) { fprintf(stderr, "yardstick: a state outside the exported step table\n"); return 2; }
                    transitions += ys_group_steps[g];
                    uint64_t kept = s & ys_keep[a * YS_PAGES + p];
                    for (int e = ys_group_first[g], end = ys_group_first[g + 1]; e < end; e++) batch[n++] = kept | ys_effect[e];
                }
            }
        }
        /* then hash them all and start loading their slots, then insert them in order. */
        for (int i = 0; i < n; i++) { hashes[i] = mix(batch[i]); __builtin_prefetch(&visited[hashes[i] & slot_mask], 0, 1); }
        for (int i = 0; i < n; i++) visit(batch[i], hashes[i], &stored);
    }
    double seconds = now() - start;
    printf("states %llu transitions %llu depth %llu seconds %.3f bytes %llu\n", (unsigned long long)stored,
           (unsigned long long)transitions, (unsigned long long)depth, seconds,
           (unsigned long long)((slot_mask + 1) * sizeof *visited + queue_cap * sizeof *queue));
    return 0;
}
