package exchange.readside.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;

/**
 * Inserts rows into one table {@value #ROWS_PER_STATEMENT} at a time, with one multi-row
 * {@code INSERT ... VALUES (...), (...), ...} statement (plus an optional suffix such as
 * {@code ON CONFLICT ... DO UPDATE}), instead of one statement execution per row: SQLite then runs
 * its statement machinery once per chunk, which roughly doubled the insert rate measured on this
 * box. Values are kept in typed arrays until a chunk is full; {@link #flush} writes the rest
 * through statements of 32, 16, .., 1 rows, one per bit of the count left (at most six, where a
 * statement per row made a caught-up writer's 5 ms batch of ~100 rows per table mostly
 * single-row executions). Portable SQL (PostgreSQL takes the same statements).
 *
 * <p>Writer thread only. Usage per row: {@code add(..)} each column in order, then {@link #endRow}.
 */
final class MultiRowInsert implements AutoCloseable {
    static final int ROWS_PER_STATEMENT = 64;
    private static final byte LONG = 0;
    private static final byte TEXT = 1;
    private static final byte NULL = 2;

    private final int columns;
    private final PreparedStatement chunk;
    /** {@code smaller[k]} inserts {@code 2^k} rows, k = 0..5: the statements {@link #flush} uses. */
    private final PreparedStatement[] smaller = new PreparedStatement[Integer.numberOfTrailingZeros(ROWS_PER_STATEMENT)];
    private final byte[] kinds;
    private final long[] longs;
    private final String[] texts;
    private int slot;
    private int rows;

    /**
     * @param head {@code INSERT INTO t (c1, .., cn)}
     * @param suffix what follows the values ({@code ON CONFLICT ...}), or empty
     */
    MultiRowInsert(Connection c, String head, int columns, String suffix) throws SQLException {
        this.columns = columns;
        this.chunk = c.prepareStatement(head + " VALUES " + values(columns, ROWS_PER_STATEMENT) + suffix);
        for (int k = 0; k < smaller.length; k++) {
            smaller[k] = c.prepareStatement(head + " VALUES " + values(columns, 1 << k) + suffix);
        }
        this.kinds = new byte[columns * ROWS_PER_STATEMENT];
        this.longs = new long[columns * ROWS_PER_STATEMENT];
        this.texts = new String[columns * ROWS_PER_STATEMENT];
    }

    private static String values(int columns, int rows) {
        StringBuilder sb = new StringBuilder(rows * (columns * 3 + 3));
        for (int r = 0; r < rows; r++) {
            sb.append(r == 0 ? "(" : ", (");
            for (int c = 0; c < columns; c++) {
                sb.append(c == 0 ? "?" : ", ?");
            }
            sb.append(')');
        }
        return sb.toString();
    }

    MultiRowInsert add(long value) {
        kinds[slot] = LONG;
        longs[slot++] = value;
        return this;
    }

    /** A text value; null is stored as NULL. */
    MultiRowInsert add(String value) {
        kinds[slot] = value == null ? NULL : TEXT;
        texts[slot++] = value;
        return this;
    }

    MultiRowInsert addNull() {
        kinds[slot] = NULL;
        texts[slot++] = null;
        return this;
    }

    /** Ends the row begun by the previous adds; a full chunk is inserted now. */
    void endRow() throws SQLException {
        if (slot != (rows + 1) * columns) {
            throw new IllegalStateException("row " + rows + " has " + (slot - rows * columns) + " values, not " + columns);
        }
        if (++rows == ROWS_PER_STATEMENT) {
            bind(chunk, 0, slot);
            chunk.executeUpdate();
            rows = 0;
            slot = 0;
        }
    }

    /** Inserts the rows of a chunk not yet full, in order: one statement per set bit of their count, largest first. */
    void flush() throws SQLException {
        int from = 0;
        for (int k = smaller.length - 1; k >= 0; k--) {
            int n = 1 << k;
            if ((rows & n) != 0) {
                bind(smaller[k], from * columns, n * columns);
                smaller[k].executeUpdate();
                from += n;
            }
        }
        rows = 0;
        slot = 0;
        Arrays.fill(texts, null);
    }

    private void bind(PreparedStatement ps, int from, int count) throws SQLException {
        for (int i = 0; i < count; i++) {
            int s = from + i;
            switch (kinds[s]) {
                case LONG -> ps.setLong(i + 1, longs[s]);
                case TEXT -> ps.setString(i + 1, texts[s]);
                default -> ps.setNull(i + 1, Types.NULL);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        SQLException failure = null;
        for (PreparedStatement ps : smaller) {
            try {
                ps.close();
            } catch (SQLException e) {
                failure = failure == null ? e : failure;
            }
        }
        chunk.close();
        if (failure != null) {
            throw failure;
        }
    }
}
