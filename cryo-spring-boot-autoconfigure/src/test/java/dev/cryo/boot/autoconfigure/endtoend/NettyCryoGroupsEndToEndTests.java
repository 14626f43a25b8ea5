package dev.cryo.boot.autoconfigure.endtoend;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link CryoGroupsEndToEndTests} against the Netty transport ({@code cryo.transport=netty} on a port of
 * its own).
 */
@SpringBootTest(classes = { CryoTestApplication.class, CryoGroupsEndToEndTests.ChatRooms.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.keep-alive-interval=1h", "management.endpoints.web.exposure.include=cryo", "cryo.transport=netty", "cryo.port=0" })
class NettyCryoGroupsEndToEndTests extends CryoGroupsEndToEndTests {

}
