package dev.cryo.boot.autoconfigure.endtoend;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.server.CryoServer;

/**
 * {@link SlowConsumerTests}'s stalled peer against the Netty transport, which takes frames into
 * the channel while it is writable and then holds the session's sends until the socket accepts
 * bytes: what a stalled peer costs is still bounded by the session's queue.
 */
@SpringBootTest(classes = BackpressureTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { SlowConsumerTests.CAPS, "cryo.backpressure.max-queue-count=64",
				"cryo.backpressure.high-water-mark=512KB", "cryo.backpressure.low-water-mark=128KB",
				"cryo.backpressure.drop-policy=drop-oldest", "cryo.ack-timeout=60s", "cryo.transport=netty",
				"cryo.port=0" })
class NettySlowConsumerTests {

	@Autowired
	CryoServer server;

	@Autowired
	BackpressureTestApplication.WritabilityEvents writability;

	@Value("${local.cryo.port}")
	int port;

	@Test
	void aStalledPeerOfferedOneGibibyteCostsNoMoreThanTheQueueCapAndEveryDropIsAccounted() {
		SlowConsumerTests.assertStalledPeerIsBoundedByTheQueueCap(this.server, this.writability, this.port);
	}

}
