package dev.cryo.boot.autoconfigure.endtoend;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link CryoObservabilityEndToEndTests} against the Netty transport ({@code cryo.transport=netty} on a port of
 * its own).
 */
@SpringBootTest(classes = CryoTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.ack-timeout=300ms", "cryo.keep-alive-interval=1h",
				"cryo.backpressure.max-queue-count=4", "cryo.backpressure.drop-policy=drop-newest",
				"management.endpoints.web.exposure.include=health,cryo",
				"management.endpoint.health.show-details=always", "cryo.transport=netty", "cryo.port=0" })
class NettyCryoObservabilityEndToEndTests extends CryoObservabilityEndToEndTests {

}
