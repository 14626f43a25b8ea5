package dev.cryo.boot.autoconfigure.endtoend;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;

import org.awaitility.Awaitility;

import dev.cryo.client.CryoClient;
import dev.cryo.client.CryoClientListener;
import dev.cryo.client.CryoClientSession;
import dev.cryo.client.ReconnectPolicy;
import dev.cryo.core.SessionId;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.test.RawCryoClient;

/**
 * Shortcuts for the end-to-end tests on {@link CryoTestApplication}: connect a
 * {@link RawCryoClient} with its path and token, open a Java client session, and wait for the
 * server to catch up with what a client did.
 */
final class CryoClients {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private CryoClients() {
	}

	/** Connects with the valid token; the server's ENDPOINT_INFO is the first frame waiting. */
	static RawCryoClient connect(int port, SessionId sid) {
		return RawCryoClient.connect(port, CryoTestApplication.PATH, CryoTestApplication.TOKEN, sid);
	}

	/**
	 * Connects as the published CAMP clients do: the sid in {@code x-CAMP-sid}, no subprotocol;
	 * the server's ENDPOINT_INFO is the first frame waiting.
	 */
	static RawCryoClient camp(int port, SessionId sid) {
		return RawCryoClient.connectCamp(port, CryoTestApplication.PATH, CryoTestApplication.TOKEN, sid);
	}

	/**
	 * Connects as a Cryo v1 client of the published 1.4 generation (cryo-v1.md §16): the sid in
	 * {@code x-cryo-sid}, transaction frames read in the cryo-protocol 1.4 layouts.
	 */
	static RawCryoClient cryoProtocol14(int port, SessionId sid) {
		return RawCryoClient.connect(URI.create("ws://localhost:" + port + CryoTestApplication.PATH
				+ "?authorization=Bearer+" + CryoTestApplication.TOKEN + "&x-cryo-sid=" + sid), sid,
				RawCryoClient.Wire.CRYO_PROTOCOL_1_4, List.of());
	}

	/** Connects and completes the ENDPOINT_INFO exchange, so the session is OPEN. */
	static RawCryoClient ready(int port, SessionId sid) {
		RawCryoClient client = connect(port, sid);
		client.handshake();
		return client;
	}

	/**
	 * Connects and completes the ENDPOINT_INFO exchange while answering heartbeat pings, which
	 * may arrive at any point when the interval is short.
	 * @param ackServerInfo whether to ACK the server's ENDPOINT_INFO (that ACK is the first RTT sample)
	 */
	static RawCryoClient readyAnsweringPings(int port, SessionId sid, boolean ackServerInfo) {
		RawCryoClient client = connect(port, sid);
		client.handshakeAnsweringPings(ackServerInfo);
		return client;
	}

	/**
	 * Opens a session with the Java client, for tests about what the server sends rather than
	 * about single frames: it ACKs, answers pings and hands every UTF-8 message to the queue.
	 */
	static CryoClientSession javaClient(int port, BlockingQueue<String> texts) {
		return CryoClient.builder(URI.create("ws://localhost:" + port + CryoTestApplication.PATH))
			.token(CryoTestApplication.TOKEN)
			.reconnect(ReconnectPolicy.DISABLED)
			.listener(new CryoClientListener() {

				@Override
				public void onUtf8Message(CryoClientSession session, String text) {
					texts.add(text);
				}

			})
			.build()
			.connect();
	}

	/** Returns the server side of a session that must be live. */
	static CryoSession session(CryoServer server, SessionId sid) {
		Awaitility.await().atMost(WAIT).until(() -> server.session(sid).isPresent());
		return server.session(sid).orElseThrow();
	}

	/** Waits until the server no longer has a session with this id. */
	static void awaitGone(CryoServer server, SessionId sid) {
		Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> server.session(sid).isEmpty());
	}

}
