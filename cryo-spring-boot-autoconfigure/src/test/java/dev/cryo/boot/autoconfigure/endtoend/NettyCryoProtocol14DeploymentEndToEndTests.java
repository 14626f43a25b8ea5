package dev.cryo.boot.autoconfigure.endtoend;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link CryoProtocol14DeploymentEndToEndTests} against the Netty transport ({@code cryo.transport=netty} on a port of
 * its own).
 */
@SpringBootTest(classes = DialectTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "cryo.v1.transaction-layout=cryo-protocol-1.4", "cryo.transport=netty", "cryo.port=0" })
class NettyCryoProtocol14DeploymentEndToEndTests extends CryoProtocol14DeploymentEndToEndTests {

}
