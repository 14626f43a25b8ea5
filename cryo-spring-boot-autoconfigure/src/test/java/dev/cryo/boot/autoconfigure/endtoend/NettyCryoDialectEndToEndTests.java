package dev.cryo.boot.autoconfigure.endtoend;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link CryoDialectEndToEndTests} against the Netty transport ({@code cryo.transport=netty} on a port of
 * its own).
 */
@SpringBootTest(classes = { CryoTestApplication.class, CryoDialectEndToEndTests.DialectConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "cryo.keep-alive-interval=200ms", "cryo.transport=netty", "cryo.port=0" })
class NettyCryoDialectEndToEndTests extends CryoDialectEndToEndTests {

}
