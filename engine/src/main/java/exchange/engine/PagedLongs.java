package exchange.engine;

import exchange.engine.state.SnapshotInput;
import exchange.engine.state.SnapshotOutput;

/**
 * Records of {@code stride} longs addressed by a dense id (1, 2, 3, ...), stored in fixed-size
 * pages so growth never copies existing records and a record's fields sit together in memory.
 * Pages are allocated when an id first reaches them; nothing else allocates.
 *
 * <p>Owned by the engine thread.
 */
final class PagedLongs {
    static final int PAGE_BITS = 14;
    static final int PAGE_SIZE = 1 << PAGE_BITS;
    static final int PAGE_MASK = PAGE_SIZE - 1;

    private final int stride;
    private long[][] pages = new long[16][];

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
        }
        if (pages[page] == null) {
            pages[page] = new long[PAGE_SIZE * stride];
        }
    }

    long get(long id, int field) {
        return pages[(int) (id >>> PAGE_BITS)][((int) id & PAGE_MASK) * stride + field];
    }

    void set(long id, int field, long value) {
        pages[(int) (id >>> PAGE_BITS)][((int) id & PAGE_MASK) * stride + field] = value;
    }

    void add(long id, int field, long delta) {
        long[] p = pages[(int) (id >>> PAGE_BITS)];
        int i = ((int) id & PAGE_MASK) * stride + field;
        p[i] = Math.addExact(p[i], delta);
    }

    int stride() {
        return stride;
    }

    /** Adds every field of records {@code 1..lastId} to {@code h}, in id then field order, scanning pages sequentially. */
    void hashInto(StateHasher h, long lastId) {
        forEachPage(lastId, false, (page, from, end) -> h.addAll(page, from, end));
    }

    /** Writes every field of records {@code 1..lastId}, in id then field order, a page at a time. */
    void write(SnapshotOutput out, long lastId) {
        forEachPage(lastId, false, (page, from, end) -> out.putLongs(page, from, end - from));
    }

    /** Reads what {@link #write} wrote into this empty store. */
    void read(SnapshotInput in, long lastId) {
        forEachPage(lastId, true, (page, from, end) -> in.getLongs(page, from, end - from));
    }

    /** The fields of records {@code 1..lastId} in one page: {@code page[from, end)}. */
    @FunctionalInterface
    private interface PageSpan {
        void accept(long[] page, int from, int end);
    }

    private void forEachPage(long lastId, boolean create, PageSpan span) {
        for (long first = 0; lastId > 0 && first <= lastId; first += PAGE_SIZE) {
            if (create) {
                ensure(first);
            }
            int from = (int) (Math.max(first, 1) & PAGE_MASK) * stride;
            int end = (int) (Math.min(first + PAGE_SIZE - 1, lastId) & PAGE_MASK) * stride + stride;
            span.accept(pages[(int) (first >>> PAGE_BITS)], from, end);
        }
    }
}
