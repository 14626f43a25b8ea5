package dev.cryo.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private PostgreSQL server for one test class: {@code initdb} in a temporary directory, a
 * {@code postgres} listening on a free port of 127.0.0.1 only with its unix socket in that
 * directory, one database, and at the end {@code pg_ctl stop -m immediate} and the directory
 * deleted. PostgreSQL refuses to run as root, so under root the server runs as the
 * {@code postgres} user (or {@code nobody}) through {@code runuser}.
 *
 * <p>The binaries are looked up on the {@code PATH} and in {@code /usr/lib/postgresql/<version>/bin}.
 * Without them the tests are skipped with a message saying how to install them; under
 * {@code CI=true} a missing PostgreSQL fails instead, so that a CI run cannot pass by skipping.
 *
 * <pre class="code">
 * &#64;RegisterExtension
 * static final PrivatePostgres postgres = new PrivatePostgres();
 * </pre>
 */
public final class PrivatePostgres implements BeforeAllCallback, AfterAllCallback {

	/** The name of the database the tests use. */
	public static final String DATABASE = "live";

	/** The user the tests connect as (trusted: no password). */
	public static final String USER = "test";

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

	private @Nullable Path directory;

	private @Nullable Path binaries;

	private List<String> runAs = List.of();

	private @Nullable Process server;

	private int port;

	private final Function<String, @Nullable String> environment;

	private final Callable<@Nullable Path> binaryFinder;

	/**
	 * Creates the extension, looking for PostgreSQL on this machine.
	 */
	public PrivatePostgres() {
		this(System::getenv, PrivatePostgres::findBinaries);
	}

	/**
	 * Creates the extension with its view of the machine, for testing the skip/fail rule.
	 * @param environment reads environment variables ({@code CI})
	 * @param binaryFinder finds the directory of {@code initdb}, {@code pg_ctl} and
	 * {@code postgres}, {@code null} when PostgreSQL is not installed
	 */
	public PrivatePostgres(Function<String, @Nullable String> environment, Callable<@Nullable Path> binaryFinder) {
		this.environment = environment;
		this.binaryFinder = binaryFinder;
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		this.binaries = this.binaryFinder.call();
		PrivateServers.requireInstalled(this.binaries != null,
				"PostgreSQL is not installed (no initdb, pg_ctl and postgres on the PATH or in " + "/usr/lib/postgresql/*/bin); install it with 'apt-get install postgresql' to run these tests",
				this.environment);
		this.directory = Files.createTempDirectory("cryo-live-pg");
		String owner = serverUser();
		if (owner != null) {
			this.runAs = List.of("runuser", "-u", owner, "--");
			run(List.of("chown", "-R", owner, this.directory.toString()));
		}
		Path data = this.directory.resolve("data");
		run(command("initdb", "-D", data.toString(), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-sync"));
		this.port = PrivateServers.freePort();
		List<String> start = command("postgres", "-D", data.toString(), "-p", Integer.toString(this.port), "-c",
				"listen_addresses=127.0.0.1", "-k", this.directory.toString(), "-c", "fsync=off");
		this.server = new ProcessBuilder(start).redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("server.log").toFile())
			.start();
		awaitStarted();
		try (Connection connection = DriverManager.getConnection(url("postgres"), USER, "");
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + DATABASE);
		}
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		try {
			if (this.server != null) {
				run(command("pg_ctl", "stop", "-D", this.directory.resolve("data").toString(), "-m", "immediate"));
				if (!this.server.waitFor(10, TimeUnit.SECONDS)) {
					this.server.destroyForcibly();
				}
			}
		}
		finally {
			if (this.directory != null) {
				PrivateServers.deleteRecursively(this.directory);
			}
		}
	}

	/**
	 * Returns the JDBC URL of the test database.
	 * @return the URL
	 */
	public String jdbcUrl() {
		return url(DATABASE);
	}

	private String url(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + database;
	}

	private void awaitStarted() throws Exception {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		SQLException last = null;
		while (System.nanoTime() < deadline) {
			if (!this.server.isAlive()) {
				throw new IllegalStateException("postgres exited with " + this.server.exitValue() + ": "
						+ Files.readString(this.directory.resolve("server.log")));
			}
			try (Connection connection = DriverManager.getConnection(url("postgres"), USER, "")) {
				if (connection.isValid(5)) {
					return;
				}
			}
			catch (SQLException ex) {
				last = ex;
				Thread.sleep(100);
			}
		}
		throw new IllegalStateException("postgres did not accept connections within " + STARTUP_TIMEOUT, last);
	}

	private List<String> command(String binary, String... arguments) {
		List<String> command = new ArrayList<>(this.runAs);
		command.add(this.binaries.resolve(binary).toString());
		command.addAll(List.of(arguments));
		return command;
	}

	private static void run(List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(output));
		}
	}

	/** Root may not run PostgreSQL: the user to run it as then, {@code null} when we are not root. */
	private static @Nullable String serverUser() throws IOException, InterruptedException {
		Process id = new ProcessBuilder("id", "-u").start();
		String uid = new String(id.getInputStream().readAllBytes()).trim();
		id.waitFor();
		if (!"0".equals(uid)) {
			return null;
		}
		Process postgres = new ProcessBuilder("id", "postgres").start();
		postgres.getInputStream().readAllBytes();
		return (postgres.waitFor() == 0) ? "postgres" : "nobody";
	}

	private static @Nullable Path findBinaries() throws IOException {
		String path = System.getenv("PATH");
		if (path != null) {
			for (String entry : path.split(java.io.File.pathSeparator)) {
				if (!entry.isEmpty() && hasBinaries(Paths.get(entry))) {
					return Paths.get(entry);
				}
			}
		}
		Path installed = Paths.get("/usr/lib/postgresql");
		if (Files.isDirectory(installed)) {
			try (Stream<Path> versions = Files.list(installed)) {
				return versions.map((version) -> version.resolve("bin"))
					.filter(PrivatePostgres::hasBinaries)
					.max(Comparator.comparing(PrivatePostgres::majorVersion))
					.orElse(null);
			}
		}
		return null;
	}

	private static int majorVersion(Path bin) {
		try {
			return Integer.parseInt(bin.getParent().getFileName().toString());
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private static boolean hasBinaries(Path directory) {
		return Stream.of("initdb", "pg_ctl", "postgres").allMatch((name) -> Files.isExecutable(directory.resolve(name)));
	}



}
