package io.skywatch.problem;

/** Stable problem type URIs, one per status, so clients can switch on {@code type} rather than on text. */
public final class ProblemTypes {

    private static final String BASE = "https://skywatch.io/problems/";

    private ProblemTypes() {}

    public static String forStatus(int status) {
        return switch (status) {
            case 400 -> BASE + "bad-request";
            case 401 -> BASE + "unauthorized";
            case 403 -> BASE + "forbidden";
            case 404 -> BASE + "not-found";
            case 405 -> BASE + "method-not-allowed";
            case 406 -> BASE + "not-acceptable";
            case 408 -> BASE + "request-timeout";
            case 409 -> BASE + "conflict";
            case 413 -> BASE + "payload-too-large";
            case 415 -> BASE + "unsupported-media-type";
            case 422 -> BASE + "invalid-event";
            case 429 -> BASE + "quota-exceeded";
            case 503 -> BASE + "overloaded";
            default -> status >= 500 ? BASE + "internal-error" : "about:blank";
        };
    }
}
