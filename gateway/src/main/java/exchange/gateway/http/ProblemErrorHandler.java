package exchange.gateway.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Jetty's error pages, as {@code application/problem+json} like every other error of the API.
 * Jetty answers some requests itself before Javalin runs: a path it will not decode
 * ({@code /v1/orders/%00}), a URI or header block over its limits (414, 431), a message it cannot
 * parse. Its default pages are HTML naming the server; these carry the status's stable
 * {@code code} ({@link ApiProblem#forStatus}) and never a message or stack trace from inside.
 */
final class ProblemErrorHandler extends ErrorHandler {
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    /** A request Jetty refused after reading it. */
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        byte[] body = HttpJson.problem(ApiProblem.forStatus(code));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ExchangeHttpServer.PROBLEM_JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** A message Jetty could not parse into a request at all (no handler runs for it). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, ExchangeHttpServer.PROBLEM_JSON);
        return ByteBuffer.wrap(HttpJson.problem(ApiProblem.forStatus(status)));
    }
}
