package dev.cryo.boot.autoconfigure.endtoend;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link CryoHeartbeatEndToEndTests} against the Netty transport ({@code cryo.transport=netty} on a port of
 * its own): every rule the servlet endpoint is held to, the Netty one is too.
 */
@SpringBootTest(classes = CryoTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.keep-alive-interval=300ms", CryoTestApplication.ACK_TIMEOUT_300MS, "cryo.transport=netty", "cryo.port=0" })
class NettyCryoHeartbeatEndToEndTests extends CryoHeartbeatEndToEndTests {

}
