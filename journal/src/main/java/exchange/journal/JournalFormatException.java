package exchange.journal;

/**
 * A journal, event or snapshot record that cannot be decoded. {@link #reason()} says why;
 * {@link #isDamage()} separates bytes that are damaged (torn, truncated, checksum mismatch) from
 * an intact record this build cannot read (unknown schema version or type), which must never be
 * mistaken for a torn write and dropped.
 */
public final class JournalFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a record was rejected. */
    public enum Reason {
        /** Fewer bytes than a header and checksum, or fewer than the header's payload length. */
        TRUNCATED(true),
        /** The header's payload length disagrees with the record's size. */
        LENGTH_MISMATCH(true),
        /** The CRC32C over header and payload does not match the stored one. */
        CRC_MISMATCH(true),
        /** Checksum valid but the magic names another record family (for example an event in the command journal). */
        BAD_MAGIC(false),
        /** Checksum valid but written by a schema version this build does not read. */
        UNSUPPORTED_VERSION(false),
        /** Checksum valid but the record type is unknown to this build. */
        UNKNOWN_TYPE(false),
        /** Checksum valid but the payload does not parse (bad ordinal, string length, leftover bytes). */
        MALFORMED_PAYLOAD(false);

        private final boolean damage;

        Reason(boolean damage) {
            this.damage = damage;
        }

        /** True if the bytes were damaged after being written (the checksum or framing failed). */
        public boolean isDamage() {
            return damage;
        }
    }

    private final Reason reason;

    public JournalFormatException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** True for torn or corrupted bytes; false for an intact record this build cannot interpret. */
    public boolean isDamage() {
        return reason.isDamage();
    }
}
