package exchange.risk;

/** Outcome of {@link Ledger#transfer}: every expected result, none of them an exception. */
public enum TransferResult {
    /** Applied now. */
    APPLIED,
    /** The same transfer id with the same body was applied before; nothing changed. */
    DUPLICATE,
    /** The transfer id was used before with a different body; nothing changed. */
    CONFLICT,
    UNKNOWN_ACCOUNT,
    UNKNOWN_ASSET,
    INVALID_AMOUNT,
    INVALID_TRANSFER_ID,
    INSUFFICIENT_FUNDS,
    /** The balance would exceed a long. */
    OVERFLOW
}
