package dev.cryo.sample;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

import dev.cryo.core.LogText;
import dev.cryo.core.transaction.IncomingStream;
import dev.cryo.server.CryoSession;
import dev.cryo.server.event.CryoStreamStartedEvent;
import dev.cryo.server.event.CryoUtf8MessageEvent;

/**
 * The sample's transaction contract, which end-to-end checks rely on (see README):
 * <ul>
 * <li>every incoming stream is read to the end and answered with the UTF-8 message
 * {@code stream <name> <bytes> <sha256-hex>};</li>
 * <li>the UTF-8 message {@code download <bytes> <name>} is answered with a transaction named
 * {@code <name>} of that many bytes, byte i being i mod 251, in whatever mode the client asked
 * for with TX_FLOW.</li>
 * </ul>
 * Streams are read on a thread of this component: they are filled on the session's thread, which
 * must not wait for them.
 */
@Component
class StreamContract {

	private static final Log logger = LogFactory.getLog(StreamContract.class);

	private final ExecutorService readers = Executors.newCachedThreadPool(new CustomizableThreadFactory("sample-stream-"));

	@EventListener
	void onStream(CryoStreamStartedEvent event) {
		CryoSession session = event.session();
		IncomingStream stream = event.stream();
		this.readers.execute(() -> {
			try (InputStream in = stream.inputStream()) {
				MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
				byte[] buffer = new byte[64 * 1024];
				long total = 0;
				int read;
				while ((read = in.read(buffer)) != -1) {
					sha256.update(buffer, 0, read);
					total += read;
				}
				session.sendUtf8("stream " + stream.name() + " " + total + " " + HexFormat.of().formatHex(sha256.digest()));
			}
			catch (IOException | NoSuchAlgorithmException ex) {
				// The name is the peer's, and the failure repeats it: both are escaped and cut.
				logger.info("Stream " + LogText.escape(stream.name()) + " of session " + session.idString()
						+ " ended early: " + LogText.escape(ex.getMessage()));
			}
		});
	}

	@EventListener
	void onText(CryoUtf8MessageEvent event) {
		String[] command = event.text().split(" ", 3);
		if (command.length == 3 && command[0].equals("download")) {
			long size;
			try {
				size = Long.parseLong(command[1]);
			}
			catch (NumberFormatException ex) {
				event.session().sendError("download needs a size in bytes: download <bytes> <name>");
				return;
			}
			event.session().stream(new PatternInputStream(size), command[2]).whenComplete((done, failure) -> {
				if (failure != null) {
					logger.info("Download " + LogText.escape(command[2]) + " for session "
							+ event.session().idString() + " failed: " + LogText.escape(failure.getMessage()));
				}
			});
		}
	}

	@PreDestroy
	void stop() {
		this.readers.shutdownNow();
	}

	/** {@code size} bytes where byte i is i mod 251, generated as they are read. */
	static final class PatternInputStream extends InputStream {

		private final long size;

		private long position;

		PatternInputStream(long size) {
			this.size = size;
		}

		@Override
		public int read() {
			if (this.position >= this.size) {
				return -1;
			}
			return (int) (this.position++ % 251);
		}

		@Override
		public int read(byte[] target, int offset, int length) {
			if (this.position >= this.size) {
				return -1;
			}
			int count = (int) Math.min(length, this.size - this.position);
			for (int i = 0; i < count; i++) {
				target[offset + i] = (byte) ((this.position + i) % 251);
			}
			this.position += count;
			return count;
		}

	}

}
