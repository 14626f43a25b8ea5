package dev.cryo.sample;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

import dev.cryo.core.LogText;
import dev.cryo.core.frame.FlowBehaviour;
import dev.cryo.core.frame.TransactionLayout;
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
 * {@code <name>} of that many bytes, byte i being i mod 251, in the session's mode: the one a Cryo
 * v1 client asked for with TX_FLOW (push for the cryo-protocol 1.4 generation, which cannot
 * pull), push in CAMP;</li>
 * <li>the UTF-8 message {@code download-pull <bytes> <name>} is answered with the same transaction
 * in pull mode: in CAMP, which chooses the mode per transaction, a pull transaction whose size is
 * announced and whose ranges the client fetches with TX_FETCH; in Cryo v1 only when the client
 * asked for pull mode with TX_FLOW, otherwise with an ERROR frame that says so.</li>
 * </ul>
 * A transaction a CAMP client offers in pull mode is fetched whole by the server on its own, so
 * it is answered like a pushed one. Streams are read on a thread of this component: they are
 * filled on the session's thread, which must not wait for them.
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
		boolean pull = command[0].equals("download-pull");
		if (command.length != 3 || !(pull || command[0].equals("download"))) {
			return;
		}
		CryoSession session = event.session();
		long size;
		try {
			size = Long.parseLong(command[1]);
		}
		catch (NumberFormatException ex) {
			session.sendError(command[0] + " needs a size in bytes: " + command[0] + " <bytes> <name>");
			return;
		}
		String name = command[2];
		PatternInputStream source = new PatternInputStream(size);
		CompletableFuture<Void> sent = pull ? session.stream(source, name, FlowBehaviour.PULL)
				: session.stream(source, name);
		sent.whenComplete((done, failure) -> {
			Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
			if (pull && cause instanceof IllegalArgumentException) {
				// Refused before TX_START: the session cannot send in pull mode.
				session.sendError(pullRefusal(session));
			}
			else if (cause != null) {
				logger.info("Download " + LogText.escape(name) + " for session " + session.idString() + " failed: "
						+ LogText.escape(cause.getMessage()));
			}
		});
	}

	/** Why a Cryo v1 session cannot pull, and what the client can do about it. */
	private static String pullRefusal(CryoSession session) {
		if (session.transactionLayout() == TransactionLayout.CRYO_PROTOCOL_1_4) {
			return "download-pull: this client uses the cryo-protocol 1.4 transaction layout, which receives "
					+ "pushed transactions only; use download <bytes> <name>";
		}
		return "download-pull: a Cryo v1 client chooses pull mode with TX_FLOW(TX_PULL) before it asks; "
				+ "send TX_FLOW, then download-pull <bytes> <name> (or download <bytes> <name>)";
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
