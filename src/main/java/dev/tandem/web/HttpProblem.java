package dev.tandem.web;

/**
 * A request the API answers with an error status and a one-line reason (400 bad input, 404 unknown, 405 method),
 * thrown by the pure parsers and the handlers, turned into a JSON body by {@link Guard}.
 */
public final class HttpProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final int status;
    private final String allow;

    public HttpProblem(int status, String message) {
        this(status, message, null);
    }

    private HttpProblem(int status, String message, String allow) {
        super(message);
        this.status = status;
        this.allow = allow;
    }

    public static HttpProblem badRequest(String message) {
        return new HttpProblem(400, message);
    }

    public static HttpProblem notFound(String message) {
        return new HttpProblem(404, message);
    }

    public static HttpProblem methodNotAllowed(String method, String allowed) {
        return new HttpProblem(405, method + " not allowed here (allowed: " + allowed + ")", allowed);
    }

    /** The methods allowed, for a 405's {@code Allow} header; null otherwise. */
    public String allow() {
        return allow;
    }

    public int status() {
        return status;
    }
}
