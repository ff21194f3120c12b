package exchange.engine;

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
 * <p>Engine thread only, like the {@link OrderStore} that owns it. Slot 0 means "not held".
 */
final class OrderIdIndex {
    static final int PAGE_BITS = 14;
    static final int PAGE_SIZE = 1 << PAGE_BITS;
    private static final int MASK = PAGE_SIZE - 1;
    private static final int SPARE_PAGES = 4;

    private int[][] pages = new int[16][];
    private int[] heldPerPage = new int[16];
    private final int[][] spare = new int[SPARE_PAGES][];
    private int spares;
    private int size;

    /** The slot of {@code orderId}, or 0 if it is not held (any id, even a negative or huge one). */
    int get(long orderId) {
        long page = orderId >>> PAGE_BITS;
        if (orderId <= 0 || page >= pages.length) {
            return 0;
        }
        int[] p = pages[(int) page];
        return p == null ? 0 : p[(int) (orderId & MASK)];
    }

    /** Maps {@code orderId} (positive) to {@code slot} (positive). */
    void put(long orderId, int slot) {
        int page = pageOf(orderId);
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

    /** Forgets {@code orderId}; its page goes once it holds no order. */
    void remove(long orderId) {
        if (get(orderId) == 0) {
            return;
        }
        int page = pageOf(orderId);
        pages[page][(int) (orderId & MASK)] = 0;
        size--;
        if (--heldPerPage[page] == 0) {
            if (spares < SPARE_PAGES) {
                spare[spares++] = pages[page];
            }
            pages[page] = null;
        }
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

    /** Ids the allocated pages can map: bounded by the held band, not by the ids handed out. */
    long capacity() {
        long allocated = 0;
        for (int[] p : pages) {
            allocated += p == null ? 0 : PAGE_SIZE;
        }
        return allocated;
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
