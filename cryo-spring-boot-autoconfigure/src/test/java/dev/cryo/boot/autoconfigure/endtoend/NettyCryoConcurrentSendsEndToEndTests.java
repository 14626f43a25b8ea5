package dev.cryo.boot.autoconfigure.endtoend;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link CryoConcurrentSendsEndToEndTests} against the Netty transport ({@code cryo.transport=netty} on a port of
 * its own).
 */
@SpringBootTest(classes = CryoTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.backpressure.max-queue-count=10000", "cryo.backpressure.max-queued-bytes=64MB",
				"cryo.backpressure.high-water-mark=128MB", "cryo.transport=netty", "cryo.port=0" })
class NettyCryoConcurrentSendsEndToEndTests extends CryoConcurrentSendsEndToEndTests {

}
