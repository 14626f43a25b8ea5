package dev.cryo.benchmarks.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

import dev.cryo.core.LogText;
import dev.cryo.core.transaction.IncomingStream;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.server.event.CryoBinaryMessageEvent;
import dev.cryo.server.event.CryoStreamStartedEvent;
import dev.cryo.server.event.CryoUtf8MessageEvent;

/**
 * The Cryo side of the benchmark: echoes UTF-8 and binary messages like the sample's
 * {@code EchoListener}; reads every incoming stream to the end and answers
 * {@code stream <name> <bytes>}; answers {@code download <bytes> <name>} with a transaction of
 * that many bytes; answers {@code broadcast <text>} with {@code server.broadcastUtf8(<text>)}, which
 * reaches every session of the cluster when the cluster is enabled. Unlike the sample it does not hash streams, so that both sides of the
 * comparison do the same (no) work per byte.
 */
@Component
class CryoBenchListener {

	private static final Log logger = LogFactory.getLog(CryoBenchListener.class);

	private static final String BROADCAST = "broadcast ";

	private final ObjectProvider<CryoServer> server;

	private final ExecutorService readers = Executors.newCachedThreadPool(new CustomizableThreadFactory("bench-stream-"));

	CryoBenchListener(ObjectProvider<CryoServer> server) {
		this.server = server;
	}

	@EventListener
	void onBinary(CryoBinaryMessageEvent event) {
		event.session().sendBinary(event.payload());
	}

	@EventListener
	void onText(CryoUtf8MessageEvent event) {
		String text = event.text();
		if (text.startsWith("download ")) {
			String[] command = text.split(" ", 3);
			event.session().stream(new RepeatingInputStream(Long.parseLong(command[1])), command[2]);
			return;
		}
		if (text.startsWith(BROADCAST)) {
			this.server.getObject().broadcastUtf8(text.substring(BROADCAST.length()));
			return;
		}
		event.session().sendUtf8(text);
	}

	@EventListener
	void onStream(CryoStreamStartedEvent event) {
		CryoSession session = event.session();
		IncomingStream stream = event.stream();
		// Read on a thread of our own: the stream is filled on the session's thread.
		this.readers.execute(() -> {
			try (InputStream in = stream.inputStream()) {
				byte[] buffer = new byte[64 * 1024];
				long total = 0;
				int read;
				while ((read = in.read(buffer)) != -1) {
					total += read;
				}
				session.sendUtf8("stream " + stream.name() + " " + total);
			}
			catch (IOException ex) {
				logger.info("Stream " + LogText.escape(stream.name()) + " ended early: " + LogText.escape(ex.getMessage()));
			}
		});
	}

	@PreDestroy
	void stop() {
		this.readers.shutdownNow();
	}

}
