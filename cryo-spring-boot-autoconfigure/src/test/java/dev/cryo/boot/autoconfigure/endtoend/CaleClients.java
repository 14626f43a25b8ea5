package dev.cryo.boot.autoconfigure.endtoend;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.cryo.core.SessionId;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.test.RawCaleClient;
import dev.cryo.test.RawLegacyFrames;
import dev.cryo.test.RawLegacyFrames.Parsed;
import dev.cryo.test.RawUpgradeRequest;
import dev.cryo.test.RawUpgradeRequest.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the CALE end-to-end tests share (legacy-v0.md §7, §10.2–§10.6): the CALE path their
 * servers list in {@code cryo.dialects.legacy.cale-paths}, the close reasons of both sides, and
 * connecting, handshaking and probing for a blocked sid.
 */
final class CaleClients {

	/** The path the CALE tests list in {@code cryo.dialects.legacy.cale-paths}. */
	static final String CALE_PATH = "/cryo-cale";

	/** The server's reason for a failed CALE handshake (§7.1, §10.3). */
	static final String HANDSHAKE_FAILED = "Error during CALE handshake.";

	/** A CALE-off client's reason on a SERVER_HELLO (§7.5, §10.2). */
	static final String CLIENT_HAS_CALE_OFF =
			"CALE Mismatch. The server excepts CALE encryption, which is currently disabled.";

	/** A CALE-on client's reason on a first frame that is not SERVER_HELLO (§7.5, §10.2). */
	static final String SERVER_HAS_CALE_OFF = "CALE mismatch: The server has disabled CALE.";

	/** The refusal of a live or blocked sid (§10.1 rule 4.3, §10.6). */
	static final String DUPLICATE = "The session already exists.";

	/** The refusal of a wrong token, which comes only after the duplicate check (§10.1 rule 4). */
	static final String INVALID_TOKEN = "Invalid bearer token in authorization query.";

	private CaleClients() {
	}

	/** Connects a CALE client to the CALE path without doing the handshake. */
	static RawCaleClient connect(int port, UUID uuid) {
		return connect(port, CALE_PATH, uuid);
	}

	/** Connects a CALE client to a path without doing the handshake. */
	static RawCaleClient connect(int port, String path, UUID uuid) {
		return RawCaleClient.connect(port, path, DialectTestApplication.TOKEN, uuid.toString());
	}

	/** Connects to the CALE path, does the whole handshake and waits for the application's {@code connected}. */
	static RawCaleClient ready(int port, UUID uuid, CryoEventRecorder events) {
		RawCaleClient client = connect(port, uuid);
		try {
			client.handshake();
			events.await(SessionId.of(uuid), CryoSessionConnectedEvent.class);
			return client;
		}
		catch (RuntimeException | AssertionError ex) {
			client.close();
			throw ex;
		}
	}

	/**
	 * Asks for an upgrade with the sid and a wrong token: the answer is {@link #DUPLICATE} while the
	 * sid is live or blocked and {@link #INVALID_TOKEN} otherwise, and never opens a session.
	 */
	static Response probe(int port, String path, UUID uuid) throws IOException {
		return RawUpgradeRequest.send(port, path + "?authorization=Bearer+wrong&x-cryo-sid=" + uuid, Map.of());
	}

	/** Asserts that the sid is refused as a duplicate on both paths. */
	static void assertBlocked(int port, UUID uuid) throws IOException {
		for (String path : List.of(CALE_PATH, DialectTestApplication.PATH)) {
			LegacySessionEndToEndTests.assertRefused(probe(port, path, uuid), DUPLICATE);
		}
	}

	/** Skips ACKs and pings (answering the pings) until a decrypted data frame arrives. */
	static Parsed nextData(RawCaleClient client) {
		while (true) {
			Parsed next = client.next(Duration.ofSeconds(10));
			if (next.isPing()) {
				client.sendFrame(RawLegacyFrames.pingPong(client.sid(), next.ack(), false));
			}
			else if (next.type() == RawLegacyFrames.UTF8DATA || next.type() == RawLegacyFrames.BINARYDATA) {
				return next;
			}
		}
	}

	/** Asserts that IV counters only move forward. */
	static void assertStrictlyIncreasing(List<Long> ivCounters) {
		assertThat(ivCounters).isNotEmpty().isSorted().doesNotHaveDuplicates();
	}

}
