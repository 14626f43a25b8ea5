package dev.cryo.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A temporary directory of its own for the server's transaction spill files, so a test class can
 * see exactly the files its server writes. The server opens them with {@code DELETE_ON_CLOSE},
 * which on Linux unlinks them at once: only the descriptors the JVM holds show that they exist,
 * and their space is freed only when they are closed.
 */
final class SpillDirectory {

	private static final Path DESCRIPTORS = Path.of("/proc/self/fd");

	private final Path path;

	SpillDirectory(String prefix) {
		try {
			this.path = Files.createTempDirectory(prefix);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	Path path() {
		return this.path;
	}

	/** Points {@code cryo.transactions.temporary-directory} at this directory. */
	void register(DynamicPropertyRegistry registry) {
		registry.add("cryo.transactions.temporary-directory", this.path::toString);
	}

	/** Removes the directory once it is empty; files a failed test left behind stay for inspection. */
	void delete() throws IOException {
		try {
			Files.deleteIfExists(this.path);
		}
		catch (DirectoryNotEmptyException ex) {
			// A failed test left files behind; it has said so already.
		}
	}

	/** The files in the directory (with a name: not yet unlinked). */
	List<Path> files() {
		try (Stream<Path> files = Files.list(this.path)) {
			return files.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The JVM's open descriptors of files in this directory, named or unlinked.
	 * @return each descriptor's link and the file it points at, or {@code null} where the
	 * platform cannot list the JVM's descriptors
	 */
	@Nullable List<OpenFile> openFiles() {
		if (!Files.isDirectory(DESCRIPTORS)) {
			return null;
		}
		List<OpenFile> open = new ArrayList<>();
		try (Stream<Path> links = Files.list(DESCRIPTORS)) {
			for (Path link : links.toList()) {
				try {
					Path target = Files.readSymbolicLink(link);
					if (target.startsWith(this.path)) {
						open.add(new OpenFile(link, target));
					}
				}
				catch (IOException ex) {
					// Closed meanwhile, or not a link.
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return open;
	}

	/**
	 * The bytes the server's spill files hold: read through the open descriptors where they can be
	 * listed, else the sizes of the named files.
	 */
	long bytes() {
		List<OpenFile> open = openFiles();
		if (open == null) {
			return files().stream().mapToLong(SpillDirectory::sizeOf).sum();
		}
		return open.stream().mapToLong((file) -> sizeOf(file.link())).sum();
	}

	private static long sizeOf(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			return 0;
		}
	}

	/**
	 * One open descriptor of a file in the directory.
	 * @param link the descriptor's entry in {@code /proc/self/fd}
	 * @param target the file it points at (unlinked files keep their old name)
	 */
	record OpenFile(Path link, Path target) {
	}

}
