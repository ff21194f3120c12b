package exchange.engine;

import java.util.Arrays;

/**
 * A pool of fixed-size records addressed by slot number (1, 2, ...; 0 means none): each slot is
 * {@code stride} longs in a page of {@link #PAGE_SIZE} records, plus {@code width} bytes in a page
 * of byte regions (the order store keeps the client order id there). Pages are allocated when the
 * high-water mark first reaches them, so growth never copies a record, and nothing is allocated
 * per record: the pool is a few large primitive arrays that a garbage collector neither traces
 * nor, once they are old, copies. A freed
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
    /**
     * A byte page is at most 256 KB, under half of G1's smallest region for the same reason: 2,048
     * regions of 64 bytes (128 KB) at the default client id length, fewer regions a page when the
     * width is larger (1,024 of 256 bytes).
     */
    static final int MAX_BYTE_PAGE = 1 << 18;

    private final int stride;
    /** The field a free slot threads the free list through. */
    private final int freeLink;
    /** Bytes a slot's region holds. */
    private final int width;
    private final int bytePageBits;
    private final int bytePageMask;
    private long[][] pages = new long[8][];
    private byte[][] bytePages = new byte[8][];
    private int pageCount;
    private int highWater;
    private int freeHead;
    private int freeCount;

    /** A pool of records of {@code stride} longs and {@code width} bytes (1 to {@link #MAX_BYTE_PAGE}). */
    SlotPool(int stride, int freeLink, int width) {
        if (stride < 1 || freeLink < 0 || freeLink >= stride || width < 1 || width > MAX_BYTE_PAGE) {
            throw new IllegalArgumentException("slot pool stride " + stride + ", free link " + freeLink + ", width " + width);
        }
        this.stride = stride;
        this.freeLink = freeLink;
        this.width = width;
        int bits = PAGE_BITS;
        while ((width << bits) > MAX_BYTE_PAGE) {
            bits--;
        }
        this.bytePageBits = bits;
        this.bytePageMask = (1 << bits) - 1;
    }

    /**
     * Allocates now the pages that slots 1..{@code slots} will use, so that taking them later
     * allocates nothing: a process that reserves its working size at start-up has its pages old
     * before trading starts, and young collections never copy them. Changes no slot's state.
     */
    void reserve(int slots) {
        int lastPage = slots >>> PAGE_BITS;
        if (lastPage >= pages.length) {
            pages = Arrays.copyOf(pages, lastPage + 1);
        }
        for (int page = 0; page <= lastPage; page++) {
            if (pages[page] == null) {
                pages[page] = new long[PAGE_SIZE * stride];
                pageCount++;
            }
        }
        int lastBytePage = slots >>> bytePageBits;
        if (lastBytePage >= bytePages.length) {
            bytePages = Arrays.copyOf(bytePages, lastBytePage + 1);
        }
        for (int page = 0; page <= lastBytePage; page++) {
            if (bytePages[page] == null) {
                bytePages[page] = new byte[width << bytePageBits];
            }
        }
    }

    /** A slot with every field 0; its bytes are whatever the caller last wrote (see {@link #bytes}). */
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
            }
            if (pages[page] == null) {
                pages[page] = new long[PAGE_SIZE * stride];
                pageCount++;
            }
            int bytePage = slot >>> bytePageBits;
            if (bytePage >= bytePages.length) {
                bytePages = Arrays.copyOf(bytePages, Math.max(bytePage + 1, bytePages.length * 2));
            }
            if (bytePages[bytePage] == null) {
                bytePages[bytePage] = new byte[width << bytePageBits];
            }
        }
        int base = base(slot);
        Arrays.fill(pages[slot >>> PAGE_BITS], base, base + stride, 0L);
        return slot;
    }

    /** Returns {@code slot} to the pool. */
    void free(int slot) {
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

    /** Bytes in each slot's region. */
    int width() {
        return width;
    }

    /** The byte page holding {@code slot}'s region at {@link #byteBase}. */
    byte[] bytes(int slot) {
        return bytePages[slot >>> bytePageBits];
    }

    int byteBase(int slot) {
        return (slot & bytePageMask) * width;
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
