package dev.cryo.boot.autoconfigure.endtoend;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link SendTimeoutTests} against the Netty transport, whose send timeout watches the channel
 * rather than a container's send.
 */
@SpringBootTest(classes = BackpressureTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.send-timeout=1s", "cryo.ack-timeout=60s", "cryo.transport=netty", "cryo.port=0" })
class NettySendTimeoutTests extends SendTimeoutTests {

}
