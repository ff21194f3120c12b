package exchange.engine;

/** The object-valued companion of {@link PagedLongs}: records of {@code stride} references by dense id. */
final class PagedObjects<T> {
    private final int stride;
    private Object[][] pages = new Object[16][];

    PagedObjects(int stride) {
        this.stride = stride;
    }

    void ensure(long id) {
        int page = (int) (id >>> PagedLongs.PAGE_BITS);
        if (page >= pages.length) {
            Object[][] grown = new Object[Math.max(page + 1, pages.length * 2)][];
            System.arraycopy(pages, 0, grown, 0, pages.length);
            pages = grown;
        }
        if (pages[page] == null) {
            pages[page] = new Object[PagedLongs.PAGE_SIZE * stride];
        }
    }

    @SuppressWarnings("unchecked")
    T get(long id, int field) {
        return (T) pages[(int) (id >>> PagedLongs.PAGE_BITS)][((int) id & PagedLongs.PAGE_MASK) * stride + field];
    }

    void set(long id, int field, T value) {
        pages[(int) (id >>> PagedLongs.PAGE_BITS)][((int) id & PagedLongs.PAGE_MASK) * stride + field] = value;
    }
}
