package exchange.engine;

import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * Order id to slot of every held order. Order ids are handed out in ascending order (1, 2, ...)
 * and an order is dropped some time after it ends, so the held ids are a dense band that moves up:
 * a direct-mapped table of pages of {@value #PAGE_SIZE} slots, indexed by the id itself, serves
 * them without hashing. A new id writes next to the previous one (the hash map this replaced wrote
 * each into a random line of a table of several MB, a cache miss per order, and read it back with
 * another on every cancel: a quarter of the engine thread's samples on the realistic flow), a page
 * is allocated when its first id arrives and released when its last held order goes (a few
 * released pages, all zero again by then, are kept for the next new ones, so a steady day allocates
 * nothing), and the table costs 4 bytes per id of the band instead of the map's ~25 per held order.
 *
 * <p>A few orders can outlive their band by far (a GTC order resting for weeks): a page left
 * holding fewer than {@link #SPARSE_BELOW} of them, below the two newest pages, hands them to a
 * hash map and is released, so a held order never keeps more than 256 bytes of table alive and
 * the memory follows the held orders, not the ids handed out since the oldest of them.
 *
 * <p>Engine thread only, like the {@link OrderStore} that owns it. Slot 0 means "not held".
 */
final class OrderIdIndex {
    static final int PAGE_BITS = 14;
    static final int PAGE_SIZE = 1 << PAGE_BITS;
    private static final int MASK = PAGE_SIZE - 1;
    private static final int SPARE_PAGES = 4;
    /** A page below the newest two holding fewer orders than this moves them to {@link #sparse}. */
    static final int SPARSE_BELOW = PAGE_SIZE / 64;

    private int[][] pages = new int[16][];
    private int[] heldPerPage = new int[16];
    private final int[][] spare = new int[SPARE_PAGES][];
    private int spares;
    private int size;
    /** The highest page an order was put in: new ids land there, so it and the one before stay pages. */
    private int newestPage;
    /** Held orders of pages given up as sparse: id to slot, 0 = not held. */
    private final Long2LongHashMap sparse = new Long2LongHashMap(0);

    /** The slot of {@code orderId}, or 0 if it is not held (any id, even a negative or huge one). */
    int get(long orderId) {
        if (orderId <= 0) {
            return 0;
        }
        long page = orderId >>> PAGE_BITS;
        if (page < pages.length) {
            int[] p = pages[(int) page];
            if (p != null) {
                return p[(int) (orderId & MASK)];
            }
        }
        return sparse.isEmpty() ? 0 : (int) sparse.get(orderId);
    }

    /** Maps {@code orderId} (positive) to {@code slot} (positive). */
    void put(long orderId, int slot) {
        int page = pageOf(orderId);
        if (page + 1 < newestPage && (page >= pages.length || pages[page] == null)) {
            // an old page not kept as a table (given up as sparse, or never needed): the map holds it
            if (sparse.put(orderId, slot) == 0) {
                size++;
            }
            return;
        }
        newestPage = Math.max(newestPage, page);
        if (page >= pages.length) {
            int length = Math.max(page + 1, pages.length * 2);
            pages = Arrays.copyOf(pages, length);
            heldPerPage = Arrays.copyOf(heldPerPage, length);
        }
        int[] p = pages[page];
        if (p == null) {
            p = pages[page] = newPage();
        }
        int i = (int) (orderId & MASK);
        if (p[i] == 0) {
            heldPerPage[page]++;
            size++;
        }
        p[i] = slot;
    }

    /** Forgets {@code orderId}; its page goes once it holds no order, or few below the newest. */
    void remove(long orderId) {
        if (orderId <= 0) {
            return;
        }
        long pageNumber = orderId >>> PAGE_BITS;
        int[] p = pageNumber < pages.length ? pages[(int) pageNumber] : null;
        if (p == null) {
            if (!sparse.isEmpty() && sparse.remove(orderId) != 0) {
                size--;
            }
            return;
        }
        int i = (int) (orderId & MASK);
        if (p[i] == 0) {
            return;
        }
        int page = (int) pageNumber;
        p[i] = 0;
        size--;
        int held = --heldPerPage[page];
        if (held == 0) {
            release(page);
        } else if (held < SPARSE_BELOW && page + 1 < newestPage) {
            moveToSparse(page);
        }
    }

    /** Hands a page's few held orders to the map and releases the page (once per page: it is old). */
    private void moveToSparse(int page) {
        int[] p = pages[page];
        long base = (long) page << PAGE_BITS;
        for (int i = 0; i < PAGE_SIZE; i++) {
            if (p[i] != 0) {
                sparse.put(base + i, p[i]);
                p[i] = 0;
            }
        }
        heldPerPage[page] = 0;
        release(page);
    }

    private void release(int page) {
        if (spares < SPARE_PAGES) {
            spare[spares++] = pages[page];
        }
        pages[page] = null;
    }

    /** Allocates the pages for ids {@code from .. from + count - 1} now (memory layout only). */
    void reserve(long from, int count) {
        for (long id = from; id < from + count; id += PAGE_SIZE) {
            int page = pageOf(id);
            if (page >= pages.length) {
                pages = Arrays.copyOf(pages, page + 1);
                heldPerPage = Arrays.copyOf(heldPerPage, page + 1);
            }
            if (pages[page] == null) {
                pages[page] = newPage();
            }
        }
    }

    int size() {
        return size;
    }

    /** Ids the allocated pages can map (orders of sparse pages not counted: see {@link #sparseSize}). */
    long capacity() {
        long allocated = 0;
        for (int[] p : pages) {
            allocated += p == null ? 0 : PAGE_SIZE;
        }
        return allocated;
    }

    /** Held orders kept in the map because their pages had become sparse. */
    int sparseSize() {
        return sparse.size();
    }

    /** A zeroed page: a released one if any is kept (every entry was cleared before release). */
    private int[] newPage() {
        if (spares > 0) {
            int[] p = spare[--spares];
            spare[spares] = null;
            return p;
        }
        return new int[PAGE_SIZE];
    }

    private static int pageOf(long orderId) {
        if (orderId <= 0 || (orderId >>> PAGE_BITS) >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("order id out of range: " + orderId);
        }
        return (int) (orderId >>> PAGE_BITS);
    }
}
