package exchange.engine.pipeline;

import exchange.engine.CommandType;
import exchange.engine.OrderView;
import exchange.engine.ResultCode;

/**
 * The outcome of one command, copied out of its ring slot by the results stage so the slot can
 * be reused. {@code order} is null unless the command concerns one order.
 */
public record CommandResult(CommandType type, long seq, ResultCode result, OrderView order, int conflictFields,
                            long resultAccountId, Object queryResult) {
}
