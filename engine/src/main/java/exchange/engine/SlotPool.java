package exchange.engine;

import java.util.Arrays;

/**
 * A pool of fixed-size records addressed by slot number (1, 2, ...; 0 means none): each slot is
 * {@code stride} longs in a page of {@link #PAGE_SIZE} records, plus one {@code String}. Pages are
 * allocated when the high-water mark first reaches them, so growth never copies a record. A freed
 * slot goes on a free list (threaded through one of its own fields) and is taken again, last
 * freed first, before any new slot: the pool's size follows the most records in use at once.
 *
 * <p>Links between records are two slot numbers packed in one long field: the high half points
 * towards the head of a chain ({@link #prev}), the low half onwards ({@link #next}).
 *
 * <p>Owned by the engine thread (through {@link OrderStore}). Allocates only a new page, and
 * only when every slot handed out is in use. Deterministic: which slot {@link #take} returns
 * depends only on the sequence of takes and frees. Invariant: every slot in 1..highWater is in
 * use or on the free list, exactly once.
 */
final class SlotPool {
    /**
     * 2,048 records a page: an order page is then 311 KB, under half of G1's smallest region
     * (1 MB), so it is an ordinary object and not a "humongous" one that takes a region of its
     * own. At 4,096 records (608 KB) each page wasted 40% of its region: 1M resting orders took
     * 368 bytes each instead of 264 (a 512 MB heap, heap used after full GC).
     */
    static final int PAGE_BITS = 11;
    static final int PAGE_SIZE = 1 << PAGE_BITS;
    private static final int PAGE_MASK = PAGE_SIZE - 1;

    private final int stride;
    /** The field a free slot threads the free list through. */
    private final int freeLink;
    private long[][] pages = new long[8][];
    private String[][] strings = new String[8][];
    private int pageCount;
    private int highWater;
    private int freeHead;
    private int freeCount;

    SlotPool(int stride, int freeLink) {
        this.stride = stride;
        this.freeLink = freeLink;
    }

    /** A slot with every field 0 and no string. */
    int take() {
        int slot;
        if (freeHead != 0) {
            slot = freeHead;
            freeHead = next(slot, freeLink);
            freeCount--;
        } else {
            if (highWater == Integer.MAX_VALUE) {
                throw new IllegalStateException("slot pool full: " + highWater + " slots");
            }
            slot = ++highWater;
            int page = slot >>> PAGE_BITS;
            if (page >= pages.length) {
                pages = Arrays.copyOf(pages, pages.length * 2);
                strings = Arrays.copyOf(strings, pages.length);
            }
            if (pages[page] == null) {
                pages[page] = new long[PAGE_SIZE * stride];
                strings[page] = new String[PAGE_SIZE];
                pageCount++;
            }
        }
        int base = base(slot);
        Arrays.fill(pages[slot >>> PAGE_BITS], base, base + stride, 0L);
        return slot;
    }

    /** Returns {@code slot} to the pool; its string is dropped at once. */
    void free(int slot) {
        strings[slot >>> PAGE_BITS][slot & PAGE_MASK] = null;
        set(slot, freeLink, freeHead);
        freeHead = slot;
        freeCount++;
    }

    long get(int slot, int field) {
        return pages[slot >>> PAGE_BITS][base(slot) + field];
    }

    void set(int slot, int field, long value) {
        pages[slot >>> PAGE_BITS][base(slot) + field] = value;
    }

    void add(int slot, int field, long delta) {
        long[] p = pages[slot >>> PAGE_BITS];
        int i = base(slot) + field;
        p[i] = Math.addExact(p[i], delta);
    }

    String string(int slot) {
        return strings[slot >>> PAGE_BITS][slot & PAGE_MASK];
    }

    void setString(int slot, String s) {
        strings[slot >>> PAGE_BITS][slot & PAGE_MASK] = s;
    }

    /** The page array holding {@code slot}'s fields at {@link #base}, for bulk reads and writes. */
    long[] page(int slot) {
        return pages[slot >>> PAGE_BITS];
    }

    int base(int slot) {
        return (slot & PAGE_MASK) * stride;
    }

    // ---- packed links ----------------------------------------------------------------------------

    int prev(int slot, int field) {
        return (int) (get(slot, field) >>> 32);
    }

    int next(int slot, int field) {
        return (int) get(slot, field);
    }

    void setLinks(int slot, int field, int prev, int next) {
        set(slot, field, (long) prev << 32 | (next & 0xFFFFFFFFL));
    }

    void setPrev(int slot, int field, int prev) {
        setLinks(slot, field, prev, next(slot, field));
    }

    void setNext(int slot, int field, int next) {
        setLinks(slot, field, prev(slot, field), next);
    }

    // ---- sizes -----------------------------------------------------------------------------------

    /** Slots the allocated pages provide (slot 0 excluded). */
    int capacity() {
        return pageCount == 0 ? 0 : pageCount * PAGE_SIZE - 1;
    }

    /** Slots handed out so far, in use or free: the most ever in use at once. */
    int highWater() {
        return highWater;
    }

    int inUse() {
        return highWater - freeCount;
    }

    /** Checks the free list against its count; throws {@link IllegalStateException} if they differ. */
    void validateFreeList() {
        int free = 0;
        for (int slot = freeHead; slot != 0; slot = next(slot, freeLink)) {
            if (++free > freeCount || slot > highWater) {
                throw new IllegalStateException("free list longer than its count " + freeCount);
            }
        }
        if (free != freeCount) {
            throw new IllegalStateException("free list has " + free + " slots, count " + freeCount);
        }
    }
}
