package dev.cryo.boot.autoconfigure.endtoend;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link AuthenticationTimeoutEndToEndTests} against the Netty transport ({@code cryo.transport=netty} on a port of
 * its own).
 */
@SpringBootTest(classes = AuthenticationTimeoutEndToEndTests.SlowAuthenticatorApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.authentication.timeout=500ms", "server.tomcat.accept-count=2000", "cryo.transport=netty", "cryo.port=0" })
class NettyAuthenticationTimeoutEndToEndTests extends AuthenticationTimeoutEndToEndTests {

}
