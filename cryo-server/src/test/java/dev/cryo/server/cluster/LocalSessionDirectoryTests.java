package dev.cryo.server.cluster;

import org.junit.jupiter.api.Test;

import dev.cryo.core.SessionId;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory {@link SessionDirectory} of a single node. */
class LocalSessionDirectoryTests {

	private final LocalSessionDirectory directory = new LocalSessionDirectory("node-a");

	@Test
	void anIdIsReservedOnceUntilItIsReleased() {
		assertThat(this.directory.reserve(SessionId.of(7))).isTrue();
		assertThat(this.directory.reserve(SessionId.of(7))).isFalse();
		this.directory.release(SessionId.of(7));
		assertThat(this.directory.reserve(SessionId.of(7))).isTrue();
	}

	@Test
	void aHeldIdIsLocatedOnThisNode() {
		assertThat(this.directory.locate(SessionId.of(7))).isEmpty();
		this.directory.reserve(SessionId.of(7));
		assertThat(this.directory.locate(SessionId.of(7))).contains("node-a");
		assertThat(new LocalSessionDirectory().locate(SessionId.of(7))).isEmpty();
	}

	@Test
	void claimsDoNotExpireSoRefreshingChangesNothing() {
		this.directory.reserve(SessionId.of(7));
		this.directory.refresh(SessionId.of(7));
		this.directory.refresh(SessionId.of(8));
		assertThat(this.directory.locate(SessionId.of(7))).contains("node-a");
		assertThat(this.directory.locate(SessionId.of(8))).isEmpty();
	}

	@Test
	void releasingAnIdThatIsNotHeldDoesNothing() {
		this.directory.release(SessionId.of(9));
		assertThat(this.directory.reserve(SessionId.of(9))).isTrue();
	}

}
