package exchange.risk;

/** Direction of an external transfer into or out of an account. */
public enum TransferKind {
    DEPOSIT,
    WITHDRAWAL
}
