package dev.cryo.test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private Redis server for one test class: {@code redis-server} on a free port of 127.0.0.1
 * only, without persistence ({@code --save "" --appendonly no}), its working directory a
 * temporary one, stopped ({@code SHUTDOWN NOSAVE}, or killed) and the directory deleted at the
 * end. A test can {@linkplain #stop() stop} it and {@linkplain #start() start} it again on the
 * same port, to see what a client does while Redis is gone.
 *
 * <p>The binary is looked up on the {@code PATH} and as {@code /usr/bin/redis-server}. Without it
 * the tests are skipped with a message saying how to install it; under {@code CI=true} a missing
 * Redis fails instead, so that a CI run cannot pass by skipping.
 *
 * <pre class="code">
 * &#64;RegisterExtension
 * static final PrivateRedis redis = new PrivateRedis();
 * </pre>
 */
public final class PrivateRedis implements BeforeAllCallback, AfterAllCallback {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	private final Function<String, @Nullable String> environment;

	private final Callable<@Nullable Path> binaryFinder;

	private @Nullable Path binary;

	private @Nullable Path directory;

	private @Nullable Process server;

	private int port;

	/** Creates the extension, looking for {@code redis-server} on this machine. */
	public PrivateRedis() {
		this(System::getenv, PrivateRedis::findBinary);
	}

	/**
	 * Creates the extension with its view of the machine, for testing the skip/fail rule.
	 * @param environment reads environment variables ({@code CI})
	 * @param binaryFinder finds {@code redis-server}, {@code null} when Redis is not installed
	 */
	public PrivateRedis(Function<String, @Nullable String> environment, Callable<@Nullable Path> binaryFinder) {
		this.environment = environment;
		this.binaryFinder = binaryFinder;
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		this.binary = this.binaryFinder.call();
		PrivateServers.requireInstalled(this.binary != null,
				"Redis is not installed (no redis-server on the PATH or in /usr/bin); " + "install redis-server (apt-get install redis-server) to run these tests",
				this.environment);
		this.directory = Files.createTempDirectory("cryo-redis");
		this.port = PrivateServers.freePort();
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		try {
			stop();
		}
		finally {
			if (this.directory != null) {
				PrivateServers.deleteRecursively(this.directory);
			}
		}
	}

	/**
	 * Starts the server on its port, if it is not running, and waits until it answers
	 * {@code PING}.
	 * @throws Exception when it does not start
	 */
	public synchronized void start() throws Exception {
		if (this.server != null && this.server.isAlive()) {
			return;
		}
		if (this.binary == null || this.directory == null) {
			throw new IllegalStateException("PrivateRedis is not registered as an extension");
		}
		this.server = new ProcessBuilder(this.binary.toString(), "--port", Integer.toString(this.port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.directory.toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("server.log").toFile()))
			.start();
		awaitPing();
	}

	/**
	 * Stops the server, dropping its data; {@link #start()} starts it again on the same port.
	 * @throws Exception when it cannot be stopped
	 */
	public synchronized void stop() throws Exception {
		Process process = this.server;
		if (process == null || !process.isAlive()) {
			return;
		}
		try {
			command("SHUTDOWN NOSAVE");
		}
		catch (IOException ex) {
			// The connection closes as the server exits, or the server is stuck: the wait decides.
		}
		if (!process.waitFor(10, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		this.server = null;
	}

	/**
	 * Returns the port the server listens on, on 127.0.0.1.
	 * @return the port, the same across restarts
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Returns the host the server listens on.
	 * @return {@code 127.0.0.1}
	 */
	public String host() {
		return "127.0.0.1";
	}

	/**
	 * Sends one inline command and returns the first line of the reply, for checks that need no
	 * client library.
	 * @param inline the command, for example {@code GET key}
	 * @return the first line of the reply, without its line end
	 * @throws IOException when the server cannot be reached
	 */
	public String command(String inline) throws IOException {
		try (Socket socket = new Socket(InetAddress.getByName(host()), this.port)) {
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
			out.flush();
			InputStream in = socket.getInputStream();
			StringBuilder line = new StringBuilder();
			int c;
			while ((c = in.read()) != -1 && c != '\n') {
				if (c != '\r') {
					line.append((char) c);
				}
			}
			return line.toString();
		}
	}

	private void awaitPing() throws Exception {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		IOException last = null;
		while (System.nanoTime() < deadline) {
			if (!this.server.isAlive()) {
				throw new IllegalStateException("redis-server exited with " + this.server.exitValue() + ": "
						+ Files.readString(this.directory.resolve("server.log")));
			}
			try {
				if ("+PONG".equals(command("PING"))) {
					return;
				}
			}
			catch (IOException ex) {
				last = ex;
			}
			Thread.sleep(50);
		}
		throw new IllegalStateException("redis-server did not answer PING within " + STARTUP_TIMEOUT, last);
	}

	private static @Nullable Path findBinary() {
		String path = System.getenv("PATH");
		if (path != null) {
			for (String entry : path.split(File.pathSeparator)) {
				if (!entry.isEmpty() && Files.isExecutable(Paths.get(entry, "redis-server"))) {
					return Paths.get(entry, "redis-server");
				}
			}
		}
		Path installed = Paths.get("/usr/bin/redis-server");
		return Files.isExecutable(installed) ? installed : null;
	}



}
