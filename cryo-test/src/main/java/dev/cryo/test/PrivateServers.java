package dev.cryo.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * What the extensions that run a private server process ({@link PrivatePostgres},
 * {@link PrivateRedis}) share: the rule for a server that is not installed (skipped with a hint
 * on a developer's machine, a failure under {@code CI=true}, where a skip would hide the tests),
 * a free port on the loopback address, and removing the server's directory afterwards.
 */
final class PrivateServers {

	private PrivateServers() {
	}

	/**
	 * Skips the tests, or fails them under {@code CI=true}, when the server is not installed.
	 * @param installed whether its binaries were found
	 * @param message what is missing and how to install it
	 * @param environment reads environment variables
	 */
	static void requireInstalled(boolean installed, String message, Function<String, @Nullable String> environment) {
		if (installed) {
			return;
		}
		if ("true".equalsIgnoreCase(environment.apply("CI"))) {
			throw new IllegalStateException(message + " (CI=true: a skip would hide them)");
		}
		Assumptions.abort(message);
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	static void deleteRecursively(Path root) throws IOException {
		try (Stream<Path> paths = Files.walk(root)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

}
