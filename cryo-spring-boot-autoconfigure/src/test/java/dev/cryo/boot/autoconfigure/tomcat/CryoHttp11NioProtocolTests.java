package dev.cryo.boot.autoconfigure.tomcat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The protocol recognizes Tomcat's send completions by a class name Tomcat does not publish:
 * checked here against the Tomcat on the class path, so that an upgrade that renames it fails
 * a test instead of silently ending the routing. What the routing is for is shown end to end by
 * {@code TomcatMassCloseTests}.
 */
class CryoHttp11NioProtocolTests {

	@Test
	void tomcatStillHasTheSendCompletionTaskByThatName() throws Exception {
		Class<?> completion = Class.forName(CryoHttp11NioProtocol.CompletionRoutingEndpoint.SEND_COMPLETION);
		assertThat(Runnable.class).isAssignableFrom(completion);
	}

	@Test
	void otherTasksAreNotSendCompletions() {
		assertThat(CryoHttp11NioProtocol.isSendCompletion(() -> {
		})).isFalse();
	}

}
