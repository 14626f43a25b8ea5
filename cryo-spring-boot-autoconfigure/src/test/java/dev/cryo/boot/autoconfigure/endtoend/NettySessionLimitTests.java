package dev.cryo.boot.autoconfigure.endtoend;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link SessionLimitTests} against the Netty transport ({@code cryo.transport=netty} on a port of
 * its own).
 */
@SpringBootTest(classes = BackpressureTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.max-sessions=3", "cryo.transport=netty", "cryo.port=0" })
class NettySessionLimitTests extends SessionLimitTests {

}
