package dev.cryo.core.engine;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.cryo.core.frame.ByeFrame;
import dev.cryo.core.frame.PingPongFrame;

import static dev.cryo.core.engine.SessionFixture.SID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's ping watch, which lives in the engine next to the heartbeat: a silent server is
 * left with BYE, pings keep the session, and the watch ends with the session.
 */
class LivenessTests {

	private final SessionFixture fixture = new SessionFixture().role(ProtocolSession.Role.CLIENT);

	@AfterEach
	void closeFixture() {
		this.fixture.close();
	}

	@Test
	void peerThatStopsPingingIsLeftWithBye() {
		ProtocolSession session = this.fixture.open();
		session.watchPings(Duration.ofMillis(100), "No ping received.");
		Polling.await("the BYE", () -> !this.fixture.transport.sent(ByeFrame.class).isEmpty());
		assertThat(this.fixture.transport.sent(ByeFrame.class)).singleElement()
			.satisfies((bye) -> assertThat(bye.reason()).isEqualTo("No ping received."));
	}

	@Test
	void pingsKeepTheSession() throws InterruptedException {
		ProtocolSession session = this.fixture.open();
		// Pings every 50 ms for three times the timeout: without them the watch would have fired,
		// and a stall of the test thread has to exceed 550 ms before it could.
		session.watchPings(Duration.ofMillis(600), "No ping received.");
		for (int i = 0; i < 36; i++) {
			this.fixture.receive(PingPongFrame.ping(SID, i));
			Thread.sleep(50);
		}
		assertThat(session.state()).isEqualTo(SessionState.OPEN);
		assertThat(this.fixture.transport.sent(ByeFrame.class)).isEmpty();
	}

	@Test
	void watchEndsWithTheSession() {
		ProtocolSession session = this.fixture.open();
		ScheduledFuture<?> watch = session.watchPings(Duration.ofMillis(100), "No ping received.");
		session.transportClosed(CloseCodes.NORMAL, "");
		assertThat(watch.isCancelled()).isTrue();
	}

}
