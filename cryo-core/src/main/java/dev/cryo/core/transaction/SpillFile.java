package dev.cryo.core.transaction;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.jspecify.annotations.Nullable;

/**
 * The temporary file behind a transaction buffer: created on first use in the configured
 * directory, opened delete-on-close (on Linux its name leaves the directory at once, so not even
 * a crash leaves it behind), and deleted by {@link #delete()}.
 */
final class SpillFile {

	private final Path directory;

	private @Nullable FileChannel channel;

	private @Nullable Path path;

	private boolean deleted;

	SpillFile(Path directory) {
		this.directory = directory;
	}

	/** Returns the file's channel, creating the file on first use. */
	FileChannel channel() throws IOException {
		if (this.channel == null) {
			this.path = Files.createTempFile(this.directory, "cryo-tx-", ".bin");
			this.channel = FileChannel.open(this.path, StandardOpenOption.READ, StandardOpenOption.WRITE,
					StandardOpenOption.DELETE_ON_CLOSE);
		}
		return this.channel;
	}

	/** Returns the file's path, or {@code null} if it was never created. */
	@Nullable Path path() {
		return this.path;
	}

	/** Returns whether the file was created and not yet deleted. */
	boolean exists() {
		return this.path != null && !this.deleted;
	}

	/** Closes and deletes the file, if it was created. Idempotent. */
	void delete() {
		FileChannel open = this.channel;
		Path created = this.path;
		if (open == null || created == null || this.deleted) {
			return;
		}
		this.deleted = true;
		try {
			open.close();
		}
		catch (IOException ex) {
			// DELETE_ON_CLOSE may not have run: delete explicitly below.
		}
		try {
			Files.deleteIfExists(created);
		}
		catch (IOException ex) {
			created.toFile().deleteOnExit();
		}
	}

}
