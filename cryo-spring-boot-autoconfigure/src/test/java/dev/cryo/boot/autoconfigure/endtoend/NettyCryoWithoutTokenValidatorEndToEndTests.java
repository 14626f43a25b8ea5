package dev.cryo.boot.autoconfigure.endtoend;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link CryoWithoutTokenValidatorEndToEndTests} against the Netty transport ({@code cryo.transport=netty} on a port of
 * its own).
 */
@SpringBootTest(classes = CryoWithoutTokenValidatorEndToEndTests.NoValidatorApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "cryo.path=/realtime", "cryo.transport=netty", "cryo.port=0" })
class NettyCryoWithoutTokenValidatorEndToEndTests extends CryoWithoutTokenValidatorEndToEndTests {

}
