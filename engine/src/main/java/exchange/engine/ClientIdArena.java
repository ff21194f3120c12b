package exchange.engine;

import exchange.engine.state.SnapshotInput;
import exchange.engine.state.SnapshotOutput;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Every order's client order id, kept as bytes in fixed-size pages instead of one {@link String}
 * per order. An id is valid only if it is printable ASCII (checked before it gets here), so a byte
 * per character holds it exactly. Each id is addressed by a <em>ref</em>: its byte position in the
 * arena shifted left by {@link #LENGTH_BITS}, or-ed with its length. An id never straddles a page.
 *
 * <p>Why: an exchange keeps every order it ever accepted (idempotency, order queries). As strings
 * that is two small objects per order which the garbage collector traces and copies again and
 * again, and a snapshot has to decode and allocate one by one; as pages of bytes it is a few large
 * arrays, and a snapshot is a bulk copy.
 *
 * <p>The layout is a function of the sequence of appended ids alone, so two engines fed the same
 * commands hold identical arenas (the state hash covers it). Owned by the engine thread.
 */
final class ClientIdArena {
    static final int LENGTH_BITS = 9;
    /** The longest id a ref can describe. */
    static final int MAX_LENGTH = (1 << LENGTH_BITS) - 1;
    private static final int PAGE_BITS = 18;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;
    private static final int PAGE_MASK = PAGE_SIZE - 1;

    private byte[][] pages = new byte[4][];
    /**
     * Per page: how many of its bytes its cached hash lanes cover (0 = none). Bytes below
     * {@link #end} never change, so a page needs hashing again only while ids are appended to it.
     */
    private int[] hashedUsed = new int[4];
    private long[] lanes = new long[4 * StateHasher.LANES];
    /** The next free byte. */
    private long end;

    /** Stores {@code id} (printable ASCII, 1 to {@link #MAX_LENGTH} characters) and returns its ref. */
    long append(String id) {
        int length = id.length();
        if ((end & PAGE_MASK) + length > PAGE_SIZE) {
            end = (end | PAGE_MASK) + 1;
        }
        byte[] page = page(end, true);
        int at = (int) (end & PAGE_MASK);
        for (int i = 0; i < length; i++) {
            page[at + i] = (byte) id.charAt(i);
        }
        long ref = end << LENGTH_BITS | length;
        end += length;
        return ref;
    }

    /** Whether the id at {@code ref} equals {@code id}. */
    boolean equalsId(long ref, String id) {
        int length = (int) (ref & MAX_LENGTH);
        if (length != id.length()) {
            return false;
        }
        long position = ref >>> LENGTH_BITS;
        byte[] page = page(position, false);
        int at = (int) (position & PAGE_MASK);
        for (int i = 0; i < length; i++) {
            if (page[at + i] != (byte) id.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The {@link String#hashCode()} of the id at {@code ref}. */
    int hashCode(long ref) {
        int length = (int) (ref & MAX_LENGTH);
        long position = ref >>> LENGTH_BITS;
        byte[] page = page(position, false);
        int at = (int) (position & PAGE_MASK);
        int h = 0;
        for (int i = 0; i < length; i++) {
            h = 31 * h + page[at + i];
        }
        return h;
    }

    /** The id at {@code ref}, as a new string. */
    String get(long ref) {
        long position = ref >>> LENGTH_BITS;
        return new String(page(position, false), (int) (position & PAGE_MASK), (int) (ref & MAX_LENGTH),
                StandardCharsets.ISO_8859_1);
    }

    /** Adds the used bytes to {@code h}, packed 8 to a word (little-endian), page by page. */
    void hashInto(StateHasher h) {
        h.add(end);
        long[] words = null;
        for (long p = 0; p < end; p += PAGE_SIZE) {
            int index = (int) (p >>> PAGE_BITS);
            int used = (int) Math.min(PAGE_SIZE, end - p);
            int n = (used + 7) / 8;
            int at = index * StateHasher.LANES;
            if (hashedUsed[index] != used) {
                if (words == null) {
                    words = new long[PAGE_SIZE / 8];
                }
                byte[] page = pages[index];
                Arrays.fill(words, 0, n, 0L);
                for (int i = 0; i < used; i++) {
                    words[i >>> 3] |= (page[i] & 0xFFL) << ((i & 7) << 3);
                }
                StateHasher.lanes(words, 0, n, lanes, at);
                hashedUsed[index] = used;
            }
            h.addLanes(n, lanes, at);
        }
    }

    /** Writes the used bytes, page by page. */
    void write(SnapshotOutput out) {
        out.putLong(end);
        for (long p = 0; p < end; p += PAGE_SIZE) {
            out.putBytes(pages[(int) (p >>> PAGE_BITS)], 0, (int) Math.min(PAGE_SIZE, end - p));
        }
    }

    /** Reads what {@link #write} wrote into this empty arena. */
    void read(SnapshotInput in) {
        long size = in.getLong();
        if (size < 0) {
            throw new IllegalArgumentException("negative client id arena size " + size);
        }
        for (long p = 0; p < size; p += PAGE_SIZE) {
            in.getBytes(page(p, true), 0, (int) Math.min(PAGE_SIZE, size - p));
            hashedUsed[(int) (p >>> PAGE_BITS)] = 0;
        }
        end = size;
    }

    private byte[] page(long position, boolean create) {
        int index = (int) (position >>> PAGE_BITS);
        if (create) {
            if (index >= pages.length) {
                byte[][] grown = new byte[Math.max(index + 1, pages.length * 2)][];
                System.arraycopy(pages, 0, grown, 0, pages.length);
                pages = grown;
                hashedUsed = Arrays.copyOf(hashedUsed, grown.length);
                lanes = Arrays.copyOf(lanes, grown.length * StateHasher.LANES);
            }
            if (pages[index] == null) {
                pages[index] = new byte[PAGE_SIZE];
            }
        }
        return pages[index];
    }
}
