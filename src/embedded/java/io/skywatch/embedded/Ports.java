package io.skywatch.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Port checks for the embedded infrastructure, all on 127.0.0.1.
 *
 * <p>
 * Checking before starting anything turns "Address already in use" deep inside a broker start-up (after a
 * storage format and half a controller) into one line that says which setting to change.
 */
public final class Ports {

    private static final String HOST = "127.0.0.1";

    private Ports() {}

    /**
     * Fails when {@code port} cannot be bound on 127.0.0.1.
     *
     * @param port the port to check
     * @param what what would listen there, e.g. "Kafka broker"
     * @param setting the environment variable that chooses the port
     * @throws PortInUseException with a one-line message naming the port, the setting and what to do
     */
    public static void requireFree(int port, String what, String setting) {
        if (!isFree(port)) {
            throw new PortInUseException(port, what, setting);
        }
    }

    /** Whether {@code port} can be bound on 127.0.0.1 right now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Without SO_REUSEADDR a port in TIME_WAIT after our own restart would look taken, but the
            // broker and Netty both bind with it, so they would succeed.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port that is free on 127.0.0.1 at the time of the call, for tests. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    /** A port needed by the embedded infrastructure is already bound by another process. */
    public static final class PortInUseException extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        private final int port;

        PortInUseException(int port, String what, String setting) {
            super("Port " + port + " (" + what + ") on " + HOST + " is already in use: stop whatever listens there "
                    + "(`ss -ltnp 'sport = :" + port + "'`) or set " + setting + " to a free port.");
            this.port = port;
        }

        /** The port that was taken. */
        public int port() {
            return port;
        }
    }
}
