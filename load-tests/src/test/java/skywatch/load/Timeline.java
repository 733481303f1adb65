package skywatch.load;

/**
 * Marks when the load itself starts and ends in Gatling's output, so load-tests/benchmark can line the gateway's
 * CPU and memory samples up with the load rather than with Maven's start-up.
 */
final class Timeline {

    private Timeline() {}

    static void started() {
        System.out.println("SIMULATION START " + System.currentTimeMillis());
    }

    static void ended() {
        System.out.println("SIMULATION END " + System.currentTimeMillis());
    }
}
