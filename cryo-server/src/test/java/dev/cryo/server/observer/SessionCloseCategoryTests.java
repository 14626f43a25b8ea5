package dev.cryo.server.observer;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.cryo.core.engine.CloseInfo;
import dev.cryo.core.engine.CloseInfo.Initiator;
import dev.cryo.core.engine.ProtocolSession;
import dev.cryo.server.CryoServer;

import static org.assertj.core.api.Assertions.assertThat;

/** How a {@link CloseInfo} becomes the {@code reason} tag of {@code cryo.sessions.closed}. */
class SessionCloseCategoryTests {

	@ParameterizedTest(name = "{0} {1} \"{2}\" -> {3}")
	@CsvSource(delimiter = '|', textBlock = """
			4000 | PEER  | Client says goodbye.                                       | peer-bye
			4000 | LOCAL | Done for today.                                             | local-bye
			4000 | LOCAL | ''                                                         | local-bye
			4000 | LOCAL | Server shutdown.                                           | shutdown
			4000 | LOCAL | Disconnecting session due to not responding to ping frames. | heartbeat-timeout
			4001 | LOCAL | Too many malformed frames.                                 | protocol-error
			4001 | LOCAL | Disconnecting session due to not responding to ping frames. | heartbeat-timeout
			4011 | LOCAL | Error during CALE handshake.                               | cale-failure
			4011 | LOCAL | CALE nonce space exhausted.                                | cale-failure
			4010 | PEER  | CALE mismatch: The server has disabled CALE.               | cale-failure
			4010 | LOCAL | CALE Mismatch. The client excepts CALE encryption, which is currently disabled. | cale-failure
			1009 | LOCAL | Payload too large.                                         | protocol-error
			1002 | PEER  | ''                                                         | protocol-error
			1008 | LOCAL | Send timeout.                                              | policy
			1008 | LOCAL | Send queue limit exceeded.                                 | policy
			1008 | LOCAL | Expedited frame limit exceeded.                            | policy
			1013 | LOCAL | Try again later.                                           | overload
			1009 | LOCAL | Message too big.                                           | protocol-error
			1006 | PEER  | Connection lost.                                           | connection-lost
			1000 | PEER  | ''                                                         | normal
			1001 | PEER  | ''                                                         | normal
			1000 | LOCAL | Session destroyed.                                         | normal
			4002 | LOCAL | Internal server error.                                     | server-error
			1011 | PEER  | ''                                                         | server-error
			4999 | PEER  | custom                                                     | other
			""")
	void classifiesByCodeInitiatorAndReason(int code, Initiator initiator, String reason, String expected) {
		assertThat(SessionCloseCategory.of(new CloseInfo(code, reason, initiator)).tagValue()).isEqualTo(expected);
	}

	@Test
	void knowsTheReasonsItMatchesOn() {
		// The table above spells them out; these guard against the constants drifting from it.
		assertThat(SessionCloseCategory.of(new CloseInfo(4000, CryoServer.SHUTDOWN_REASON, Initiator.LOCAL)))
			.isEqualTo(SessionCloseCategory.SHUTDOWN);
		assertThat(SessionCloseCategory.of(new CloseInfo(4000, ProtocolSession.DEAD_PEER_REASON, Initiator.LOCAL)))
			.isEqualTo(SessionCloseCategory.HEARTBEAT_TIMEOUT);
	}

	@Test
	void compositeTellsEveryObserverInOrder() {
		StringBuilder calls = new StringBuilder();
		CryoServerObserver first = new CryoServerObserver() {
			@Override
			public void sessionOpened() {
				calls.append("first ");
			}

			@Override
			public void upgradeRejected(UpgradeRefusal refusal) {
				calls.append("first:" + refusal + " ");
			}
		};
		CryoServerObserver second = new CryoServerObserver() {
			@Override
			public void sessionOpened() {
				calls.append("second ");
			}
		};
		CryoServerObserver composite = CryoServerObserver.of(List.of(first, second));
		composite.sessionOpened();
		composite.upgradeRejected(UpgradeRefusal.NO_SID);
		assertThat(calls).hasToString("first second first:NO_SID ");
		assertThat(CryoServerObserver.of(List.of())).isSameAs(CryoServerObserver.NOOP);
		assertThat(CryoServerObserver.of(List.of(first))).isSameAs(first);
	}

	@Test
	void compositePassesTheDialectOnAndPlainObserversStillHearOfEverySession() {
		StringBuilder calls = new StringBuilder();
		CryoServerObserver dialectAware = new CryoServerObserver() {
			@Override
			public void sessionOpened(String dialect) {
				calls.append("opened:" + dialect + " ");
			}

			@Override
			public void sessionClosed(SessionCloseCategory category, String dialect) {
				calls.append("closed:" + dialect + ":" + category.tagValue() + " ");
			}
		};
		CryoServerObserver plain = new CryoServerObserver() {
			@Override
			public void sessionOpened() {
				calls.append("opened ");
			}

			@Override
			public void sessionClosed(SessionCloseCategory category) {
				calls.append("closed:" + category.tagValue() + " ");
			}
		};
		CryoServerObserver composite = CryoServerObserver.of(List.of(dialectAware, plain));
		composite.sessionOpened("camp");
		composite.sessionClosed(SessionCloseCategory.PEER_BYE, "camp");
		assertThat(calls).hasToString("opened:camp opened closed:camp:peer-bye closed:peer-bye ");
	}

}
