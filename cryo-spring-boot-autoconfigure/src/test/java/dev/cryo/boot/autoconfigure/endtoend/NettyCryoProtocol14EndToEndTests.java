package dev.cryo.boot.autoconfigure.endtoend;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link CryoProtocol14EndToEndTests} against the Netty transport ({@code cryo.transport=netty} on a port of
 * its own).
 */
@SpringBootTest(classes = DialectTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.endpoint-info-timeout=1s", "cryo.endpoint-info-grace=300ms", "cryo.transport=netty", "cryo.port=0" })
class NettyCryoProtocol14EndToEndTests extends CryoProtocol14EndToEndTests {

}
