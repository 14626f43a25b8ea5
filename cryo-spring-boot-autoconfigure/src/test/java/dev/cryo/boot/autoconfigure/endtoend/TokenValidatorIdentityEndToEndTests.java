package dev.cryo.boot.autoconfigure.endtoend;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.cryo.core.SessionId;
import dev.cryo.server.CryoPrincipal;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;
import dev.cryo.server.event.CryoSessionConnectedEvent;
import dev.cryo.test.RawCryoClient;
import dev.cryo.test.RawFrames;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link dev.cryo.server.TokenValidator} still opens sessions, now for the principal
 * {@code anonymous}.
 */
@SpringBootTest(classes = CryoTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = CryoTestApplication.ACK_TIMEOUT_300MS)
@Timeout(30)
class TokenValidatorIdentityEndToEndTests {

	/** The Cryo endpoint's port: its own where it has one (the Netty transport), else the server's. */
	@Value("${local.cryo.port:${local.server.port}}")
	int port;

	@Autowired
	CryoServer server;

	@Autowired
	CryoEventRecorder events;

	@Test
	void sessionsOfATokenValidatorAreAnonymous() {
		SessionId sid = RawFrames.newSid();
		try (RawCryoClient client = CryoClients.connect(this.port, sid)) {
			client.handshake();
			CryoSession session = this.events.await(sid, CryoSessionConnectedEvent.class).getSession();
			assertThat(session.principal()).isSameAs(CryoPrincipal.ANONYMOUS);
			assertThat(session.authenticationAttributes()).isEmpty();
			assertThat(this.server.sessionsOf("anonymous")).contains(session);
		}
	}

}
