package dev.cryo.boot.autoconfigure.endpoint;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.cryo.core.SessionId;
import dev.cryo.core.engine.SessionState;
import dev.cryo.core.engine.SessionStatistics;
import dev.cryo.core.frame.TransactionLayout;
import dev.cryo.server.CryoServer;
import dev.cryo.server.CryoSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;
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
	void sessionShowsItsDialectAndTransactionLayout() {
		CryoSession v14 = session(SessionId.of(7));
		given(v14.transactionLayout()).willReturn(TransactionLayout.CRYO_PROTOCOL_1_4);
		CryoSession camp = session(SessionId.of(8));
		given(camp.dialect()).willReturn("camp");
		given(camp.transactionLayout()).willReturn(TransactionLayout.CAMP);
		given(this.server.sessions()).willReturn(List.of(v14, camp));
		CryoEndpoint.CryoDescriptor descriptor = this.endpoint.cryo();
		assertThat(descriptor.sessions()).extracting(CryoEndpoint.SessionDescriptor::dialect,
				CryoEndpoint.SessionDescriptor::transactionLayout)
			.containsExactlyInAnyOrder(tuple("cryo-v1", "cryo-protocol-1.4"), tuple("camp", "camp"));
		assertThat(descriptor.summary().dialects()).containsExactly(entry("camp", 1), entry("cryo-v1", 1));
	}

	@Test
	void sessionShowsItsGroupsInJoinOrder() {
		CryoSession member = session(SessionId.of(7));
		given(member.groups()).willReturn(new LinkedHashSet<>(List.of("news", "chat")));
		CryoSession loner = session(SessionId.of(8));
		given(this.server.sessions()).willReturn(List.of(member, loner));
		assertThat(this.endpoint.cryo().sessions()).extracting(CryoEndpoint.SessionDescriptor::groups)
			.containsExactlyInAnyOrder(List.of("news", "chat"), List.of());
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
		given(session.dialect()).willReturn("cryo-v1");
		given(session.transactionLayout()).willReturn(TransactionLayout.SEED);
		return session;
	}

}
