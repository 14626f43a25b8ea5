package dev.cryo.boot.autoconfigure.endtoend;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link CryoDuplicateSessionEndToEndTests} against the Netty transport ({@code cryo.transport=netty} on a port of
 * its own).
 */
@SpringBootTest(classes = CryoTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { CryoTestApplication.ACK_TIMEOUT_300MS, "cryo.transport=netty", "cryo.port=0" })
class NettyCryoDuplicateSessionEndToEndTests extends CryoDuplicateSessionEndToEndTests {

}
