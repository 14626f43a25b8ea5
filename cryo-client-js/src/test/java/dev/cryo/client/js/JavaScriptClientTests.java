package dev.cryo.client.js;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the JavaScript client's own checks from the Maven build: its {@code node --test} suite
 * ({@code src/test/js/*.test.mjs}), the contents of its npm package, and its version against
 * the project's.
 *
 * <p>Node.js is not needed to build the module, so the first two skip on a machine without it
 * and say how to get it; on CI ({@code CI=true}) a missing tool fails instead, so the suite
 * cannot silently stop running there.
 */
class JavaScriptClientTests {

	private static final Path MODULE = Path.of(System.getProperty("cryo.module.dir", "")).toAbsolutePath();

	private static final Path PACKAGE_DIR = MODULE.resolve("src/main/js");

	private static final long TIMEOUT_MINUTES = 5;

	@Test
	void nodeTestSuitePasses() throws Exception {
		Path node = requireTool("node");
		// The files are named one by one: how a directory argument is read differs between Node
		// versions (20 searches it, later ones take glob patterns), and helpers are not tests.
		List<String> command = new ArrayList<>(List.of(node.toString(), "--test"));
		try (Stream<Path> files = Files.list(MODULE.resolve("src/test/js"))) {
			files.map((file) -> MODULE.relativize(file).toString())
				.filter((file) -> file.endsWith(".test.mjs"))
				.sorted()
				.forEach(command::add);
		}
		assertThat(command).hasSizeGreaterThan(2);
		Result result = run(MODULE, command);
		assertThat(result.exitCode()).as("%s failed:%n%s%n%s", String.join(" ", command), result.stdout(), result.stderr())
			.isZero();
	}

	@Test
	void npmPackageContainsTheModuleItsTypesAndManifest() throws Exception {
		Path npm = requireTool("npm");
		Result result = run(PACKAGE_DIR, List.of(npm.toString(), "pack", "--dry-run", "--json"));
		assertThat(result.exitCode()).as("npm pack --dry-run --json failed:%n%s", result.stderr()).isZero();
		assertThat(packedPaths(result.stdout())).as(result.stdout())
			.containsExactlyInAnyOrder("cryo.mjs", "cryo.d.ts", "package.json");
	}

	@Test
	void versionsMatchTheMavenProjectVersion() throws IOException {
		String projectVersion = System.getProperty("cryo.project.version");
		assertThat(projectVersion).as("the surefire configuration passes cryo.project.version").isNotBlank();
		String expected = projectVersion.replaceFirst("-SNAPSHOT$", "");
		String module = Files.readString(PACKAGE_DIR.resolve("cryo.mjs"), StandardCharsets.UTF_8);
		assertThat(module.lines().findFirst())
			.contains("// Cryo v1 client for browsers and Node, version " + expected);
		assertThat(group(module, "export const VERSION = \"([^\"]+)\";")).isEqualTo(expected);
		String manifest = Files.readString(PACKAGE_DIR.resolve("package.json"), StandardCharsets.UTF_8);
		assertThat(group(manifest, "\"version\"\\s*:\\s*\"([^\"]+)\"")).isEqualTo(expected);
		String types = Files.readString(PACKAGE_DIR.resolve("cryo.d.ts"), StandardCharsets.UTF_8);
		assertThat(group(types, "export declare const VERSION: \"([^\"]+)\";")).isEqualTo(expected);
	}

	/** The {@code path} of every file npm would pack, from its JSON report. */
	private static List<String> packedPaths(String json) {
		Matcher matcher = Pattern.compile("\"path\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
		return matcher.results().map((match) -> match.group(1)).toList();
	}

	private static String group(String text, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(text);
		assertThat(matcher.find()).as("no match for %s", regex).isTrue();
		return matcher.group(1);
	}

	/**
	 * Finds a tool on the PATH. Missing, the test is skipped with a hint, except on CI
	 * ({@code CI=true}), where it fails.
	 */
	private static Path requireTool(String name) {
		Optional<Path> found = findOnPath(name);
		if (found.isEmpty()) {
			String message = name + " is not on the PATH, so the JavaScript client's checks cannot run. Install "
					+ "Node.js 20 or newer, which includes npm (https://nodejs.org/en/download, or the nodejs and npm "
					+ "packages of your system), and run the build again.";
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				fail(message + " (CI=true: failing instead of skipping)");
			}
			Assumptions.abort(message);
		}
		return found.get();
	}

	private static Optional<Path> findOnPath(String name) {
		String path = System.getenv("PATH");
		if (path == null) {
			return Optional.empty();
		}
		boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
		List<String> candidates = windows ? List.of(name + ".exe", name + ".cmd", name) : List.of(name);
		for (String directory : path.split(File.pathSeparator)) {
			if (directory.isBlank()) {
				continue;
			}
			for (String candidate : candidates) {
				Path file = Path.of(directory, candidate);
				if (Files.isRegularFile(file) && Files.isExecutable(file)) {
					return Optional.of(file);
				}
			}
		}
		return Optional.empty();
	}

	/** Runs a command to completion, with its output in files so a chatty tool cannot block on a full pipe. */
	private static Result run(Path directory, List<String> command) throws IOException, InterruptedException {
		Path stdout = Files.createTempFile("cryo-client-js", ".out");
		Path stderr = Files.createTempFile("cryo-client-js", ".err");
		try {
			Process process = new ProcessBuilder(command).directory(directory.toFile())
				.redirectOutput(stdout.toFile())
				.redirectError(stderr.toFile())
				.start();
			if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
				fail(String.join(" ", command) + " did not finish within " + TIMEOUT_MINUTES + " minutes:" + System.lineSeparator()
						+ Files.readString(stdout));
			}
			return new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
		}
		finally {
			Files.deleteIfExists(stdout);
			Files.deleteIfExists(stderr);
		}
	}

	private record Result(int exitCode, String stdout, String stderr) {
	}

}
