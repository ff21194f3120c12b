package exchange.engine;

import exchange.engine.state.SnapshotInput;
import exchange.engine.state.SnapshotOutput;

import java.util.Arrays;

/**
 * Records of {@code stride} longs addressed by a dense id (1, 2, 3, ...), stored in fixed-size
 * pages so growth never copies existing records and a record's fields sit together in memory.
 * Pages are allocated when an id first reaches them; nothing else allocates.
 *
 * <p>Each page remembers the hash lanes of its last hashing until it is written again, so
 * {@link #hashInto} reads only pages written since (a history of millions of closed orders is
 * not re-read by every {@code GET /v1/admin/state}); the value is the same as hashing them all.
 *
 * <p>Owned by the engine thread.
 */
final class PagedLongs {
    static final int PAGE_BITS = 14;
    static final int PAGE_SIZE = 1 << PAGE_BITS;
    static final int PAGE_MASK = PAGE_SIZE - 1;

    private final int stride;
    private long[][] pages = new long[16][];
    /** Per page: the span end its cached lanes cover, or 0 if it was written since (or never hashed). */
    private int[] hashedEnd = new int[16];
    private long[] lanes = new long[16 * StateHasher.LANES];

    PagedLongs(int stride) {
        this.stride = stride;
    }

    /** Makes sure the page holding {@code id} exists. */
    void ensure(long id) {
        int page = (int) (id >>> PAGE_BITS);
        if (page >= pages.length) {
            long[][] grown = new long[Math.max(page + 1, pages.length * 2)][];
            System.arraycopy(pages, 0, grown, 0, pages.length);
            pages = grown;
            hashedEnd = Arrays.copyOf(hashedEnd, grown.length);
            lanes = Arrays.copyOf(lanes, grown.length * StateHasher.LANES);
        }
        if (pages[page] == null) {
            pages[page] = new long[PAGE_SIZE * stride];
        }
    }

    long get(long id, int field) {
        return pages[(int) (id >>> PAGE_BITS)][((int) id & PAGE_MASK) * stride + field];
    }

    void set(long id, int field, long value) {
        int page = (int) (id >>> PAGE_BITS);
        pages[page][((int) id & PAGE_MASK) * stride + field] = value;
        hashedEnd[page] = 0;
    }

    void add(long id, int field, long delta) {
        int page = (int) (id >>> PAGE_BITS);
        long[] p = pages[page];
        int i = ((int) id & PAGE_MASK) * stride + field;
        p[i] = Math.addExact(p[i], delta);
        hashedEnd[page] = 0;
    }

    int stride() {
        return stride;
    }

    /** Adds every field of records {@code 1..lastId} to {@code h}, in id then field order, scanning pages sequentially. */
    void hashInto(StateHasher h, long lastId) {
        forEachPage(lastId, false, (index, page, from, end) -> {
            int at = index * StateHasher.LANES;
            if (hashedEnd[index] != end) {
                StateHasher.lanes(page, from, end, lanes, at);
                hashedEnd[index] = end;
            }
            h.addLanes(end - from, lanes, at);
        });
    }

    /** Writes every field of records {@code 1..lastId}, in id then field order, a page at a time. */
    void write(SnapshotOutput out, long lastId) {
        forEachPage(lastId, false, (index, page, from, end) -> out.putLongs(page, from, end - from));
    }

    /** Reads what {@link #write} wrote into this empty store. */
    void read(SnapshotInput in, long lastId) {
        forEachPage(lastId, true, (index, page, from, end) -> {
            in.getLongs(page, from, end - from);
            hashedEnd[index] = 0;
        });
    }

    /** The fields of records {@code 1..lastId} in one page: {@code page[from, end)}. */
    @FunctionalInterface
    private interface PageSpan {
        void accept(int index, long[] page, int from, int end);
    }

    private void forEachPage(long lastId, boolean create, PageSpan span) {
        for (long first = 0; lastId > 0 && first <= lastId; first += PAGE_SIZE) {
            if (create) {
                ensure(first);
            }
            int from = (int) (Math.max(first, 1) & PAGE_MASK) * stride;
            int end = (int) (Math.min(first + PAGE_SIZE - 1, lastId) & PAGE_MASK) * stride + stride;
            int index = (int) (first >>> PAGE_BITS);
            span.accept(index, pages[index], from, end);
        }
    }
}
