package dev.cryo.boot.autoconfigure.endtoend;

import java.nio.ByteBuffer;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.core.dialect.v1.FrameCodec;
import dev.cryo.core.frame.BinaryDataFrame;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.test.RawFrames;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer that closes with a code of its own while the server is still writing to it gets its
 * close answered with the same code, on a real Tomcat. Tomcat counts every code but 1000 as an
 * abnormal close and gives the reply 50 ms by default, while it waits for an earlier write in
 * steps of 50 ms: without the session's own bound, such a peer (a legacy client closing with
 * 4000 or 4010 right after a frame arrived, or one that reads late) saw the connection end
 * without a close frame (1006).
 */
@SpringBootTest(classes = DialectTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@Timeout(30)
class PeerCloseDuringWriteEndToEndTests {

	/** Far more than the peer's small receive window and the server's send buffer take. */
	private static final int ECHOED = 4 << 20;

	/** Longer than Tomcat's default for the reply, well within the session's bound of 2 s. */
	private static final Duration READS_LATE_BY = Duration.ofMillis(300);

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Test
	void closeWithAnApplicationCodeWhileTheServersWriteIsStalledIsAnsweredWithThatCode() throws Exception {
		SessionId sid = RawFrames.newSid();
		try (NonReadingPeer peer = NonReadingPeer.connect(this.port, DialectTestApplication.TOKEN, sid)) {
			CryoSession session = CryoClients.session(this.server, sid);
			peer.write(FrameCodec.encode(new BinaryDataFrame(sid, 1, ByteBuffer.wrap(new byte[ECHOED]))));
			// The echo has left the queue for the socket, where it waits for the peer to read.
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> session.pendingAcks() == 1 && session.queuedFrames() == 0);
			peer.closeWith(4000, "Client finished.");
			Thread.sleep(READS_LATE_BY.toMillis());
			assertThat(peer.readUntilClose()).isEqualTo(4000);
		}
		CryoClients.awaitGone(this.server, sid);
	}

}
