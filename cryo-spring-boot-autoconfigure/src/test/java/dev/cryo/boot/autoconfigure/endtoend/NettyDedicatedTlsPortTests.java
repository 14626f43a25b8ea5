package dev.cryo.boot.autoconfigure.endtoend;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link DedicatedTlsPortTests} against the Netty transport: the same SSL bundle, the same port property,
 * served by Netty instead of a dedicated Tomcat connector.
 */
@SpringBootTest(classes = BackpressureTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.transport=netty")
class NettyDedicatedTlsPortTests extends DedicatedTlsPortTests {

}
