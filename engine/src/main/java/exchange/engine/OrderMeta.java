package exchange.engine;

/**
 * The bit layout of an order record's {@code META} field: the order's small attributes packed in
 * one long, so that a record is longs only.
 * <pre>
 *  bits  0-15  symbol index + 1 (0 = no listed symbol)
 *  bit     16  side ordinal
 *  bits 17-18  time in force ordinal
 *  bits 19-21  status ordinal
 *  bit     22  post-only
 *  bits 23-24  self-trade prevention ordinal, as requested (DEFAULT kept)
 *  bits 25-30  reject reason: ResultCode ordinal + 1 (0 = none)
 *  bits 31-33  expiry reason ordinal
 * </pre>
 * Stateless.
 */
final class OrderMeta {
    private static final int SYMBOL_SHIFT = 0;
    private static final int SIDE_SHIFT = 16;
    private static final int TIF_SHIFT = 17;
    private static final int STATUS_SHIFT = 19;
    private static final int POST_ONLY_SHIFT = 22;
    private static final int STP_SHIFT = 23;
    private static final int REJECT_SHIFT = 25;
    private static final int EXPIRY_SHIFT = 31;

    private OrderMeta() {
    }

    /** A new order's attributes; status NEW, no reject or expiry reason. */
    static long of(int symbolIndex, Side side, TimeInForce tif, boolean postOnly, SelfTradePrevention stp) {
        return ((long) (symbolIndex + 1) << SYMBOL_SHIFT)
                | ((long) side.ordinal() << SIDE_SHIFT)
                | ((long) tif.ordinal() << TIF_SHIFT)
                | ((long) OrderStatus.NEW.ordinal() << STATUS_SHIFT)
                | ((postOnly ? 1L : 0L) << POST_ONLY_SHIFT)
                | ((long) stp.ordinal() << STP_SHIFT);
    }

    private static int bits(long meta, int shift, int mask) {
        return (int) ((meta >>> shift) & mask);
    }

    private static long with(long meta, int shift, int mask, long value) {
        return (meta & ~((long) mask << shift)) | ((value & mask) << shift);
    }

    /** The listed symbol's index, or -1. */
    static int symbolIndex(long meta) {
        return bits(meta, SYMBOL_SHIFT, 0xFFFF) - 1;
    }

    static Side side(long meta) {
        return Side.ofOrdinal(bits(meta, SIDE_SHIFT, 1));
    }

    static TimeInForce timeInForce(long meta) {
        return TimeInForce.ofOrdinal(bits(meta, TIF_SHIFT, 3));
    }

    static OrderStatus status(long meta) {
        return OrderStatus.ofOrdinal(bits(meta, STATUS_SHIFT, 7));
    }

    static long withStatus(long meta, OrderStatus status) {
        return with(meta, STATUS_SHIFT, 7, status.ordinal());
    }

    static boolean postOnly(long meta) {
        return bits(meta, POST_ONLY_SHIFT, 1) == 1;
    }

    static SelfTradePrevention selfTradePrevention(long meta) {
        return SelfTradePrevention.ofOrdinal(bits(meta, STP_SHIFT, 3));
    }

    /** The rejection code, or null. */
    static ResultCode rejectReason(long meta) {
        int reject = bits(meta, REJECT_SHIFT, 0x3F);
        return reject == 0 ? null : ResultCode.ofOrdinal(reject - 1);
    }

    static long withRejectReason(long meta, ResultCode code) {
        return with(meta, REJECT_SHIFT, 0x3F, code.ordinal() + 1);
    }

    static ExpiryReason expiryReason(long meta) {
        return ExpiryReason.ofOrdinal(bits(meta, EXPIRY_SHIFT, 7));
    }

    static long withExpiryReason(long meta, ExpiryReason reason) {
        return with(meta, EXPIRY_SHIFT, 7, reason.ordinal());
    }
}
