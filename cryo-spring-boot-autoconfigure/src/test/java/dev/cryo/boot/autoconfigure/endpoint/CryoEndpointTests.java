package dev.cryo.boot.autoconfigure.endpoint;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.cryo.core.SessionId;
import dev.cryo.core.engine.SessionState;
import dev.cryo.core.engine.SessionStatistics;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * How {@code /actuator/cryo/{id}} reads its selector: an unsigned decimal or a canonical UUID
 * finds the session of that id, anything else is no session (404).
 */
class CryoEndpointTests {

	private static final UUID UUID_ID = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");

	private final CryoServer server = mock(CryoServer.class);

	private final CryoEndpoint endpoint = new CryoEndpoint(this.server);

	@Test
	void unsignedDecimalSelectsANumericSession() {
		CryoSession session = session(SessionId.of(-1L));
		given(this.server.session(SessionId.of(-1L))).willReturn(Optional.of(session));
		CryoEndpoint.SessionDescriptor descriptor = this.endpoint.session("18446744073709551615");
		assertThat(descriptor).isNotNull();
		assertThat(descriptor.id()).isEqualTo("18446744073709551615");
	}

	@Test
	void canonicalUuidSelectsAUuidSession() {
		CryoSession session = session(SessionId.of(UUID_ID));
		given(this.server.session(SessionId.of(UUID_ID))).willReturn(Optional.of(session));
		CryoEndpoint.SessionDescriptor descriptor = this.endpoint.session(UUID_ID.toString());
		assertThat(descriptor).isNotNull();
		assertThat(descriptor.id()).isEqualTo("123e4567-e89b-12d3-a456-426614174000");
	}

	@Test
	void unknownIdIsNoSession() {
		given(this.server.session(any(SessionId.class))).willReturn(Optional.empty());
		assertThat(this.endpoint.session("12345")).isNull();
		assertThat(this.endpoint.session(UUID_ID.toString())).isNull();
	}

	@Test
	void unparsableIdIsNoSessionAndNoLookup() {
		assertThat(this.endpoint.session("not-an-id")).isNull();
		assertThat(this.endpoint.session("-1")).isNull();
		assertThat(this.endpoint.session("18446744073709551616")).isNull();
		// UUID.fromString would take short groups; only the canonical form is an id.
		assertThat(this.endpoint.session("1-2-3-4-5")).isNull();
		verify(this.server, never()).session(any(SessionId.class));
	}

	private static CryoSession session(SessionId id) {
		CryoSession session = mock(CryoSession.class);
		given(session.id()).willReturn(id);
		given(session.connectedAt()).willReturn(Instant.now());
		given(session.state()).willReturn(SessionState.OPEN);
		given(session.statistics()).willReturn(new SessionStatistics(0, -1, 0, 0, 0));
		return session;
	}

}
