package dev.cryo.benchmarks.driver;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bench app's class path with and without the cluster module: the driver's own class path
 * holds {@code cryo-redis} and {@code spring-boot-starter-data-redis} with what they bring
 * (nothing else in the module needs them); {@link #withoutCluster()} leaves out exactly those
 * jars, so the other scenarios run the app as an application without the module, as before the
 * cluster scenario existed, and the cost scenario compares them with {@link #withModuleOnly()}
 * and the whole class path.
 */
final class ClusterClassPath {

	/**
	 * The artifacts the two dependencies add to the class path and nothing else brings: the
	 * difference of {@code dependency:build-classpath} with and without them (Spring Boot 4.1).
	 */
	private static final Set<String> CLUSTER_ARTIFACTS = Set.of("cryo-redis", "spring-boot-starter-data-redis",
			"spring-boot-data-redis", "spring-boot-data-commons", "spring-boot-persistence", "spring-boot-transaction",
			"spring-boot-netty", "spring-data-redis", "spring-data-keyvalue", "spring-data-commons", "spring-tx",
			"spring-oxm", "spring-context-support", "jakarta.xml.bind-api", "jakarta.activation-api", "lettuce-core",
			"redis-authx-core", "reactor-core", "reactive-streams", "netty-resolver-dns", "netty-codec-dns");

	/** What {@code spring-boot-starter-data-redis} adds to the module: Boot's Redis support. */
	private static final Set<String> BOOT_REDIS_ARTIFACTS = Set.of("spring-boot-starter-data-redis",
			"spring-boot-data-redis", "spring-boot-data-commons", "spring-boot-persistence", "spring-boot-transaction",
			"spring-boot-netty");

	/** An artifact's jar: its name, a dash, and a version that starts with a digit. */
	private static final Pattern JAR = Pattern.compile("(.+?)-\\d[^/]*\\.jar");

	private ClusterClassPath() {
	}

	/** Returns the driver's class path, which has the cluster module. */
	static String withCluster() {
		return System.getProperty("java.class.path");
	}

	/** Returns the driver's class path without the cluster module and what only it brings. */
	static String withoutCluster() {
		return without(CLUSTER_ARTIFACTS, true);
	}

	/**
	 * Returns the driver's class path with the cluster module (and Spring Data Redis and Lettuce,
	 * which it needs) but without Boot's Redis support, {@code spring-boot-starter-data-redis}.
	 */
	static String withModuleOnly() {
		return without(BOOT_REDIS_ARTIFACTS, false);
	}

	private static String without(Set<String> artifacts, boolean module) {
		List<String> kept = new ArrayList<>();
		for (String entry : withCluster().split(File.pathSeparator)) {
			if (!isOneOf(entry, artifacts, module)) {
				kept.add(entry);
			}
		}
		return String.join(File.pathSeparator, kept);
	}

	private static boolean isOneOf(String entry, Set<String> artifacts, boolean module) {
		Path path = Path.of(entry);
		// In a reactor build the module may be its classes directory rather than its jar.
		if (path.endsWith(Path.of("cryo-redis", "target", "classes"))) {
			return module;
		}
		Path name = path.getFileName();
		if (name == null) {
			return false;
		}
		Matcher jar = JAR.matcher(name.toString());
		return jar.matches() && artifacts.contains(jar.group(1));
	}

}
